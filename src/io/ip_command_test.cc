#include "io/ip_command.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "io/testing/fake_sys.h"

namespace nextip::io {
namespace {

using testing::Child;
using testing::FakeSys;
using testing::Op;
using Argv = std::vector<std::string>;

constexpr int kSkipExit = 77;

// Sets PATH for one test.
class ScopedPath {
 public:
  explicit ScopedPath(const char* path) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    ::setenv("PATH", path, 1);
  }
  ~ScopedPath() {
    if (old_) {
      ::setenv("PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }
  ScopedPath(const ScopedPath&) = delete;
  ScopedPath& operator=(const ScopedPath&) = delete;

 private:
  std::optional<std::string> old_;
};

TEST(IpCommand, ArgvWithAndWithoutANamespace) {
  FakeSys sys;
  EXPECT_EQ(IpCommand(sys).argv_for({"link", "show"}), (Argv{"ip", "link", "show"}));
  EXPECT_EQ(IpCommand(sys, "lab1").argv_for({"link", "show"}), (Argv{"ip", "-n", "lab1", "link", "show"}));
  EXPECT_EQ(IpCommand(sys, "lab1").argv_for({}), (Argv{"ip", "-n", "lab1"}));
}

TEST(IpCommand, ErrorMessage) {
  CommandError e;
  e.argv = {"ip", "-n", "lab1", "route", "add", "10.0.0.0/8", "dev", "x"};
  e.exit_status = 2;
  e.stderr_text = "Error: Nexthop device is not up.\n";
  EXPECT_EQ(e.message(), "ip -n lab1 route add 10.0.0.0/8 dev x: exit 2: Error: Nexthop device is not up.");

  e.stderr_text = " \n\n";
  EXPECT_EQ(e.message(), "ip -n lab1 route add 10.0.0.0/8 dev x: exit 2") << "blank stderr adds nothing";

  CommandError killed;
  killed.argv = {"ip", "monitor"};
  EXPECT_EQ(killed.message(), "ip monitor: killed by a signal");

  CommandError missing;
  missing.argv = {"ip", "link"};
  missing.err = ENOENT;
  missing.stderr_text = "iproute2's ip not found";
  EXPECT_EQ(missing.message(), "ip link: No such file or directory: iproute2's ip not found");
}

TEST(IpCommand, FindIpSearchesPathThenTheUsualDirectories) {
  const ScopedPath path("/opt/a:relative/dir::/opt/b");
  FakeSys sys;
  const IpCommand ip(sys);
  EXPECT_EQ(ip.find_ip(), "/opt/a/ip");
  sys.fail_next(Op::access, ENOENT);
  EXPECT_EQ(ip.find_ip(), "/opt/b/ip") << "relative and empty PATH entries are skipped";
  sys.fail_next(Op::access, ENOENT, -1, 3);
  EXPECT_EQ(ip.find_ip(), "/sbin/ip");
  sys.fail_next(Op::access, EACCES, -1, 6);
  EXPECT_EQ(ip.find_ip(), std::nullopt);
}

TEST(IpCommand, FindIpWithoutPath) {
  const ScopedPath path("");
  FakeSys sys;
  EXPECT_EQ(IpCommand(sys).find_ip(), "/usr/sbin/ip");
}

TEST(IpCommand, RunReturnsStdoutAndSpawnsWithoutAShell) {
  const ScopedPath path("/usr/sbin");
  FakeSys sys;
  sys.script_child(Child{0, "1: lo: <LOOPBACK,UP>\n", "a warning nobody reads\n"});
  const IpCommand ip(sys, "lab1");
  auto out = ip.run({"link", "show"});
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_EQ(*out, "1: lo: <LOOPBACK,UP>\n");
  ASSERT_EQ(sys.spawned.size(), 1u);
  EXPECT_EQ(sys.spawned[0].path, "/usr/sbin/ip");
  EXPECT_EQ(sys.spawned[0].argv, (Argv{"ip", "-n", "lab1", "link", "show"}));
  EXPECT_EQ(sys.open_count(), 0u) << "both pipes closed";
}

TEST(IpCommand, FailingCommandKeepsItsStderr) {
  FakeSys sys;
  sys.script_child(Child{2, "", "RTNETLINK answers: File exists\n"});
  const IpCommand ip(sys);
  auto r = ip.addr_add("nx0", "2001:db8::1/64", true);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().exit_status, 2);
  EXPECT_EQ(r.error().err, 0);
  EXPECT_EQ(r.error().stderr_text, "RTNETLINK answers: File exists\n");
  EXPECT_EQ(r.error().argv, (Argv{"ip", "addr", "add", "2001:db8::1/64", "dev", "nx0", "nodad"}));
  EXPECT_EQ(sys.open_count(), 0u);
}

TEST(IpCommand, HelpersBuildTheCommandsTheyDocument) {
  FakeSys sys;
  for (int i = 0; i < 7; ++i) sys.script_child(Child{});
  const IpCommand ip(sys);
  ASSERT_TRUE(ip.link_up("nx0").has_value());
  ASSERT_TRUE(ip.link_up("nx0", 1400).has_value());
  ASSERT_TRUE(ip.link_del("veth9").has_value());
  ASSERT_TRUE(ip.addr_add("nx0", "192.0.2.1/24").has_value());
  ASSERT_TRUE(ip.route_add("10.0.0.0/8", "nx0").has_value());
  ASSERT_TRUE(ip.route_add("::/0", "eth0", "fe80::1").has_value());
  ASSERT_TRUE(ip.route_del("10.0.0.0/8", "nx0").has_value());
  ASSERT_EQ(sys.spawned.size(), 7u);
  EXPECT_EQ(sys.spawned[0].argv, (Argv{"ip", "link", "set", "nx0", "up"}));
  EXPECT_EQ(sys.spawned[1].argv, (Argv{"ip", "link", "set", "nx0", "mtu", "1400", "up"}));
  EXPECT_EQ(sys.spawned[2].argv, (Argv{"ip", "link", "del", "veth9"}));
  EXPECT_EQ(sys.spawned[3].argv, (Argv{"ip", "addr", "add", "192.0.2.1/24", "dev", "nx0"}));
  EXPECT_EQ(sys.spawned[4].argv, (Argv{"ip", "route", "add", "10.0.0.0/8", "dev", "nx0"}));
  EXPECT_EQ(sys.spawned[5].argv, (Argv{"ip", "route", "add", "::/0", "via", "fe80::1", "dev", "eth0"}));
  EXPECT_EQ(sys.spawned[6].argv, (Argv{"ip", "route", "del", "10.0.0.0/8", "dev", "nx0"}));
  EXPECT_FALSE(ip.route_del("10.0.0.0/8").has_value()) << "no child scripted: spawn fails";
}

TEST(IpCommand, StartFailuresAreReportedWithErrno) {
  {
    FakeSys sys;
    sys.fail_next(Op::spawn, EAGAIN);
    auto r = IpCommand(sys).run({"link"});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().err, EAGAIN);
    EXPECT_EQ(r.error().exit_status, -1);
    EXPECT_EQ(sys.open_count(), 0u);
  }
  {
    FakeSys sys;
    sys.fail_next(Op::pipe2, EMFILE);
    EXPECT_EQ(IpCommand(sys).run({"link"}).error().err, EMFILE);
  }
  {
    FakeSys sys;
    sys.fail_next(Op::access, ENOENT, -1, 100);
    auto r = IpCommand(sys).run({"link"});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().err, ENOENT);
    EXPECT_TRUE(sys.spawned.empty());
  }
  {
    FakeSys sys;  // poll interrupted: retried
    sys.script_child(Child{0, "ok", ""});
    sys.fail_next(Op::poll, EINTR);
    sys.fail_next(Op::waitpid, EINTR);
    EXPECT_EQ(IpCommand(sys).run({"link"}).value(), "ok");
  }
}

TEST(IpCommand, PipesAreClosedBeforeWaitingSoAStuckChildCannotHang) {
  FakeSys sys;
  sys.script_child(Child{0, "partial", ""});
  sys.fail_next(Op::poll, EIO);
  auto r = IpCommand(sys).run({"monitor"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().err, EIO);
  const auto wait = std::find_if(sys.calls.begin(), sys.calls.end(),
                                 [](const testing::CallRecord& c) { return c.op == Op::waitpid; });
  ASSERT_NE(wait, sys.calls.end());
  const auto closes_before =
      std::count_if(sys.calls.begin(), wait, [](const testing::CallRecord& c) { return c.op == Op::close; });
  EXPECT_EQ(closes_before, 4) << "both ends of both pipes";
  EXPECT_EQ(sys.open_count(), 0u);
}

// --- the real ip

TEST(IpCommandReal, StdoutOfARealCommand) {
  const IpCommand ip;
  if (!ip.find_ip()) GTEST_SKIP() << "iproute2's ip is not installed";
  auto v = ip.run({"-V"});
  ASSERT_TRUE(v.has_value()) << v.error().message();
  EXPECT_NE(v->find("iproute2"), std::string::npos) << *v;
}

TEST(IpCommandReal, FailingCommandsStderrIsCaptured) {
  const IpCommand ip;
  if (!ip.find_ip()) GTEST_SKIP() << "iproute2's ip is not installed";
  auto r = ip.link_del("nonexistent0");
  ASSERT_FALSE(r.has_value());
  EXPECT_GT(r.error().exit_status, 0);
  EXPECT_EQ(r.error().err, 0);
  EXPECT_NE(r.error().stderr_text.find("nonexistent0"), std::string::npos) << r.error().stderr_text;
  EXPECT_EQ(r.error().message().rfind("ip link del nonexistent0: exit ", 0), 0u) << r.error().message();

  // A namespace that does not exist: `ip -n` says so.
  auto ns = IpCommand(real_sys(), "nextip-no-such-netns").run({"link", "show"});
  ASSERT_FALSE(ns.has_value());
  EXPECT_NE(ns.error().stderr_text.find("nextip-no-such-netns"), std::string::npos) << ns.error().stderr_text;
}

// In a private network namespace: a veth pair added, configured and deleted.
int netns_child() {
  if (::unshare(CLONE_NEWNET) != 0) return kSkipExit;
  const IpCommand ip;
  int failures = 0;
  auto check = [&](const auto& r, const char* what) {
    if (!r) {
      std::fprintf(stderr, "ip_command_test child: %s: %s\n", what, r.error().message().c_str());
      ++failures;
    }
  };
  auto added = ip.run({"link", "add", "nxc0", "type", "veth", "peer", "name", "nxc1"});
  if (!added) {
    std::fprintf(stderr, "%s\n", added.error().message().c_str());
    return kSkipExit;
  }
  check(ip.link_up("nxc0", 1400), "link_up mtu");
  check(ip.link_up("nxc1"), "link_up");
  check(ip.addr_add("nxc0", "2001:db8::1/64", true), "addr_add nodad");
  check(ip.addr_add("nxc0", "192.0.2.1/24"), "addr_add v4");
  check(ip.route_add("198.51.100.0/24", "nxc0", "192.0.2.2"), "route_add via");
  auto routes = ip.run({"-4", "route", "show", "dev", "nxc0"});
  check(routes, "route show");
  if (routes && routes->find("198.51.100.0/24 via 192.0.2.2") == std::string::npos) {
    std::fprintf(stderr, "ip_command_test child: route missing from:\n%s", routes->c_str());
    ++failures;
  }
  auto show = ip.run({"link", "show", "nxc0"});
  check(show, "link show");
  if (show && show->find("mtu 1400") == std::string::npos) {
    std::fprintf(stderr, "ip_command_test child: no mtu 1400 in: %s", show->c_str());
    ++failures;
  }
  check(ip.route_del("198.51.100.0/24", "nxc0"), "route_del");
  check(ip.link_del("nxc0"), "link_del");
  if (ip.run({"link", "show", "nxc1"})) {
    std::fprintf(stderr, "ip_command_test child: the peer outlived link_del\n");
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}

TEST(IpCommandReal, AddAndDeleteALinkInAPrivateNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: a network namespace";
  if (!IpCommand().find_ip()) GTEST_SKIP() << "iproute2's ip is not installed";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0) << std::strerror(errno);
  if (pid == 0) {
    ::alarm(10);
    std::_Exit(netns_child());
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died of signal " << WTERMSIG(status);
  if (WEXITSTATUS(status) == kSkipExit) GTEST_SKIP() << "no network namespace or veth here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's failures are on stderr";
}

}  // namespace
}  // namespace nextip::io

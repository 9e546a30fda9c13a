// The lab's pure parts: the plan for the default topology (commands as they will run),
// the namespace prefix, readiness specs, the state's JSON round trip, what `lab up` says
// about a lab already there (live or stale), and exit files. Building a lab for real
// needs root: tests/netns/lab_test.sh.
#include "control/lab.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace nextip::control {
namespace {

using Argv = std::vector<std::string>;

LabOptions options(std::string prefix = "nx-") {
  LabOptions o;
  o.dir = "/run/nextip/lab";
  o.prefix = std::move(prefix);
  o.self_exe = "/usr/bin/nextip";
  return o;
}

LabPlan default_plan(std::string prefix = "nx-") {
  auto t = parse_topology(default_topology_text(), "default", "/run/nextip/lab");
  EXPECT_TRUE(t.has_value()) << t.error();
  auto p = plan_lab(*t, options(std::move(prefix)));
  EXPECT_TRUE(p.has_value()) << p.error();
  return *p;
}

bool has_command(const LabStep& s, const Argv& argv) {
  return std::find(s.commands.begin(), s.commands.end(), argv) != s.commands.end();
}

TEST(LabPlan, DefaultTopologyInOrder) {
  const LabPlan p = default_plan();
  EXPECT_EQ(p.topology, "default");
  using K = LabStep::Kind;
  std::vector<K> kinds;
  for (const auto& s : p.steps) kinds.push_back(s.kind);
  const std::vector<K> want{K::directories, K::file,  K::file, K::netns, K::netns,   K::netns,  K::veth,
                            K::veth,        K::route, K::node, K::node,  K::program, K::program};
  EXPECT_EQ(kinds, want);
  EXPECT_EQ(p.steps[6].title, "veth host:asip0 <-> translator:asip0 (mtu 1500)");
  EXPECT_EQ(p.steps[2].title, "file www/10MB.bin (10485760 random bytes)");
  EXPECT_EQ(p.steps[2].path, "/run/nextip/lab/www/10MB.bin");
  EXPECT_EQ(p.steps[2].size, 10485760u);
}

TEST(LabPlan, NamespacesWithSysctls) {
  const LabPlan p = default_plan();
  const LabStep& tr = p.steps[4];
  EXPECT_EQ(tr.ns, "nx-translator");
  EXPECT_EQ(tr.name, "translator");
  ASSERT_GE(tr.commands.size(), 3u);
  EXPECT_EQ(tr.commands[0], (Argv{"ip", "netns", "add", "nx-translator"}));
  EXPECT_EQ(tr.commands[1], (Argv{"ip", "-n", "nx-translator", "link", "set", "lo", "up"}));
  EXPECT_TRUE(has_command(tr, {"ip", "netns", "exec", "nx-translator", "sysctl", "-qw", "net.ipv4.ip_forward=1"}));
  EXPECT_EQ(tr.commands.size(), 2u + 5u);
}

TEST(LabPlan, VethCommands) {
  const LabPlan p = default_plan();
  const LabStep& asip = p.steps[6];
  EXPECT_EQ(asip.commands[0], (Argv{"ip",
                                    "link",
                                    "add",
                                    "asip0",
                                    "netns",
                                    "nx-host",
                                    "mtu",
                                    "1500",
                                    "address",
                                    "02:6e:78:00:01:01",
                                    "type",
                                    "veth",
                                    "peer",
                                    "name",
                                    "asip0",
                                    "netns",
                                    "nx-translator",
                                    "mtu",
                                    "1500",
                                    "address",
                                    "02:6e:78:00:01:02"}));
  EXPECT_TRUE(has_command(asip, {"ip", "-n", "nx-host", "link", "set", "asip0", "up"}));
  EXPECT_TRUE(has_command(asip, {"ip", "-n", "nx-translator", "link", "set", "asip0", "up"}));
  const LabStep& v4 = p.steps[7];
  EXPECT_TRUE(has_command(v4, {"ip", "-n", "nx-server", "addr", "add", "198.51.100.1/24", "dev", "eth0"}));
  // Addresses before the link goes up.
  EXPECT_EQ(v4.commands.back(), (Argv{"ip", "-n", "nx-server", "link", "set", "eth0", "up"}));
  const LabStep& route = p.steps[8];
  EXPECT_EQ(route.commands,
            (std::vector<Argv>{{"ip", "-n", "nx-server", "route", "add", "192.0.2.0/24", "via", "198.51.100.254"}}));
  EXPECT_EQ(route.title, "route in server: 192.0.2.0/24 via 198.51.100.254");
}

TEST(LabPlan, Ipv6AddressesAreNodad) {
  auto t = parse_topology(siit_topology_text(), "siit", "/run/nextip/lab");
  ASSERT_TRUE(t.has_value()) << t.error();
  auto p = plan_lab(*t, options());
  ASSERT_TRUE(p.has_value()) << p.error();
  bool found = false;
  for (const auto& s : p->steps) {
    found = found || has_command(s, {"ip", "-n", "nx-host", "addr", "add", "2001:db8:1::2/64", "dev", "eth0", "nodad"});
  }
  EXPECT_TRUE(found);
}

TEST(LabPlan, NodesAndPrograms) {
  const LabPlan p = default_plan();
  const LabStep& host = p.steps[9];
  EXPECT_EQ(host.name, "host");
  EXPECT_EQ(host.config_path, "/run/nextip/lab/nodes/host.toml");
  EXPECT_NE(host.config_text.find("/run/nextip/lab/pcap"), std::string::npos);
  EXPECT_EQ(host.config_text.find("{dir}"), std::string::npos);
  EXPECT_EQ(host.log, "/run/nextip/lab/logs/host.log");
  EXPECT_EQ(host.ready, "file:/run/nextip/lab/run/host.ready");
  EXPECT_EQ(
      host.commands.front(),
      (Argv{"ip", "netns", "exec", "nx-host", "/usr/bin/nextip", "node", "--config", "/run/nextip/lab/nodes/host.toml",
            "--control", "/run/nextip/lab/run/host.sock", "--ready-file", "/run/nextip/lab/run/host.ready"}));
  const LabStep& web = p.steps[11];
  EXPECT_EQ(web.ready, "tcp:198.51.100.1:80");
  EXPECT_EQ(web.commands.front().back(), "/run/nextip/lab/www");  // "{dir}" replaced
  EXPECT_EQ(web.commands.front()[3], "nx-server");
}

TEST(LabPlan, Prefix) {
  const LabPlan p = default_plan("nxt42-");
  EXPECT_EQ(p.steps[3].commands[0], (Argv{"ip", "netns", "add", "nxt42-host"}));
  EXPECT_EQ(p.steps[9].ns, "nxt42-host");
  EXPECT_EQ(Topology::ns_name("host", "nxt42-"), "nxt42-host");
  EXPECT_EQ(Topology::ns_name("host"), "nx-host");
  EXPECT_TRUE(check_prefix("nx-").has_value());
  for (const char* bad : {"", "a/b", "a b", "..", "x:y", "0123456789012345678901234567890123"}) {
    auto r = check_prefix(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().find("'" + std::string(bad) + "'"), std::string::npos) << r.error();
  }
}

TEST(LabPlan, MistakesAreNamed) {
  auto t = parse_topology(default_topology_text(), "default", "/run/nextip/lab");
  ASSERT_TRUE(t.has_value());
  LabOptions o = options();
  o.dir = "lab";
  EXPECT_EQ(plan_lab(*t, o).error(), "--dir 'lab': expected an absolute path");

  Topology twice = *t;
  twice.programs[1].name = "web";
  EXPECT_NE(plan_lab(twice, options()).error().find("program name 'web' is used twice"), std::string::npos);

  Topology clash = *t;
  clash.programs[0].name = "host";
  EXPECT_NE(plan_lab(clash, options()).error().find("program name 'host' is used twice"), std::string::npos);

  Topology bad_ready = *t;
  bad_ready.programs[0].ready = "tcp:198.51.100.x:80";
  EXPECT_EQ(plan_lab(bad_ready, options()).error(),
            "program 'web': ready 'tcp:198.51.100.x:80': '198.51.100.x' is not an IPv4 or IPv6 address "
            "(expected tcp:ADDR:PORT)");

  Topology slash = *t;
  slash.programs[0].name = "a/b";
  EXPECT_NE(plan_lab(slash, options()).error().find("program name 'a/b'"), std::string::npos);
}

TEST(LabReady, TcpSpecs) {
  auto v4 = parse_tcp_ready("tcp:198.51.100.1:80");
  ASSERT_TRUE(v4.has_value()) << v4.error();
  EXPECT_EQ(v4->address, "198.51.100.1");
  EXPECT_EQ(v4->port, 80);
  EXPECT_FALSE(v4->ipv6);
  for (const char* s : {"tcp:2001:db8::1:443", "tcp:[2001:db8::1]:443"}) {
    auto v6 = parse_tcp_ready(s);
    ASSERT_TRUE(v6.has_value()) << v6.error();
    EXPECT_TRUE(v6->ipv6);
    EXPECT_EQ(v6->port, 443);
  }
  EXPECT_EQ(parse_tcp_ready("tcp:[2001:db8::1]:443")->address, "2001:db8::1");
  for (const char* s : {"tcp:1.2.3.4", "tcp:1.2.3.4:0", "tcp:1.2.3.4:65536", "tcp:1.2.3.4:8x", "tcp:host:80"}) {
    auto r = parse_tcp_ready(s);
    ASSERT_FALSE(r.has_value()) << s;
    EXPECT_NE(r.error().find(s), std::string::npos) << r.error();
  }
}

LabState sample_state() {
  LabState s;
  s.topology = "default";
  s.source = "default";
  s.dir = "/run/nextip/lab";
  s.prefix = "nx-";
  s.up_pid = 4242;
  s.complete = true;
  s.started = 1700000000;
  s.namespaces = {{"host", "nx-host"}, {"server", "nx-server"}};
  LabProcess p;
  p.kind = "program";
  p.name = "web";
  p.ns = "nx-server";
  p.pid = 1234;
  p.start_time = 98765;
  p.group = 1233;
  p.group_start_time = 98764;
  p.log = "/run/nextip/lab/logs/web.log";
  p.ready_check = "tcp:198.51.100.1:80";
  p.ready = true;
  p.argv = {"ip", "netns", "exec", "nx-server", "python3", "-m", "http.server"};
  s.processes.push_back(p);
  return s;
}

TEST(LabState, JsonRoundTrip) {
  const LabState s = sample_state();
  auto back = state_from_json(state_to_json(s), "lab.json");
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ(state_to_json(*back), state_to_json(s));
  EXPECT_EQ(back->processes[0].argv, s.processes[0].argv);
  EXPECT_EQ(back->processes[0].group_start_time, 98764u);
  EXPECT_EQ(back->namespaces[1].ns, "nx-server");
  EXPECT_EQ(back->started, 1700000000);
}

TEST(LabState, BadJsonIsNamed) {
  EXPECT_EQ(state_from_json("{", "/d/lab.json").error(), "/d/lab.json: not a lab state (JSON object expected)");
  EXPECT_EQ(state_from_json(R"({"version": 2})", "/d/lab.json").error(), "/d/lab.json: version 2: expected 1");
  auto missing = state_from_json(R"({"version": 1, "topology": "x"})", "/d/lab.json");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().rfind("/d/lab.json: not a lab state: ", 0), 0u) << missing.error();
}

TEST(LabState, NamesForExec) {
  const LabState s = sample_state();
  EXPECT_EQ(s.namespace_of("server"), "nx-server");
  EXPECT_EQ(s.namespace_of("web"), "nx-server");
  EXPECT_EQ(s.namespace_of("nx-host"), "nx-host");
  EXPECT_EQ(s.namespace_of("router"), std::nullopt);
  EXPECT_EQ(s.known_names(), "host, server, web");
}

TEST(LabState, LiveAndStaleLabs) {
  const LabState s = sample_state();
  LabObservation live;
  live.processes = {ProcessStatus{}};
  live.namespaces = {true, true};
  EXPECT_FALSE(is_stale(s, live));
  EXPECT_EQ(existing_lab_error(s, live),
            "lab 'default' is already up in /run/nextip/lab (1 of 1 processes running, 2 namespaces with prefix "
            "'nx-'): take it down with `nextip lab down --dir /run/nextip/lab`, or use --force");

  LabObservation dead = live;
  dead.processes[0].state = ProcessStatus::State::exited;
  dead.namespaces = {true, false};
  EXPECT_TRUE(is_stale(s, dead));
  const std::string e = existing_lab_error(s, dead);
  EXPECT_NE(e.find("stale lab 'default'"), std::string::npos) << e;
  EXPECT_NE(e.find("1 of its 2 namespaces remain"), std::string::npos) << e;
  EXPECT_NE(e.find("nextip lab down --dir /run/nextip/lab"), std::string::npos) << e;

  LabObservation building = dead;
  building.up_running = true;
  EXPECT_FALSE(is_stale(s, building));
  EXPECT_NE(existing_lab_error(s, building).find("(pid 4242) is building lab 'default'"), std::string::npos);
}

TEST(LabStatus, ExitFilesAndDescriptions) {
  ProcessStatus a;
  EXPECT_EQ(a.describe(), "running");
  ProcessStatus b;
  b.state = ProcessStatus::State::exited;
  ASSERT_TRUE(parse_exit_file("exit 3\n", b));
  EXPECT_EQ(b.describe(), "exited 3");
  ProcessStatus c;
  c.state = ProcessStatus::State::exited;
  ASSERT_TRUE(parse_exit_file("signal 9\n", c));
  EXPECT_EQ(c.describe(), "killed by signal 9 (KILL)");
  ProcessStatus d;
  d.state = ProcessStatus::State::never_ready;
  EXPECT_FALSE(parse_exit_file("", d));
  EXPECT_FALSE(parse_exit_file("exit x", d));
  EXPECT_EQ(d.describe(), "never ready (exited (status unknown))");
  d.exit_code = 2;
  EXPECT_EQ(d.describe(), "never ready (exited 2)");
}

}  // namespace
}  // namespace nextip::control

#include "io/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string_view>

namespace nextip::io {
namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_interrupt(int sig) {
  g_signal = sig;
}

std::string errno_text(int e) {
  const char* d = strerrordesc_np(e);
  return d != nullptr ? d : fmt::format("errno {}", e);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

Expected<Supervised, std::string> spawn_supervised(const std::string& ip_path, const std::vector<std::string>& argv,
                                                   const std::string& log, const std::string& dir,
                                                   const std::string& exit_file) {
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return nextip::unexpected(fmt::format("{}: {}", log, errno_text(errno)));
  char when[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm tm_now{};
  ::localtime_r(&now, &tm_now);
  std::strftime(when, sizeof when, "%F %T", &tm_now);
  write_all(log_fd, fmt::format("--- nextip lab, {}: {}\n", when, join(argv)));
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int pipe_fds[2] = {-1, -1};
  if (null_fd < 0 || ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return nextip::unexpected(fmt::format("cannot start {}: {}", argv.back(), errno_text(e)));
  }
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const std::string tmp_exit = exit_file + ".tmp";

  const pid_t sup = ::fork();
  if (sup == 0) {
    // The supervisor: never returns, touches nothing of the parent's state.
    ::setsid();
    ::prctl(PR_SET_NAME, "nextip-lab-sup", 0, 0, 0);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(sig, SIG_IGN);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (pipe_fds[1] != 3) ::dup2(pipe_fds[1], 3);
    ::fcntl(3, F_SETFD, FD_CLOEXEC);
    ::close_range(4, ~0U, 0);
    if (::chdir(dir.c_str()) != 0) write_all(2, "nextip lab: cannot chdir to the lab directory\n");
    const pid_t child = ::fork();
    if (child == 0) {
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(sig, SIG_DFL);
      ::execv(ip_path.c_str(), cargv.data());
      write_all(2, fmt::format("nextip lab: cannot run {}: {}\n", ip_path, errno_text(errno)));
      ::_exit(127);
    }
    const pid_t sent = child > 0 ? child : 0;
    write_all(3, std::string_view(reinterpret_cast<const char*>(&sent), sizeof sent));
    ::close(3);
    if (child < 0) ::_exit(1);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string what = WIFSIGNALED(status) ? fmt::format("signal {}\n", WTERMSIG(status))
                                                 : fmt::format("exit {}\n", WEXITSTATUS(status));
    const int fd = ::open(tmp_exit.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      write_all(fd, what);
      ::close(fd);
      ::rename(tmp_exit.c_str(), exit_file.c_str());
    }
    ::_exit(0);
  }
  const int fork_errno = errno;
  ::close(pipe_fds[1]);
  ::close(log_fd);
  ::close(null_fd);
  if (sup < 0) {
    ::close(pipe_fds[0]);
    return nextip::unexpected(fmt::format("cannot start {}: fork: {}", argv.back(), errno_text(fork_errno)));
  }
  pid_t child = 0;
  std::size_t got = 0;
  while (got < sizeof child) {
    const ssize_t n = ::read(pipe_fds[0], reinterpret_cast<char*>(&child) + got, sizeof child - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(pipe_fds[0]);
  if (got != sizeof child || child <= 0) {
    return nextip::unexpected(fmt::format("cannot start {}: the supervisor could not fork", argv.back()));
  }
  return Supervised{sup, child};
}

bool tcp_connects_in_netns(const std::string& ns, const std::string& address, std::uint16_t port, bool ipv6,
                           int timeout_ms) {
  const std::string ns_path = "/run/netns/" + ns;
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    ::inet_pton(AF_INET6, address.c_str(), &a->sin6_addr);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &a->sin_addr);
    len = sizeof *a;
  }
  const pid_t c = ::fork();
  if (c == 0) {
    const int nsfd = ::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || ::setns(nsfd, CLONE_NEWNET) != 0) ::_exit(2);
    const int s = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s < 0) ::_exit(2);
    if (::connect(s, reinterpret_cast<const sockaddr*>(&ss), len) == 0) ::_exit(0);
    if (errno != EINPROGRESS) ::_exit(1);
    pollfd p{s, POLLOUT, 0};
    if (::poll(&p, 1, timeout_ms) != 1) ::_exit(1);
    int err = 0;
    socklen_t elen = sizeof err;
    ::getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &elen);
    ::_exit(err == 0 ? 0 : 1);
  }
  if (c < 0) return false;
  int status = 0;
  while (::waitpid(c, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto paren = line.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(paren + 1));
  std::string state;
  fields >> state;  // field 3
  if (state == "Z" || state == "X") return std::nullopt;
  std::string f;
  for (int i = 4; i < 22; ++i) fields >> f;
  std::uint64_t t = 0;
  if (!(fields >> t)) return std::nullopt;
  return t;
}

bool same_process(pid_t pid, std::uint64_t start_time) {
  const auto t = process_start_time(pid);
  return t.has_value() && (start_time == 0 || *t == start_time);
}

bool process_exists(pid_t pid) {
  return pid > 0 && ::kill(pid, 0) == 0;
}

bool signal_process(pid_t pid, int sig) {
  return pid > 0 && ::kill(pid, sig) == 0;
}

bool signal_group(pid_t group, int sig) {
  return group > 0 && ::kill(-group, sig) == 0;
}

void reap_children() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

bool group_alive(pid_t group) {
  reap_children();
  return group > 0 && ::kill(-group, 0) == 0;
}

bool child_ended(pid_t pid) {
  int status = 0;
  const pid_t w = ::waitpid(pid, &status, WNOHANG);
  return w == pid || (w < 0 && errno == ECHILD);
}

bool netns_exists(const std::string& ns) {
  struct stat st {};
  return ::stat(fmt::format("/run/netns/{}", ns).c_str(), &st) == 0;
}

pid_t self_pid() {
  return ::getpid();
}

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &old_int_);
  ::sigaction(SIGTERM, &sa, &old_term_);
}

InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGINT, &old_int_, nullptr);
  ::sigaction(SIGTERM, &old_term_, nullptr);
}

int InterruptGuard::signal() noexcept {
  return g_signal;
}

}  // namespace nextip::io

// Processes for the lab (`nextip lab`, src/control/lab.h): supervised background
// programs, readiness probes from inside a network namespace, liveness by pid and
// start time, and SIGINT/SIGTERM turned into a flag while `lab up` works. Control path
// only; blocking where it says so.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"

namespace nextip::io {

struct Supervised {
  pid_t group = 0;  // the supervisor, leader of a new session and process group
  pid_t pid = 0;    // the program
};

// Starts `argv` (run as the absolute `path`) under a supervisor: a forked process that
// starts a new session, sends stdin to /dev/null, appends stdout and stderr to `log`
// (after a header line naming the command), changes to `cwd`, runs the program with
// default signal dispositions, waits for it, and writes "exit N" or "signal N" to
// `exit_file` (atomically, through a .tmp file). Returns once the program is started.
[[nodiscard]] Expected<Supervised, std::string> spawn_supervised(const std::string& path,
                                                                 const std::vector<std::string>& argv,
                                                                 const std::string& log, const std::string& cwd,
                                                                 const std::string& exit_file);

// One TCP connect to address:port from inside the named namespace (/run/netns/NS),
// in a forked child that setns()es; true if it connects within `timeout_ms`. Blocking.
[[nodiscard]] bool tcp_connects_in_netns(const std::string& ns, const std::string& address, std::uint16_t port,
                                         bool ipv6, int timeout_ms = 300);

// /proc/PID/stat's start time (field 22) of a live, non-zombie process.
[[nodiscard]] std::optional<std::uint64_t> process_start_time(pid_t pid);
// `pid` is alive and, when start_time is not 0, started then (not a reused pid).
[[nodiscard]] bool same_process(pid_t pid, std::uint64_t start_time);
[[nodiscard]] bool process_exists(pid_t pid);  // kill(pid, 0)
[[nodiscard]] bool signal_process(pid_t pid, int sig);
[[nodiscard]] bool signal_group(pid_t group, int sig);
// Reaps every child that has ended.
void reap_children();
// Reaps, then: does any process of the group live?
[[nodiscard]] bool group_alive(pid_t group);
// The child `pid` has ended (reaped now) or is not a child of this process.
[[nodiscard]] bool child_ended(pid_t pid);
[[nodiscard]] bool netns_exists(const std::string& ns);
[[nodiscard]] pid_t self_pid();

// While one exists, SIGINT and SIGTERM only set a flag (no SA_RESTART: blocking calls
// return EINTR); the previous handlers come back when it is destroyed.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  // The signal that arrived, or 0.
  [[nodiscard]] static int signal() noexcept;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace nextip::io

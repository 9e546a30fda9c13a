// The lab (`nextip lab up|down|status|exec`): a topology (control/topology.h) built in
// network namespaces, its nextip nodes and programs started in the background, and a
// state file, DIR/lab.json, from which `down`, `status` and `exec` find it again.
//
// Layout of the lab directory DIR (default /run/nextip/lab):
//   lab.json            the state (LabState), written as the lab is built
//   nodes/NAME.toml     each node's configuration, "{dir}" replaced by DIR
//   logs/NAME.log       each node's and program's stdout and stderr (appended)
//   run/NAME.sock       a node's control socket; run/NAME.ready its readiness file
//   run/NAME.exit       "exit N" or "signal N", written when a process ends
//   pcap/               the nodes' captures
//
// The pure parts (plan_lab, the state's JSON, what to say about a lab already there)
// are unit-tested; lab_up/lab_down/lab_status need root and are tested in
// tests/netns/lab_test.sh. Errors are values that name the thing and the value.
//
// Processes: each node and program runs under a small supervisor, a fork of the
// calling nextip that leads a new session (setsid) and process group, waits for its one
// child and writes run/NAME.exit. The child is `ip netns exec NS ARGV…` (which execs
// ARGV, so its pid is the program's), with stdin /dev/null, stdout and stderr appended
// to logs/NAME.log and DIR as its working directory. `down` signals the whole group.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "control/topology.h"

namespace nextip::control {

inline constexpr std::string_view kDefaultLabDir = "/run/nextip/lab";

struct LabOptions {
  std::string dir{kDefaultLabDir};           // absolute
  std::string prefix{kDefaultNsPrefix};      // namespace names: prefix + topology name
  std::string source = "default";            // "default", "siit" or the topology file's path
  std::string self_exe;                      // the nextip binary that runs nodes
  std::chrono::milliseconds timeout{15000};  // readiness, per node or program
  bool force = false;                        // `up`: take down a lab already in DIR first
};

// A --prefix: 1 to 32 of [A-Za-z0-9_.-]; the error names the value.
[[nodiscard]] Expected<void, std::string> check_prefix(std::string_view prefix);

// "tcp:ADDR:PORT" readiness. ADDR is an IPv4 or IPv6 literal; IPv6 may be written
// bare (the last colon separates the port) or in brackets: "tcp:[2001:db8::1]:80".
struct TcpReady {
  std::string address;  // without brackets
  std::uint16_t port = 0;
  bool ipv6 = false;
};
[[nodiscard]] Expected<TcpReady, std::string> parse_tcp_ready(std::string_view spec);

// One step of `lab up`, printed as "lab: [i/n] TITLE".
struct LabStep {
  enum class Kind : std::uint8_t { directories, file, netns, veth, route, node, program };
  Kind kind = Kind::directories;
  std::string title;
  // directories, file: the absolute path (directories: DIR).
  std::string path;
  // file: `size` random bytes, or `text`.
  std::uint64_t size = 0;
  std::string text;
  // netns, veth, route: `ip` commands, each argv starting with "ip", run in order.
  // node, program: one argv, the command spawned ("ip netns exec NS …").
  std::vector<std::vector<std::string>> commands;
  // netns: the topology's name for it; node, program: the node's or program's name.
  std::string name;
  std::string ns;  // netns, node, program: the namespace's full name
  // node, program: the readiness check, "{dir}" replaced ("file:PATH", "tcp:ADDR:PORT" or
  // empty), and the log.
  std::string ready;
  std::string log;
  // node: its configuration file and the text written there.
  std::string config_path;
  std::string config_text;
};

struct LabPlan {
  std::string topology;  // the topology's name
  std::vector<LabStep> steps;
};

// Everything `lab up` will do, in order: directories, files, namespaces with their
// sysctls, veths, routes, nodes, programs. Checks names (unique across nodes and
// programs, usable in file names) and readiness specs.
[[nodiscard]] Expected<LabPlan, std::string> plan_lab(const Topology& t, const LabOptions& o);

// A node or program as started.
struct LabProcess {
  std::string kind;  // "node" or "program"
  std::string name;
  std::string ns;                // full namespace name
  pid_t pid = 0;                 // the program itself
  std::uint64_t start_time = 0;  // /proc/PID/stat's starttime, against pid reuse
  pid_t group = 0;               // the supervisor: session, process group
  std::uint64_t group_start_time = 0;
  std::string log;
  std::string ready_check;  // as in LabStep::ready
  bool ready = false;
  std::vector<std::string> argv;
};

struct LabNamespace {
  std::string name;  // the topology's ("server")
  std::string ns;    // the full name ("nx-server")
};

struct LabState {
  std::string topology;
  std::string source;
  std::string dir;
  std::string prefix;
  pid_t up_pid = 0;                      // the `lab up` that built it
  bool complete = false;                 // `lab up` finished and every process was ready
  std::int64_t started = 0;              // Unix time
  std::vector<LabNamespace> namespaces;  // created, in order
  std::vector<LabProcess> processes;     // started, in order

  // The namespace for a topology namespace or a node/program name; nullopt if none.
  [[nodiscard]] std::optional<std::string> namespace_of(std::string_view name) const;
  // "host, translator, server" (the topology's namespace names).
  [[nodiscard]] std::string known_names() const;
};

[[nodiscard]] std::string state_to_json(const LabState& s);
[[nodiscard]] Expected<LabState, std::string> state_from_json(std::string_view text, std::string_view source);

// DIR/lab.json: nullopt when there is none; an error when it cannot be read or parsed.
[[nodiscard]] Expected<std::optional<LabState>, std::string> load_state(std::string_view dir);
[[nodiscard]] Expected<void, std::string> save_state(const LabState& s);

// What became of a process.
struct ProcessStatus {
  enum class State : std::uint8_t { running, exited, never_ready };
  State state = State::running;
  std::optional<int> exit_code;  // exited normally with this code
  std::optional<int> signal;     // or was killed by this signal
  // "running", "exited 1", "killed by signal 9 (KILL)", "never ready (exited 2)",
  // "exited (status unknown)".
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool alive() const noexcept { return state == State::running; }
};

// Parses run/NAME.exit ("exit N" or "signal N") into `st`; false if it is neither.
bool parse_exit_file(std::string_view text, ProcessStatus& st);

// What is there of a lab, as observed now.
struct LabObservation {
  std::vector<ProcessStatus> processes;  // one per LabState::processes
  std::vector<bool> namespaces;          // one per LabState::namespaces: it exists
  bool up_running = false;               // the `lab up` that wrote it still runs
  [[nodiscard]] std::size_t alive() const noexcept;
};
[[nodiscard]] LabObservation observe(const LabState& s);

// The error for `lab up` when DIR/lab.json already describes a lab (live or stale),
// suggesting `nextip lab down` or --force.
[[nodiscard]] std::string existing_lab_error(const LabState& s, const LabObservation& o);
// True when none of the lab's processes run and `lab up` is not running.
[[nodiscard]] bool is_stale(const LabState& s, const LabObservation& o) noexcept;

// Progress and results go to `out` (stderr in the CLI): "lab: …" lines.
using LabLog = void (*)(std::string_view line);

// The exit status to use when a signal (SIGINT, SIGTERM) interrupted `lab up`: 128 + it.
struct LabUpError {
  std::string message;
  int signal = 0;  // nonzero when interrupted
};

// Builds the lab of `plan` (after checking DIR/lab.json and the namespaces), starts its
// processes and waits until each is ready. Installs SIGINT/SIGTERM handlers for its
// duration. On any failure, or a signal, tears down what it made and returns the error.
[[nodiscard]] Expected<LabState, LabUpError> lab_up(const LabPlan& plan, const LabOptions& o, LabLog log);

struct LabDownReport {
  bool had_state = false;
  std::string topology;
  std::vector<std::string> stopped;  // "node host (pid 123): exited 0"
  std::vector<std::string> killed;   // "pid 456 in nx-server"
  std::vector<std::string> deleted;  // namespaces
  std::vector<std::string> left;     // namespaces that could not be deleted
  std::vector<std::string> errors;
};
// Tears down the lab in `dir` (from lab.json), or without one every namespace named
// with `prefix`. Keeps logs and captures.
[[nodiscard]] LabDownReport lab_down(std::string_view dir, std::string_view prefix, LabLog log);
// The same for a state in hand (used by `up` to undo itself).
[[nodiscard]] LabDownReport tear_down(const LabState& s, LabLog log);

// The namespaces that exist whose name starts with `prefix` (`ip netns list`).
[[nodiscard]] Expected<std::vector<std::string>, std::string> namespaces_with_prefix(std::string_view prefix);

// The last `lines` lines of a file ("" when it cannot be read).
[[nodiscard]] std::string tail_file(const std::string& path, std::size_t lines);

}  // namespace nextip::control

// `nextip lab up|down|status|exec`: the lab (src/control/lab.h, docs/lab.md).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "apps/nextip/cli.h"
#include "control/lab.h"
#include "io/ip_command.h"

namespace nextip::cli {

namespace {

namespace fs = std::filesystem;
namespace ctl = control;
using Json = nlohmann::ordered_json;

struct LabArgs {
  std::string topology = "default";
  std::string dir{ctl::kDefaultLabDir};
  std::string prefix{ctl::kDefaultNsPrefix};
  double timeout = 15.0;
  bool force = false;
  bool json = false;
  std::string node;
  std::vector<std::string> command;
};

void progress(std::string_view line) {
  std::fputs(fmt::format("{}\n", line).c_str(), stderr);
  std::fflush(stderr);
}

std::string absolute_dir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return dir;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// " --dir DIR" when DIR is not the default, for the commands we suggest.
std::string dir_flag(const std::string& dir) {
  return dir == ctl::kDefaultLabDir ? std::string() : fmt::format(" --dir {}", dir);
}

Json status_json(const ctl::LabState& s, const ctl::LabObservation& o) {
  Json j;
  j["dir"] = s.dir;
  j["topology"] = s.topology;
  j["source"] = s.source;
  j["prefix"] = s.prefix;
  j["complete"] = s.complete;
  Json ns = Json::array();
  for (std::size_t i = 0; i < s.namespaces.size(); ++i) {
    ns.push_back(Json{{"name", s.namespaces[i].name}, {"netns", s.namespaces[i].ns}, {"exists", o.namespaces[i]}});
  }
  j["namespaces"] = ns;
  Json ps = Json::array();
  for (std::size_t i = 0; i < s.processes.size(); ++i) {
    const ctl::LabProcess& p = s.processes[i];
    const ctl::ProcessStatus& st = o.processes[i];
    Json x{{"kind", p.kind}, {"name", p.name}, {"netns", p.ns}, {"pid", p.pid}};
    x["state"] = st.state == ctl::ProcessStatus::State::running  ? "running"
                 : st.state == ctl::ProcessStatus::State::exited ? "exited"
                                                                 : "never ready";
    if (st.exit_code) x["exit_code"] = *st.exit_code;
    if (st.signal) x["signal"] = *st.signal;
    x["status"] = st.describe();
    x["ready_check"] = p.ready_check;
    x["log"] = p.log;
    x["argv"] = p.argv;
    ps.push_back(std::move(x));
  }
  j["processes"] = ps;
  j["ok"] = o.alive() == s.processes.size();
  return j;
}

std::string status_text(const ctl::LabState& s, const ctl::LabObservation& o) {
  std::string out = fmt::format("lab '{}' in {} (topology {}, namespace prefix '{}'){}\n", s.topology, s.dir, s.source,
                                s.prefix, s.complete ? "" : ", `lab up` did not finish");
  for (std::size_t i = 0; i < s.namespaces.size(); ++i) {
    out += fmt::format("  namespace {:<20} {}\n", s.namespaces[i].ns, o.namespaces[i] ? "present" : "missing");
  }
  for (std::size_t i = 0; i < s.processes.size(); ++i) {
    const ctl::LabProcess& p = s.processes[i];
    out += fmt::format("  {:<9} {:<12} {:<18} pid {:<8} {:<28} {}\n", p.kind, p.name, p.ns, p.pid,
                       o.processes[i].describe(), p.log);
  }
  return out;
}

Expected<std::pair<std::string, std::string>, std::string> topology_text(const std::string& spec) {
  if (spec == "default") return std::pair{std::string(ctl::default_topology_text()), std::string("default")};
  if (spec == "siit") return std::pair{std::string(ctl::siit_topology_text()), std::string("siit")};
  std::ifstream in(spec);
  if (!in) {
    return nextip::unexpected(
        fmt::format("topology '{}': no such file, and not a built-in topology (default, siit)", spec));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::pair{text.str(), absolute_dir(spec)};
}

int run_up(const LabArgs& a) {
  ctl::LabOptions o;
  o.dir = absolute_dir(a.dir);
  o.prefix = a.prefix;
  o.force = a.force;
  if (auto p = ctl::check_prefix(o.prefix); !p) {
    print_error(p.error());
    return kExitInvalidInput;
  }
  if (!(a.timeout > 0.0 && a.timeout <= 3600.0)) {
    print_error(fmt::format("--timeout {}: expected seconds, more than 0 and at most 3600", a.timeout));
    return kExitInvalidInput;
  }
  o.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(a.timeout * 1000.0));
  auto text = topology_text(a.topology);
  if (!text) {
    print_error(text.error());
    return kExitInvalidInput;
  }
  o.source = text->second;
  auto topo = ctl::parse_topology(text->first, o.source, o.dir);
  if (!topo) {
    print_error(topo.error());
    return kExitInvalidInput;
  }
  std::error_code ec;
  o.self_exe = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) {
    print_error(fmt::format("/proc/self/exe: {} (the nodes run this binary)", ec.message()));
    return kExitFailure;
  }
  auto plan = ctl::plan_lab(*topo, o);
  if (!plan) {
    print_error(fmt::format("{}: {}", o.source, plan.error()));
    return kExitInvalidInput;
  }
  if (::geteuid() != 0) {
    print_error("lab up needs root: it creates network namespaces (run it with sudo)");
    return kExitFailure;
  }
  auto state = ctl::lab_up(*plan, o, progress);
  if (!state) {
    print_error(state.error().message);
    return state.error().signal != 0 ? 128 + state.error().signal : kExitFailure;
  }
  const ctl::LabObservation seen = ctl::observe(*state);
  if (a.json) {
    std::fputs((status_json(*state, seen).dump(2) + "\n").c_str(), stdout);
    return kExitOk;
  }
  std::string out = fmt::format("lab '{}' is up in {}", state->topology, state->dir);
  if (!topo->description.empty()) out += fmt::format(": {}", topo->description);
  out += "\n";
  std::string names;
  for (const auto& n : state->namespaces) names += " " + n.ns;
  out += fmt::format("  namespaces {}\n", names);
  for (const auto& p : state->processes) {
    out += fmt::format("  {:<9} {:<12} in {:<18} pid {:<8} log {}\n", p.kind, p.name, p.ns, p.pid, p.log);
  }
  out += fmt::format("  captures   {}/pcap\n", state->dir);
  const std::string first = state->namespaces.empty() ? "NODE" : state->namespaces.front().name;
  out +=
      fmt::format("  run        nextip lab exec{} {} -- COMMAND   (inside a namespace)\n", dir_flag(state->dir), first);
  out += fmt::format("  status     nextip lab status{}\n", dir_flag(state->dir));
  out += fmt::format("  stop       nextip lab down{}\n", dir_flag(state->dir));
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

int run_down(const LabArgs& a) {
  const std::string dir = absolute_dir(a.dir);
  if (auto p = ctl::check_prefix(a.prefix); !p) {
    print_error(p.error());
    return kExitInvalidInput;
  }
  if (::geteuid() != 0) {
    print_error("lab down needs root: it deletes network namespaces (run it with sudo)");
    return kExitFailure;
  }
  const ctl::LabDownReport r = ctl::lab_down(dir, a.prefix, progress);
  for (const auto& e : r.errors) print_error(e);
  const int status = r.left.empty() ? kExitOk : kExitFailure;
  if (a.json) {
    Json j{{"dir", dir},           {"had_state", r.had_state}, {"topology", r.topology},
           {"stopped", r.stopped}, {"killed", r.killed},       {"deleted", r.deleted},
           {"left", r.left},       {"errors", r.errors},       {"logs", dir + "/logs"},
           {"pcap", dir + "/pcap"}};
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
    return status;
  }
  std::string out;
  if (r.had_state) {
    out = fmt::format("lab '{}' in {} is down: {} process{} stopped, {} namespace{} deleted\n", r.topology, dir,
                      r.stopped.size(), r.stopped.size() == 1 ? "" : "es", r.deleted.size(),
                      r.deleted.size() == 1 ? "" : "s");
  } else if (r.deleted.empty() && r.left.empty()) {
    out = fmt::format("nothing to take down: no lab in {} and no namespace named {}*\n", dir, a.prefix);
  } else {
    out = fmt::format("no lab.json in {}; deleted {} namespace{} named {}*\n", dir, r.deleted.size(),
                      r.deleted.size() == 1 ? "" : "s", a.prefix);
  }
  if (!r.left.empty()) {
    std::string left;
    for (const auto& n : r.left) left += " " + n;
    out += fmt::format("  still there:{}\n", left);
  }
  std::error_code ec;
  if (fs::exists(dir + "/logs", ec)) out += fmt::format("  logs kept in {}/logs, captures in {}/pcap\n", dir, dir);
  std::fputs(out.c_str(), stdout);
  return status;
}

int run_status(const LabArgs& a) {
  const std::string dir = absolute_dir(a.dir);
  auto state = ctl::load_state(dir);
  if (!state) {
    print_error(state.error());
    return kExitFailure;
  }
  if (!state->has_value()) {
    print_error(
        fmt::format("no lab is up in {} (no {}/lab.json); start one with `nextip lab up{}`", dir, dir, dir_flag(dir)));
    return kExitFailure;
  }
  const ctl::LabState& s = **state;
  const ctl::LabObservation o = ctl::observe(s);
  const bool ok = o.alive() == s.processes.size();
  if (a.json) {
    std::fputs((status_json(s, o).dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(status_text(s, o).c_str(), stdout);
  }
  if (!ok) {
    print_error(fmt::format("{} of the lab's {} processes are not running (see their logs)",
                            s.processes.size() - o.alive(), s.processes.size()));
  }
  return ok ? kExitOk : kExitFailure;
}

int run_exec(const LabArgs& a) {
  const std::string dir = absolute_dir(a.dir);
  auto state = ctl::load_state(dir);
  if (!state) {
    print_error(state.error());
    return kExitFailure;
  }
  if (!state->has_value()) {
    print_error(fmt::format("no lab is up in {} (no {}/lab.json)", dir, dir));
    return kExitFailure;
  }
  const auto ns = (*state)->namespace_of(a.node);
  if (!ns) {
    print_error(
        fmt::format("node '{}': not in lab '{}'; known: {}", a.node, (*state)->topology, (*state)->known_names()));
    return kExitInvalidInput;
  }
  if (a.command.empty()) {
    print_error("give the command after --: nextip lab exec NODE -- CMD [ARGS...]");
    return kExitInvalidInput;
  }
  const auto ip = io::IpCommand().find_ip();
  if (!ip) {
    print_error("iproute2's ip not found in PATH, /usr/sbin, /sbin, /usr/bin or /bin");
    return kExitFailure;
  }
  std::vector<std::string> argv{"ip", "netns", "exec", *ns};
  argv.insert(argv.end(), a.command.begin(), a.command.end());
  std::vector<char*> cargv;
  for (auto& s : argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(ip->c_str(), cargv.data());
  print_error(fmt::format("cannot run {}: {}", *ip, std::strerror(errno)));
  return kExitFailure;
}

constexpr const char* kLabFooter = R"(
A lab is a topology (TOML; see docs/lab.md) built in network namespaces: veth links with
addresses and routes, nextip node daemons and ordinary programs (a web server, iperf3)
running in the background. Its state is DIR/lab.json; logs are in DIR/logs, captures in
DIR/pcap. All but `status` need root.

EXAMPLES
  nextip lab up                         the default: ASIP host -> translator -> IPv4 server
  nextip lab exec host -- curl http://198.51.100.1/
  nextip lab status --json
  nextip lab down)";

}  // namespace

void add_lab_commands(CLI::App& app, int& status) {
  auto args = std::make_shared<LabArgs>();
  CLI::App* lab = app.add_subcommand("lab", "Build, run and tear down a lab of namespaces, nodes and programs");
  lab->require_subcommand(1);
  lab->footer(kLabFooter);

  CLI::App* up = lab->add_subcommand("up", "Build a topology in network namespaces and start its nodes and programs");
  up->add_option("topology", args->topology,
                 "A topology file (TOML), or a built-in name: default (ASIP host -> translator -> IPv4 server) "
                 "or siit (the same over IPv6, translator in SIIT mode)")
      ->capture_default_str();
  up->add_option("--dir", args->dir,
                 "The lab directory: state (lab.json), node configurations, logs, sockets, captures")
      ->capture_default_str();
  up->add_option("--prefix", args->prefix, "Prefix of the namespace names (PREFIX + the topology's names)")
      ->capture_default_str();
  up->add_option("--timeout", args->timeout, "Seconds to wait for each node or program to be ready")
      ->capture_default_str();
  up->add_flag("--force", args->force, "Take down a lab already described by DIR/lab.json first");
  up->add_flag("--json", args->json, "Print the lab (as `lab status --json`) instead of a summary");
  up->footer(R"(
Steps, each printed on standard error as "lab: [i/n] …": create DIR (nodes, logs, run,
pcap) and the topology's [[file]]s; create the namespaces (lo up, sysctls); the veth pairs
(MACs, MTU, addresses, IPv6 with nodad, up); the routes; start each [[node]]
(`nextip node --config DIR/nodes/NAME.toml --control DIR/run/NAME.sock --ready-file
DIR/run/NAME.ready` in its namespace) and wait until DIR/run/NAME.ready exists; start
each [[program]] and wait for its readiness ("tcp:ADDR:PORT": a TCP connection from
inside its namespace succeeds; IPv6 bare or in brackets; "file:PATH"; none: started).
Nodes and programs run in their own session with stdin /dev/null and their output
appended to DIR/logs/NAME.log; they keep running after `lab up` exits.

If a process exits or is not ready within --timeout, if a step fails, or on SIGINT or
SIGTERM, everything made so far is torn down. If DIR/lab.json describes a lab (running
or stale), `lab up` refuses unless --force.

EXIT STATUS
  0 the lab is up, 1 it could not be built (nothing is left behind), 2 invalid topology
  or options, 130 / 143 interrupted by SIGINT / SIGTERM)");
  up->callback([args, &status] { status = run_up(*args); });

  CLI::App* down = lab->add_subcommand("down", "Stop a lab's processes and delete its namespaces");
  down->add_option("--dir", args->dir, "The lab directory")->capture_default_str();
  down->add_option("--prefix", args->prefix, "Without DIR/lab.json: delete every namespace whose name starts with this")
      ->capture_default_str();
  down->add_flag("--json", args->json, "Print what was done as JSON");
  down->footer(R"(
Reads DIR/lab.json: sends SIGTERM to each node's and program's process group, waits up
to 3 s, then SIGKILL; kills anything still running in the lab's namespaces (`ip netns
pids`); deletes the namespaces (and so their veths); removes lab.json. Logs (DIR/logs)
and captures (DIR/pcap) are kept. Without lab.json it deletes the namespaces named
PREFIX* that exist, after stopping what runs in them. Safe to run twice.

EXIT STATUS
  0 nothing of the lab is left, 1 something could not be removed (named on stderr))");
  down->callback([args, &status] { status = run_down(*args); });

  CLI::App* st = lab->add_subcommand("status", "Show a lab's namespaces, nodes and programs");
  st->add_option("--dir", args->dir, "The lab directory")->capture_default_str();
  st->add_flag("--json", args->json, "Print as JSON");
  st->footer(R"(
For each namespace: present or missing. For each node and program: its namespace, pid,
running / exited N / killed by signal N / never ready, and its log.

EXIT STATUS
  0 every process runs, 1 a process has ended, or no lab is up in DIR)");
  st->callback([args, &status] { status = run_status(*args); });

  CLI::App* ex = lab->add_subcommand("exec", "Run a command inside a node's namespace");
  ex->add_option("--dir", args->dir, "The lab directory")->capture_default_str();
  ex->add_option("node", args->node, "A namespace of the topology (host, server, …) or a node or program name")
      ->required();
  ex->add_option("command", args->command, "The command and its arguments, after --")->required();
  ex->footer(R"(
Runs `ip netns exec NAMESPACE CMD ARGS…` in place of nextip, so CMD's exit status is
returned and its input and output are the terminal's.

EXAMPLE
  nextip lab exec host -- ping -c 3 198.51.100.1

EXIT STATUS
  CMD's, or 1 if no lab is up, 2 for an unknown NODE (the known ones are listed))");
  ex->callback([args, &status] { status = run_exec(*args); });
}

}  // namespace nextip::cli

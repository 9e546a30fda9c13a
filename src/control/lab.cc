#include "control/lab.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "io/ip_command.h"
#include "io/process.h"

namespace nextip::control {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {

bool is_ipv6(std::string_view cidr) {
  return cidr.find(':') != std::string_view::npos;
}

std::string join(const std::vector<std::string>& v, std::string_view sep = " ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// Usable in a file name and readable in a log: [A-Za-z0-9_.-], not "." or "..".
bool plain_name(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 64) return false;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string errno_text(int e) {
  const char* d = strerrordesc_np(e);
  return d != nullptr ? d : fmt::format("errno {}", e);
}

std::string signal_name(int sig) {
  const char* a = sigabbrev_np(sig);
  return a != nullptr ? a : std::to_string(sig);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Plan

Expected<void, std::string> check_prefix(std::string_view prefix) {
  if (prefix.size() > 32 || !plain_name(prefix)) {
    return nextip::unexpected(fmt::format(
        "--prefix '{}': 1 to 32 characters of A-Z a-z 0-9 _ . - (namespaces are named PREFIX + NAME)", prefix));
  }
  return {};
}

Expected<TcpReady, std::string> parse_tcp_ready(std::string_view spec) {
  auto bad = [&](std::string_view why) {
    return nextip::unexpected(fmt::format("ready '{}': {} (expected tcp:ADDR:PORT)", spec, why));
  };
  if (spec.rfind("tcp:", 0) != 0) return bad("not tcp:");
  std::string_view rest = spec.substr(4);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string_view addr = rest.substr(0, colon);
  const std::string_view port = rest.substr(colon + 1);
  if (addr.size() >= 2 && addr.front() == '[' && addr.back() == ']') addr = addr.substr(1, addr.size() - 2);
  TcpReady r;
  r.address = std::string(addr);
  unsigned value = 0;
  if (port.empty() || port.size() > 5) return bad("port is not 1 to 65535");
  for (char c : port) {
    if (c < '0' || c > '9') return bad("port is not 1 to 65535");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return bad("port is not 1 to 65535");
  r.port = static_cast<std::uint16_t>(value);
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, r.address.c_str(), &a4) == 1) {
    r.ipv6 = false;
  } else if (inet_pton(AF_INET6, r.address.c_str(), &a6) == 1) {
    r.ipv6 = true;
  } else {
    return bad(fmt::format("'{}' is not an IPv4 or IPv6 address", r.address));
  }
  return r;
}

Expected<LabPlan, std::string> plan_lab(const Topology& t, const LabOptions& o) {
  if (auto p = check_prefix(o.prefix); !p) return nextip::unexpected(p.error());
  if (o.dir.empty() || o.dir.front() != '/') {
    return nextip::unexpected(fmt::format("--dir '{}': expected an absolute path", o.dir));
  }
  LabPlan plan;
  plan.topology = t.name;
  const std::string& dir = o.dir;
  auto ns_of = [&](std::string_view name) { return Topology::ns_name(name, o.prefix); };

  LabStep d;
  d.kind = LabStep::Kind::directories;
  d.path = dir;
  d.title = fmt::format("directory {} (nodes, logs, run, pcap)", dir);
  plan.steps.push_back(std::move(d));

  for (const Topology::File& f : t.files) {
    LabStep s;
    s.kind = LabStep::Kind::file;
    s.path = fmt::format("{}/{}", dir, f.path);
    s.size = f.size;
    s.text = f.text;
    s.title = f.text.empty() && f.size > 0 ? fmt::format("file {} ({} random bytes)", f.path, f.size)
                                           : fmt::format("file {} ({} bytes of text)", f.path, f.text.size());
    plan.steps.push_back(std::move(s));
  }

  for (const Topology::Namespace& n : t.namespaces) {
    LabStep s;
    s.kind = LabStep::Kind::netns;
    s.name = n.name;
    s.ns = ns_of(n.name);
    s.commands.push_back({"ip", "netns", "add", s.ns});
    s.commands.push_back({"ip", "-n", s.ns, "link", "set", "lo", "up"});
    for (const auto& [k, v] : n.sysctl) {
      s.commands.push_back({"ip", "netns", "exec", s.ns, "sysctl", "-qw", fmt::format("{}={}", k, v)});
    }
    s.title = n.sysctl.empty() ? fmt::format("namespace {} (lo up)", s.ns)
                               : fmt::format("namespace {} (lo up, {} sysctl{})", s.ns, n.sysctl.size(),
                                             n.sysctl.size() == 1 ? "" : "s");
    plan.steps.push_back(std::move(s));
  }

  for (const Topology::Veth& v : t.veths) {
    LabStep s;
    s.kind = LabStep::Kind::veth;
    const std::string mtu = std::to_string(v.mtu);
    const std::string na = ns_of(v.a.ns);
    const std::string nb = ns_of(v.b.ns);
    std::vector<std::string> add{"ip", "link", "add", v.a.ifname, "netns", na, "mtu", mtu};
    if (v.a.mac) add.insert(add.end(), {"address", format_mac(*v.a.mac)});
    add.insert(add.end(), {"type", "veth", "peer", "name", v.b.ifname, "netns", nb, "mtu", mtu});
    if (v.b.mac) add.insert(add.end(), {"address", format_mac(*v.b.mac)});
    s.commands.push_back(std::move(add));
    for (const auto* e : {&v.a, &v.b}) {
      const std::string ns = ns_of(e->ns);
      for (const std::string& a : e->addresses) {
        std::vector<std::string> cmd{"ip", "-n", ns, "addr", "add", a, "dev", e->ifname};
        if (is_ipv6(a)) cmd.emplace_back("nodad");
        s.commands.push_back(std::move(cmd));
      }
      s.commands.push_back({"ip", "-n", ns, "link", "set", e->ifname, "up"});
    }
    s.title = fmt::format("veth {}:{} <-> {}:{} (mtu {})", v.a.ns, v.a.ifname, v.b.ns, v.b.ifname, v.mtu);
    plan.steps.push_back(std::move(s));
  }

  for (const Topology::Route& r : t.routes) {
    LabStep s;
    s.kind = LabStep::Kind::route;
    s.ns = ns_of(r.ns);
    std::vector<std::string> cmd{"ip", "-n", s.ns, "route", "add", r.prefix};
    std::string how;
    if (!r.via.empty()) {
      cmd.insert(cmd.end(), {"via", r.via});
      how = "via " + r.via;
    }
    if (!r.dev.empty()) {
      cmd.insert(cmd.end(), {"dev", r.dev});
      how += (how.empty() ? "dev " : " dev ") + r.dev;
    }
    s.commands.push_back(std::move(cmd));
    s.title = fmt::format("route in {}: {} {}", r.ns, r.prefix, how);
    plan.steps.push_back(std::move(s));
  }

  std::vector<std::string> names;
  auto unique_name = [&](std::string_view what, const std::string& name) -> Expected<void, std::string> {
    if (!plain_name(name)) {
      return nextip::unexpected(
          fmt::format("{} name '{}': expected A-Z a-z 0-9 _ . - (it names its log file)", what, name));
    }
    for (const auto& n : names) {
      if (n == name) {
        return nextip::unexpected(
            fmt::format("{} name '{}' is used twice (nodes and programs share log names)", what, name));
      }
    }
    names.push_back(name);
    return {};
  };

  for (const Topology::Node& n : t.nodes) {
    if (auto u = unique_name("node", n.name); !u) return nextip::unexpected(u.error());
    if (o.self_exe.empty()) return nextip::unexpected(std::string("the nextip binary's path is not known"));
    LabStep s;
    s.kind = LabStep::Kind::node;
    s.name = n.name;
    s.ns = ns_of(n.ns);
    s.config_path = fmt::format("{}/nodes/{}.toml", dir, n.name);
    s.config_text = substitute(n.config_toml, dir);
    s.log = fmt::format("{}/logs/{}.log", dir, n.name);
    const std::string ready = fmt::format("{}/run/{}.ready", dir, n.name);
    s.ready = "file:" + ready;
    s.commands.push_back({"ip", "netns", "exec", s.ns, o.self_exe, "node", "--config", s.config_path, "--control",
                          fmt::format("{}/run/{}.sock", dir, n.name), "--ready-file", ready});
    s.title = fmt::format("node {} in {} (log {})", n.name, s.ns, s.log);
    plan.steps.push_back(std::move(s));
  }

  for (const Topology::Program& p : t.programs) {
    if (auto u = unique_name("program", p.name); !u) return nextip::unexpected(u.error());
    LabStep s;
    s.kind = LabStep::Kind::program;
    s.name = p.name;
    s.ns = ns_of(p.ns);
    s.ready = substitute(p.ready, dir);
    if (s.ready.rfind("tcp:", 0) == 0) {
      if (auto r = parse_tcp_ready(s.ready); !r) {
        return nextip::unexpected(fmt::format("program '{}': {}", p.name, r.error()));
      }
    } else if (s.ready.rfind("file:", 0) == 0) {
      if (s.ready.size() == 5)
        return nextip::unexpected(fmt::format("program '{}': ready 'file:' needs a path", p.name));
      if (s.ready[5] != '/') s.ready = fmt::format("file:{}/{}", dir, s.ready.substr(5));  // DIR-relative
    }
    s.log = fmt::format("{}/logs/{}.log", dir, p.name);
    std::vector<std::string> cmd{"ip", "netns", "exec", s.ns};
    for (const std::string& a : p.run) cmd.push_back(substitute(a, dir));
    s.title = fmt::format("program {} in {}: {}{}", p.name, s.ns, join({cmd.begin() + 4, cmd.end()}),
                          s.ready.empty() ? std::string() : fmt::format(" (ready {})", s.ready));
    s.commands.push_back(std::move(cmd));
    plan.steps.push_back(std::move(s));
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// State

std::optional<std::string> LabState::namespace_of(std::string_view name) const {
  for (const auto& n : namespaces) {
    if (n.name == name || n.ns == name) return n.ns;
  }
  for (const auto& p : processes) {
    if (p.name == name) return p.ns;
  }
  return std::nullopt;
}

std::string LabState::known_names() const {
  std::vector<std::string> v;
  for (const auto& n : namespaces) v.push_back(n.name);
  for (const auto& p : processes) {
    bool seen = false;
    for (const auto& x : v) seen = seen || x == p.name;
    if (!seen) v.push_back(p.name);
  }
  return v.empty() ? std::string("(none)") : join(v, ", ");
}

std::string state_to_json(const LabState& s) {
  Json j;
  j["version"] = 1;
  j["topology"] = s.topology;
  j["source"] = s.source;
  j["dir"] = s.dir;
  j["prefix"] = s.prefix;
  j["up_pid"] = s.up_pid;
  j["complete"] = s.complete;
  j["started"] = s.started;
  Json ns = Json::array();
  for (const auto& n : s.namespaces) ns.push_back(Json{{"name", n.name}, {"netns", n.ns}});
  j["namespaces"] = ns;
  Json ps = Json::array();
  for (const auto& p : s.processes) {
    ps.push_back(Json{{"kind", p.kind},
                      {"name", p.name},
                      {"netns", p.ns},
                      {"pid", p.pid},
                      {"start_time", p.start_time},
                      {"group", p.group},
                      {"group_start_time", p.group_start_time},
                      {"log", p.log},
                      {"ready_check", p.ready_check},
                      {"ready", p.ready},
                      {"argv", p.argv}});
  }
  j["processes"] = ps;
  return j.dump(2) + "\n";
}

Expected<LabState, std::string> state_from_json(std::string_view text, std::string_view source) {
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return nextip::unexpected(fmt::format("{}: not a lab state (JSON object expected)", source));
  }
  if (j.value("version", 0) != 1) {
    return nextip::unexpected(fmt::format("{}: version {}: expected 1", source, j.value("version", 0)));
  }
  LabState s;
  try {
    s.topology = j.at("topology").get<std::string>();
    s.source = j.value("source", std::string());
    s.dir = j.at("dir").get<std::string>();
    s.prefix = j.at("prefix").get<std::string>();
    s.up_pid = j.value("up_pid", 0);
    s.complete = j.value("complete", false);
    s.started = j.value("started", std::int64_t{0});
    for (const Json& n : j.at("namespaces")) {
      s.namespaces.push_back({n.at("name").get<std::string>(), n.at("netns").get<std::string>()});
    }
    for (const Json& p : j.at("processes")) {
      LabProcess x;
      x.kind = p.at("kind").get<std::string>();
      x.name = p.at("name").get<std::string>();
      x.ns = p.at("netns").get<std::string>();
      x.pid = p.at("pid").get<pid_t>();
      x.start_time = p.value("start_time", std::uint64_t{0});
      x.group = p.at("group").get<pid_t>();
      x.group_start_time = p.value("group_start_time", std::uint64_t{0});
      x.log = p.value("log", std::string());
      x.ready_check = p.value("ready_check", std::string());
      x.ready = p.value("ready", false);
      x.argv = p.value("argv", std::vector<std::string>());
      s.processes.push_back(std::move(x));
    }
  } catch (const Json::exception& e) {
    return nextip::unexpected(fmt::format("{}: not a lab state: {}", source, e.what()));
  }
  return s;
}

Expected<std::optional<LabState>, std::string> load_state(std::string_view dir) {
  const std::string path = fmt::format("{}/lab.json", dir);
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return std::optional<LabState>();
    return nextip::unexpected(fmt::format("{}: {}", path, errno_text(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto s = state_from_json(text.str(), path);
  if (!s) return nextip::unexpected(s.error());
  return std::optional<LabState>(std::move(*s));
}

Expected<void, std::string> save_state(const LabState& s) {
  const std::string path = s.dir + "/lab.json";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << state_to_json(s);
    if (!out.flush()) return nextip::unexpected(fmt::format("{}: cannot write: {}", tmp, errno_text(errno)));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return nextip::unexpected(fmt::format("{}: {}", path, ec.message()));
  return {};
}

// ---------------------------------------------------------------------------------------
// Observing processes

std::string ProcessStatus::describe() const {
  std::string how;
  if (exit_code) {
    how = fmt::format("exited {}", *exit_code);
  } else if (signal) {
    how = fmt::format("killed by signal {} ({})", *signal, signal_name(*signal));
  } else {
    how = "exited (status unknown)";
  }
  switch (state) {
    case State::running: return "running";
    case State::exited: return how;
    case State::never_ready: return fmt::format("never ready ({})", how);
  }
  return how;
}

bool parse_exit_file(std::string_view text, ProcessStatus& st) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  int value = 0;
  auto number = [&](std::string_view digits) {
    if (digits.empty() || digits.size() > 3) return false;
    value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    return true;
  };
  if (text.rfind("exit ", 0) == 0 && number(text.substr(5))) {
    st.exit_code = value;
    return true;
  }
  if (text.rfind("signal ", 0) == 0 && number(text.substr(7))) {
    st.signal = value;
    return true;
  }
  return false;
}

std::size_t LabObservation::alive() const noexcept {
  std::size_t n = 0;
  for (const auto& p : processes) n += p.alive() ? 1u : 0u;
  return n;
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string exit_path(std::string_view dir, std::string_view name) {
  return fmt::format("{}/run/{}.exit", dir, name);
}

ProcessStatus status_of(const LabState& s, const LabProcess& p) {
  ProcessStatus st;
  if (io::same_process(p.pid, p.start_time)) return st;
  st.state = p.ready ? ProcessStatus::State::exited : ProcessStatus::State::never_ready;
  parse_exit_file(read_file(exit_path(s.dir, p.name)), st);
  return st;
}

}  // namespace

LabObservation observe(const LabState& s) {
  LabObservation o;
  for (const auto& p : s.processes) o.processes.push_back(status_of(s, p));
  for (const auto& n : s.namespaces) o.namespaces.push_back(io::netns_exists(n.ns));
  o.up_running = !s.complete && s.up_pid > 0 && s.up_pid != io::self_pid() && io::process_exists(s.up_pid);
  return o;
}

bool is_stale(const LabState& /*s*/, const LabObservation& o) noexcept {
  return o.alive() == 0 && !o.up_running;
}

std::string existing_lab_error(const LabState& s, const LabObservation& o) {
  std::size_t present = 0;
  for (bool b : o.namespaces) present += b ? 1u : 0u;
  if (o.up_running) {
    return fmt::format("{}/lab.json: `nextip lab up` (pid {}) is building lab '{}' there now", s.dir, s.up_pid,
                       s.topology);
  }
  if (is_stale(s, o)) {
    return fmt::format(
        "{}/lab.json describes a stale lab '{}' (none of its {} processes runs; {} of its {} namespaces remain): "
        "clean it up with `nextip lab down --dir {}`, or use --force",
        s.dir, s.topology, s.processes.size(), present, s.namespaces.size(), s.dir);
  }
  return fmt::format(
      "lab '{}' is already up in {} ({} of {} processes running, {} namespaces with prefix '{}'): "
      "take it down with `nextip lab down --dir {}`, or use --force",
      s.topology, s.dir, o.alive(), s.processes.size(), present, s.prefix, s.dir);
}

std::string tail_file(const std::string& path, std::size_t lines) {
  const std::string text = read_file(path);
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  std::size_t begin = end;
  std::size_t n = 0;
  while (begin > 0) {
    if (text[begin - 1] == '\n' && ++n == lines) break;
    --begin;
  }
  return text.substr(begin, end - begin);
}

Expected<std::vector<std::string>, std::string> namespaces_with_prefix(std::string_view prefix) {
  auto out = io::IpCommand().run({"netns", "list"});
  if (!out) return nextip::unexpected(out.error().message());
  std::vector<std::string> v;
  std::istringstream lines(*out);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string name = line.substr(0, line.find(' '));  // "NAME (id: 3)"
    if (!name.empty() && name.rfind(prefix, 0) == 0) v.push_back(name);
  }
  return v;
}

// ---------------------------------------------------------------------------------------
// Running: signals, supervised processes, readiness

namespace {

bool is_ready(const LabProcess& p) {
  if (p.ready_check.empty()) return true;
  if (p.ready_check.rfind("file:", 0) == 0) {
    std::error_code ec;
    return fs::exists(p.ready_check.substr(5), ec);
  }
  auto r = parse_tcp_ready(p.ready_check);
  return r.has_value() && io::tcp_connects_in_netns(p.ns, r->address, r->port, r->ipv6);
}

std::string log_tail_block(const std::string& log) {
  std::string tail = tail_file(log, 15);
  if (tail.empty()) return fmt::format("\n  ({} is empty)", log);
  std::string out = fmt::format("\n  the last lines of {}:", log);
  std::istringstream lines(tail);
  std::string line;
  while (std::getline(lines, line)) out += "\n    " + line;
  return out;
}

// Waits until `p` is ready; the error says why not (death, timeout, signal).
Expected<void, std::string> wait_ready(const LabState& s, const LabProcess& p, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string what = fmt::format("{} '{}' in {}", p.kind, p.name, p.ns);
  for (;;) {
    if (const int sig = io::InterruptGuard::signal(); sig != 0)
      return nextip::unexpected(fmt::format("interrupted by SIG{} while waiting for {}", signal_name(sig), what));
    if (io::child_ended(p.group)) {
      ProcessStatus st;
      st.state = ProcessStatus::State::exited;
      parse_exit_file(read_file(exit_path(s.dir, p.name)), st);
      return nextip::unexpected(
          fmt::format("{} {} before it was ready ({}){}", what, st.describe(), join(p.argv), log_tail_block(p.log)));
    }
    if (is_ready(p)) return {};
    if (Clock::now() >= deadline) {
      return nextip::unexpected(fmt::format("{} was not ready within {:.1f} s (ready check: {}){}", what,
                                            static_cast<double>(timeout.count()) / 1000.0,
                                            p.ready_check.empty() ? "started" : p.ready_check, log_tail_block(p.log)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Expected<void, std::string> run_ip(const std::vector<std::string>& cmd) {
  auto r = io::IpCommand().run(std::vector<std::string>(cmd.begin() + 1, cmd.end()));
  if (!r) return nextip::unexpected(r.error().message());
  return {};
}

Expected<void, std::string> make_file(const LabStep& step) {
  std::error_code ec;
  fs::create_directories(fs::path(step.path).parent_path(), ec);
  if (ec) return nextip::unexpected(fmt::format("{}: {}", fs::path(step.path).parent_path().string(), ec.message()));
  std::ofstream out(step.path, std::ios::binary | std::ios::trunc);
  if (!out) return nextip::unexpected(fmt::format("{}: {}", step.path, errno_text(errno)));
  if (!step.text.empty() || step.size == 0) {
    out << step.text;
  } else {
    std::mt19937_64 rng{std::random_device{}()};
    std::vector<std::uint64_t> buf(8192);
    std::uint64_t left = step.size;
    while (left > 0) {
      for (auto& w : buf) w = rng();
      const std::uint64_t n = std::min<std::uint64_t>(left, buf.size() * sizeof(std::uint64_t));
      out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(n));
      left -= n;
    }
  }
  if (!out.flush()) return nextip::unexpected(fmt::format("{}: cannot write: {}", step.path, errno_text(errno)));
  return {};
}

void remove_quietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

Expected<LabState, LabUpError> lab_up(const LabPlan& plan, const LabOptions& o, LabLog log) {
  io::InterruptGuard guard;
  auto fail_early = [](std::string m) { return nextip::unexpected(LabUpError{std::move(m), 0}); };

  auto existing = load_state(o.dir);
  if (!existing) return fail_early(existing.error() + " (remove it, or run `nextip lab down`)");
  if (existing->has_value()) {
    const LabState& old = **existing;
    const LabObservation seen = observe(old);
    if (!o.force || seen.up_running) return fail_early(existing_lab_error(old, seen));
    log(fmt::format("lab: --force: taking down lab '{}' in {} first", old.topology, old.dir));
    (void)tear_down(old, log);
  }
  for (const LabStep& step : plan.steps) {
    if (step.kind == LabStep::Kind::netns && io::netns_exists(step.ns)) {
      return fail_early(
          fmt::format("namespace '{}' already exists (another lab, or one left behind): remove it with "
                      "`nextip lab down --prefix {}`, or choose another --prefix",
                      step.ns, o.prefix));
    }
  }
  const auto ip_path = io::IpCommand().find_ip();
  if (!ip_path) return fail_early("iproute2's ip not found in PATH, /usr/sbin, /sbin, /usr/bin or /bin");

  LabState state;
  state.topology = plan.topology;
  state.source = o.source;
  state.dir = o.dir;
  state.prefix = o.prefix;
  state.up_pid = io::self_pid();
  state.started = static_cast<std::int64_t>(std::time(nullptr));

  auto fail = [&](std::string message) -> Expected<LabState, LabUpError> {
    const int sig = io::InterruptGuard::signal();
    log(fmt::format("lab: {}", sig != 0 ? fmt::format("SIG{}: tearing down", signal_name(sig))
                                        : std::string("failed: tearing down what was built")));
    (void)tear_down(state, log);
    return nextip::unexpected(LabUpError{std::move(message), sig});
  };

  const std::size_t n = plan.steps.size();
  for (std::size_t i = 0; i < n; ++i) {
    const LabStep& step = plan.steps[i];
    if (const int sig = io::InterruptGuard::signal(); sig != 0)
      return fail(fmt::format("interrupted by SIG{}", signal_name(sig)));
    log(fmt::format("lab: [{}/{}] {}", i + 1, n, step.title));
    switch (step.kind) {
      case LabStep::Kind::directories: {
        for (const char* sub : {"", "/nodes", "/logs", "/run", "/pcap"}) {
          std::error_code ec;
          fs::create_directories(step.path + sub, ec);
          if (ec) return fail(fmt::format("{}{}: {}", step.path, sub, ec.message()));
        }
        if (auto r = save_state(state); !r) return fail(r.error());
        break;
      }
      case LabStep::Kind::file:
        if (auto r = make_file(step); !r) return fail(r.error());
        break;
      case LabStep::Kind::netns:
      case LabStep::Kind::veth:
      case LabStep::Kind::route:
        for (std::size_t c = 0; c < step.commands.size(); ++c) {
          if (auto r = run_ip(step.commands[c]); !r) return fail(r.error());
          if (step.kind == LabStep::Kind::netns && c == 0) {
            state.namespaces.push_back({step.name, step.ns});
            if (auto w = save_state(state); !w) return fail(w.error());
          }
        }
        break;
      case LabStep::Kind::node:
      case LabStep::Kind::program: {
        const std::string run = fmt::format("{}/run/{}", o.dir, step.name);
        for (const char* ext : {".ready", ".exit", ".sock"}) remove_quietly(run + ext);
        if (step.ready.rfind("file:" + o.dir + "/", 0) == 0) remove_quietly(step.ready.substr(5));
        if (step.kind == LabStep::Kind::node) {
          std::ofstream cfg(step.config_path, std::ios::trunc);
          cfg << step.config_text;
          if (!cfg.flush()) return fail(fmt::format("{}: cannot write: {}", step.config_path, errno_text(errno)));
        }
        const auto& argv = step.commands.front();
        auto spawned = io::spawn_supervised(*ip_path, argv, step.log, o.dir, exit_path(o.dir, step.name));
        if (!spawned)
          return fail(fmt::format("{} '{}': {}", step.kind == LabStep::Kind::node ? "node" : "program", step.name,
                                  spawned.error()));
        LabProcess p;
        p.kind = step.kind == LabStep::Kind::node ? "node" : "program";
        p.name = step.name;
        p.ns = step.ns;
        p.pid = spawned->pid;
        p.start_time = io::process_start_time(spawned->pid).value_or(0);
        p.group = spawned->group;
        p.group_start_time = io::process_start_time(spawned->group).value_or(0);
        p.log = step.log;
        p.ready_check = step.ready;
        p.argv = argv;
        state.processes.push_back(p);
        if (auto w = save_state(state); !w) return fail(w.error());
        if (auto r = wait_ready(state, p, o.timeout); !r) return fail(r.error());
        state.processes.back().ready = true;
        if (auto w = save_state(state); !w) return fail(w.error());
        break;
      }
    }
  }
  state.complete = true;
  if (auto w = save_state(state); !w) return fail(w.error());
  return state;
}

// ---------------------------------------------------------------------------------------
// Tearing down

namespace {

std::vector<pid_t> pids_in(const std::string& ns) {
  std::vector<pid_t> v;
  auto out = io::IpCommand().run({"netns", "pids", ns});
  if (!out) return v;
  std::istringstream in(*out);
  long pid = 0;
  while (in >> pid) {
    if (pid > 0 && pid != io::self_pid()) v.push_back(static_cast<pid_t>(pid));
  }
  return v;
}

// SIGTERM to everything in `namespaces`, up to 3 s, then SIGKILL; then deletes them.
void clear_namespaces(const std::vector<std::string>& namespaces, bool term_first, LabDownReport& report, LabLog log) {
  if (term_first) {
    bool any = false;
    for (const auto& ns : namespaces) {
      for (pid_t pid : pids_in(ns)) any = io::signal_process(pid, SIGTERM) || any;
    }
    for (int i = 0; any && i < 60; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      io::reap_children();
      any = false;
      for (const auto& ns : namespaces) any = any || !pids_in(ns).empty();
    }
  }
  for (const auto& ns : namespaces) {
    for (pid_t pid : pids_in(ns)) {
      if (io::signal_process(pid, SIGKILL)) {
        report.killed.push_back(fmt::format("pid {} in {}", pid, ns));
        log(fmt::format("lab: killed pid {} left in {}", pid, ns));
      }
    }
  }
  io::reap_children();
  for (const auto& ns : namespaces) {
    if (!io::netns_exists(ns)) continue;
    if (auto r = io::IpCommand().run({"netns", "del", ns}); !r) {
      report.left.push_back(ns);
      report.errors.push_back(r.error().message());
      continue;
    }
    report.deleted.push_back(ns);
    log(fmt::format("lab: deleted namespace {}", ns));
  }
}

}  // namespace

LabDownReport tear_down(const LabState& s, LabLog log) {
  LabDownReport report;
  report.had_state = true;
  report.topology = s.topology;
  // Every live process group gets SIGTERM; after 3 s, SIGKILL.
  std::vector<const LabProcess*> signalled;
  for (auto it = s.processes.rbegin(); it != s.processes.rend(); ++it) {
    const LabProcess& p = *it;
    const bool alive = io::same_process(p.group, p.group_start_time) || io::same_process(p.pid, p.start_time);
    if (alive && io::signal_group(p.group, SIGTERM)) signalled.push_back(&p);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(3);
  for (;;) {
    bool any = false;
    for (const LabProcess* p : signalled) any = io::group_alive(p->group) || any;
    if (!any || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  for (const LabProcess* p : signalled) {
    if (io::group_alive(p->group)) {
      (void)io::signal_group(p->group, SIGKILL);
      log(fmt::format("lab: {} {} did not stop within 3 s: SIGKILL", p->kind, p->name));
    }
  }
  for (int i = 0; i < 40; ++i) {  // let the supervisors record how their process ended
    bool any = false;
    for (const LabProcess* p : signalled) any = io::group_alive(p->group) || any;
    if (!any) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  for (const LabProcess& p : s.processes) {
    ProcessStatus st = status_of(s, p);
    if (st.alive()) st = ProcessStatus{ProcessStatus::State::exited, std::nullopt, std::nullopt};
    const std::string line = fmt::format("{} {} (pid {}): {}", p.kind, p.name, p.pid, st.describe());
    report.stopped.push_back(line);
    log("lab: stopped " + line);
    for (const char* ext : {".ready", ".sock"}) remove_quietly(fmt::format("{}/run/{}{}", s.dir, p.name, ext));
  }
  std::vector<std::string> namespaces;
  for (auto it = s.namespaces.rbegin(); it != s.namespaces.rend(); ++it) namespaces.push_back(it->ns);
  clear_namespaces(namespaces, false, report, log);
  if (report.left.empty()) remove_quietly(s.dir + "/lab.json");
  return report;
}

LabDownReport lab_down(std::string_view dir, std::string_view prefix, LabLog log) {
  auto state = load_state(dir);
  if (state && state->has_value()) return tear_down(**state, log);
  LabDownReport report;
  if (!state) report.errors.push_back(state.error());
  auto found = namespaces_with_prefix(prefix);
  if (!found) {
    report.errors.push_back(found.error());
    return report;
  }
  clear_namespaces(*found, true, report, log);
  if (!state) remove_quietly(fmt::format("{}/lab.json", dir));  // unreadable: it describes nothing now
  return report;
}

}  // namespace nextip::control

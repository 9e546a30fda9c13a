// `nextip node --config FILE.toml` (the daemon), `nextip node status` and
// `nextip node stop` (ask a running daemon over its control socket).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "apps/nextip/cli.h"
#include "control/node.h"
#include "control/node_config.h"
#include "io/listener.h"

namespace nextip::cli {
namespace {

struct NodeOptions {
  std::string config;
  bool check = false;
  bool json = false;
  std::string control;
  std::string ready_file;
  std::string log_format;
  std::string log_level;
};

struct AskOptions {
  std::string node;     // a node name: its default control socket
  std::string control;  // or the socket path
  bool json = false;
};

int run_node_command(const NodeOptions& o) {
  auto cfg = control::load_node_config(o.config);
  if (!cfg) {
    print_error(cfg.error());
    return kExitInvalidInput;
  }
  if (!o.log_format.empty())
    cfg->log_format = o.log_format == "json" ? control::LogFormat::json : control::LogFormat::text;
  if (!o.log_level.empty()) cfg->log_level = o.log_level;
  if (o.check) {
    if (o.json) {
      nlohmann::ordered_json j{
          {"config", o.config}, {"ok", true}, {"name", cfg->name}, {"role", std::string(control::name(cfg->role))}};
      std::puts(j.dump(2).c_str());
    } else {
      std::printf("%s: ok (node %s, role %s)\n", o.config.c_str(), cfg->name.c_str(),
                  std::string(control::name(cfg->role)).c_str());
    }
    return kExitOk;
  }
  control::NodeOptions no;
  no.config_path = o.config;
  no.control = o.control;
  no.ready_file = o.ready_file;
  return control::run_node(std::move(*cfg), no) == 0 ? kExitOk : kExitFailure;
}

std::string socket_of(const AskOptions& o) {
  if (!o.control.empty()) return o.control;
  return control::default_control_path(o.node.empty() ? "node" : o.node);
}

int ask(const AskOptions& o, std::string_view request, bool human_status) {
  const std::string path = socket_of(o);
  auto r = io::unix_request(path, std::string(request) + "\n");
  if (!r) {
    print_error(
        fmt::format("{}: is the node running? (nextip node --config …, or give --control PATH)", r.error().message()));
    return kExitFailure;
  }
  if (o.json || !human_status) {
    std::fputs(r->c_str(), stdout);
    return kExitOk;
  }
  auto j = nlohmann::json::parse(*r, nullptr, false);
  if (j.is_discarded()) {
    print_error(fmt::format("{}: the answer is not JSON: {}", path, r->substr(0, 200)));
    return kExitFailure;
  }
  std::fputs(control::format_status(j).c_str(), stdout);
  return kExitOk;
}

constexpr const char* kFooter = R"(
ROLES
  host        A TUN the kernel's IPv6 stack sends into ([tun], [host] addresses and routes)
              and one ASIP link ([[link]], native frames with EtherType 0x88B5 on an
              interface, a static neighbour table). Unmodified programs (ping, curl,
              iperf3, ssh) use ASIP addresses through their IPv6 carrier form.
  translator  The translator ([translator], every `nextip translate` key). Mode asip: the
              ASIP side is the [[link]], the IPv4 side the TUN, whose routes the kernel
              forwards onward. Mode siit: one TUN carries both IPv6 and IPv4, as Tayga's.

RUNNING
  The node configures its TUN (addresses, routes), opens its link, and runs until
  SIGTERM or SIGINT; SIGHUP reloads the file (log level, translator settings). The TUN
  and its routes disappear when the node exits. Logs go to standard error, as text or
  JSON lines. With `metrics = "127.0.0.1:9100"` it serves Prometheus text on /metrics
  (and JSON on /status); with `control` (default /run/nextip/NAME.sock) it answers
  `nextip node status`; with `pcap-dir` it captures every device (256-byte snap length).

EXAMPLES
  nextip node --config translator.toml --check-config
  nextip node --config translator.toml --log-format json
  nextip node status translator          (or --control /run/nextip/translator.sock)
  nextip node status translator --json
  curl -s http://127.0.0.1:9100/metrics | grep nextip_translator_drops_total

Within a lab, `nextip lab exec NODE -- nextip node status --control DIR/run/NODE.sock`.)";

}  // namespace

void add_node_commands(CLI::App& app, int& status) {
  auto o = std::make_shared<NodeOptions>();
  CLI::App* cmd = app.add_subcommand("node", "Run a node daemon (host or translator), or ask a running one");
  cmd->footer(kFooter);
  cmd->add_option("--config", o->config, "The node's configuration (TOML; see docs/node.md)")->type_name("FILE");
  cmd->add_flag("--check-config", o->check, "Parse and check the configuration, then exit (0 = valid)");
  cmd->add_flag("--json", o->json, "With --check-config: the result as JSON");
  cmd->add_option("--control", o->control, "Control socket path (overrides the file's `control`)")->type_name("PATH");
  cmd->add_option("--ready-file", o->ready_file, "Create PATH once every device is up; removed on exit")
      ->type_name("PATH");
  cmd->add_option("--log-format", o->log_format, "Overrides the file's log-format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--log-level", o->log_level, "Overrides the file's log-level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  cmd->require_subcommand(0, 1);

  const auto add_ask = [&](const char* name, const char* help, const char* request, bool human) {
    auto a = std::make_shared<AskOptions>();
    CLI::App* sub = cmd->add_subcommand(name, help);
    sub->add_option("node", a->node, "Node name: its default control socket /run/nextip/NAME.sock");
    sub->add_option("--control", a->control, "The node's control socket")->type_name("PATH");
    sub->add_flag("--json", a->json, "Machine-readable output");
    sub->callback([a, request, human, &status] { status = ask(*a, request, human); });
  };
  add_ask("status", "State and counters of a running node (devices, engine, drops by reason)", "status", true);
  add_ask("stop", "Ask a running node to shut down cleanly", "stop", false);

  cmd->callback([o, cmd, &status] {
    if (!cmd->get_subcommands().empty()) return;
    if (o->config.empty()) {
      print_error("node: give --config FILE.toml (or a subcommand: status, stop)");
      status = kExitInvalidInput;
      return;
    }
    status = run_node_command(*o);
  });
}

}  // namespace nextip::cli

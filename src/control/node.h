// The node daemon (`nextip node --config FILE.toml`): the engines wired to devices.
//
//   role host        TUN (kernel IPv6) <-> engine::host::HostAdaptor <-> ASIP link (AF_PACKET)
//   role translator  mode asip: ASIP link <-> engine::translate::Translator <-> IPv4 TUN
//                    mode siit: one TUN carrying both families, as Tayga's
//
// One thread, one io::EventLoop: device readers drained in batches, a 1 s housekeeping
// timer (locator state ageing, log suppression summaries), SIGTERM/SIGINT for a clean
// shutdown, SIGHUP to reload the configuration file (log level; for the translator,
// the translation settings — a new engine, so per-flow locator state starts afresh).
// The TUN disappears with the process, and with it its addresses and routes.
//
// The data path allocates nothing after start-up: packet buffers are sized once from
// the MTUs (docs/node.md). When a TUN offers TSO/checksum offload, super-packets cross
// the engines whole and are cut (io/gso.h) only where a link without offloads needs it.
//
// Control plane: a Prometheus text endpoint (`metrics`), a unix control socket
// (`control`) answering "status" with JSON, an optional pcap per device (`pcap-dir`).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "control/node_config.h"

namespace nextip::control {

struct NodeOptions {
  std::string config_path;  // for SIGHUP reloads; empty: no reload
  std::string control;      // overrides the configuration's control socket path
  std::string ready_file;   // created once every device is up, removed on exit
};

// Runs the daemon until SIGTERM or SIGINT; returns the exit status (0 after a clean
// shutdown, 1 when start-up failed, with the reason logged).
[[nodiscard]] int run_node(NodeConfig config, const NodeOptions& options);

// `nextip node status`: the daemon's answer to "status", for people.
[[nodiscard]] std::string format_status(const nlohmann::json& status);

// Pcap snap length of the per-device captures: headers and the start of the payload.
inline constexpr int kCaptureSnapLength = 256;

}  // namespace nextip::control

// `nextip node status`: the daemon's "status" JSON, for people (control/node.h).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "control/node.h"

namespace nextip::control {

using json = nlohmann::json;

std::string format_status(const json& s) {
  std::string out = fmt::format("node {} ({}{}), pid {}, up {:.0f} s\n", s.value("name", "?"), s.value("role", "?"),
                                s.contains("mode") ? " " + s["mode"].get<std::string>() : "", s.value("pid", 0),
                                s.value("uptime_s", 0.0));
  if (!s.value("metrics", std::string()).empty())
    out += fmt::format("  metrics  http://{}/metrics\n", s["metrics"].get<std::string>());
  out += fmt::format("  {:<6} {:<10} {:>12} {:>14} {:>12} {:>14} {:>8}\n", "kind", "device", "rx packets", "rx bytes",
                     "tx packets", "tx bytes", "drops");
  const json no_devices = json::array();
  const json& devices = s.contains("devices") ? s["devices"] : no_devices;
  for (const json& d : devices) {
    const std::uint64_t drops = d.value("rx_errors", 0ULL) + d.value("rx_truncated", 0ULL) +
                                d.value("tx_errors", 0ULL) + d.value("tx_blocked", 0ULL) +
                                d.value("no_neighbour", 0ULL) + d.value("too_big", 0ULL) + d.value("gso_errors", 0ULL);
    out += fmt::format("  {:<6} {:<10} {:>12} {:>14} {:>12} {:>14} {:>8}\n", d.value("kind", ""), d.value("name", ""),
                       d.value("rx_packets", 0ULL), d.value("rx_bytes", 0ULL), d.value("tx_packets", 0ULL),
                       d.value("tx_bytes", 0ULL), drops);
    if (d.contains("pcap")) out += fmt::format("         capture {}\n", d["pcap"].get<std::string>());
  }
  for (const char* engine : {"translator", "host"}) {
    if (!s.contains(engine)) continue;
    const json& e = s[engine];
    if (std::string_view(engine) == "translator") {
      out += fmt::format("  translator: {} translated, {} hairpinned, {} ICMP errors sent, {} dropped\n",
                         e.value("translated", 0ULL), e.value("hairpinned", 0ULL), e.value("icmp_generated", 0ULL),
                         e.value("dropped", 0ULL));
    } else {
      out += fmt::format("  host adaptor: {} to ASIP, {} to the kernel, {} dropped\n", e.value("to_asip", 0ULL),
                         e.value("to_kernel", 0ULL), e.value("dropped", 0ULL));
    }
    if (!e.contains("drops")) continue;
    for (const auto& [reason, n] : e["drops"].items()) {
      out += fmt::format("    drop {:<28} {}\n", reason, n.get<std::uint64_t>());
    }
  }
  return out;
}

}  // namespace nextip::control

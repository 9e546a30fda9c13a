#include "control/metrics.h"

#include <fmt/format.h>

namespace nextip::control {

std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void MetricsText::family(std::string_view name, std::string_view help, std::string_view type) {
  if (families_.find(name) != families_.end()) return;
  families_.emplace(std::string(name), true);
  out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void MetricsText::sample(std::string_view name, Labels labels, std::string_view value) {
  out_ += name;
  if (labels.size() != 0) {
    out_ += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += fmt::format("{}=\"{}\"", k, escape_label(v));
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void MetricsText::counter(std::string_view name, std::string_view help, Labels labels, std::uint64_t value) {
  family(name, help, "counter");
  sample(name, labels, std::to_string(value));
}

void MetricsText::gauge(std::string_view name, std::string_view help, Labels labels, double value) {
  family(name, help, "gauge");
  sample(name, labels, fmt::format("{}", value));
}

void render_translator(MetricsText& m, const engine::translate::Stats& s,
                       const engine::translate::LocatorTable& table) {
  namespace tr = engine::translate;
  constexpr std::string_view kPackets = "nextip_translator_packets_total";
  constexpr std::string_view kPacketsHelp = "Packets offered to (in) and emitted by (out) the translator, by side";
  m.counter(kPackets, kPacketsHelp, {{"direction", "in"}, {"side", "v4"}}, s.in_v4);
  m.counter(kPackets, kPacketsHelp, {{"direction", "in"}, {"side", "v6"}}, s.in_v6);
  m.counter(kPackets, kPacketsHelp, {{"direction", "out"}, {"side", "v4"}}, s.out_v4);
  m.counter(kPackets, kPacketsHelp, {{"direction", "out"}, {"side", "v6"}}, s.out_v6);
  m.counter("nextip_translator_translated_total", "Input packets translated", {}, s.translated);
  m.counter("nextip_translator_fragments_made_total", "Extra packets made by fragmenting toward the v6 side", {},
            s.fragments_made);
  m.counter("nextip_translator_hairpinned_total", "Packets sent back to the side they came from (RFC 7757)", {},
            s.hairpinned);
  m.counter("nextip_translator_icmp_generated_total", "ICMP errors the translator sent itself", {}, s.icmp_generated);
  m.counter("nextip_translator_icmp_suppressed_total", "ICMP errors kept back by policy or the rate limit", {},
            s.icmp_suppressed);
  m.counter("nextip_translator_udp_checksum_amended_total", "IPv4 UDP checksums computed (RFC 7915 4.5)", {},
            s.udp_checksum_amended);
  m.counter("nextip_translator_rfc6791_sources_total", "Error sources replaced (RFC 6791)", {}, s.rfc6791_used);
  constexpr std::string_view k4884 = "nextip_translator_rfc4884_extensions_total";
  m.counter(k4884, "RFC 4884 extensions carried over or removed", {{"action", "kept"}}, s.rfc4884_kept);
  m.counter(k4884, "RFC 4884 extensions carried over or removed", {{"action", "removed"}}, s.rfc4884_removed);
  constexpr std::string_view kLoc = "nextip_translator_locator_total";
  constexpr std::string_view kLocHelp = "Where the ASIP source locator of an IPv4->ASIP packet came from (001 12.7)";
  m.counter(kLoc, kLocHelp, {{"source", "flow"}}, s.locator_from_flow);
  m.counter(kLoc, kLocHelp, {{"source", "pair"}}, s.locator_from_pair);
  m.counter(kLoc, kLocHelp, {{"source", "static"}}, s.locator_from_static);
  m.counter(kLoc, kLocHelp, {{"source", "missing"}}, s.locator_missing);
  m.counter("nextip_translator_icmp_error_no_state_total",
            "ICMP error translations that failed for lack of mapping state (001 14.15)", {}, s.icmp_error_no_state);
  constexpr std::string_view kDrops = "nextip_translator_drops_total";
  for (std::size_t i = 1; i < tr::kDropReasons; ++i) {
    const auto r = static_cast<tr::DropReason>(i);
    m.counter(kDrops, "Packets dropped, by reason", {{"reason", tr::name(r)}}, s.drops[i]);
  }
  const auto& ls = table.stats();
  m.gauge("nextip_translator_locator_entries", "Entries in the per-flow locator table", {},
          static_cast<double>(table.size()));
  m.gauge("nextip_translator_locator_capacity", "Capacity of the per-flow locator table", {},
          static_cast<double>(table.capacity()));
  constexpr std::string_view kTable = "nextip_translator_locator_table_total";
  constexpr std::string_view kTableHelp = "Locator table operations (evicted = 14.15 pressure events)";
  m.counter(kTable, kTableHelp, {{"op", "insert"}}, ls.inserts);
  m.counter(kTable, kTableHelp, {{"op", "refresh"}}, ls.refreshes);
  m.counter(kTable, kTableHelp, {{"op", "hit"}}, ls.hits);
  m.counter(kTable, kTableHelp, {{"op", "miss"}}, ls.misses);
  m.counter(kTable, kTableHelp, {{"op", "expired"}}, ls.expired);
  m.counter(kTable, kTableHelp, {{"op", "evicted"}}, ls.evicted);
}

void render_host(MetricsText& m, const engine::host::HostStats& s) {
  namespace hst = engine::host;
  constexpr std::string_view kP = "nextip_host_packets_total";
  constexpr std::string_view kPH = "Packets the host adaptor rewrote, by direction";
  m.counter(kP, kPH, {{"direction", "to_asip"}}, s.to_asip);
  m.counter(kP, kPH, {{"direction", "to_kernel"}}, s.to_kernel);
  m.counter("nextip_host_icmp_renamed_total", "ICMP messages whose next header changed 58 <-> 143", {}, s.icmp_renamed);
  m.counter("nextip_host_quoted_rewritten_total", "ICMP errors whose quoted packet was rewritten too", {},
            s.quoted_rewritten);
  m.counter("nextip_host_checksums_finished_total", "Partial ICMP checksums finished in software", {},
            s.checksums_finished);
  for (std::size_t i = 1; i < hst::kHostDrops; ++i) {
    m.counter("nextip_host_drops_total", "Packets the host adaptor dropped, by reason",
              {{"reason", hst::name(static_cast<hst::HostDrop>(i))}}, s.drops[i]);
  }
}

}  // namespace nextip::control

// nextip dump FILE… | nextip dump --hex
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/nextip/cli.h"
#include "io/pcap.h"
#include "wire/dissect/dissect.h"

namespace nextip::cli {

namespace {

using Json = nlohmann::ordered_json;

struct DumpOptions {
  std::vector<std::string> files;
  bool hex = false;
  bool json = false;
  bool verbose = false;
  std::string family;  // forces the start for --hex (and overrides the link type for files)
};

Json to_json(const dissect::Packet& p, std::size_t frame, std::size_t length, std::string_view link) {
  Json j;
  j["frame"] = frame;
  j["length"] = length;
  j["link"] = link;
  j["malformed"] = p.malformed;
  Json layers = Json::array();
  for (const auto& l : p.layers) {
    Json jl;
    jl["protocol"] = l.protocol;
    jl["summary"] = l.summary;
    jl["offset"] = l.offset;
    jl["length"] = l.length;
    jl["depth"] = l.depth;
    Json fields = Json::object();
    for (const auto& f : l.fields) {
      if (!fields.contains(f.key)) {
        fields[f.key] = f.value;
      } else {
        if (!fields[f.key].is_array()) fields[f.key] = Json::array({fields[f.key]});
        fields[f.key].push_back(f.value);
      }
    }
    jl["fields"] = fields;
    if (l.error) jl["error"] = *l.error;
    if (!l.notes.empty()) jl["notes"] = l.notes;
    layers.push_back(jl);
  }
  j["layers"] = layers;
  return j;
}

std::string to_text(const dissect::Packet& p, std::size_t frame, std::size_t length, std::string_view link,
                    bool verbose) {
  std::string out = fmt::format("frame {}: {} bytes ({}){}\n", frame, length, link, p.malformed ? " MALFORMED" : "");
  for (const auto& l : p.layers) {
    const std::string indent(2 + 4 * static_cast<std::size_t>(l.depth), ' ');
    out += fmt::format("{}{:<9} {}\n", indent, l.protocol, l.summary.empty() ? std::string("-") : l.summary);
    if (verbose) {
      for (const auto& f : l.fields) out += fmt::format("{}    {} = {}  [@{}]\n", indent, f.key, f.value, f.offset);
    }
    for (const auto& n : l.notes) out += fmt::format("{}    note: {}\n", indent, n);
    if (l.error) out += fmt::format("{}    MALFORMED: {}\n", indent, *l.error);
  }
  return out;
}

void emit(const DumpOptions& o, const dissect::Packet& p, std::size_t frame, std::size_t length,
          std::string_view link) {
  const std::string s =
      o.json ? to_json(p, frame, length, link).dump() + "\n" : to_text(p, frame, length, link, o.verbose);
  std::fputs(s.c_str(), stdout);
}

std::optional<dissect::Start> forced_start(const DumpOptions& o) {
  if (o.family.empty()) return std::nullopt;
  auto s = dissect::start_from_name(o.family);
  if (!s) {
    throw CLI::ValidationError("--family", fmt::format("unknown family '{}' (one of ethernet, ip, ipv4, ipv6, asip, "
                                                       "ipv8, ipxl, ipv45)",
                                                       o.family));
  }
  return s;
}

dissect::Start start_for_link(int link) {
  switch (link) {
    case io::kLinkEthernet: return dissect::Start::ethernet;
    case io::kLinkUser0Asip: return dissect::Start::asip;
    case io::kLinkUser1Ipv8: return dissect::Start::ipv8;
    default: return dissect::Start::ip;
  }
}

// One packet per line, hex digits with optional spaces, ':' or "0x"; '#' starts a comment.
Expected<std::vector<std::byte>, std::string> parse_hex_line(const std::string& line) {
  std::vector<std::byte> out;
  int pending = -1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '#') break;
    if (c == ' ' || c == '\t' || c == ':' || c == '\r') continue;
    if (c == '0' && i + 1 < line.size() && (line[i + 1] == 'x' || line[i + 1] == 'X') && pending < 0) {
      ++i;
      continue;
    }
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return nextip::unexpected(fmt::format("at column {}: '{}' is not a hex digit", i + 1, c));
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<std::byte>(pending * 16 + v));
      pending = -1;
    }
  }
  if (pending >= 0) return nextip::unexpected(std::string("odd number of hex digits"));
  return out;
}

int run_dump(const DumpOptions& o) {
  const auto forced = forced_start(o);
  if (o.hex) {
    const dissect::Start start = forced.value_or(dissect::Start::ip);
    std::string line;
    std::size_t frame = 0;
    std::size_t lineno = 0;
    int status = kExitOk;
    while (std::getline(std::cin, line)) {
      ++lineno;
      auto bytes = parse_hex_line(line);
      if (!bytes) {
        print_error(fmt::format("standard input line {}: {}", lineno, bytes.error()));
        status = kExitInvalidInput;
        continue;
      }
      if (bytes->empty()) continue;
      const auto p = dissect::dissect(*bytes, start);
      emit(o, p, ++frame, bytes->size(), "hex");
    }
    return status;
  }
  if (o.files.empty()) {
    print_error("give capture files to read, or --hex to read packets as hex from standard input");
    return kExitInvalidInput;
  }
  for (const std::string& path : o.files) {
    auto r = io::PcapReader::open(path);
    if (!r) {
      print_error(r.error());
      return kExitFailure;
    }
    const dissect::Start start = forced.value_or(start_for_link(r->link_type()));
    const std::string link = io::link_type_name(r->link_type());
    std::size_t frame = 0;
    for (;;) {
      auto rec = r->next();
      if (!rec) {
        if (rec.error().find("truncated dump file") != std::string::npos && frame > 0) {
          // A capture still being written ends mid-record: what came before is whole.
          std::fprintf(stderr,
                       "nextip: %s: the last record is cut short (a capture still being written?); "
                       "stopped after frame %zu\n",
                       path.c_str(), frame);
          break;
        }
        print_error(fmt::format("{}: {}", path, rec.error()));
        return kExitFailure;
      }
      if (!*rec) break;
      const auto p = dissect::dissect((*rec)->data, start);
      emit(o, p, ++frame, std::max<std::size_t>((*rec)->original_length, (*rec)->data.size()), link);
    }
  }
  return kExitOk;
}

const char* kDumpFooter = R"(
DESCRIPTION
  Dissects every packet of the capture files (pcap or pcapng; Ethernet, raw IP, and
  LINKTYPE_USER0/USER1 for raw ASIP/IPv8) layer by layer, down to ICMP errors' quoted
  packets: outer IPv4 / UDP / GENEVE / ASIP / ICMP-ASIP / the quoted ASIP header …
  A malformed packet is shown as far as its bytes go, with the precise reason:
  the field, its offset, and what is wrong.

  With --hex, reads packets from standard input instead, one per line, as hex starting
  at the IP-layer header (spaces, ':' and 0x are ignored, '#' starts a comment). The
  family is decided as in a capture: the version nibble (8 is IPv8 when the first byte
  is 0x87 and the 28-byte header checksum verifies, else ASIP), IPv4 option 29 at bit
  160 (IPxl) and UDP port 4242 (IPv4.5 Mode C). --family forces one.

OUTPUT
  Text: one line per layer, indented for quoted packets; -v adds every field with its
  offset. --json: one JSON object per packet, one per line, with every field.

EXIT STATUS
  0 every packet read (malformed packets are data, not errors), 1 a file could not be
  read, 2 invalid input (hex that does not parse, unknown --family)

EXAMPLES
  nextip dump capture.pcap
  nextip dump -v --json capture.pcap | jq '.layers[] | select(.protocol=="asip")'
  echo '80 00 00 00 00 08 11 40 …' | nextip dump --hex
  nextip dump --hex --family ipv45 < packets.txt)";

}  // namespace

void add_dump_commands(CLI::App& app, int& status) {
  auto o = std::make_shared<DumpOptions>();
  CLI::App* dump = app.add_subcommand("dump", "Dissect captures or hex packets of every family");
  dump->footer(kDumpFooter);
  dump->add_option("FILE", o->files, "Capture files (pcap, pcapng)");
  dump->add_flag("--hex", o->hex, "Read hex packets from standard input, one per line");
  dump->add_option("--family", o->family, "Start at this header: ethernet, ip, ipv4, ipv6, asip, ipv8, ipxl, ipv45")
      ->type_name("FAMILY");
  dump->add_flag("--json", o->json, "One JSON object per packet, one per line");
  dump->add_flag("-v,--verbose", o->verbose, "Show every field with its offset");
  dump->callback([o, &status] { status = run_dump(*o); });
}

}  // namespace nextip::cli

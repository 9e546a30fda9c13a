// Dissection: a packet of any family, from Ethernet or from its IP-layer header, as a
// list of nested layers with named fields (outer IPv4 / UDP / GENEVE / ASIP /
// ICMP-ASIP / the quoted inner ASIP header …). Used by `nextip dump`, the capture
// corpus and the comparison with Wireshark: the field keys are the same as the
// project's Lua dissectors' field abbreviations (docs/wire/fields.md).
//
// A malformed packet is dissected as far as its bytes allow; the failing layer carries
// the precise reason ("asip.plen at 44: truncated …") and the packet is marked.
// Quoted packets inside ICMP errors are expected to be cut short and are read as far as
// they go without being called malformed.
//
// This is a tool-side module: it allocates freely and is not on any data path.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace nextip::dissect {

struct Field {
  std::string key;    // "asip.src"
  std::string value;  // integers in decimal, addresses in the family's text, bytes in hex
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
};

struct Layer {
  std::string protocol;  // "eth", "ip", "ipxl", "udp", "geneve", "asip", "icmpasip", …
  std::string summary;   // one line for people
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  int depth = 0;  // 1 inside an ICMP error's quoted packet, 2 inside a quote of a quote
  std::vector<Field> fields;
  std::optional<std::string> error;  // why this layer is malformed
  std::vector<std::string> notes;    // non-fatal findings (bad checksum, DF clear, …)

  [[nodiscard]] const Field* find(std::string_view key) const noexcept;
};

struct Packet {
  std::deque<Layer> layers;  // a deque: writers keep references to layers while adding more
  bool malformed = false;
  [[nodiscard]] const Layer* find(std::string_view protocol) const noexcept;
};

// Where the bytes start.
enum class Start : std::uint8_t {
  ethernet,  // Ethernet II; the EtherType picks the family (0x88B5 ASIP, 0x88B6 IPv8)
  ip,        // an IP-layer header; the version nibble, option 29 and UDP 4242 decide
  ipv4,
  ipv6,
  asip,
  ipv8,
  ipxl,
  ipv45,  // an IPv4.5 fixed header without Mode C framing
};

[[nodiscard]] Packet dissect(base::Bytes data, Start start);

// Which family an IP-layer packet starts with, by the rule of `Start::ip`: version 4
// is IPv4 (IPxl when option 29 is present, IPv4.5 inside when UDP 4242); 6 is IPv6;
// 8 is IPv8 when the first byte is 0x87 and the 28-byte header checksum verifies, else
// ASIP (decision DUMP-1); 1 is a bare IPv4.5 header.
[[nodiscard]] Start detect_ip(base::Bytes data) noexcept;

[[nodiscard]] std::string_view name(Start s) noexcept;
[[nodiscard]] std::optional<Start> start_from_name(std::string_view s) noexcept;

}  // namespace nextip::dissect

// Whole-packet builders for tests, vectors, the capture corpus and tools: a network
// header Repr of any family plus an upper layer in, complete bytes with every length
// and checksum computed out. Allocates (std::vector); not for the data path, which
// emits Reprs into caller buffers directly.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "wire/asip/packet.h"
#include "wire/inet/icmpv4.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/ipv6.h"
#include "wire/ipv45/packet.h"
#include "wire/ipv8/packet.h"
#include "wire/ipxl/packet.h"

namespace nextip::build {

using Packet = std::vector<std::byte>;
using base::u16;
using base::u32;
using base::u8;

struct Udp {
  u16 src_port = 0;
  u16 dst_port = 0;
  Packet payload;
  bool zero_checksum = false;  // send 0 (IPv4 only: "no checksum")
};
struct Tcp {
  u16 src_port = 0;
  u16 dst_port = 0;
  u32 seq = 0;
  u32 ack = 0;
  u8 flags = 0x18;  // PSH|ACK
  u16 window = 65535;
  Packet options;  // a multiple of 4 bytes
  Packet payload;
};
// An ICMP message of the network's ICMP flavour (ICMPv4, ICMPv6, ICMP-ASIP, ICMPv8):
// type, code, the 4 bytes after the checksum, and the rest.
struct Icmp {
  u8 type = 0;
  u8 code = 0;
  u32 rest = 0;
  Packet data;
};
// Anything else, verbatim (the checksum, if any, is the caller's).
struct Raw {
  u8 protocol = 0;
  Packet bytes;
};
using Upper = std::variant<Udp, Tcp, Icmp, Raw>;

[[nodiscard]] Packet bytes_of(std::initializer_list<int> v);
[[nodiscard]] Packet counting(std::size_t n, unsigned start = 0);  // n bytes start, start+1, …

// `ip.protocol` and `ip.payload_len` are set from `upper`.
[[nodiscard]] Packet ipv4(inet::Ipv4Repr ip, const Upper& upper);
// An extension header of an IPv6-style chain: its type and its bytes (whose first byte,
// the Next Header, the builder fills in to chain the list and end at the upper layer).
struct Ext {
  u8 type = 0;
  Packet bytes;
};
[[nodiscard]] Packet ipv6(inet::Ipv6Repr ip, const Upper& upper, const std::vector<Ext>& ext = {});
[[nodiscard]] Packet asip(asip::HeaderRepr ip, const Upper& upper, const std::vector<Ext>& ext = {});
[[nodiscard]] Packet ipv8(ipv8::HeaderRepr ip, const Upper& upper);
[[nodiscard]] Packet ipxl(ipxl::PacketRepr ip, const Upper& upper);
// A Mode C packet: outer IPv4 (DF) + UDP 4242 + the IPv4.5 header + `ext` + `body`.
// `h.payload_len` is set; TCP/UDP bodies are not checksummed here (pass Raw bytes).
[[nodiscard]] Packet ipv45_mode_c(inet::Ipv4Address src_locator, inet::Ipv4Address dst_locator, ipv45::HeaderRepr h,
                                  const Packet& ext, const Packet& body, u16 src_port = ipv45::kPort);
[[nodiscard]] Packet ipv45_bare(ipv45::HeaderRepr h, const Packet& ext, const Packet& body);
// GENEVE (no options unless given) inside UDP 6081 inside IPv4.
[[nodiscard]] Packet geneve_ipv4(inet::Ipv4Address src, inet::Ipv4Address dst, u16 protocol, u32 vni,
                                 const Packet& inner, const Packet& options = {});
[[nodiscard]] Packet ethernet(u16 ethertype, const Packet& inner);

// Extension headers: an options-style header (Hop-by-Hop 0, Routing 43, Destination
// Options 60) of 8·(1+units) bytes padded with PadN, AH (51) with a zero ICV, and the
// 8-byte Fragment header (44).
[[nodiscard]] Ext ext_options(u8 type, u8 units = 0);
[[nodiscard]] Ext ext_ah(u8 icv_words = 3);
[[nodiscard]] Ext ext_fragment(u16 offset_units, bool more, u32 id);

}  // namespace nextip::build

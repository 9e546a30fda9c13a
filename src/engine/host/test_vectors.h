// Fixed vectors for the host adaptor: each is one set of fields built as the kernel's
// IPv6 and as ASIP (test_packets.h). kernel_to_asip(v6) must give `asip` byte for byte
// and asip_to_kernel(asip) must give `v6` back.
#pragma once

#include <string>
#include <vector>

#include "engine/host/test_packets.h"

namespace nextip::engine::host::fixtures {

struct Vector {
  std::string name;
  Packet v6;
  Packet asip;
};

// The reply direction of Fields{}: the far host answering, or a router on the way.
inline Fields reverse(const Fields& f) {
  Fields r = f;
  std::swap(r.src, r.dst);
  return r;
}

// A packet with extension headers quoted by the errors below: Destination Options,
// a first-fragment Fragment header, an ICMP echo request. Its ICMP header starts at
// byte 40 + 16 + 8 = 64.
inline std::vector<bld::Ext> quoted_chain() {
  return {bld::ext_options(60, 1), bld::ext_fragment(0, true, 0x01020304)};
}
inline constexpr std::size_t kQuotedChainIcmpAt = 64;
inline bld::Icmp quoted_echo() {
  return bld::Icmp{128, 0, (0x4242u << 16) | 7, bld::counting(40, 0x30)};
}

// An ICMP error whose quote is `inner_v6` / `inner_asip` cut to `cut` bytes. When the
// cut splits a quoted ICMP checksum (`inner_icmp_at` + 3 bytes), the adaptor leaves its
// first byte as it was: the expected ASIP quote keeps the IPv6 byte there.
inline Vector error_vector(std::string name, const Fields& f, bld::Icmp error, const Packet& inner_v6,
                           const Packet& inner_asip, std::size_t cut, std::size_t inner_icmp_at = 0,
                           const std::vector<bld::Ext>& ext = {}) {
  Packet q6 = first(inner_v6, cut);
  Packet q8 = first(inner_asip, cut);
  if (inner_icmp_at != 0 && cut == inner_icmp_at + 3) q8[inner_icmp_at + 2] = q6[inner_icmp_at + 2];
  bld::Icmp e6 = error;
  e6.data = q6;
  bld::Icmp e8 = error;
  e8.data = q8;
  return Vector{std::move(name), ipv6(f, e6, ext), asip_packet(f, e8, ext)};
}

inline std::vector<Vector> vectors() {
  std::vector<Vector> v;
  const Fields f;
  const Fields back = reverse(f);
  auto both = [&](std::string name, const Fields& fields, const bld::Upper& u, const std::vector<bld::Ext>& ext = {}) {
    v.push_back(Vector{std::move(name), ipv6(fields, u, ext), asip_packet(fields, u, ext)});
  };

  both("udp", f, bld::Udp{40000, 53, bld::counting(33), false});
  Fields marked = f;
  marked.traffic_class = 0xb8;
  marked.flow_label = 0x12345;
  marked.hop_limit = 3;
  const bld::Tcp tcp{
      51000, 443, 0x01020304, 0xa0b0c0d0, 0x18, 501, bld::bytes_of({2, 4, 5, 0xb4, 1, 1, 4, 2}), bld::counting(100)};
  both("tcp", marked, tcp);
  both("icmp-echo-request", f, bld::Icmp{128, 0, (0x1234u << 16) | 1, bld::counting(56)});
  both("icmp-echo-reply-dstopts-atomic-fragment", back, bld::Icmp{129, 0, (0x1234u << 16) | 1, bld::counting(56)},
       {bld::ext_options(60, 1), bld::ext_fragment(0, false, 0xdeadbeef)});
  both("icmp-echo-first-fragment", f, bld::Icmp{128, 0, 0x00070001, bld::counting(1000)},
       {bld::ext_fragment(0, true, 7)});
  v.push_back(Vector{
      "icmp-echo-later-fragment",
      ipv6(f, bld::Raw{58, bld::counting(200)}, {bld::ext_options(60), bld::ext_fragment(125, false, 7)}),
      asip_packet(f, bld::Raw{143, bld::counting(200)}, {bld::ext_options(60), bld::ext_fragment(125, false, 7)})});
  both("udp-hop-by-hop", f, bld::Udp{5000, 5001, bld::counting(20), false}, {bld::ext_options(0)});
  both("tcp-routing-ah", f, tcp, {bld::ext_options(43), bld::ext_ah(3)});
  both("icmp-echo-ah", f, bld::Icmp{128, 0, 0x00010002, bld::counting(24)}, {bld::ext_ah(4)});
  both("no-next-header", f, bld::Raw{59, {}});
  both("esp", f, bld::Raw{50, bld::counting(64)});

  // ICMP errors. The quoted packet went from `f`'s source; the error comes back to it.
  const Packet udp6 = ipv6(f, bld::Udp{40000, 53, bld::counting(33), false});
  const Packet udp8 = asip_packet(f, bld::Udp{40000, 53, bld::counting(33), false});
  v.push_back(error_vector("dest-unreachable-quoting-udp", back, {1, 4, 0, {}}, udp6, udp8, udp6.size()));
  bld::Tcp big = tcp;
  big.payload = bld::counting(1400);
  const Packet tcp6 = ipv6(f, big);
  const Packet tcp8 = asip_packet(f, big);
  v.push_back(error_vector("packet-too-big-quoting-tcp", back, {2, 0, 1280, {}}, tcp6, tcp8, 1280 - 48));
  const Packet echo6 = ipv6(f, quoted_echo());
  const Packet echo8 = asip_packet(f, quoted_echo());
  v.push_back(error_vector("time-exceeded-quoting-echo", back, {3, 0, 0, {}}, echo6, echo8, echo6.size(), 40));
  const Packet chain6 = ipv6(f, quoted_echo(), quoted_chain());
  const Packet chain8 = asip_packet(f, quoted_echo(), quoted_chain());
  v.push_back(error_vector("parameter-problem-quoting-dstopts-fragment-echo", back, {4, 0, 42, {}}, chain6, chain8,
                           chain6.size(), kQuotedChainIcmpAt));
  const Packet ah6 = ipv6(f, quoted_echo(), {bld::ext_ah(3)});
  const Packet ah8 = asip_packet(f, quoted_echo(), {bld::ext_ah(3)});
  v.push_back(error_vector("dest-unreachable-quoting-ah-echo", back, {1, 1, 0, {}}, ah6, ah8, ah6.size(), 40 + 24));
  v.push_back(error_vector("time-exceeded-dstopts-quoting-cut-echo", back, {3, 1, 0, {}}, echo6, echo8, 43, 40,
                           {bld::ext_options(60)}));

  // RFC 4884: the quote is 16 words (128 bytes, zero padded), then an extension
  // structure whose bytes (58, 0x60, 143 …) must not be taken for a quoted packet.
  Packet pad6 = echo6;
  Packet pad8 = echo8;
  pad6.resize(128);
  pad8.resize(128);
  const Packet extension = bld::bytes_of({0x20, 0x00, 0x3a, 0x8f, 0x00, 0x08, 0x01, 0x01, 0x60, 0x3a, 0x8f, 0x00});
  pad6.insert(pad6.end(), extension.begin(), extension.end());
  pad8.insert(pad8.end(), extension.begin(), extension.end());
  v.push_back(error_vector("dest-unreachable-rfc4884", back, {1, 0, 16u << 24, {}}, pad6, pad8, pad6.size()));
  return v;
}

}  // namespace nextip::engine::host::fixtures

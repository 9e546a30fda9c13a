// Test helpers for the host adaptor: one set of header fields built twice, as the
// kernel's IPv6 (build::ipv6) and as ASIP (build::asip) — the adaptor must turn the
// first into the second and back — plus an independent checksum check of ASIP and
// IPv6 packets and a dissector check. Tests only (allocates).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/checksum.h"
#include "engine/host/adaptor.h"
#include "wire/asip/address.h"
#include "wire/build/build.h"
#include "wire/dissect/dissect.h"

namespace nextip::engine::host::fixtures {

namespace bld = nextip::build;
using Packet = bld::Packet;

inline asip::Address addr(std::string_view text) {
  auto a = asip::Address::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(asip::Address{});
}

// The header fields shared by both builds. Addresses in ASIP text (15169::192.0.2.1 is
// IPv6 0:3b41::c000:201).
struct Fields {
  std::string src = "15169::192.0.2.1";
  std::string dst = "64496:0.0.0.7:0.0.0.1:198.51.100.9";
  base::u8 hop_limit = 64;
  base::u8 traffic_class = 0;
  base::u32 flow_label = 0;
};

inline Packet ipv6(const Fields& f, const bld::Upper& upper, const std::vector<bld::Ext>& ext = {}) {
  inet::Ipv6Repr h;
  h.src = addr(f.src).to_ipv6();
  h.dst = addr(f.dst).to_ipv6();
  h.hop_limit = f.hop_limit;
  h.traffic_class = f.traffic_class;
  h.flow_label = f.flow_label;
  return bld::ipv6(h, upper, ext);
}

inline Packet asip_packet(const Fields& f, const bld::Upper& upper, const std::vector<bld::Ext>& ext = {}) {
  asip::HeaderRepr h;
  h.src = addr(f.src);
  h.dst = addr(f.dst);
  h.hop_limit = f.hop_limit;
  h.traffic_class = f.traffic_class;
  h.flow_label = f.flow_label;
  return bld::asip(h, upper, ext);
}

inline Packet first(const Packet& p, std::size_t n) {
  return Packet(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(std::min(n, p.size())));
}

inline std::string hex(const Packet& p) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::byte b : p) {
    s += kDigits[static_cast<unsigned>(b) >> 4];
    s += kDigits[static_cast<unsigned>(b) & 15];
  }
  return s;
}

// Every checksum of a whole 40-byte-layout packet, checked from scratch: TCP, UDP and
// ICMP (next header `icmp_nh`) over the pseudo-header of 001 §12.7.1 / RFC 8200 §8.1.
// An ICMP error's quoted ICMP echo is checked too when the quote holds all of it.
inline void expect_checksums(const Packet& p, base::u8 icmp_nh, int depth = 0) {
  ASSERT_GE(p.size(), 40u);
  auto load8 = [&](std::size_t i) { return static_cast<base::u8>(p[i]); };
  base::u8 nh = load8(6);
  std::size_t pos = 40;
  bool fragment = false;
  while (nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60) {
    ASSERT_LE(pos + 2, p.size());
    const std::size_t len = nh == 44   ? 8
                            : nh == 51 ? (std::size_t{load8(pos + 1)} + 2) * 4
                                       : (std::size_t{load8(pos + 1)} + 1) * 8;
    if (nh == 44) {
      fragment = (base::load_be16(p.data() + pos + 2) & 0xfff9) != 0;  // not an atomic fragment
    }
    nh = load8(pos);
    pos += len;
  }
  ASSERT_LE(pos, p.size());
  EXPECT_NE(nh, icmp_nh == 58 ? 143 : 58) << "the other family's ICMP number";
  if (fragment) return;  // a fragment's checksum covers bytes not here
  const std::size_t n = p.size() - pos;
  base::checksum::Sum s = base::checksum::ipv6_pseudo_header(std::span<const std::byte, 16>(p.data() + 8, 16),
                                                             std::span<const std::byte, 16>(p.data() + 24, 16), nh,
                                                             static_cast<base::u32>(n));
  s.add(base::Bytes(p.data() + pos, n));
  if (nh == 6 || nh == 17 || nh == icmp_nh) {
    EXPECT_TRUE(base::checksum::verifies(s)) << "next header " << int{nh};
  }
  if (nh == icmp_nh && n >= 8 && load8(pos) < 128 && depth == 0) {
    // The quoted packet, when it is whole (plen fits) and itself checksummable.
    const Packet q(p.begin() + static_cast<std::ptrdiff_t>(pos + 8), p.end());
    if (q.size() >= 40 && 40u + base::load_be16(q.data() + 4) == q.size()) expect_checksums(q, icmp_nh, depth + 1);
  }
}

// The project's dissector reads `p` as ASIP without a malformed layer, a checksum that
// does not verify, or an ICMPv6 next header inside ASIP.
inline void expect_dissects_as_asip(const Packet& p) {
  const dissect::Packet d = dissect::dissect(p, dissect::Start::asip);
  EXPECT_FALSE(d.malformed) << hex(p);
  ASSERT_FALSE(d.layers.empty());
  EXPECT_EQ(d.layers.front().protocol, "asip");
  for (const dissect::Layer& l : d.layers) {
    EXPECT_FALSE(l.error.has_value()) << l.protocol << ": " << l.error.value_or("");
    for (const std::string& note : l.notes) {
      EXPECT_EQ(note.find("does not verify"), std::string::npos) << l.protocol << ": " << note;
      EXPECT_EQ(note.find("ICMPv6"), std::string::npos) << l.protocol << ": " << note;
      EXPECT_EQ(note.find("MUST drop"), std::string::npos) << l.protocol << ": " << note;
    }
  }
}

}  // namespace nextip::engine::host::fixtures

// The ICMP tables of RFC 7915, transcribed here from the RFC text and compared with the
// code over every type/code pair and every pointer value:
//   §4.2  ICMPv4 error -> ICMPv6 error, Figure 3 (IPv4 -> IPv6 Parameter Problem pointer)
//   §5.2  ICMPv6 error -> ICMPv4 error, Figure 6 (IPv6 -> IPv4 Parameter Problem pointer)
//   §4.2/§5.2/§6 the MTU arithmetic, with the RFC 1191 §7 plateau table.
#include "engine/translate/icmp_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

namespace nextip::engine::translate::icmp_map {
namespace {

std::string str(Kind k) {
  switch (k) {
    case Kind::plain: return "plain";
    case Kind::packet_too_big: return "packet_too_big";
    case Kind::parameter_problem: return "parameter_problem";
    case Kind::protocol_unreachable: return "protocol_unreachable";
  }
  return "?";
}

std::string str(const std::optional<Mapped>& m) {
  if (!m) return "drop";
  return std::to_string(m->type) + "/" + std::to_string(m->code) + " " + str(m->kind);
}

template <class T>
std::string str(const std::optional<T>& p) {
  return p ? std::to_string(*p) : std::string("drop");
}

struct Row {
  u8 type;
  u8 code;
  std::optional<Mapped> to;
};

constexpr std::optional<Mapped> kDrop = std::nullopt;

// The codes 0..255 for which `ok` is false, as ranges ("2-255"), so that a sweep fails
// with one readable line instead of hundreds.
template <class F>
std::string codes_where_not(F&& ok) {
  std::string out;
  int code = 0;
  while (code < 256) {
    if (ok(static_cast<u8>(code))) {
      ++code;
      continue;
    }
    const int first = code;
    while (code < 256 && !ok(static_cast<u8>(code))) ++code;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (code - 1 != first) out += "-" + std::to_string(code - 1);
  }
  return out;
}

// --- §4.2: ICMPv4 -> ICMPv6 ----------------------------------------------------------------

// RFC 7915 §4.2, every ICMPv4 error type/code it names.
const Row kV4ToV6[] = {
    // Destination Unreachable (Type 3) -> Type 1, except codes 2 and 4.
    {3, 0, Mapped{1, 0, Kind::plain}},                 // Net Unreachable -> No route
    {3, 1, Mapped{1, 0, Kind::plain}},                 // Host Unreachable -> No route
    {3, 2, Mapped{4, 1, Kind::protocol_unreachable}},  // Protocol Unreachable -> Parameter Problem 1
    {3, 3, Mapped{1, 4, Kind::plain}},                 // Port Unreachable -> Port unreachable
    {3, 4, Mapped{2, 0, Kind::packet_too_big}},        // Fragmentation Needed -> Packet Too Big
    {3, 5, Mapped{1, 0, Kind::plain}},                 // Source Route Failed -> No route
    {3, 6, Mapped{1, 0, Kind::plain}},
    {3, 7, Mapped{1, 0, Kind::plain}},
    {3, 8, Mapped{1, 0, Kind::plain}},
    {3, 9, Mapped{1, 1, Kind::plain}},   // administratively prohibited
    {3, 10, Mapped{1, 1, Kind::plain}},  // administratively prohibited
    {3, 11, Mapped{1, 0, Kind::plain}},
    {3, 12, Mapped{1, 0, Kind::plain}},
    {3, 13, Mapped{1, 1, Kind::plain}},  // Communication Administratively Prohibited
    {3, 14, kDrop},                      // Host Precedence Violation: silently drop
    {3, 15, Mapped{1, 1, Kind::plain}},  // Precedence cutoff in effect
    // Time Exceeded (Type 11) -> Type 3, the code unchanged.
    {11, 0, Mapped{3, 0, Kind::plain}},
    {11, 1, Mapped{3, 1, Kind::plain}},
    // Parameter Problem (Type 12): codes 0 and 2 -> Type 4 Code 0 with the pointer mapped.
    {12, 0, Mapped{4, 0, Kind::parameter_problem}},
    {12, 1, kDrop},  // Missing a required option
    {12, 2, Mapped{4, 0, Kind::parameter_problem}},
};

TEST(IcmpMapV4ToV6, EveryRowOfRfc7915Section42) {
  for (const Row& r : kV4ToV6) {
    EXPECT_EQ(str(v4_error_to_v6(r.type, r.code)), str(r.to)) << "ICMPv4 " << int{r.type} << "/" << int{r.code};
  }
}

// RFC 7915 §4.2: "Other Code values: Silently drop" for Types 3 and 12; Source Quench (4),
// Redirect (5), Alternate Host Address (6), Router Advertisement/Solicitation (9, 10),
// Timestamp, Information and Address Mask (13..18) and unknown types: silently drop.
// (Echo 0/8 are queries, not errors, and are left out of the sweep. Time Exceeded codes
// above 1 are the subject of their own test.)
TEST(IcmpMapV4ToV6, EverythingElseIsDropped) {
  for (int type = 0; type < 256; ++type) {
    if (type == 0 || type == 8) continue;
    for (int code = 0; code < 256; ++code) {
      if (type == 11 && code > 1) continue;
      const auto listed = std::find_if(std::begin(kV4ToV6), std::end(kV4ToV6),
                                       [&](const Row& r) { return r.type == type && r.code == code; });
      if (listed != std::end(kV4ToV6)) continue;
      const auto got = v4_error_to_v6(static_cast<u8>(type), static_cast<u8>(code));
      ASSERT_EQ(str(got), "drop") << "ICMPv4 " << type << "/" << code;
    }
  }
}

// RFC 7915 §4.2: "Time Exceeded (Type 11): Set the Type to 3 ... The Code is unchanged."
// The RFC makes no exception for codes other than 0 and 1.
TEST(IcmpMapV4ToV6, TimeExceededKeepsEveryCode) {
  EXPECT_EQ(codes_where_not([](u8 code) {
              return v4_error_to_v6(11, code) == Mapped{3, code, Kind::plain};
            }),
            "")
      << "ICMPv4 11/code does not become ICMPv6 3/code for these codes";
}

// 001 §12.7.3 / decision ASIP-12: with literal_host_unreach, 3/1 becomes 1/1; every other
// type/code maps exactly as without it.
TEST(IcmpMapV4ToV6, LiteralHostUnreachChangesOnly3Slash1) {
  EXPECT_EQ(str(v4_error_to_v6(3, 1, true)), str(Mapped{1, 1, Kind::plain}));
  EXPECT_EQ(str(v4_error_to_v6(3, 1, false)), str(Mapped{1, 0, Kind::plain}));
  for (int type = 0; type < 256; ++type) {
    for (int code = 0; code < 256; ++code) {
      if (type == 3 && code == 1) continue;
      const u8 t = static_cast<u8>(type);
      const u8 c = static_cast<u8>(code);
      ASSERT_EQ(str(v4_error_to_v6(t, c, true)), str(v4_error_to_v6(t, c, false))) << "ICMPv4 " << type << "/" << code;
    }
  }
}

// --- §5.2: ICMPv6 -> ICMPv4 ----------------------------------------------------------------

// RFC 7915 §5.2, every ICMPv6 error type/code it names.
const Row kV6ToV4[] = {
    // Destination Unreachable (Type 1) -> Type 3.
    {1, 0, Mapped{3, 1, Kind::plain}},   // No route -> Host unreachable
    {1, 1, Mapped{3, 10, Kind::plain}},  // administratively prohibited -> 10
    {1, 2, Mapped{3, 1, Kind::plain}},   // Beyond scope of source address -> Host unreachable
    {1, 3, Mapped{3, 1, Kind::plain}},   // Address unreachable -> Host unreachable
    {1, 4, Mapped{3, 3, Kind::plain}},   // Port unreachable -> Port unreachable
    // Packet Too Big (Type 2) -> Type 3 Code 4.
    {2, 0, Mapped{3, 4, Kind::packet_too_big}},
    // Time Exceeded (Type 3) -> Type 11, the code unchanged.
    {3, 0, Mapped{11, 0, Kind::plain}},
    {3, 1, Mapped{11, 1, Kind::plain}},
    // Parameter Problem (Type 4).
    {4, 0, Mapped{12, 0, Kind::parameter_problem}},    // Erroneous header field -> 12/0, pointer mapped
    {4, 1, Mapped{3, 2, Kind::protocol_unreachable}},  // Unrecognized Next Header -> Protocol unreachable
    {4, 2, kDrop},                                     // Unrecognized IPv6 option: silently drop
};

TEST(IcmpMapV6ToV4, EveryRowOfRfc7915Section52) {
  for (const Row& r : kV6ToV4) {
    EXPECT_EQ(str(v6_error_to_v4(r.type, r.code)), str(r.to)) << "ICMPv6 " << int{r.type} << "/" << int{r.code};
  }
}

// RFC 7915 §5.2: Destination Unreachable "Other Code values: Silently drop"; Parameter
// Problem codes other than 0 and 1 and "Unknown error messages: Silently drop"; the
// informational types other than Echo (MLD, ND, ...) are single-hop and dropped. (Echo
// 128/129 are left out; Packet Too Big and Time Exceeded codes have their own tests.)
TEST(IcmpMapV6ToV4, EverythingElseIsDropped) {
  for (int type = 0; type < 256; ++type) {
    if (type == 2 || type == 3 || type == 128 || type == 129) continue;
    for (int code = 0; code < 256; ++code) {
      const auto listed = std::find_if(std::begin(kV6ToV4), std::end(kV6ToV4),
                                       [&](const Row& r) { return r.type == type && r.code == code; });
      if (listed != std::end(kV6ToV4)) continue;
      const auto got = v6_error_to_v4(static_cast<u8>(type), static_cast<u8>(code));
      ASSERT_EQ(str(got), "drop") << "ICMPv6 " << type << "/" << code;
    }
  }
}

// RFC 7915 §5.2: "Time Exceeded (Type 3): Set the Type to 11 ... The Code is unchanged."
TEST(IcmpMapV6ToV4, TimeExceededKeepsEveryCode) {
  EXPECT_EQ(codes_where_not([](u8 code) {
              return v6_error_to_v4(3, code) == Mapped{11, code, Kind::plain};
            }),
            "")
      << "ICMPv6 3/code does not become ICMPv4 11/code for these codes";
}

// RFC 7915 §5.2: "Packet Too Big (Type 2): Translate to an ICMPv4 Destination Unreachable
// (Type 3) with Code 4", with no condition on the code; RFC 4443 §3.2 says the code is
// "Set to 0 (zero) by the originator and ignored by the receiver".
TEST(IcmpMapV6ToV4, PacketTooBigIgnoresItsCode) {
  EXPECT_EQ(codes_where_not([](u8 code) {
              return v6_error_to_v4(2, code) == Mapped{3, 4, Kind::packet_too_big};
            }),
            "")
      << "ICMPv6 2/code does not become ICMPv4 3/4 (packet_too_big) for these codes";
}

// The two directions agree where both are defined: 3/2 <-> 4/1 and FN <-> PTB.
TEST(IcmpMap, ProtocolUnreachableAndPacketTooBigAreSymmetric) {
  EXPECT_EQ(str(v6_error_to_v4(4, 1)), str(Mapped{3, 2, Kind::protocol_unreachable}));
  EXPECT_EQ(str(v4_error_to_v6(3, 2)), str(Mapped{4, 1, Kind::protocol_unreachable}));
  EXPECT_EQ(str(v6_error_to_v4(2, 0)), str(Mapped{3, 4, Kind::packet_too_big}));
  EXPECT_EQ(str(v4_error_to_v6(3, 4)), str(Mapped{2, 0, Kind::packet_too_big}));
}

// --- Parameter Problem pointers ------------------------------------------------------------

// RFC 7915 Figure 3 (IPv4 pointer -> IPv6 pointer); n/a and unlisted values drop.
TEST(IcmpMapPointer, Figure3Ipv4ToIpv6ForEveryValue) {
  constexpr std::array<std::optional<u32>, 20> kFigure3 = {
      0u,                                    // 0 Version/IHL -> Version/Traffic Class
      1u,                                    // 1 Type Of Service -> Traffic Class/Flow Label
      4u,           4u,                      // 2,3 Total Length -> Payload Length
      std::nullopt, std::nullopt,            // 4,5 Identification
      std::nullopt,                          // 6 Flags/Fragment Offset
      std::nullopt,                          // 7 Fragment Offset
      7u,                                    // 8 Time to Live -> Hop Limit
      6u,                                    // 9 Protocol -> Next Header
      std::nullopt, std::nullopt,            // 10,11 Header Checksum
      8u,           8u,           8u,  8u,   // 12-15 Source Address
      24u,          24u,          24u, 24u,  // 16-19 Destination Address
  };
  for (int ptr = 0; ptr < 256; ++ptr) {
    const std::optional<u32> want = ptr < 20 ? kFigure3[static_cast<std::size_t>(ptr)] : std::nullopt;
    EXPECT_EQ(str(pointer_v4_to_v6(static_cast<u8>(ptr))), str(want)) << "IPv4 pointer " << ptr;
  }
}

// RFC 7915 Figure 6 (IPv6 pointer -> IPv4 pointer); n/a and unlisted values drop.
TEST(IcmpMapPointer, Figure6Ipv6ToIpv4) {
  auto figure6 = [](u32 ptr) -> std::optional<u8> {
    if (ptr == 0) return u8{0};                 // Version/Traffic Class -> Version/IHL, Type Of Service
    if (ptr == 1) return u8{1};                 // Traffic Class/Flow Label -> Type Of Service
    if (ptr == 2 || ptr == 3) return {};        // Flow Label: n/a
    if (ptr == 4 || ptr == 5) return u8{2};     // Payload Length -> Total Length
    if (ptr == 6) return u8{9};                 // Next Header -> Protocol
    if (ptr == 7) return u8{8};                 // Hop Limit -> Time to Live
    if (ptr >= 8 && ptr <= 23) return u8{12};   // Source Address
    if (ptr >= 24 && ptr <= 39) return u8{16};  // Destination Address
    return {};                                  // not listed
  };
  for (u32 ptr = 0; ptr <= 64; ++ptr) {
    EXPECT_EQ(str(pointer_v6_to_v4(ptr)), str(figure6(ptr))) << "IPv6 pointer " << ptr;
  }
  // Large pointers drop; none of them may alias a small one through truncation to 8 bits.
  for (u32 ptr : {65u, 100u, 255u, 256u, 257u, 262u, 263u, 280u, 0x10000u, 0x10006u, 0x1000000u, 0x80000000u,
                  0xffffff00u, 0xffffffffu}) {
    EXPECT_EQ(str(pointer_v6_to_v4(ptr)), "drop") << "IPv6 pointer " << ptr;
  }
}

// --- MTU arithmetic ------------------------------------------------------------------------

constexpr std::array<u16, 11> kPlateaus = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

// RFC 1191 §7 Table 7-1 and RFC 7915 §4.2: "the greatest plateau value that is less than
// the returned Total Length field"; 0 when there is none.
TEST(IcmpMapMtu, PlateauBelowKnownAnswers) {
  struct Case {
    u16 total_length;
    u16 plateau;
  };
  constexpr Case kCases[] = {
      {65535, 32000}, {32001, 32000}, {32000, 17914}, {17915, 17914}, {17914, 8166}, {8166, 4352},
      {4352, 2002},   {2003, 2002},   {2002, 1492},   {1500, 1492},   {1493, 1492},  {1492, 1006},
      {1280, 1006},   {1006, 508},    {576, 508},     {508, 296},     {297, 296},    {296, 68},
      {69, 68},       {68, 0},        {20, 0},        {1, 0},         {0, 0},
  };
  for (const Case& c : kCases) EXPECT_EQ(plateau_below(c.total_length), c.plateau) << c.total_length;
}

// The same rule for every 16-bit Total Length: a plateau (or 0), strictly below, and no
// plateau in between.
TEST(IcmpMapMtu, PlateauBelowIsTheGreatestPlateauStrictlyBelowForEveryLength) {
  for (u32 len = 0; len <= 0xffff; ++len) {
    u16 want = 0;
    for (u16 p : kPlateaus) {
      if (p < len && p > want) want = p;
    }
    ASSERT_EQ(plateau_below(static_cast<u16>(len)), want) << len;
  }
}

// RFC 7915 §4.2 (Code 4): minimum(advertised MTU+20, MTU_of_IPv6_nexthop,
// (MTU_of_IPv4_nexthop)+20), and §6: a result below 1280 is raised to 1280; 001 §12.7.6:
// delta 28 with a Fragment header.
TEST(IcmpMapMtu, PtbFromFnKnownAnswers) {
  struct Case {
    u16 fn, inner_total_length, mtu_v6, mtu_v4, delta;
    u32 want;
  };
  constexpr Case kCases[] = {
      {1261, 1500, 1500, 1500, 20, 1281},  // just above the floor
      {1260, 1500, 1500, 1500, 20, 1280},  // exactly the floor
      {1259, 1500, 1500, 1500, 20, 1280},  // below the floor: raised to 1280 (§6)
      {1500, 9000, 9000, 9000, 20, 1520},  // +20 for the larger IPv6 header
      {1500, 1500, 1500, 1500, 20, 1500},  // capped by the IPv6 next hop
      {2000, 9000, 9000, 1400, 20, 1420},  // capped by the IPv4 next hop + 20
      {1400, 9000, 9000, 9000, 28, 1428},  // +28 with a Fragment header
      {2000, 9000, 9000, 1300, 28, 1328},  // IPv4 next hop + 28
      {576, 1500, 1500, 1500, 20, 1280},
      {68, 1500, 1500, 1500, 20, 1280},
      {65535, 65535, 65535, 65535, 28, 65535},  // no overflow at the top
      // MTU 0 (a pre-RFC 1191 router): the plateau below the quoted Total Length.
      {0, 1500, 9000, 9000, 20, 1512},
      {0, 9000, 9000, 9000, 20, 8186},
      {0, 1400, 1500, 1500, 20, 1280},  // 1006 + 20 is raised to 1280
      {0, 68, 1500, 1500, 20, 1280},    // no plateau below 68
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ptb_from_fn(c.fn, c.inner_total_length, c.mtu_v6, c.mtu_v4, c.delta), c.want)
        << "fn " << c.fn << " inner " << c.inner_total_length << " mtu_v6 " << c.mtu_v6 << " mtu_v4 " << c.mtu_v4
        << " delta " << c.delta;
  }
}

// The formula over a sweep of FN MTUs, computed in signed 64-bit arithmetic.
TEST(IcmpMapMtu, PtbFromFnFollowsTheFormula) {
  for (u16 delta : {u16{20}, u16{28}}) {
    for (u16 mtu_v6 : {u16{1280}, u16{1500}, u16{9000}}) {
      for (u16 mtu_v4 : {u16{68}, u16{1260}, u16{1500}, u16{9000}}) {
        for (u32 fn = 1; fn <= 0xffff; fn += 7) {
          const std::int64_t m =
              std::min({std::int64_t{fn} + delta, std::int64_t{mtu_v6}, std::int64_t{mtu_v4} + delta});
          const std::int64_t want = std::max<std::int64_t>(m, 1280);
          ASSERT_EQ(std::int64_t{ptb_from_fn(static_cast<u16>(fn), 1500, mtu_v6, mtu_v4, delta)}, want)
              << "fn " << fn << " mtu_v6 " << mtu_v6 << " mtu_v4 " << mtu_v4 << " delta " << delta;
        }
      }
    }
  }
}

// RFC 7915 §5.2: minimum(advertised MTU-20, MTU_of_IPv4_nexthop, (MTU_of_IPv6_nexthop)-20),
// and never below RFC 791's 68; no unsigned wrap-around for tiny values.
TEST(IcmpMapMtu, FnFromPtbKnownAnswers) {
  struct Case {
    u32 ptb;
    u16 mtu_v4, mtu_v6, delta;
    u16 want;
  };
  constexpr Case kCases[] = {
      {1280, 1500, 1500, 20, 1260},
      {1500, 1500, 1500, 20, 1480},
      {1500, 9000, 9000, 28, 1472},  // -28 with a Fragment header
      {9000, 1400, 9000, 20, 1400},  // capped by the IPv4 next hop
      {9000, 9000, 1500, 20, 1480},  // capped by the IPv6 next hop - 20
      {88, 1500, 1500, 20, 68},
      {87, 1500, 1500, 20, 68},  // floored at 68
      {20, 1500, 1500, 20, 68},
      {19, 1500, 1500, 20, 68},  // ptb < delta: no wrap-around
      {0, 1500, 1500, 20, 68},
      {1500, 1500, 10, 20, 68},  // mtu_v6 < delta: no wrap-around
      {1500, 40, 1500, 20, 68},  // a tiny IPv4 MTU is still floored
      {0xffffffffu, 1500, 9000, 20, 1500},
      {0x10000u + 1300u, 9000, 9000, 20, 8980},  // a 32-bit MTU must not be truncated to 16 bits
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(fn_from_ptb(c.ptb, c.mtu_v4, c.mtu_v6, c.delta), c.want)
        << "ptb " << c.ptb << " mtu_v4 " << c.mtu_v4 << " mtu_v6 " << c.mtu_v6 << " delta " << c.delta;
  }
}

// The formula over a sweep of PTB MTUs, computed in signed 64-bit arithmetic.
TEST(IcmpMapMtu, FnFromPtbFollowsTheFormula) {
  for (u16 delta : {u16{20}, u16{28}}) {
    for (u16 mtu_v4 : {u16{68}, u16{576}, u16{1500}, u16{9000}}) {
      for (u16 mtu_v6 : {u16{1280}, u16{1500}, u16{9000}}) {
        for (u32 ptb = 0; ptb <= 70000; ptb += 3) {
          const std::int64_t m =
              std::min({std::int64_t{ptb} - delta, std::int64_t{mtu_v4}, std::int64_t{mtu_v6} - delta});
          const std::int64_t want = std::max<std::int64_t>(m, 68);
          ASSERT_EQ(std::int64_t{fn_from_ptb(ptb, mtu_v4, mtu_v6, delta)}, want)
              << "ptb " << ptb << " mtu_v4 " << mtu_v4 << " mtu_v6 " << mtu_v6 << " delta " << delta;
        }
      }
    }
  }
}

}  // namespace
}  // namespace nextip::engine::translate::icmp_map

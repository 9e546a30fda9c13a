#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "base/prefix.h"
#include "base/prefix_text.h"
#include "base/text.h"
// Prefix<A> with the address types of every width (32, 64, 96, 128 bits): a
// cross-module test, so it lives in tests/ (base itself may not include wire/).
#include "wire/asip/address.h"
#include "wire/inet/ipv4_address.h"
#include "wire/ipv45/address.h"
#include "wire/ipv8/address.h"

namespace nextip::base {
namespace {

using V4 = inet::Ipv4Address;
using V8 = ipv8::Address;
using V45 = ipv45::Address;
using As = asip::Address;

// --- 32 bits -------------------------------------------------------------------

TEST(Prefix32, Mask) {
  using P = Prefix<V4>;
  static_assert(P::kBits == 32);
  EXPECT_EQ(P::mask(0), 0u);
  EXPECT_EQ(P::mask(1), 0x80000000u);
  EXPECT_EQ(P::mask(8), 0xff000000u);
  EXPECT_EQ(P::mask(31), 0xfffffffeu);
  EXPECT_EQ(P::mask(32), 0xffffffffu);
  EXPECT_EQ(P::all_ones(), 0xffffffffu);
  EXPECT_EQ(high_mask<u32>(12, 32), 0xfff00000u);
  EXPECT_EQ(high_mask<u32>(-1, 32), 0u);
  EXPECT_EQ(high_mask<u32>(40, 32), 0xffffffffu);
  EXPECT_EQ(high_mask<u64>(4, 32), 0xf0000000u);
}

TEST(Prefix32, ContainingExactLastContains) {
  using P = Prefix<V4>;
  const P p = P::containing(V4(10, 1, 2, 3), 8);
  EXPECT_EQ(p.address(), V4(10, 0, 0, 0));
  EXPECT_EQ(p.length(), 8);
  EXPECT_EQ(p.host_bits(), 24);
  EXPECT_EQ(p.first(), V4(10, 0, 0, 0));
  EXPECT_EQ(p.last(), V4(10, 255, 255, 255));
  EXPECT_TRUE(p.contains(V4(10, 200, 0, 1)));
  EXPECT_FALSE(p.contains(V4(11, 0, 0, 0)));
  EXPECT_FALSE(p.contains(V4(9, 255, 255, 255)));

  // Length clamped to 0..32.
  EXPECT_EQ(P::containing(V4(10, 1, 2, 3), -5), P::containing(V4(0), 0));
  EXPECT_EQ(P::containing(V4(10, 1, 2, 3), -5).length(), 0);
  EXPECT_EQ(P::containing(V4(10, 1, 2, 3), 40).length(), 32);
  EXPECT_EQ(P::containing(V4(10, 1, 2, 3), 40).address(), V4(10, 1, 2, 3));

  const P all = P::containing(V4(1, 2, 3, 4), 0);
  EXPECT_EQ(all.address(), V4(0));
  EXPECT_EQ(all.last(), V4(0xffffffff));
  EXPECT_TRUE(all.contains(V4(0xffffffff)));
  const P host = P::containing(V4(1, 2, 3, 4), 32);
  EXPECT_EQ(host.first(), host.last());
  EXPECT_TRUE(host.contains(V4(1, 2, 3, 4)));
  EXPECT_FALSE(host.contains(V4(1, 2, 3, 5)));

  // exact(): strict, no host bits.
  ASSERT_TRUE(P::exact(V4(10, 1, 0, 0), 16).has_value());
  EXPECT_EQ(*P::exact(V4(10, 1, 0, 0), 16), P::containing(V4(10, 1, 0, 0), 16));
  EXPECT_FALSE(P::exact(V4(10, 1, 0, 1), 16).has_value());
  EXPECT_FALSE(P::exact(V4(10, 1, 0, 0), 15).has_value());
  EXPECT_TRUE(P::exact(V4(0xffffffff), 32).has_value());
  EXPECT_TRUE(P::exact(V4(0), 0).has_value());
  EXPECT_FALSE(P::exact(V4(0x80000000), 0).has_value());
  EXPECT_FALSE(P::exact(V4(0), -1).has_value());
  EXPECT_FALSE(P::exact(V4(0), 33).has_value());

  // contains(Prefix).
  const P p16 = P::containing(V4(10, 1, 0, 0), 16);
  EXPECT_TRUE(p.contains(p16));
  EXPECT_FALSE(p16.contains(p));
  EXPECT_TRUE(p.contains(p));
  EXPECT_FALSE(p16.contains(P::containing(V4(10, 2, 0, 0), 24)));
  EXPECT_TRUE(all.contains(p16));

  // Ordering: by address, then length.
  EXPECT_LT(P::containing(V4(10, 0, 0, 0), 8), P::containing(V4(11, 0, 0, 0), 8));
  EXPECT_LT(P::containing(V4(10, 0, 0, 0), 8), P::containing(V4(10, 0, 0, 0), 9));
  EXPECT_EQ(P{}, P::containing(V4(0), 0));
}

// --- 64 bits -------------------------------------------------------------------

TEST(Prefix64, Ipv8) {
  using P = Prefix<V8>;
  static_assert(P::kBits == 64);
  EXPECT_EQ(P::mask(0), 0u);
  EXPECT_EQ(P::mask(32), 0xffffffff00000000ULL);
  EXPECT_EQ(P::mask(48), 0xffffffffffff0000ULL);
  EXPECT_EQ(P::mask(63), 0xfffffffffffffffeULL);
  EXPECT_EQ(P::mask(64), ~u64{0});
  EXPECT_EQ(P::all_ones(), ~u64{0});

  const V8 a(64496, 0xc0000201);
  const P p48 = P::containing(a, 48);
  EXPECT_EQ(p48.address(), V8(64496, 0xc0000000));
  EXPECT_EQ(p48.last(), V8(64496, 0xc000ffff));
  EXPECT_TRUE(p48.contains(a));
  EXPECT_FALSE(p48.contains(V8(64497, 0xc0000201)));
  const P p32 = P::containing(a, 32);
  EXPECT_EQ(p32.address(), V8(64496, 0));
  EXPECT_EQ(p32.last(), V8(64496, 0xffffffff));
  EXPECT_TRUE(p32.contains(p48));
  const P p31 = P::containing(a, 31);
  EXPECT_EQ(p31.last(), V8(64497, 0xffffffff));
  EXPECT_EQ(P::containing(a, 0).last(), V8(0xffffffff, 0xffffffff));
  EXPECT_EQ(P::containing(a, 64).last(), a);
  EXPECT_EQ(P::containing(a, 99).length(), 64);

  EXPECT_TRUE(P::exact(V8(64496, 0), 32).has_value());
  EXPECT_FALSE(P::exact(V8(64496, 1), 32).has_value());
  EXPECT_FALSE(P::exact(V8(64496, 0), 27).has_value());
  EXPECT_TRUE(P::exact(V8(0xffffffff, 0xffffffff), 64).has_value());
  EXPECT_FALSE(P::exact(a, 65).has_value());
}

// --- 96 bits: the mask must stay inside the 96 bits of a u128 ------------------

TEST(Prefix96, Ipv45) {
  using P = Prefix<V45>;
  static_assert(P::kBits == 96);
  const u128 all96 = (u128{1} << 96) - 1;
  EXPECT_EQ(P::all_ones(), all96);
  EXPECT_EQ(P::mask(96), all96);
  EXPECT_EQ(P::mask(0), u128{0});
  EXPECT_EQ(P::mask(1), u128{1} << 95);
  EXPECT_EQ(P::mask(4), u128{0xf} << 92);
  EXPECT_EQ(P::mask(32), u128{0xffffffff} << 64);
  EXPECT_EQ(P::mask(48), u128{0xffffffffffffULL} << 48);
  EXPECT_EQ(P::mask(95), all96 - 1);
  EXPECT_EQ(P::mask(96) >> 96, u128{0});

  const V45 a(0xe0000001, 0xffff, 0xffffc633642aULL);
  const P mc = P::containing(a, 4);
  EXPECT_EQ(mc.address(), V45(0xe0000000, 0, 0));
  EXPECT_EQ(mc.last(), V45(0xefffffff, 0xffff, ipv45::kEidMask));
  EXPECT_TRUE(mc.contains(a));
  EXPECT_FALSE(mc.contains(V45(0xf0000000, 0, 0)));
  const P site = P::containing(a, 48);
  EXPECT_EQ(site.address(), V45(0xe0000001, 0xffff, 0));
  EXPECT_EQ(site.last(), V45(0xe0000001, 0xffff, ipv45::kEidMask));
  const P all = P::containing(a, 0);
  EXPECT_EQ(all.last(), V45(0xffffffff, 0xffff, ipv45::kEidMask));
  EXPECT_EQ(all.last().to_uint(), all96);
  EXPECT_EQ(P::containing(a, 96).last(), a);
  EXPECT_EQ(P::containing(a, 200).length(), 96);

  EXPECT_TRUE(P::exact(V45(0xe0000000, 0, 0), 4).has_value());
  EXPECT_FALSE(P::exact(V45(0xe0000000, 0, 1), 4).has_value());
  EXPECT_TRUE(P::exact(a, 96).has_value());
  EXPECT_FALSE(P::exact(a, 97).has_value());
  EXPECT_TRUE(P::exact(V45(0, 0, 0), 0).has_value());
}

// --- 128 bits: all_ones() and mask(128) need the full u128 -----------------------

TEST(Prefix128, Asip) {
  using P = Prefix<As>;
  static_assert(P::kBits == 128);
  EXPECT_EQ(P::all_ones(), ~u128{0});
  EXPECT_EQ(P::mask(128), ~u128{0});
  EXPECT_EQ(P::mask(127), ~u128{0} - 1);
  EXPECT_EQ(P::mask(64), ~u128{0} << 64);
  EXPECT_EQ(P::mask(1), u128{1} << 127);

  const As a(15169, 1, 10, 0xc0000201);
  const P p32 = P::containing(a, 32);
  EXPECT_EQ(p32.address(), As(15169, 0, 0, 0));
  EXPECT_EQ(p32.last(), As(15169, 0xffffffff, 0xffffffff, 0xffffffff));
  EXPECT_TRUE(p32.contains(a));
  EXPECT_FALSE(p32.contains(As(15170, 0, 0, 0)));
  EXPECT_EQ(P::containing(a, 0).last(), As(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff));
  EXPECT_EQ(P::containing(a, 128).last(), a);
  EXPECT_EQ(P::containing(a, 127).last(), As(15169, 1, 10, 0xc0000201));
  EXPECT_EQ(P::containing(As(0, 0, 0, 3), 127).address(), As(0, 0, 0, 2));
  EXPECT_EQ(P::containing(a, 96).last(), As(15169, 1, 10, 0xffffffff));

  EXPECT_TRUE(P::exact(As(15169, 0, 0, 0), 32).has_value());
  EXPECT_FALSE(P::exact(As(15169, 0, 0, 1), 32).has_value());
  EXPECT_TRUE(P::exact(a, 128).has_value());
  EXPECT_FALSE(P::exact(a, 129).has_value());
}

// --- parse_prefix_text, with a small dotted-quad parser -------------------------

Expected<V4, ParseError> parse_quad(std::string_view s) noexcept {
  std::size_t i = 0;
  u32 v = 0;
  if (const AddrErrc e = text::scan_dotted_quad(s, i, v); e != AddrErrc::ok) {
    return nextip::unexpected(ParseError{Family::ipv4, e, static_cast<std::uint16_t>(i)});
  }
  if (i != s.size()) {
    return nextip::unexpected(ParseError{Family::ipv4, AddrErrc::unexpected_char, static_cast<std::uint16_t>(i)});
  }
  return V4(v);
}

Expected<Prefix<V4>, ParseError> parse(std::string_view s, bool strict = true) {
  return parse_prefix_text<V4>(s, Family::ipv4, strict, parse_quad, UnsignedLength{32});
}

TEST(PrefixText, ParsesAndReportsPositions) {
  auto p = parse("10.0.0.0/8");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, Prefix<V4>::containing(V4(10, 0, 0, 0), 8));
  ASSERT_TRUE(parse("0.0.0.0/0").has_value());
  ASSERT_TRUE(parse("1.2.3.4/32").has_value());

  struct Bad {
    const char* text;
    AddrErrc code;
    int pos;
  };
  const Bad bad[] = {
      {"10.0.0.0", AddrErrc::prefix_missing_length, 8},
      {"", AddrErrc::prefix_missing_length, 0},
      {"10.0.0.0/", AddrErrc::expected_digit, 9},
      {"10.0.0.0/33", AddrErrc::prefix_length_range, 9},
      {"10.0.0.0/100", AddrErrc::prefix_length_range, 9},
      {"10.0.0.0/08", AddrErrc::leading_zero, 9},
      {"10.0.0.0/8 ", AddrErrc::trailing_text, 10},
      {"10.0.0.0/8x", AddrErrc::trailing_text, 10},
      {"10.0.0.1/8", AddrErrc::prefix_host_bits_set, 8},
      {"10.0.0.256/8", AddrErrc::octet_range, 7},  // the address parser's position carries over
      {"10.0.0/8", AddrErrc::expected_dot, 6},
      {"10.0.0.0/8/8", AddrErrc::unexpected_char, 8},  // the last '/' starts the length
  };
  for (const Bad& b : bad) {
    auto r = parse(b.text);
    ASSERT_FALSE(r.has_value()) << b.text;
    EXPECT_EQ(r.error().family, Family::ipv4) << b.text;
    EXPECT_EQ(code_name(r.error().code), code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text;
  }
}

// ParseError::pos is 16 bits: "missing length" at the end of a 70,000-character text
// must not wrap around to an innocent character in the middle (70000 mod 65536).
TEST(PrefixText, HugeTextErrorIsHonest) {
  const std::string s(70000, '1');
  auto r = parse(s);
  ASSERT_FALSE(r.has_value());
  const bool honest = r.error().code == AddrErrc::too_long || r.error().pos >= 0xffff;
  EXPECT_TRUE(honest) << to_string(r.error(), s).substr(0, 100);
  EXPECT_EQ(to_string(r.error(), s).find("(found '1')"), std::string::npos) << to_string(r.error(), s).substr(0, 100);
}

TEST(PrefixText, LenientMasksHostBits) {
  auto p = parse("10.1.2.3/8", false);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->address(), V4(10, 0, 0, 0));
  EXPECT_EQ(p->length(), 8);
  auto q = parse("255.255.255.255/0", false);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->address(), V4(0));
  // Lenient still checks the length.
  EXPECT_FALSE(parse("10.1.2.3/33", false).has_value());
}

TEST(PrefixText, UnsignedLength) {
  const UnsignedLength len{96};
  std::size_t i = 1;
  int out = -1;
  EXPECT_EQ(len("/96", i, out), AddrErrc::ok);
  EXPECT_EQ(out, 96);
  EXPECT_EQ(i, 3u);
  i = 1;
  EXPECT_EQ(len("/97", i, out), AddrErrc::prefix_length_range);
  EXPECT_EQ(i, 1u);
  i = 1;
  EXPECT_EQ(len("/0", i, out), AddrErrc::ok);
  EXPECT_EQ(out, 0);
  i = 1;
  EXPECT_EQ(len("/-1", i, out), AddrErrc::expected_digit);
}

}  // namespace
}  // namespace nextip::base

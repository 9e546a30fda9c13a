// Address mapping of the SIIT mode, checked against the RFCs rather than the code:
//   Rfc6052Prefix         RFC 6052 §2.2 (layout, u octet) and §2.4 (the example table)
//   Eamt                  RFC 7757 §3 (suffix rule, longest-prefix match, suffix copy)
//   is_untranslatable_v4  RFC 7915 §4.1/§5.1, RFC 6052 §3.1 (the ranges and their edges)
#include "engine/translate/addr_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nextip::engine::translate {
namespace {

// --- helpers ---------------------------------------------------------------------------

Ipv4Address v4(std::string_view s) {
  auto a = Ipv4Address::parse(s);
  EXPECT_TRUE(a.has_value()) << "bad test address " << s;
  return a.value_or(Ipv4Address{});
}

u128 v6(std::string_view s) {
  auto a = Ipv6Address::parse(s);
  EXPECT_TRUE(a.has_value()) << "bad test address " << s;
  return a.value_or(Ipv6Address{}).to_uint();
}

Ipv4Prefix p4(std::string_view s) {
  auto p = inet::parse_ipv4_prefix(s);
  EXPECT_TRUE(p.has_value()) << "bad test prefix " << s;
  return p.value_or(Ipv4Prefix{});
}

Ipv6Prefix p6(std::string_view s) {
  auto p = inet::parse_ipv6_prefix(s);
  EXPECT_TRUE(p.has_value()) << "bad test prefix " << s;
  return p.value_or(Ipv6Prefix{});
}

std::string text(u128 a) {
  return Ipv6Address::from_uint(a).to_string();
}
std::string text(std::optional<u128> a) {
  return a ? text(*a) : std::string("nullopt");
}
std::string text(std::optional<Ipv4Address> a) {
  return a ? a->to_string() : std::string("nullopt");
}

// Compares a 128-bit value with an address given as text, printing both as text.
::testing::AssertionResult is_v6(std::optional<u128> got, std::string_view want) {
  if (got && *got == v6(want)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << text(got) << ", want " << want;
}

u8 byte_at(u128 a, int index) {  // index 0 = the first byte on the wire
  return static_cast<u8>(a >> (8 * (15 - index)));
}

// A deterministic spread of IPv4 addresses: the edges plus a linear congruential walk.
std::vector<Ipv4Address> many_v4() {
  std::vector<Ipv4Address> out = {Ipv4Address(0u),          Ipv4Address(1u),          Ipv4Address(0x7fffffffu),
                                  Ipv4Address(0x80000000u), Ipv4Address(0xfffffffeu), Ipv4Address(0xffffffffu),
                                  Ipv4Address(0xc0000221u), Ipv4Address(0x01020304u), Ipv4Address(0xff00ff00u)};
  u32 x = 12345;
  for (int i = 0; i < 2000; ++i) {
    x = x * 1664525u + 1013904223u;
    out.emplace_back(x);
  }
  for (int bit = 0; bit < 32; ++bit) out.emplace_back(u32{1} << bit);  // every single bit
  return out;
}

// RFC 6052 §2.2 written out bit by bit: the 32 IPv4 bits follow the prefix, skipping
// bits 64..71 (the u octet); everything else is the prefix or zero.
u128 reference_embed(u128 prefix, int len, u32 addr) {
  u128 a = prefix;
  int pos = len;  // bit position counted from the most significant bit
  for (int i = 31; i >= 0; --i) {
    if (pos == 64) pos = 72;
    if (((addr >> i) & 1u) != 0) a |= u128{1} << (127 - pos);
    ++pos;
  }
  return a;
}

constexpr std::array<int, 6> kRfc6052Lengths = {32, 40, 48, 56, 64, 96};

Rfc6052Prefix must_make(std::string_view prefix) {
  auto r = Rfc6052Prefix::make(p6(prefix));
  EXPECT_TRUE(r.has_value()) << prefix << ": " << (r ? std::string_view() : r.error());
  return r.has_value() ? *r : *Rfc6052Prefix::make(p6("64:ff9b::/96"));
}

// --- Rfc6052Prefix ---------------------------------------------------------------------

// RFC 6052 §2.2: the prefix length is one of 32, 40, 48, 56, 64 and 96.
TEST(Rfc6052Prefix, MakeAcceptsTheSixLengths) {
  for (int len : kRfc6052Lengths) {
    const Ipv6Prefix p = Ipv6Prefix::containing(Ipv6Address::from_uint(v6("2001:db8:122:344::")), len);
    auto r = Rfc6052Prefix::make(p);
    ASSERT_TRUE(r.has_value()) << "/" << len << ": " << r.error();
    EXPECT_EQ(r->prefix(), p) << "/" << len;
  }
}

// RFC 6052 §2.2: any other length is not an RFC 6052 prefix.
TEST(Rfc6052Prefix, MakeRefusesEveryOtherLength) {
  for (int len = 0; len <= 128; ++len) {
    if (std::find(kRfc6052Lengths.begin(), kRfc6052Lengths.end(), len) != kRfc6052Lengths.end()) continue;
    const Ipv6Prefix p = Ipv6Prefix::containing(Ipv6Address::from_uint(v6("2001:db8::")), len);
    auto r = Rfc6052Prefix::make(p);
    EXPECT_FALSE(r.has_value()) << "/" << len << " was accepted";
    if (!r) {
      EXPECT_FALSE(r.error().empty()) << "/" << len;
    }
  }
}

// RFC 6052 §2.2: "Bits 64 to 71 of the address are reserved ... These bits MUST be set to
// zero. When using a /96 Network-Specific Prefix, the administrators MUST ensure that the
// bits 64 to 71 are set to zero." Only in a /96 do bits 64..71 belong to the prefix itself
// (a shorter Prefix has them zero by construction), so the /96 is where make() must look.
TEST(Rfc6052Prefix, MakeRefusesANonZeroUOctetInA96Prefix) {
  for (std::string_view bad :
       {"2001:db8::100:0:0:0/96", "2001:db8::8000:0:0:0/96", "64:ff9b::ff00:0:0:0/96", "2001:db8:122:344:ff00::/96"}) {
    auto r = Rfc6052Prefix::make(p6(bad));
    EXPECT_FALSE(r.has_value()) << bad << " was accepted although bits 64..71 are not zero";
  }
  // Bits 72..95 are ordinary prefix bits of a /96.
  for (std::string_view good : {"2001:db8::ff:0:0:0/96", "2001:db8::1:ffff:0:0/96", "64:ff9b::/96"}) {
    auto r = Rfc6052Prefix::make(p6(good));
    EXPECT_TRUE(r.has_value()) << good << ": " << (r ? std::string_view() : r.error());
  }
}

// RFC 6052 §2.4, the example table: 192.0.2.33 under each Network-Specific Prefix and the
// Well-Known Prefix.
TEST(Rfc6052Prefix, Rfc6052Section24ExampleTable) {
  struct Row {
    std::string_view prefix;
    std::string_view embedded;
  };
  constexpr Row kTable[] = {
      {"2001:db8::/32", "2001:db8:c000:221::"},
      {"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
      {"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
      {"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
      {"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"},
      {"2001:db8:122:344::/96", "2001:db8:122:344::192.0.2.33"},
      {"64:ff9b::/96", "64:ff9b::192.0.2.33"},
  };
  for (const Row& row : kTable) {
    const Rfc6052Prefix p = must_make(row.prefix);
    EXPECT_TRUE(is_v6(p.embed(v4("192.0.2.33")), row.embedded)) << row.prefix;
    EXPECT_EQ(text(p.extract(v6(row.embedded))), "192.0.2.33") << row.prefix;
  }
}

// RFC 6052 §2.2: the u octet (bits 64..71) never carries IPv4 bits, whatever the address.
TEST(Rfc6052Prefix, UOctetNeverCarriesIpv4Bits) {
  for (int len : kRfc6052Lengths) {
    const Rfc6052Prefix p = must_make(len == 96 ? "2001:db8:122:344::/96" : "2001:db8::/" + std::to_string(len));
    const u128 a = p.embed(v4("255.255.255.255"));
    EXPECT_EQ(byte_at(a, 8), 0) << "/" << len << ": " << text(a);
    // All 32 bits are somewhere: 32 one-bits beyond the prefix.
    const u128 beyond = a & ~Ipv6Prefix::mask(len);
    int ones = 0;
    for (int b = 0; b < 128; ++b) ones += static_cast<int>((beyond >> b) & 1);
    EXPECT_EQ(ones, 32) << "/" << len << ": " << text(a);
  }
}

// RFC 6052 §2.2 for every length and many addresses: embed() places the bits exactly as
// the bit-by-bit reference does (suffix zero), stays inside the prefix, and extract()
// gives the address back.
TEST(Rfc6052Prefix, EmbedExtractRoundTripForEveryLength) {
  const std::vector<Ipv4Address> addrs = many_v4();
  for (int len : kRfc6052Lengths) {
    const Ipv6Prefix prefix = Ipv6Prefix::containing(Ipv6Address::from_uint(v6("2001:db8:1234:5600::")), len);
    const Rfc6052Prefix p = must_make(inet::format_prefix(prefix));
    for (const Ipv4Address a : addrs) {
      const u128 e = p.embed(a);
      ASSERT_EQ(e, reference_embed(p.prefix().address().to_uint(), len, a.value()))
          << "/" << len << " " << a.to_string() << " -> " << text(e);
      ASSERT_TRUE(p.prefix().contains(Ipv6Address::from_uint(e))) << "/" << len << " " << a.to_string();
      ASSERT_EQ(text(p.extract(e)), a.to_string()) << "/" << len << " via " << text(e);
    }
  }
}

// An address outside the prefix has no embedded IPv4 address.
TEST(Rfc6052Prefix, ExtractOutsideThePrefixIsNullopt) {
  for (int len : kRfc6052Lengths) {
    const Ipv6Prefix prefix = Ipv6Prefix::containing(Ipv6Address::from_uint(v6("2001:db8:1234:5600::")), len);
    const Rfc6052Prefix p = must_make(inet::format_prefix(prefix));
    const u128 inside = p.embed(v4("198.51.100.7"));
    const u128 last_prefix_bit = u128{1} << (128 - len);
    EXPECT_EQ(text(p.extract(inside ^ last_prefix_bit)), "nullopt") << "/" << len;
    EXPECT_EQ(text(p.extract(inside ^ (u128{1} << 127))), "nullopt") << "/" << len;
    EXPECT_EQ(text(p.extract(v6("::1"))), "nullopt") << "/" << len;
    EXPECT_EQ(text(p.extract(v6("::ffff:198.51.100.7"))), "nullopt") << "/" << len;
  }
}

// --- Eamt --------------------------------------------------------------------------------

Eam eam(std::string_view six, std::string_view four) {
  return Eam{p6(six), p4(four)};
}

Eamt must_table(std::initializer_list<Eam> entries) {
  Eamt t;
  for (const Eam& e : entries) {
    auto r = t.add(e);
    EXPECT_TRUE(r.has_value()) << inet::format_prefix(e.v6) << "=" << inet::format_prefix(e.v4) << ": "
                               << (r ? std::string() : r.error());
  }
  return t;
}

TEST(Eamt, EmptyTableMapsNothing) {
  const Eamt t;
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.entries().empty());
  EXPECT_EQ(text(t.to_v6(v4("192.0.2.1"))), "nullopt");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8::1"))), "nullopt");
  EXPECT_FALSE(t.covers_v4(v4("192.0.2.1")));
}

// RFC 7757 §3: an entry whose IPv4 suffix (32 - l4 bits) is longer than its IPv6 suffix
// (128 - l6 bits) cannot be reversible and is refused; equal or shorter is fine.
TEST(Eamt, AddRefusesAnIpv4SuffixLongerThanTheIpv6Suffix) {
  struct Case {
    std::string_view six;
    std::string_view four;
    bool ok;
  };
  constexpr Case kCases[] = {
      {"2001:db8::1/128", "192.0.2.1/32", true}, {"2001:db8::/128", "192.0.2.0/31", false},
      {"2001:db8::/127", "192.0.2.0/31", true},  {"2001:db8:3::/120", "1.0.0.0/24", true},
      {"2001:db8:3::/120", "1.0.0.0/23", false}, {"2001:db8:3::/121", "1.0.0.0/24", false},
      {"64:ff9b::/96", "0.0.0.0/0", true},       {"64:ff9b::/97", "0.0.0.0/0", false},
      {"2001:db8::/64", "10.0.0.0/8", true},     {"2001:db8::/104", "10.0.0.0/8", true},
      {"2001:db8::/105", "10.0.0.0/8", false},   {"::/0", "0.0.0.0/0", true},
  };
  for (const Case& c : kCases) {
    Eamt t;
    auto r = t.add(eam(c.six, c.four));
    EXPECT_EQ(r.has_value(), c.ok) << c.six << "=" << c.four;
    if (!r) {
      EXPECT_FALSE(r.error().empty());
      EXPECT_TRUE(t.empty()) << "a refused entry was kept: " << c.six << "=" << c.four;
    }
  }
}

// RFC 7757 §3: a prefix appears in at most one entry, on either side.
TEST(Eamt, AddRefusesADuplicatePrefixOnEitherSide) {
  Eamt t = must_table({eam("2001:db8:aaaa::/120", "192.0.2.0/24")});
  EXPECT_FALSE(t.add(eam("2001:db8:aaaa::/120", "192.0.2.0/24")).has_value()) << "same entry twice";
  EXPECT_FALSE(t.add(eam("2001:db8:bbbb::/120", "192.0.2.0/24")).has_value()) << "same IPv4 prefix";
  EXPECT_FALSE(t.add(eam("2001:db8:aaaa::/120", "198.51.100.0/24")).has_value()) << "same IPv6 prefix";
  EXPECT_EQ(t.entries().size(), 1u);
  // Nested prefixes (same address, another length) are different prefixes.
  EXPECT_TRUE(t.add(eam("2001:db8:aaaa::/124", "192.0.2.0/28")).has_value());
  EXPECT_TRUE(t.add(eam("2001:db8:cccc::/120", "192.0.0.0/24")).has_value());
  EXPECT_EQ(t.entries().size(), 3u);
}

// RFC 7757 §3: the IPv4 suffix bits are copied immediately after the IPv6 prefix (and
// back); bits after them are zero on the way to IPv6.
TEST(Eamt, SuffixBitsAreCopiedRightAfterTheOtherPrefix) {
  struct Case {
    std::string_view six_prefix;
    std::string_view four_prefix;
    std::string_view four;
    std::string_view six;
  };
  constexpr Case kCases[] = {
      {"2001:db8:3::/120", "1.0.0.0/24", "1.0.0.8", "2001:db8:3::8"},
      {"2001:db8:3::/120", "1.0.0.0/24", "1.0.0.255", "2001:db8:3::ff"},
      {"2001:db8:1c0:2::/72", "192.0.2.0/24", "192.0.2.33", "2001:db8:1c0:2:21::"},
      {"2001:db8:1c0:2::/72", "192.0.2.0/24", "192.0.2.255", "2001:db8:1c0:2:ff::"},
      {"2001:db8:cccc::/125", "203.0.113.8/29", "203.0.113.8", "2001:db8:cccc::"},
      {"2001:db8:cccc::/125", "203.0.113.8/29", "203.0.113.9", "2001:db8:cccc::1"},
      {"2001:db8:cccc::/125", "203.0.113.8/29", "203.0.113.15", "2001:db8:cccc::7"},
      {"2001:db8:dddd::/64", "192.0.2.128/26", "192.0.2.152", "2001:db8:dddd:0:6000::"},
      {"2001:db8:dddd::/64", "192.0.2.128/26", "192.0.2.191", "2001:db8:dddd:0:fc00::"},
      {"2001:db8::/32", "10.0.0.0/8", "10.1.2.3", "2001:db8:102:300::"},
  };
  for (const Case& c : kCases) {
    const Eamt t = must_table({eam(c.six_prefix, c.four_prefix)});
    EXPECT_TRUE(is_v6(t.to_v6(v4(c.four)), c.six)) << c.six_prefix << "=" << c.four_prefix << " " << c.four;
    EXPECT_EQ(text(t.to_v4(v6(c.six))), c.four) << c.six_prefix << "=" << c.four_prefix << " " << c.six;
  }
  // 0x21 lands in byte 9, right after the 72-bit prefix.
  const Eamt t = must_table({eam("2001:db8:1c0:2::/72", "192.0.2.0/24")});
  const auto a = t.to_v6(v4("192.0.2.33"));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(byte_at(*a, 9), 0x21);
  for (int i = 10; i < 16; ++i) EXPECT_EQ(byte_at(*a, i), 0) << "byte " << i;
}

// RFC 7757 §3 on the way back: the IPv4 suffix is the bits right after the IPv6 prefix;
// any IPv6 bits after those do not leak into the IPv4 address.
TEST(Eamt, ToV4ReadsOnlyTheSuffixBitsAfterTheIpv6Prefix) {
  const Eamt t = must_table({eam("2001:db8:dddd::/64", "192.0.2.128/26")});
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:dddd:0:6000:beef::"))), "192.0.2.152");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:dddd:0:3ff:ffff:ffff:ffff"))), "192.0.2.128");
}

// RFC 7757 §3: /128 <-> /32 maps exactly one address each way, and nothing next to it.
TEST(Eamt, SingleAddressEntries) {
  const Eamt t = must_table({eam("2001:db8:aaaa::5/128", "192.0.2.1/32"), eam("2001:db8:bbbb::b/128", "192.0.2.2/32")});
  EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.1")), "2001:db8:aaaa::5"));
  EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.2")), "2001:db8:bbbb::b"));
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:aaaa::5"))), "192.0.2.1");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:bbbb::b"))), "192.0.2.2");
  EXPECT_EQ(text(t.to_v6(v4("192.0.2.0"))), "nullopt");
  EXPECT_EQ(text(t.to_v6(v4("192.0.2.3"))), "nullopt");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:aaaa::4"))), "nullopt");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:aaaa::6"))), "nullopt");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:bbbb::a"))), "nullopt");
}

// A /96 <-> /0 entry: the whole IPv4 space in the low 32 bits, both ways.
TEST(Eamt, WholeIpv4SpaceEntry) {
  const Eamt t = must_table({eam("2001:db8:64::/96", "0.0.0.0/0")});
  for (const Ipv4Address a : many_v4()) {
    const u128 want = v6("2001:db8:64::") | a.value();
    ASSERT_TRUE(is_v6(t.to_v6(a), text(want))) << a.to_string();
    ASSERT_EQ(text(t.to_v4(want)), a.to_string());
    ASSERT_TRUE(t.covers_v4(a)) << a.to_string();
  }
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:65::1"))), "nullopt");
  EXPECT_EQ(text(t.to_v4(v6("2001:db8:64:0:0:1::1"))), "nullopt");
}

// Applies `f` to the entries in every insertion order, so that the result cannot depend
// on the order the operator wrote them in.
template <class F>
void for_every_order(std::vector<Eam> entries, F&& f) {
  std::sort(entries.begin(), entries.end(), [](const Eam& a, const Eam& b) { return a.v4 < b.v4; });
  do {
    Eamt t;
    for (const Eam& e : entries) ASSERT_TRUE(t.add(e).has_value());
    f(t);
  } while (
      std::next_permutation(entries.begin(), entries.end(), [](const Eam& a, const Eam& b) { return a.v4 < b.v4; }));
}

// RFC 7757 §3: IPv4 -> IPv6 uses the entry with the longest matching IPv4 prefix.
TEST(Eamt, LongestPrefixMatchFromIpv4) {
  for_every_order({eam("2001:db8:1::/120", "192.0.2.0/24"), eam("2001:db8:2::/124", "192.0.2.16/28"),
                   eam("2001:db8:3::1/128", "192.0.2.17/32"), eam("2001:db8:4::/104", "192.0.0.0/16")},
                  [](const Eamt& t) {
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.17")), "2001:db8:3::1"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.18")), "2001:db8:2::2"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.16")), "2001:db8:2::"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.31")), "2001:db8:2::f"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.32")), "2001:db8:1::20"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.2.5")), "2001:db8:1::5"));
                    EXPECT_TRUE(is_v6(t.to_v6(v4("192.0.3.4")), "2001:db8:4::3:400"));
                    EXPECT_EQ(text(t.to_v6(v4("192.1.0.0"))), "nullopt");
                  });
}

// RFC 7757 §3: IPv6 -> IPv4 uses the entry with the longest matching IPv6 prefix.
TEST(Eamt, LongestPrefixMatchFromIpv6) {
  for_every_order({eam("2001:db8:1::/64", "10.0.0.0/8"), eam("2001:db8:1:0:aa00::/72", "198.51.100.0/24"),
                   eam("2001:db8:1::5/128", "203.0.113.5/32")},
                  [](const Eamt& t) {
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:1::5"))), "203.0.113.5");
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:1::6"))), "10.0.0.0");
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:1:0:aa12::"))), "198.51.100.18");
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:1:0:ab12::"))), "10.171.18.0");
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:1:0:102:300::"))), "10.1.2.3");
                    EXPECT_EQ(text(t.to_v4(v6("2001:db8:2::5"))), "nullopt");
                  });
}

// Round trip through a table of several entries, over many addresses inside each.
TEST(Eamt, RoundTripInsideEveryEntry) {
  const Eamt t = must_table({eam("2001:db8:3::/120", "1.0.0.0/24"), eam("2001:db8:1c0:2::/72", "192.0.2.0/24"),
                             eam("2001:db8:ffff::/96", "100.64.0.0/10"), eam("2001:db8:eeee::/100", "172.16.0.0/12")});
  for (const Eam& e : t.entries()) {
    for (const Ipv4Address r : many_v4()) {
      const u32 host = r.value() & static_cast<u32>(~Ipv4Prefix::mask(e.v4.length()));
      const Ipv4Address a(e.v4.address().value() | host);
      const auto six = t.to_v6(a);
      ASSERT_TRUE(six.has_value()) << a.to_string();
      ASSERT_TRUE(e.v6.contains(Ipv6Address::from_uint(*six))) << a.to_string() << " -> " << text(six);
      ASSERT_EQ(text(t.to_v4(*six)), a.to_string());
    }
  }
}

// RFC 7757 §4 (hairpinning) asks whether an IPv4 address is covered by some entry.
TEST(Eamt, CoversV4) {
  const Eamt t = must_table({eam("2001:db8:3::/120", "1.0.0.0/24"), eam("2001:db8:aaaa::5/128", "192.0.2.1/32")});
  EXPECT_TRUE(t.covers_v4(v4("1.0.0.0")));
  EXPECT_TRUE(t.covers_v4(v4("1.0.0.255")));
  EXPECT_TRUE(t.covers_v4(v4("192.0.2.1")));
  EXPECT_FALSE(t.covers_v4(v4("0.255.255.255")));
  EXPECT_FALSE(t.covers_v4(v4("1.0.1.0")));
  EXPECT_FALSE(t.covers_v4(v4("192.0.2.0")));
  EXPECT_FALSE(t.covers_v4(v4("192.0.2.2")));
}

// --- is_untranslatable_v4 ------------------------------------------------------------------

// RFC 7915 §4.1/§5.1 and RFC 6052 §3.1: 0/8, 127/8, 169.254/16, 224/4 and the limited
// broadcast address are never translated; the addresses next to each range are.
TEST(IsUntranslatableV4, RangesAndTheirNeighbours) {
  struct Case {
    std::string_view addr;
    bool untranslatable;
  };
  constexpr Case kCases[] = {
      {"0.0.0.0", true},          {"0.0.0.1", true},          {"0.255.255.255", true},    {"1.0.0.0", false},
      {"126.255.255.255", false}, {"127.0.0.0", true},        {"127.0.0.1", true},        {"127.255.255.255", true},
      {"128.0.0.0", false},       {"169.253.255.255", false}, {"169.254.0.0", true},      {"169.254.169.254", true},
      {"169.254.255.255", true},  {"169.255.0.0", false},     {"223.255.255.255", false}, {"224.0.0.0", true},
      {"232.1.2.3", true},        {"239.255.255.255", true},  {"240.0.0.0", false},       {"255.255.255.254", false},
      {"255.255.255.255", true},  {"192.0.2.1", false},       {"8.8.8.8", false},         {"10.0.0.1", false},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(is_untranslatable_v4(v4(c.addr)), c.untranslatable) << c.addr;
  }
}

}  // namespace
}  // namespace nextip::engine::translate

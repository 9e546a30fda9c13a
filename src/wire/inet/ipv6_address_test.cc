#include "wire/inet/ipv6_address.h"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <type_traits>

namespace nextip::inet {
namespace {

using base::AddrErrc;
using base::u128;

Ipv6Address must_parse(std::string_view s) {
  auto a = Ipv6Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s << ": " << base::to_string(a.error(), s);
  return a.value_or(Ipv6Address{});
}

Ipv6Prefix must_parse_prefix(std::string_view s, bool strict = true) {
  auto p = parse_ipv6_prefix(s, strict);
  EXPECT_TRUE(p.has_value()) << s << ": " << base::to_string(p.error(), s);
  return p.value_or(Ipv6Prefix{});
}

constexpr u128 v6(base::u64 hi, base::u64 lo) {
  return (u128{hi} << 64) | lo;
}

TEST(Ipv6Address, BytesAndUint) {
  const Ipv6Address a = Ipv6Address::from_uint(v6(0x20010db800000000ULL, 1));
  std::array<std::byte, 16> b{};
  a.to_bytes(b);
  EXPECT_EQ(b[0], std::byte{0x20});
  EXPECT_EQ(b[1], std::byte{0x01});
  EXPECT_EQ(b[2], std::byte{0x0d});
  EXPECT_EQ(b[3], std::byte{0xb8});
  EXPECT_EQ(b[15], std::byte{0x01});
  EXPECT_EQ(a.bytes(), b);
  EXPECT_EQ(Ipv6Address::from_bytes(b), a);
  EXPECT_EQ(Ipv6Address::from_uint(a.to_uint()), a);
  static_assert(std::is_trivially_copyable_v<Ipv6Address>);
  static_assert(sizeof(Ipv6Address) == 16);
}

TEST(Ipv6Address, OrderingAndHash) {
  EXPECT_LT(Ipv6Address::from_uint(v6(0, ~base::u64{0})), Ipv6Address::from_uint(v6(1, 0)));
  EXPECT_LT(must_parse("::1"), must_parse("::2"));
  EXPECT_LT(must_parse("2001:db8::"), must_parse("2001:db9::"));
  std::hash<Ipv6Address> h;
  EXPECT_NE(h(must_parse("::1")), h(must_parse("::2")));
  EXPECT_NE(h(Ipv6Address::from_uint(v6(1, 0))), h(Ipv6Address::from_uint(v6(0, 1))));
}

// RFC 5952 output: lower case, longest zero run compressed (leftmost on ties), a
// single zero group never compressed.
TEST(Ipv6Address, ParseAndFormatRfc5952) {
  EXPECT_EQ(must_parse("2001:db8::1"), Ipv6Address::from_uint(v6(0x20010db800000000ULL, 1)));
  EXPECT_EQ(must_parse("2001:DB8:0:0:0:0:0:1").format(), "2001:db8::1");
  EXPECT_EQ(must_parse("2001:0db8:0000:0000:0000:0000:0000:0001").format(), "2001:db8::1");
  EXPECT_EQ(must_parse("::").format(), "::");
  EXPECT_EQ(must_parse("::1").format(), "::1");
  EXPECT_EQ(must_parse("1::").format(), "1::");
  EXPECT_EQ(must_parse("1:0:0:1:0:0:0:1").format(), "1:0:0:1::1");
  EXPECT_EQ(must_parse("1:0:0:0:1:0:0:1").format(), "1::1:0:0:1");
  EXPECT_EQ(must_parse("2001:db8:0:1:1:1:1:1").format(), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(must_parse("FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF").format(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(must_parse("0:fbf0::c000:201"), Ipv6Address::from_uint(v6(0x0000fbf000000000ULL, 0xc0000201)));
  EXPECT_EQ(Ipv6Address{}.to_string(), "::");
}

TEST(Ipv6Address, Ipv4Mapped) {
  const Ipv4Address v4(192, 0, 2, 1);
  const Ipv6Address a = Ipv6Address::ipv4_mapped(v4);
  EXPECT_EQ(a.to_uint(), v6(0, 0x0000ffffc0000201ULL));
  EXPECT_EQ(a.to_ipv4_mapped(), v4);
  EXPECT_EQ(a.format(), "::ffff:192.0.2.1");
  EXPECT_EQ(must_parse("::ffff:192.0.2.1"), a);
  EXPECT_EQ(must_parse("::ffff:c000:201"), a);
  EXPECT_FALSE(must_parse("::1").to_ipv4_mapped().has_value());
  EXPECT_FALSE(must_parse("1::ffff:192.0.2.1").to_ipv4_mapped().has_value());
  EXPECT_FALSE(must_parse("::fffe:192.0.2.1").to_ipv4_mapped().has_value());
}

TEST(Ipv6Address, Prefixes) {
  const Ipv6Prefix p = must_parse_prefix("2001:db8::/32");
  EXPECT_EQ(p.length(), 32);
  EXPECT_EQ(p.last(), must_parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(p.contains(must_parse("2001:db8::1")));
  EXPECT_FALSE(p.contains(must_parse("2001:db9::1")));
  EXPECT_EQ(format_prefix(p), "2001:db8::/32");
  EXPECT_EQ(format_prefix(must_parse_prefix("::/0")), "::/0");
  EXPECT_EQ(format_prefix(must_parse_prefix("::1/128")), "::1/128");
  EXPECT_EQ(must_parse_prefix("2001:db8::1/32", false), p);

  auto strict = parse_ipv6_prefix("2001:db8::1/32");
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(base::code_name(strict.error().code), "prefix_host_bits_set");
  EXPECT_EQ(strict.error().pos, 11);
  auto range = parse_ipv6_prefix("2001:db8::/129");
  ASSERT_FALSE(range.has_value());
  EXPECT_EQ(base::code_name(range.error().code), "prefix_length_range");
  EXPECT_EQ(range.error().pos, 11);
  auto missing = parse_ipv6_prefix("2001:db8::");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(base::code_name(missing.error().code), "prefix_missing_length");
  EXPECT_EQ(missing.error().pos, 10);
}

TEST(Ipv6Address, InvalidInputs) {
  auto empty = Ipv6Address::parse("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(base::code_name(empty.error().code), "empty");
  EXPECT_EQ(empty.error().pos, 0);
  auto nul = Ipv6Address::parse(std::string_view("::1\0", 4));
  ASSERT_FALSE(nul.has_value());
  EXPECT_EQ(base::code_name(nul.error().code), "unexpected_char");
  EXPECT_EQ(nul.error().pos, 3);
  const std::string long_text(80, '0');
  auto too_long = Ipv6Address::parse(long_text);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(base::code_name(too_long.error().code), "too_long");
  EXPECT_LE(too_long.error().pos, long_text.size());
  for (const char* s :
       {"2001:db8:::1", "1:2:3:4:5:6:7:8:9", "12345::", "g::", "1::2::3", ":1::", "1:2:3:4:5:6:7", "::ffff:256.0.0.1",
        "::ffff:1.2.3", "fe80::1%eth0", "[::1]", " ::1", "::1 ", "192.0.2.1", "64496::192.0.2.1x", "2001:db8::1/64"}) {
    auto r = Ipv6Address::parse(s);
    ASSERT_FALSE(r.has_value()) << "accepted: " << s;
    EXPECT_EQ(r.error().family, base::Family::ipv6) << s;
    EXPECT_EQ(base::code_name(r.error().code), "ipv6_syntax") << s;
    EXPECT_LE(r.error().pos, std::string_view(s).size()) << s;
  }
}

TEST(Ipv6Address, PropertyRoundTrips) {
  std::mt19937_64 rng(6);
  for (int i = 0; i < 100000; ++i) {
    // Groups drawn from zero and random values so that zero runs of every length occur.
    u128 v = 0;
    for (int g = 0; g < 8; ++g) v = (v << 16) | (rng() % 3 == 0 ? 0 : (rng() & 0xffff));
    const Ipv6Address a = Ipv6Address::from_uint(v);
    const auto t = a.format();
    auto back = Ipv6Address::parse(t);
    ASSERT_TRUE(back.has_value()) << t.view();
    ASSERT_EQ(*back, a) << t.view();
    if (i % 5 == 0) {
      const Ipv6Prefix p = Ipv6Prefix::containing(a, static_cast<int>(rng() % 129));
      ASSERT_EQ(parse_ipv6_prefix(format_prefix(p)).value(), p) << format_prefix(p);
    }
  }
}

TEST(Ipv6Address, RandomTextNeverCrashes) {
  std::mt19937_64 rng(66);
  const std::string alphabet = "0123456789abcdefABCDEF:::./g ";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = rng() % 50;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    auto a = Ipv6Address::parse(s);
    if (a) {
      ASSERT_EQ(Ipv6Address::parse(a->format()).value(), *a) << s;
    } else {
      ASSERT_LE(a.error().pos, s.size()) << s;
    }
    auto p = parse_ipv6_prefix(s);
    if (!p) {
      ASSERT_LE(p.error().pos, s.size()) << s;
    }
  }
}

}  // namespace
}  // namespace nextip::inet

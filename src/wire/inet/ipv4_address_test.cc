#include "wire/inet/ipv4_address.h"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <set>
#include <string>
#include <type_traits>

namespace nextip::inet {
namespace {

using base::AddrErrc;

Ipv4Address must_parse(std::string_view s) {
  auto a = Ipv4Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s << ": " << base::to_string(a.error(), s);
  return a.value_or(Ipv4Address{});
}

Ipv4Prefix must_parse_prefix(std::string_view s, bool strict = true) {
  auto p = parse_ipv4_prefix(s, strict);
  EXPECT_TRUE(p.has_value()) << s << ": " << base::to_string(p.error(), s);
  return p.value_or(Ipv4Prefix{});
}

TEST(Ipv4Address, FieldsAndBytes) {
  const Ipv4Address a(198, 51, 100, 42);
  EXPECT_EQ(a.value(), 0xc633642au);
  EXPECT_EQ(a.to_uint(), 0xc633642au);
  EXPECT_EQ(a.octet(0), 198);
  EXPECT_EQ(a.octet(1), 51);
  EXPECT_EQ(a.octet(2), 100);
  EXPECT_EQ(a.octet(3), 42);
  EXPECT_EQ(Ipv4Address(0xc633642a), a);
  EXPECT_EQ(Ipv4Address::from_uint(a.to_uint()), a);
  std::array<std::byte, 4> b{};
  a.to_bytes(b);
  const std::array<std::byte, 4> want{std::byte{0xc6}, std::byte{0x33}, std::byte{0x64}, std::byte{0x2a}};
  EXPECT_EQ(b, want);
  EXPECT_EQ(Ipv4Address::from_bytes(b), a);
  static_assert(std::is_trivially_copyable_v<Ipv4Address>);
  static_assert(sizeof(Ipv4Address) == 4);
}

TEST(Ipv4Address, OrderingAndHash) {
  EXPECT_LT(Ipv4Address(0, 0, 0, 255), Ipv4Address(0, 0, 1, 0));
  EXPECT_LT(Ipv4Address(127, 255, 255, 255), Ipv4Address(128, 0, 0, 0));
  std::hash<Ipv4Address> h;
  EXPECT_NE(h(Ipv4Address(1)), h(Ipv4Address(2)));
  EXPECT_EQ(h(Ipv4Address(192, 0, 2, 1)), h(must_parse("192.0.2.1")));
}

// Spec vectors (tests/vectors/addresses.tsv, family ipv4).
TEST(Ipv4Address, ParseAndFormat) {
  EXPECT_EQ(must_parse("8.8.8.8"), Ipv4Address(8, 8, 8, 8));
  EXPECT_EQ(must_parse("198.51.100.1"), Ipv4Address(0xc6336401));
  EXPECT_EQ(must_parse("192.0.2.1"), Ipv4Address(0xc0000201));
  EXPECT_EQ(must_parse("203.0.113.7"), Ipv4Address(0xcb007107));
  EXPECT_EQ(must_parse("192.168.100.1"), Ipv4Address(0xc0a86401));
  EXPECT_EQ(must_parse("0.0.0.0"), Ipv4Address(0));
  EXPECT_EQ(must_parse("255.255.255.255"), Ipv4Address(0xffffffff));
  EXPECT_EQ(Ipv4Address(0).format(), "0.0.0.0");
  EXPECT_EQ(Ipv4Address(0xffffffff).format(), "255.255.255.255");
  EXPECT_EQ(Ipv4Address(198, 51, 100, 42).format(), "198.51.100.42");
  EXPECT_EQ(Ipv4Address(10, 0, 100, 9).to_string(), "10.0.100.9");
}

TEST(Ipv4Address, Prefixes) {
  const Ipv4Prefix p = must_parse_prefix("192.168.0.0/16");
  EXPECT_EQ(p.address(), Ipv4Address(192, 168, 0, 0));
  EXPECT_EQ(p.length(), 16);
  EXPECT_EQ(p.last(), Ipv4Address(192, 168, 255, 255));
  EXPECT_TRUE(p.contains(Ipv4Address(192, 168, 100, 1)));
  EXPECT_FALSE(p.contains(Ipv4Address(192, 169, 0, 0)));
  EXPECT_EQ(format_prefix(p), "192.168.0.0/16");
  EXPECT_EQ(format_prefix(must_parse_prefix("0.0.0.0/0")), "0.0.0.0/0");
  EXPECT_EQ(must_parse_prefix("0.0.0.0/0").last(), Ipv4Address(0xffffffff));
  EXPECT_EQ(format_prefix(must_parse_prefix("10.1.2.3/32")), "10.1.2.3/32");
  EXPECT_EQ(must_parse_prefix("10.1.2.3/8", false), must_parse_prefix("10.0.0.0/8"));
  EXPECT_EQ(must_parse_prefix("255.255.255.255/1", false), must_parse_prefix("128.0.0.0/1"));
}

// RFC 6890 registry, boundaries of every row.
TEST(Ipv4Address, ClassifyEveryRow) {
  struct Row {
    Ipv4Address a;
    Ipv4Class c;
  };
  const Row rows[] = {
      {Ipv4Address(0, 0, 0, 0), Ipv4Class::unspecified},
      {Ipv4Address(0, 0, 0, 1), Ipv4Class::this_network},
      {Ipv4Address(0, 255, 255, 255), Ipv4Class::this_network},
      {Ipv4Address(1, 0, 0, 0), Ipv4Class::global},
      {Ipv4Address(10, 0, 0, 0), Ipv4Class::private_use},
      {Ipv4Address(10, 255, 255, 255), Ipv4Class::private_use},
      {Ipv4Address(11, 0, 0, 0), Ipv4Class::global},
      {Ipv4Address(172, 15, 255, 255), Ipv4Class::global},
      {Ipv4Address(172, 16, 0, 0), Ipv4Class::private_use},
      {Ipv4Address(172, 31, 255, 255), Ipv4Class::private_use},
      {Ipv4Address(172, 32, 0, 0), Ipv4Class::global},
      {Ipv4Address(192, 168, 0, 0), Ipv4Class::private_use},
      {Ipv4Address(192, 168, 255, 255), Ipv4Class::private_use},
      {Ipv4Address(192, 169, 0, 0), Ipv4Class::global},
      {Ipv4Address(100, 63, 255, 255), Ipv4Class::global},
      {Ipv4Address(100, 64, 0, 0), Ipv4Class::shared},
      {Ipv4Address(100, 127, 255, 255), Ipv4Class::shared},
      {Ipv4Address(100, 128, 0, 0), Ipv4Class::global},
      {Ipv4Address(127, 0, 0, 0), Ipv4Class::loopback},
      {Ipv4Address(127, 255, 255, 255), Ipv4Class::loopback},
      {Ipv4Address(169, 254, 0, 0), Ipv4Class::link_local},
      {Ipv4Address(169, 254, 255, 255), Ipv4Class::link_local},
      {Ipv4Address(169, 253, 255, 255), Ipv4Class::global},
      {Ipv4Address(192, 0, 0, 0), Ipv4Class::ietf_protocol},
      {Ipv4Address(192, 0, 0, 255), Ipv4Class::ietf_protocol},
      {Ipv4Address(192, 0, 1, 0), Ipv4Class::global},
      {Ipv4Address(192, 0, 2, 0), Ipv4Class::documentation},
      {Ipv4Address(192, 0, 2, 255), Ipv4Class::documentation},
      {Ipv4Address(198, 51, 100, 42), Ipv4Class::documentation},
      {Ipv4Address(203, 0, 113, 1), Ipv4Class::documentation},
      {Ipv4Address(203, 0, 114, 0), Ipv4Class::global},
      {Ipv4Address(192, 88, 99, 1), Ipv4Class::relay_6to4},
      {Ipv4Address(192, 88, 100, 0), Ipv4Class::global},
      {Ipv4Address(198, 17, 255, 255), Ipv4Class::global},
      {Ipv4Address(198, 18, 0, 0), Ipv4Class::benchmarking},
      {Ipv4Address(198, 19, 255, 255), Ipv4Class::benchmarking},
      {Ipv4Address(198, 20, 0, 0), Ipv4Class::global},
      {Ipv4Address(223, 255, 255, 255), Ipv4Class::global},
      {Ipv4Address(224, 0, 0, 0), Ipv4Class::multicast},
      {Ipv4Address(239, 255, 255, 255), Ipv4Class::multicast},
      {Ipv4Address(240, 0, 0, 0), Ipv4Class::reserved},
      {Ipv4Address(255, 255, 255, 254), Ipv4Class::reserved},
      {Ipv4Address(255, 255, 255, 255), Ipv4Class::broadcast},
      {Ipv4Address(8, 8, 8, 8), Ipv4Class::global},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(name(classify(r.a)), name(r.c)) << r.a.to_string();
    EXPECT_EQ(is_public_unicast(classify(r.a)), r.c == Ipv4Class::global) << r.a.to_string();
  }
  std::set<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(Ipv4Class::global); ++c) {
    const auto n = name(static_cast<Ipv4Class>(c));
    EXPECT_FALSE(n.empty());
    names.insert(n);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(Ipv4Class::global) + 1);
}

struct Bad {
  const char* text;
  AddrErrc code;
  int pos;
};

const Bad kBad[] = {
    {"", AddrErrc::empty, 0},
    {"1", AddrErrc::ipv4_octet_count, 1},
    {"1.2.3", AddrErrc::ipv4_octet_count, 5},
    {"192.168", AddrErrc::ipv4_octet_count, 7},
    {"1.2.3.4.5", AddrErrc::ipv4_octet_count, 7},
    {"256.1.1.1", AddrErrc::octet_range, 0},
    {"1.2.3.256", AddrErrc::octet_range, 6},
    {"1.2.1000.4", AddrErrc::octet_range, 4},
    {"4294967295", AddrErrc::octet_range, 0},
    {"01.2.3.4", AddrErrc::leading_zero, 0},
    {"1.2.3.04", AddrErrc::leading_zero, 6},
    {"1.2.00.4", AddrErrc::leading_zero, 4},
    {"1..3.4", AddrErrc::expected_digit, 2},
    {"1.2.3.", AddrErrc::expected_digit, 6},
    {".1.2.3", AddrErrc::expected_digit, 0},
    {" 1.2.3.4", AddrErrc::expected_digit, 0},
    {"a.b.c.d", AddrErrc::expected_digit, 0},
    {"1.2.3.-4", AddrErrc::expected_digit, 6},
    {"+1.2.3.4", AddrErrc::expected_digit, 0},
    {"1.2.3.4 ", AddrErrc::trailing_text, 7},
    {"1.2.3.4x", AddrErrc::trailing_text, 7},
    {"1.2.3.4/24", AddrErrc::trailing_text, 7},
    {"1.2.3.4:80", AddrErrc::trailing_text, 7},
    // A missing '.' means too few octets.
    {"1,2,3,4", AddrErrc::ipv4_octet_count, 1},
    {"0x1.2.3.4", AddrErrc::ipv4_octet_count, 1},
    // Longer than "255.255.255.255".
    {"1.2.3.4.5.6.7.8.9.10", AddrErrc::ipv4_octet_count, 7},
    {"1234567890123456", AddrErrc::too_long, 15},
    {"192.168.100.1    ", AddrErrc::too_long, 15},
};

TEST(Ipv4Address, InvalidInputsNameTheRuleAndPosition) {
  ASSERT_GE(std::size(kBad), 15u);
  for (const Bad& b : kBad) {
    auto r = Ipv4Address::parse(b.text);
    ASSERT_FALSE(r.has_value()) << "accepted: " << b.text << " as " << r->to_string();
    EXPECT_EQ(r.error().family, base::Family::ipv4) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

const Bad kBadPrefix[] = {
    // 002 "Shorthand": 192.168/16 is abbreviated; nextip refuses it (INET-1).
    {"192.168/16", AddrErrc::ipv4_octet_count, 7},     {"10.0.0.0", AddrErrc::prefix_missing_length, 8},
    {"10.0.0.0/", AddrErrc::expected_digit, 9},        {"10.0.0.0/33", AddrErrc::prefix_length_range, 9},
    {"10.0.0.0/08", AddrErrc::leading_zero, 9},        {"10.0.0.0/8x", AddrErrc::trailing_text, 10},
    {"10.0.0.1/8", AddrErrc::prefix_host_bits_set, 8}, {"10.0.0.256/8", AddrErrc::octet_range, 7},
};

TEST(Ipv4Address, InvalidPrefixes) {
  for (const Bad& b : kBadPrefix) {
    auto r = parse_ipv4_prefix(b.text);
    ASSERT_FALSE(r.has_value()) << b.text << " accepted";
    EXPECT_EQ(r.error().family, base::Family::ipv4) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

// ParseError::pos is 16 bits: a text longer than that must not get an error that
// points at an innocent character (prefix_text.h reports the missing '/' at the end).
TEST(Ipv4Address, HugePrefixTextErrorIsHonest) {
  const std::string s(70000, '1');
  auto r = parse_ipv4_prefix(s);
  ASSERT_FALSE(r.has_value());
  const bool honest = r.error().code == AddrErrc::too_long || r.error().pos >= 0xffff;
  EXPECT_TRUE(honest) << base::to_string(r.error(), s).substr(0, 100);
}

TEST(Ipv4Address, PropertyRoundTrips) {
  std::mt19937_64 rng(4);
  for (int i = 0; i < 100000; ++i) {
    const Ipv4Address a(static_cast<u32>(rng()));
    const auto t = a.format();
    auto back = Ipv4Address::parse(t);
    ASSERT_TRUE(back.has_value()) << t.view();
    ASSERT_EQ(*back, a) << t.view();
    if (i % 5 == 0) {
      const Ipv4Prefix p = Ipv4Prefix::containing(a, static_cast<int>(rng() % 33));
      ASSERT_EQ(parse_ipv4_prefix(format_prefix(p)).value(), p) << format_prefix(p);
    }
  }
}

TEST(Ipv4Address, RandomTextNeverCrashes) {
  std::mt19937_64 rng(44);
  const std::string alphabet = "0123456789..../x ";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = rng() % 22;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    auto a = Ipv4Address::parse(s);
    if (a) {
      ASSERT_EQ(a->format().view(), s);  // only the canonical spelling is accepted
    } else {
      ASSERT_LE(a.error().pos, s.size()) << s;
    }
    auto p = parse_ipv4_prefix(s);
    if (!p) {
      ASSERT_LE(p.error().pos, s.size()) << s;
    }
  }
}

}  // namespace
}  // namespace nextip::inet

#include "wire/ipxl/address.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace nextip::ipxl {
namespace {

using base::AddrErrc;
using Form = Address::Form;

Address must_parse(std::string_view s) {
  auto a = Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s << ": " << base::to_string(a.error(), s);
  return a.value_or(Address{});
}

Prefix must_parse_prefix(std::string_view s, bool strict = true) {
  auto p = parse_prefix(s, strict);
  EXPECT_TRUE(p.has_value()) << s << ": " << base::to_string(p.error(), s);
  return p.value_or(Prefix{});
}

constexpr u32 kLow = 0xc0a86401;  // 192.168.100.1

TEST(IpxlAddress, FieldsAndBytes) {
  const Address a(1, kLow);
  EXPECT_EQ(a.high(), 1u);
  EXPECT_EQ(a.low(), kLow);
  EXPECT_EQ(a.to_uint(), 0x00000001c0a86401ULL);
  std::array<std::byte, 8> b{};
  a.to_bytes(b);
  const std::array<std::byte, 8> want{std::byte{0x00}, std::byte{0x00}, std::byte{0x00}, std::byte{0x01},
                                      std::byte{0xc0}, std::byte{0xa8}, std::byte{0x64}, std::byte{0x01}};
  EXPECT_EQ(b, want);
  EXPECT_EQ(Address::from_bytes(b), a);
  EXPECT_EQ(Address::from_uint(a.to_uint()), a);
  EXPECT_EQ(Address::from_uint(~u64{0}), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(Address{}.to_uint(), 0u);
}

TEST(IpxlAddress, TriviallyCopyable) {
  static_assert(std::is_trivially_copyable_v<Address>);
  static_assert(sizeof(Address) == 8);
  static_assert(Address::kBits == 64);
  constexpr Address a(4, 5);
  static_assert(a.high() == 4 && a.low() == 5);
}

TEST(IpxlAddress, OrderingIsNumeric) {
  EXPECT_LT(Address(0, 0xffffffff), Address(1, 0));
  EXPECT_LT(Address(1, 5), Address(1, 6));
  EXPECT_LT(Address(7, 0xffffffff), Address(8, 0));
  EXPECT_GT(Address(0x80000000, 0), Address(0x7fffffff, 0xffffffff));
}

TEST(IpxlAddress, HashSpreads) {
  std::hash<Address> h;
  EXPECT_NE(h(Address(0, 1)), h(Address(0, 2)));
  EXPECT_NE(h(Address(1, 0)), h(Address(0, 1)));
  EXPECT_NE(h(Address(1, kLow)), h(Address(2, kLow)));
  EXPECT_EQ(h(Address(1, kLow)), h(must_parse("1.192.168.100.1")));
}

// 002 "How it works" and "Shorthand".
TEST(IpxlAddress, FullAndShorthandParse) {
  const Address a(1, kLow);
  EXPECT_EQ(must_parse("0.0.0.1.192.168.100.1"), a);
  EXPECT_EQ(must_parse("1.192.168.100.1"), a);
  // Dropping only some of the leading zeros is still a shorthand.
  EXPECT_EQ(must_parse("0.1.192.168.100.1"), a);
  EXPECT_EQ(must_parse("0.0.1.192.168.100.1"), a);
  EXPECT_EQ(must_parse("4.0.0.0.0"), Address(4, 0));
  EXPECT_EQ(must_parse("7.255.255.255.255"), Address(7, 0xffffffff));
  // 5..8 numbers: the numbers before the last four are the low octets of the high word.
  EXPECT_EQ(must_parse("0.1.2.3.4"), Address(0, 0x01020304));
  EXPECT_EQ(must_parse("2.1.2.3.4"), Address(2, 0x01020304));
  EXPECT_EQ(must_parse("1.0.1.2.3.4"), Address(0x0100, 0x01020304));
  EXPECT_EQ(must_parse("1.0.0.1.2.3.4"), Address(0x010000, 0x01020304));
  EXPECT_EQ(must_parse("1.0.0.0.1.2.3.4"), Address(0x01000000, 0x01020304));
  EXPECT_EQ(must_parse("255.255.255.255.255.255.255.255"), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(must_parse("0.0.0.0.0.0.0.0"), Address(0, 0));
  EXPECT_EQ(must_parse("0.0.0.0.0"), Address(0, 0));
}

TEST(IpxlAddress, FormatForms) {
  const Address a(1, kLow);
  EXPECT_EQ(a.format(), "0.0.0.1.192.168.100.1");
  EXPECT_EQ(a.format(Form::full), "0.0.0.1.192.168.100.1");
  EXPECT_EQ(a.format(Form::shorthand), "1.192.168.100.1");
  EXPECT_EQ(a.to_string(Form::shorthand), "1.192.168.100.1");

  // At least one high octet always stays.
  EXPECT_EQ(Address(0, 0).format(Form::shorthand), "0.0.0.0.0");
  EXPECT_EQ(Address(0, 0).format(Form::full), "0.0.0.0.0.0.0.0");
  EXPECT_EQ(Address(0, 0x01020304).format(Form::shorthand), "0.1.2.3.4");
  EXPECT_EQ(Address(4, 0).format(Form::shorthand), "4.0.0.0.0");
  EXPECT_EQ(Address(0x0100, 5).format(Form::shorthand), "1.0.0.0.0.5");
  EXPECT_EQ(Address(0x010000, 5).format(Form::shorthand), "1.0.0.0.0.0.5");
  EXPECT_EQ(Address(0x01000000, 5).format(Form::shorthand), "1.0.0.0.0.0.0.5");
  // Zero octets inside the high word are not leading zeros.
  EXPECT_EQ(Address(0x01000001, 0).format(Form::shorthand), "1.0.0.1.0.0.0.0");
  EXPECT_EQ(Address(0x00010001, 0).format(Form::shorthand), "1.0.1.0.0.0.0");
  const Address max(0xffffffff, 0xffffffff);
  EXPECT_EQ(max.format(Form::full), "255.255.255.255.255.255.255.255");
  EXPECT_EQ(max.format(Form::shorthand), "255.255.255.255.255.255.255.255");
  EXPECT_EQ(max.format().size(), Address::kMaxTextLength);
}

TEST(IpxlAddress, FormNames) {
  EXPECT_EQ(name(Form::full), "full");
  EXPECT_EQ(name(Form::shorthand), "shorthand");
}

// "When a 32-bit IP address is expressed in a 64-bit address its prefixed by 0.0.0.1."
TEST(IpxlAddress, Ipv4Mapping) {
  const inet::Ipv4Address v4(192, 168, 100, 1);
  const Address a = Address::from_ipv4(v4);
  EXPECT_EQ(a, Address(kIpv4High, kLow));
  EXPECT_EQ(kIpv4High, 1u);
  EXPECT_TRUE(a.is_ipv4());
  EXPECT_EQ(a.to_ipv4(), v4);
  EXPECT_EQ(a.format(), "0.0.0.1.192.168.100.1");
  EXPECT_EQ(a.format(Form::shorthand), "1.192.168.100.1");
  EXPECT_FALSE(Address(0, kLow).is_ipv4());
  EXPECT_FALSE(Address(0, kLow).to_ipv4().has_value());
  EXPECT_FALSE(Address(2, kLow).to_ipv4().has_value());
  EXPECT_FALSE(Address(0x01000001, kLow).is_ipv4());
}

// 002 "Shorthand": 4.0.0.0.0/-2 is 4.0.0.0.0 through 7.255.255.255.255.
TEST(IpxlAddress, NegativeCidrCountsIntoTheHighWord) {
  const Prefix p = must_parse_prefix("4.0.0.0.0/-2");
  EXPECT_EQ(p.length(), 30);
  EXPECT_EQ(signed_length(p.length()), -2);
  EXPECT_EQ(p.first(), Address(4, 0));
  EXPECT_EQ(p.last(), Address(7, 0xffffffff));
  EXPECT_EQ(p.first().format(), "0.0.0.4.0.0.0.0");
  EXPECT_EQ(p.last().format(), "0.0.0.7.255.255.255.255");
  EXPECT_TRUE(p.contains(Address(4, 0)));
  EXPECT_TRUE(p.contains(Address(5, 0x01020304)));
  EXPECT_TRUE(p.contains(Address(7, 0xffffffff)));
  EXPECT_FALSE(p.contains(Address(3, 0xffffffff)));
  EXPECT_FALSE(p.contains(Address(8, 0)));
  EXPECT_EQ(format_prefix(p), "0.0.0.4.0.0.0.0/-2");
  EXPECT_EQ(format_prefix(p, Form::shorthand), "4.0.0.0.0/-2");
  EXPECT_EQ(must_parse_prefix("0.0.0.4.0.0.0.0/-2"), p);

  const Prefix all = must_parse_prefix("0.0.0.0.0/-32");
  EXPECT_EQ(all.length(), 0);
  EXPECT_EQ(all.last(), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(format_prefix(all), "0.0.0.0.0.0.0.0/-32");
  EXPECT_EQ(format_prefix(all, Form::shorthand), "0.0.0.0.0/-32");

  const Prefix high = must_parse_prefix("0.0.0.2.0.0.0.0/-1");
  EXPECT_EQ(high.length(), 31);
  EXPECT_EQ(high.last(), Address(3, 0xffffffff));
  EXPECT_EQ(format_prefix(high, Form::shorthand), "2.0.0.0.0/-1");
}

// "192.168/16 ... must be written as 1.192.168.0.0/16": positive lengths count into
// the low 32 bits.
TEST(IpxlAddress, PositiveCidrCountsIntoTheLowWord) {
  const Prefix p = must_parse_prefix("1.192.168.0.0/16");
  EXPECT_EQ(p.length(), 48);
  EXPECT_EQ(signed_length(p.length()), 16);
  EXPECT_EQ(p.address(), Address(1, 0xc0a80000));
  EXPECT_EQ(p.last(), Address(1, 0xc0a8ffff));
  EXPECT_TRUE(p.contains(Address(1, kLow)));
  EXPECT_FALSE(p.contains(Address(2, kLow)));
  EXPECT_FALSE(p.contains(Address(0, kLow)));
  EXPECT_FALSE(p.contains(Address(1, 0xc0a90000)));
  EXPECT_EQ(format_prefix(p), "0.0.0.1.192.168.0.0/16");
  EXPECT_EQ(format_prefix(p, Form::shorthand), "1.192.168.0.0/16");
  EXPECT_EQ(must_parse_prefix("0.0.0.1.192.168.0.0/16"), p);

  const Prefix word = must_parse_prefix("1.0.0.0.0/0");
  EXPECT_EQ(word.length(), 32);
  EXPECT_EQ(signed_length(word.length()), 0);
  EXPECT_EQ(word.last(), Address(1, 0xffffffff));
  EXPECT_EQ(format_prefix(word, Form::shorthand), "1.0.0.0.0/0");
  EXPECT_TRUE(word.contains(p));
  EXPECT_FALSE(p.contains(word));

  const Prefix host = must_parse_prefix("1.192.168.100.1/32");
  EXPECT_EQ(host.length(), 64);
  EXPECT_EQ(host.first(), host.last());
  EXPECT_EQ(format_prefix(host, Form::shorthand), "1.192.168.100.1/32");
}

TEST(IpxlAddress, SignedLength) {
  EXPECT_EQ(signed_length(0), -32);
  EXPECT_EQ(signed_length(1), -31);
  EXPECT_EQ(signed_length(30), -2);
  EXPECT_EQ(signed_length(31), -1);
  EXPECT_EQ(signed_length(32), 0);
  EXPECT_EQ(signed_length(48), 16);
  EXPECT_EQ(signed_length(64), 32);
}

TEST(IpxlAddress, PrefixStrictAndLenient) {
  auto strict = parse_prefix("1.192.168.1.0/16");
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(base::code_name(strict.error().code), "prefix_host_bits_set");
  EXPECT_EQ(strict.error().pos, 13);
  EXPECT_EQ(strict.error().family, base::Family::ipxl);
  EXPECT_EQ(must_parse_prefix("1.192.168.1.0/16", false), must_parse_prefix("1.192.168.0.0/16"));
  // Host bits in the high word under a negative length.
  auto high = parse_prefix("5.0.0.0.0/-2");
  ASSERT_FALSE(high.has_value());
  EXPECT_EQ(base::code_name(high.error().code), "prefix_host_bits_set");
  EXPECT_EQ(high.error().pos, 9);
  EXPECT_EQ(must_parse_prefix("5.1.2.3.4/-2", false), must_parse_prefix("4.0.0.0.0/-2"));
}

// 002 "Special IANA trickery".
TEST(IpxlAddress, Classify) {
  EXPECT_EQ(classify(Address(0, 0x08080808)), Class::high_zero);
  EXPECT_EQ(classify(Address(0, 0)), Class::high_zero);
  EXPECT_EQ(classify(Address(1, 0x08080808)), Class::ipv4);
  EXPECT_EQ(classify(Address(1, 0x0a000001)), Class::ipv4);
  EXPECT_EQ(classify(Address(1, 0)), Class::ipv4);
  // Networks 2-16 over public unicast: the mirrored DFZ prefixes.
  EXPECT_EQ(classify(Address(2, 0x08080808)), Class::mirrored_prefix);
  EXPECT_EQ(classify(Address(16, 0x01000001)), Class::mirrored_prefix);
  EXPECT_EQ(classify(Address(9, 0xc7336401)), Class::mirrored_prefix);  // 199.51.100.1
  // Networks 2-16 over dead IPv4 space: 0.0.0.2.0.*, .10.*, .127.*, .225.* of the text.
  EXPECT_EQ(classify(Address(2, 0x00000001)), Class::early_allocation);
  EXPECT_EQ(classify(Address(2, 0x0a000001)), Class::early_allocation);
  EXPECT_EQ(classify(Address(2, 0x7f000001)), Class::early_allocation);
  EXPECT_EQ(classify(Address(2, 0xe1000001)), Class::early_allocation);
  EXPECT_EQ(classify(Address(16, 0xf0000001)), Class::early_allocation);
  EXPECT_EQ(classify(Address(16, 0xffffffff)), Class::early_allocation);
  // Everything else.
  EXPECT_EQ(classify(Address(17, 0x08080808)), Class::future);
  EXPECT_EQ(classify(Address(17, 0x0a000001)), Class::future);
  EXPECT_EQ(classify(Address(0x01000000, 0x08080808)), Class::future);
  EXPECT_EQ(classify(Address(0xffffffff, 0xffffffff)), Class::future);
  EXPECT_EQ(classify(Address(0x00010001, 0x08080808)), Class::future);

  const Class all[] = {Class::high_zero, Class::ipv4, Class::mirrored_prefix, Class::early_allocation, Class::future};
  std::set<std::string_view> names;
  for (Class c : all) {
    EXPECT_FALSE(name(c).empty());
    names.insert(name(c));
  }
  EXPECT_EQ(names.size(), std::size(all));
}

// 002 "How a non-IPxl router handles an IPxl packet".
TEST(IpxlAddress, LegacyRoutable) {
  EXPECT_TRUE(legacy_routable(Address(1, 0x08080808)));
  EXPECT_TRUE(legacy_routable(Address(1, kLow)));
  EXPECT_TRUE(legacy_routable(Address(2, 0x08080808)));
  EXPECT_TRUE(legacy_routable(Address(16, 0x08080808)));
  EXPECT_FALSE(legacy_routable(Address(2, 0x0a000001)));
  EXPECT_FALSE(legacy_routable(Address(2, 0xe1000001)));
  EXPECT_FALSE(legacy_routable(Address(17, 0x08080808)));
  EXPECT_FALSE(legacy_routable(Address(0xffffffff, 0x08080808)));
}

struct Bad {
  const char* text;
  AddrErrc code;
  int pos;
};

const Bad kBad[] = {
    {"", AddrErrc::empty, 0},
    {"1", AddrErrc::ipxl_part_count, 1},
    {"1.2.3", AddrErrc::ipxl_part_count, 5},
    {"1.192.168", AddrErrc::ipxl_part_count, 9},
    {"192.168.100.1", AddrErrc::ipxl_part_count, 13},
    {"1.2.3.4.5.6.7.8.9", AddrErrc::ipxl_part_count, 15},
    {"1.2.3.4.5.6.7.8.", AddrErrc::ipxl_part_count, 15},
    {"0.0.0.1.192.168.100.1.5", AddrErrc::ipxl_part_count, 21},
    {"1.2.3.4.5.6.7.8.9.10.11.12", AddrErrc::ipxl_part_count, 15},
    {"256.1.2.3.4", AddrErrc::octet_range, 0},
    {"4294967296.1.2.3.4", AddrErrc::octet_range, 0},
    {"1.192.168.100.256", AddrErrc::octet_range, 14},
    {"1.2.3.4.5.6.7.1000", AddrErrc::octet_range, 14},
    {"01.192.168.100.1", AddrErrc::leading_zero, 0},
    {"00.1.2.3.4", AddrErrc::leading_zero, 0},
    {"1.192.168.100.01", AddrErrc::leading_zero, 14},
    {"1.2.3.4.5.6.7.0256", AddrErrc::leading_zero, 14},
    {"1..2.3.4", AddrErrc::expected_digit, 2},
    {"1.2.3.4.5.", AddrErrc::expected_digit, 10},
    {"1.2.3.4.5..", AddrErrc::expected_digit, 10},
    {".1.2.3.4", AddrErrc::expected_digit, 0},
    {" 1.2.3.4.5", AddrErrc::expected_digit, 0},
    {"-1.2.3.4.5", AddrErrc::expected_digit, 0},
    {"1.2.3.4.-5", AddrErrc::expected_digit, 8},
    {"1.2.3.4.+5", AddrErrc::expected_digit, 8},
    {"a.b.c.d.e", AddrErrc::expected_digit, 0},
    {"[1.2.3.4.5]", AddrErrc::expected_digit, 0},
    {"1.2.3.4.5 ", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5x", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5\n", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5/16", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5:80", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5%eth0", AddrErrc::unexpected_char, 9},
    {"0.0.0.1.192.168.100.1x", AddrErrc::unexpected_char, 21},
    {"1:2.3.4.5", AddrErrc::unexpected_char, 1},
    {"1,2.3.4.5", AddrErrc::unexpected_char, 1},
    {"1 .2.3.4.5", AddrErrc::unexpected_char, 1},
    {"0x1.2.3.4.5", AddrErrc::unexpected_char, 1},
    {"2001:db8::1", AddrErrc::octet_range, 0},
    {"1.2.3.4:5", AddrErrc::unexpected_char, 7},
    {"255.255.255.255.255.255.255.255.1", AddrErrc::too_long, 31},
    {"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16", AddrErrc::too_long, 31},
};

TEST(IpxlAddress, InvalidInputsNameTheRuleAndPosition) {
  ASSERT_GE(std::size(kBad), 40u);
  for (const Bad& b : kBad) {
    auto r = Address::parse(b.text);
    ASSERT_FALSE(r.has_value()) << "accepted: " << b.text << " as " << r->to_string();
    EXPECT_EQ(r.error().family, base::Family::ipxl) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

const Bad kBadPrefix[] = {
    // 002: "192.168/16 may not be written as 1.192.168/16".
    {"1.192.168/16", AddrErrc::ipxl_part_count, 9},
    {"192.168/16", AddrErrc::ipxl_part_count, 7},
    {"1.192.168.0.0/-0", AddrErrc::ipxl_prefix_negative_zero, 14},
    {"0.0.0.0.0/-0", AddrErrc::ipxl_prefix_negative_zero, 10},
    {"1.192.168.0.0/33", AddrErrc::prefix_length_range, 14},
    {"1.192.168.0.0/64", AddrErrc::prefix_length_range, 14},
    {"1.192.168.0.0/-33", AddrErrc::prefix_length_range, 15},
    {"1.192.168.0.0/", AddrErrc::expected_digit, 14},
    {"1.192.168.0.0/-", AddrErrc::expected_digit, 15},
    {"1.192.168.0.0/--1", AddrErrc::expected_digit, 15},
    {"1.192.168.0.0/+1", AddrErrc::expected_digit, 14},
    {"1.192.168.0.0/016", AddrErrc::leading_zero, 14},
    {"1.192.168.0.0/-02", AddrErrc::leading_zero, 15},
    {"1.192.168.0.0", AddrErrc::prefix_missing_length, 13},
    {"1.192.168.0.0/16x", AddrErrc::trailing_text, 16},
    {"1.192.168.1.0/16", AddrErrc::prefix_host_bits_set, 13},
    {"5.0.0.0.0/-2", AddrErrc::prefix_host_bits_set, 9},
};

TEST(IpxlAddress, InvalidPrefixes) {
  for (const Bad& b : kBadPrefix) {
    auto r = parse_prefix(b.text);
    ASSERT_FALSE(r.has_value()) << b.text << " accepted";
    EXPECT_EQ(r.error().family, base::Family::ipxl) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

// ParseError::pos is 16 bits: a text longer than that must not get an error that
// points at an innocent character (prefix_text.h reports the missing '/' at the end).
TEST(IpxlAddress, HugePrefixTextErrorIsHonest) {
  const std::string s(70000, '1');
  auto r = parse_prefix(s);
  ASSERT_FALSE(r.has_value());
  const bool honest = r.error().code == AddrErrc::too_long || r.error().pos >= 0xffff;
  EXPECT_TRUE(honest) << base::to_string(r.error(), s).substr(0, 100);
}

// Each word drawn from zero, a small value, a value with one non-zero octet anywhere
// (exercising every shorthand length) and a random word.
Address random_address(std::mt19937_64& rng) {
  auto word = [&rng]() -> u32 {
    switch (rng() % 4) {
      case 0: return 0;
      case 1: return static_cast<u32>(rng() % 17);
      case 2: return static_cast<u32>(rng() % 256) << (8 * (rng() % 4));
      default: return static_cast<u32>(rng());
    }
  };
  return Address(word(), word());
}

TEST(IpxlAddress, PropertyParseFormatRoundTripsEveryForm) {
  std::mt19937_64 rng(29);
  for (int i = 0; i < 100000; ++i) {
    const Address a = random_address(rng);
    for (Form f : Address::kAllForms) {
      const auto t = a.format(f);
      ASSERT_LE(t.size(), Address::kMaxTextLength);
      auto back = Address::parse(t);
      ASSERT_TRUE(back.has_value()) << t.view() << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, a) << t.view();
    }
    ASSERT_LE(a.format(Form::shorthand).size(), a.format(Form::full).size());
  }
}

TEST(IpxlAddress, PropertyPrefixRoundTrips) {
  std::mt19937_64 rng(0x9d0c);
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 65);
    const Address a = random_address(rng);
    const Prefix p = Prefix::containing(a, len);
    ASSERT_TRUE(p.contains(a));
    for (Form f : Address::kAllForms) {
      const std::string t = format_prefix(p, f);
      const std::string suffix = "/" + std::to_string(signed_length(len));
      ASSERT_TRUE(t.ends_with(suffix)) << t;
      auto back = parse_prefix(t);
      ASSERT_TRUE(back.has_value()) << t << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, p) << t;
    }
  }
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t at = s.find(sep, pos);
    if (at == std::string::npos) {
      out.push_back(s.substr(pos));
      return out;
    }
    out.push_back(s.substr(pos, at - pos));
    pos = at + sep.size();
  }
}

bool all_of_chars(const std::string& t, const char* set) {
  return !t.empty() && t.find_first_not_of(set) == std::string::npos;
}

// Decimal without sign or leading zeros, at most `max`.
bool is_decimal(const std::string& t, u64 max) {
  if (!all_of_chars(t, "0123456789") || t.size() > 10 || (t.size() > 1 && t[0] == '0')) return false;
  return std::stoull(t) <= max;
}

// An independent reading of 002 "Shorthand" + IPXL-1: 5 to 8 decimal octets.
bool reference_accepts(const std::string& s) {
  const auto parts = split(s, ".");
  if (parts.size() < 5 || parts.size() > 8) return false;
  for (const auto& p : parts) {
    if (!is_decimal(p, 255)) return false;
  }
  return true;
}

TEST(IpxlAddress, MutatedTextAgreesWithReference) {
  std::mt19937_64 rng(2929);
  const std::string alphabet = "0123456789..";
  for (int i = 0; i < 20000; ++i) {
    const Address a = random_address(rng);
    std::string s(a.format(Address::kAllForms[rng() % 2]).view());
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        default:
          if (at < s.size()) s[at] = c;
          break;
      }
    }
    auto r = Address::parse(s);
    ASSERT_EQ(r.has_value(), reference_accepts(s)) << s;
    if (r) {
      // The value: the numbers, right-aligned in 64 bits.
      u64 v = 0;
      std::size_t pos = 0;
      while (pos <= s.size()) {
        const std::size_t dot = std::min(s.find('.', pos), s.size());
        v = (v << 8) | std::stoull(s.substr(pos, dot - pos));
        pos = dot + 1;
      }
      ASSERT_EQ(r->to_uint(), v) << s;
      for (Form f : Address::kAllForms) ASSERT_EQ(Address::parse(r->format(f)).value(), *r) << s;
    } else {
      ASSERT_LE(r.error().pos, s.size()) << s;
    }
  }
}

TEST(IpxlAddress, RandomTextNeverCrashes) {
  std::mt19937_64 rng(64);
  const std::string alphabet = "0123456789..../-: x";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    auto a = Address::parse(s);
    if (a) {
      for (Form f : Address::kAllForms) ASSERT_EQ(Address::parse(a->format(f)).value(), *a) << s;
    } else {
      ASSERT_LE(a.error().pos, s.size()) << s;
      ASSERT_NE(a.error().code, AddrErrc::ok) << s;
    }
    auto p = parse_prefix(s);
    if (p) {
      for (Form f : Address::kAllForms) ASSERT_EQ(parse_prefix(format_prefix(*p, f)).value(), *p) << s;
    } else {
      ASSERT_LE(p.error().pos, s.size()) << s;
    }
    (void)parse_prefix(s, false);
    if (a) (void)classify(*a), (void)legacy_routable(*a);
  }
}

}  // namespace
}  // namespace nextip::ipxl

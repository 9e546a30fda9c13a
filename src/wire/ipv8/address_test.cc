#include "wire/ipv8/address.h"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace nextip::ipv8 {
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

constexpr u32 kHost = 0xc0000201;  // 192.0.2.1

TEST(Ipv8Address, FieldsAndBytes) {
  const Address a(64496, kHost);
  EXPECT_EQ(a.r(), 64496u);
  EXPECT_EQ(a.asn(), 64496u);
  EXPECT_EQ(a.h(), kHost);
  EXPECT_EQ(a.to_uint(), 0x0000fbf0c0000201ULL);
  std::array<std::byte, 8> b{};
  a.to_bytes(b);
  const std::array<std::byte, 8> want{std::byte{0x00}, std::byte{0x00}, std::byte{0xfb}, std::byte{0xf0},
                                      std::byte{0xc0}, std::byte{0x00}, std::byte{0x02}, std::byte{0x01}};
  EXPECT_EQ(b, want);
  EXPECT_EQ(Address::from_bytes(b), a);
  EXPECT_EQ(Address::from_uint(a.to_uint()), a);
  EXPECT_EQ(Address::from_uint(0xffffffffffffffffULL), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(Address{}.to_uint(), 0u);
}

TEST(Ipv8Address, TriviallyCopyable) {
  static_assert(std::is_trivially_copyable_v<Address>);
  static_assert(sizeof(Address) == 8);
  static_assert(Address::kBits == 64);
  static_assert(Address::kSize == 8);
  constexpr Address a(1, 2);
  static_assert(a.r() == 1 && a.h() == 2);
}

TEST(Ipv8Address, OrderingIsNumeric) {
  EXPECT_LT(Address(0, 0xffffffff), Address(1, 0));
  EXPECT_LT(Address(1, 5), Address(1, 6));
  EXPECT_LT(Address(0x7fffffff, 0xffffffff), Address(0x80000000, 0));
  EXPECT_GT(Address(2, 0), Address(1, 0xffffffff));
  EXPECT_EQ(Address(3, 4), Address::from_uint((u64{3} << 32) | 4));
}

TEST(Ipv8Address, HashSpreads) {
  std::hash<Address> h;
  EXPECT_NE(h(Address(0, 1)), h(Address(0, 2)));
  EXPECT_NE(h(Address(1, 0)), h(Address(0, 1)));
  EXPECT_NE(h(Address(64496, kHost)), h(Address(64497, kHost)));
  EXPECT_EQ(h(Address(64496, kHost)), h(must_parse("64496.192.0.2.1")));
}

// facts "Addressing": 0.0.251.240.192.0.2.1 and 64496.192.0.2.1 are the same address.
TEST(Ipv8Address, ThreeTextFormsParse) {
  const Address want(64496, kHost);
  EXPECT_EQ(must_parse("0.0.251.240:192.0.2.1"), want);
  EXPECT_EQ(must_parse("0.0.251.240.192.0.2.1"), want);
  EXPECT_EQ(must_parse("64496.192.0.2.1"), want);
  EXPECT_EQ(must_parse("0.0.0.0:0.0.0.0"), Address(0, 0));
  EXPECT_EQ(must_parse("0.0.0.0.0.0.0.0"), Address(0, 0));
  EXPECT_EQ(must_parse("0.0.0.0.0"), Address(0, 0));
  EXPECT_EQ(must_parse("255.255.255.255:255.255.255.255"), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(must_parse("255.255.255.255.255.255.255.255"), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(must_parse("4294967295.255.255.255.255"), Address(0xffffffff, 0xffffffff));
  EXPECT_EQ(must_parse("1.2.3.4.5"), Address(1, 0x02030405));
  EXPECT_EQ(must_parse("1.2.3.4.5.6.7.8"), Address(0x01020304, 0x05060708));
  EXPECT_EQ(must_parse("1.2.3.4:5.6.7.8"), Address(0x01020304, 0x05060708));
  // ASN-dot with an ASN that needs more than 24 bits.
  EXPECT_EQ(must_parse("2130771968.10.0.0.1"), must_parse("127.1.0.0:10.0.0.1"));
  EXPECT_EQ(must_parse("65534.222.0.0.1"), Address(65534, 0xde000001));
}

TEST(Ipv8Address, FormatForms) {
  const Address a(64496, kHost);
  EXPECT_EQ(a.format(), "0.0.251.240:192.0.2.1");
  EXPECT_EQ(a.format(Form::canonical), "0.0.251.240:192.0.2.1");
  EXPECT_EQ(a.format(Form::dotted), "0.0.251.240.192.0.2.1");
  EXPECT_EQ(a.format(Form::asn_dot), "64496.192.0.2.1");
  EXPECT_EQ(a.to_string(Form::asn_dot), "64496.192.0.2.1");
  EXPECT_EQ(a.to_string(), "0.0.251.240:192.0.2.1");

  const Address zero;
  EXPECT_EQ(zero.format(Form::canonical), "0.0.0.0:0.0.0.0");
  EXPECT_EQ(zero.format(Form::dotted), "0.0.0.0.0.0.0.0");
  EXPECT_EQ(zero.format(Form::asn_dot), "0.0.0.0.0");

  const Address max(0xffffffff, 0xffffffff);
  EXPECT_EQ(max.format(Form::canonical), "255.255.255.255:255.255.255.255");
  EXPECT_EQ(max.format(Form::canonical).size(), Address::kMaxTextLength);
  EXPECT_EQ(max.format(Form::dotted), "255.255.255.255.255.255.255.255");
  EXPECT_EQ(max.format(Form::asn_dot), "4294967295.255.255.255.255");
  EXPECT_EQ(Address(0x7f010000, 0x0a000001).format(Form::asn_dot), "2130771968.10.0.0.1");
}

TEST(Ipv8Address, FormNames) {
  EXPECT_EQ(name(Form::canonical), "canonical");
  EXPECT_EQ(name(Form::dotted), "dotted");
  EXPECT_EQ(name(Form::asn_dot), "asn-dot");
}

// facts: "IPv4 is the subset with routing prefix 0.0.0.0".
TEST(Ipv8Address, Ipv4IsTheRZeroSubset) {
  const inet::Ipv4Address v4(192, 0, 2, 1);
  const Address a = Address::from_ipv4(v4);
  EXPECT_EQ(a, Address(0, kHost));
  EXPECT_TRUE(a.is_ipv4());
  EXPECT_EQ(a.to_ipv4(), v4);
  EXPECT_EQ(a.format(), "0.0.0.0:192.0.2.1");
  EXPECT_EQ(a.format(Form::asn_dot), "0.192.0.2.1");
  EXPECT_EQ(must_parse("0.192.0.2.1"), a);
  EXPECT_FALSE(Address(1, kHost).is_ipv4());
  EXPECT_FALSE(Address(1, kHost).to_ipv4().has_value());
  EXPECT_FALSE(Address(0x80000000, 0).to_ipv4().has_value());
  EXPECT_EQ(Address::from_ipv4(inet::Ipv4Address(0xffffffff)).to_ipv4(), inet::Ipv4Address(0xffffffff));
}

TEST(Ipv8Address, PrefixParseAndFormat) {
  const Prefix asn = must_parse_prefix("0.0.251.240:0.0.0.0/32");
  EXPECT_EQ(asn.address(), Address(64496, 0));
  EXPECT_EQ(asn.length(), 32);
  EXPECT_EQ(asn.host_bits(), 32);
  EXPECT_EQ(format_prefix(asn), "0.0.251.240:0.0.0.0/32");
  EXPECT_EQ(format_prefix(asn, Form::dotted), "0.0.251.240.0.0.0.0/32");
  EXPECT_EQ(format_prefix(asn, Form::asn_dot), "64496.0.0.0.0/32");
  EXPECT_EQ(asn.first(), Address(64496, 0));
  EXPECT_EQ(asn.last(), Address(64496, 0xffffffff));
  EXPECT_TRUE(asn.contains(Address(64496, kHost)));
  EXPECT_FALSE(asn.contains(Address(64497, 0)));
  EXPECT_FALSE(asn.contains(Address(64495, 0xffffffff)));
  EXPECT_EQ(must_parse_prefix("64496.0.0.0.0/32"), asn);
  EXPECT_EQ(must_parse_prefix("0.0.251.240.0.0.0.0/32"), asn);

  const Prefix host16 = must_parse_prefix("64496.192.168.0.0/48");
  EXPECT_EQ(host16.address(), Address(64496, 0xc0a80000));
  EXPECT_EQ(host16.first(), Address(64496, 0xc0a80000));
  EXPECT_EQ(host16.last(), Address(64496, 0xc0a8ffff));
  EXPECT_TRUE(host16.contains(Address(64496, 0xc0a81234)));
  EXPECT_FALSE(host16.contains(Address(64496, 0xc0a90000)));
  EXPECT_FALSE(host16.contains(Address(0, 0xc0a81234)));
  EXPECT_TRUE(asn.contains(host16));
  EXPECT_FALSE(host16.contains(asn));
  EXPECT_EQ(format_prefix(host16), "0.0.251.240:192.168.0.0/48");

  const Prefix all = must_parse_prefix("0.0.0.0:0.0.0.0/0");
  EXPECT_EQ(all.last(), Address(0xffffffff, 0xffffffff));
  EXPECT_TRUE(all.contains(Address(0xffffffff, 0xffffffff)));
  EXPECT_EQ(format_prefix(all, Form::asn_dot), "0.0.0.0.0/0");

  const Prefix one = must_parse_prefix("64496.192.0.2.1/64");
  EXPECT_EQ(one.first(), one.last());
  EXPECT_TRUE(one.contains(Address(64496, kHost)));
  EXPECT_FALSE(one.contains(Address(64496, kHost + 1)));

  // The IPv4 subset as a prefix: r = 0.
  const Prefix v4 = must_parse_prefix("0.0.0.0:0.0.0.0/32");
  EXPECT_TRUE(v4.contains(Address::from_ipv4(inet::Ipv4Address(8, 8, 8, 8))));
  EXPECT_FALSE(v4.contains(Address(1, 0)));
}

TEST(Ipv8Address, PrefixStrictAndLenient) {
  auto strict = parse_prefix("64496.192.0.2.1/48");
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(base::code_name(strict.error().code), "prefix_host_bits_set");
  EXPECT_EQ(strict.error().pos, 15);
  EXPECT_EQ(strict.error().family, base::Family::ipv8);
  const Prefix lenient = must_parse_prefix("64496.192.0.2.1/48", false);
  EXPECT_EQ(lenient.address(), Address(64496, 0xc0000000));
  EXPECT_EQ(lenient.length(), 48);
  EXPECT_EQ(must_parse_prefix("0.0.251.240:255.255.255.255/32", false), must_parse_prefix("64496.0.0.0.0/32"));
  EXPECT_EQ(must_parse_prefix("1.2.3.4:5.6.7.8/0", false), must_parse_prefix("0.0.0.0.0/0"));
  // Lenient parsing still refuses a bad length.
  EXPECT_FALSE(parse_prefix("64496.192.0.2.1/65", false).has_value());
}

// facts "Routing-table bound": one ASN (>= /32) and nothing more specific than host /16.
TEST(Ipv8Address, InjectableAcrossAs) {
  const Prefix p32 = must_parse_prefix("64496.0.0.0.0/32");
  EXPECT_EQ(host_part_length(p32), 0);
  EXPECT_TRUE(injectable_across_as(p32));

  const Prefix p48 = must_parse_prefix("64496.192.168.0.0/48");
  EXPECT_EQ(host_part_length(p48), 16);
  EXPECT_TRUE(injectable_across_as(p48));

  const Prefix p49 = must_parse_prefix("64496.192.168.128.0/49");
  EXPECT_EQ(host_part_length(p49), 17);
  EXPECT_FALSE(injectable_across_as(p49));

  const Prefix p31 = must_parse_prefix("64496.0.0.0.0/31");
  EXPECT_EQ(host_part_length(p31), 0);
  EXPECT_FALSE(injectable_across_as(p31));

  const Prefix p40 = must_parse_prefix("64496.10.0.0.0/40");
  EXPECT_EQ(host_part_length(p40), 8);
  EXPECT_TRUE(injectable_across_as(p40));

  const Prefix p64 = must_parse_prefix("64496.10.0.0.1/64");
  EXPECT_EQ(host_part_length(p64), 32);
  EXPECT_FALSE(injectable_across_as(p64));

  const Prefix p0 = must_parse_prefix("0.0.0.0.0/0");
  EXPECT_EQ(host_part_length(p0), 0);
  EXPECT_FALSE(injectable_across_as(p0));
  EXPECT_EQ(kMinInjectableHostPrefix, 16);
}

struct Bad {
  const char* text;
  AddrErrc code;
  int pos;
};

const Bad kBad[] = {
    {"", AddrErrc::empty, 0},
    {"1", AddrErrc::ipv8_part_count, 1},
    {"1.2.3.4", AddrErrc::ipv8_part_count, 7},
    {"192.0.2.1", AddrErrc::ipv8_part_count, 9},
    {"1.2.3.4.5.6", AddrErrc::ipv8_part_count, 11},
    {"1.2.3.4.5.6.7", AddrErrc::ipv8_part_count, 13},
    {"1.2.3.4.5.6.7.8.9", AddrErrc::ipv8_part_count, 15},
    {"1.2.3.4.5.6.7.8.9.10", AddrErrc::ipv8_part_count, 15},
    {"4294967296.1.2.3.4", AddrErrc::asn_range, 0},
    {"99999999999.1.2.3.4", AddrErrc::asn_range, 0},
    {"256.0.0.0.1.2.3.4", AddrErrc::octet_range, 0},
    {"64496.256.0.2.1", AddrErrc::octet_range, 6},
    {"64496.1.2.3.256", AddrErrc::octet_range, 12},
    {"0.0.251.240.192.0.2.256", AddrErrc::octet_range, 20},
    {"1.2.3.4.5.6.7.256", AddrErrc::octet_range, 14},
    {"256.0.0.0:1.2.3.4", AddrErrc::octet_range, 0},
    {"0.0.0.0:256.0.0.1", AddrErrc::octet_range, 8},
    {"064496.1.2.3.4", AddrErrc::leading_zero, 0},
    {"64496.01.2.3.4", AddrErrc::leading_zero, 6},
    {"0.0.0.0:01.2.3.4", AddrErrc::leading_zero, 8},
    {"1.2.3.4.5.6.07.8", AddrErrc::leading_zero, 12},
    {"1..2.3.4", AddrErrc::expected_digit, 2},
    {"1.2.3.4.", AddrErrc::expected_digit, 8},
    {".1.2.3.4", AddrErrc::expected_digit, 0},
    {" 1.2.3.4.5", AddrErrc::expected_digit, 0},
    {"-1.2.3.4.5", AddrErrc::expected_digit, 0},
    {"+1.2.3.4.5", AddrErrc::expected_digit, 0},
    {"a.b.c.d.e", AddrErrc::expected_digit, 0},
    {"[0.0.251.240:192.0.2.1]", AddrErrc::expected_digit, 0},
    {":192.0.2.1", AddrErrc::expected_digit, 0},
    {"0.0.251.240:", AddrErrc::expected_digit, 12},
    {"0.0.251.240::192.0.2.1", AddrErrc::expected_digit, 12},
    {"1.2.3.4.5 ", AddrErrc::unexpected_char, 9},
    {"1.2.3.4.5x", AddrErrc::unexpected_char, 9},
    {"1,2,3,4,5", AddrErrc::unexpected_char, 1},
    {"0x1.2.3.4.5", AddrErrc::unexpected_char, 1},
    {"1.2.3.4.5.6.7.8/32", AddrErrc::unexpected_char, 15},
    {"0.0.251.240:192.0.2.1:5", AddrErrc::trailing_text, 21},
    {"0.0.251.240:192.0.2.1%eth0", AddrErrc::trailing_text, 21},
    {"0.0.251.240 192.0.2.1", AddrErrc::unexpected_char, 11},
    {"64500-192.0.2.1", AddrErrc::unexpected_char, 5},  // IPV8-2: hyphen form refused
    {"0.0.251.240:192.0.2", AddrErrc::ipv8_colon_form, 19},
    {"0.0.251:192.0.2.1", AddrErrc::ipv8_colon_form, 7},
    {"1.2.3:4.5.6.7", AddrErrc::ipv8_colon_form, 5},
    {"1.2.3.4:5.6.7", AddrErrc::ipv8_colon_form, 13},
    // The colon form's r is a dotted quad, never an ASN integer.
    {"64496:192.0.2.1", AddrErrc::octet_range, 0},
    {"2001:db8::1", AddrErrc::octet_range, 0},
    {"0.0.251.240:192.0.2.1.5", AddrErrc::ipv8_colon_form, 21},
    {"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17", AddrErrc::too_long, 31},
};

TEST(Ipv8Address, InvalidInputsNameTheRuleAndPosition) {
  ASSERT_GE(std::size(kBad), 40u);
  for (const Bad& b : kBad) {
    auto r = Address::parse(b.text);
    ASSERT_FALSE(r.has_value()) << "accepted: " << b.text << " as " << r->to_string();
    EXPECT_EQ(r.error().family, base::Family::ipv8) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

const Bad kBadPrefix[] = {
    {"64496.0.0.0.0", AddrErrc::prefix_missing_length, 13},
    {"64496.0.0.0.0/", AddrErrc::expected_digit, 14},
    {"64496.0.0.0.0/65", AddrErrc::prefix_length_range, 14},
    {"64496.0.0.0.0/100", AddrErrc::prefix_length_range, 14},
    {"64496.0.0.0.0/032", AddrErrc::leading_zero, 14},
    {"64496.0.0.0.0/-1", AddrErrc::expected_digit, 14},
    {"64496.0.0.0.0/32x", AddrErrc::trailing_text, 16},
    {"64496.0.0.0.0/32/32", AddrErrc::unexpected_char, 13},
    {"64496.0.0.0.1/32", AddrErrc::prefix_host_bits_set, 13},
    {"0.0.251.240:192.0.2.1/32", AddrErrc::prefix_host_bits_set, 21},
    {"1.2.3.4/32", AddrErrc::ipv8_part_count, 7},
    {"4294967296.0.0.0.0/32", AddrErrc::asn_range, 0},
};

TEST(Ipv8Address, InvalidPrefixes) {
  for (const Bad& b : kBadPrefix) {
    auto r = parse_prefix(b.text);
    ASSERT_FALSE(r.has_value()) << b.text;
    EXPECT_EQ(r.error().family, base::Family::ipv8) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

// ParseError::pos is 16 bits: a text longer than that must not get an error that
// points at an innocent character (prefix_text.h reports the missing '/' at the end).
TEST(Ipv8Address, HugePrefixTextErrorIsHonest) {
  const std::string s(70000, '1');
  auto r = parse_prefix(s);
  ASSERT_FALSE(r.has_value());
  const bool honest = r.error().code == AddrErrc::too_long || r.error().pos >= 0xffff;
  EXPECT_TRUE(honest) << base::to_string(r.error(), s).substr(0, 100);
}

// Each half drawn from zero, a small value, an ASN-sized value and a random word.
Address random_address(std::mt19937_64& rng) {
  auto half = [&rng]() -> u32 {
    switch (rng() % 4) {
      case 0: return 0;
      case 1: return static_cast<u32>(rng() % 256);
      case 2: return static_cast<u32>(rng() % 100000);
      default: return static_cast<u32>(rng());
    }
  };
  return Address(half(), half());
}

TEST(Ipv8Address, PropertyParseFormatRoundTripsEveryForm) {
  std::mt19937_64 rng(20260417);
  for (int i = 0; i < 100000; ++i) {
    const Address a = random_address(rng);
    for (Form f : Address::kAllForms) {
      const auto t = a.format(f);
      ASSERT_LE(t.size(), Address::kMaxTextLength);
      auto back = Address::parse(t);
      ASSERT_TRUE(back.has_value()) << t.view() << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, a) << t.view();
    }
  }
}

TEST(Ipv8Address, PropertyPrefixRoundTrips) {
  std::mt19937_64 rng(8);
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 65);
    const Address a = random_address(rng);
    const Prefix p = Prefix::containing(a, len);
    ASSERT_TRUE(p.contains(a));
    ASSERT_LE(p.first(), a);
    ASSERT_GE(p.last(), a);
    for (Form f : Address::kAllForms) {
      const std::string t = format_prefix(p, f);
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

bool is_quad(const std::string& t) {
  const auto parts = split(t, ".");
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (!is_decimal(p, 255)) return false;
  }
  return true;
}

// An independent reading of the three text forms of the header comment: whatever the
// parser accepts must be one of them, and vice versa.
bool reference_accepts(const std::string& s) {
  if (s.find(':') != std::string::npos) {
    const auto halves = split(s, ":");
    return halves.size() == 2 && is_quad(halves[0]) && is_quad(halves[1]);
  }
  const auto parts = split(s, ".");
  if (parts.size() == 8) {
    for (const auto& p : parts) {
      if (!is_decimal(p, 255)) return false;
    }
    return true;
  }
  if (parts.size() != 5 || !is_decimal(parts[0], 0xffffffffULL)) return false;
  for (std::size_t k = 1; k < 5; ++k) {
    if (!is_decimal(parts[k], 255)) return false;
  }
  return true;
}

TEST(Ipv8Address, MutatedTextAgreesWithReference) {
  std::mt19937_64 rng(808);
  const std::string alphabet = "0123456789.:5";
  for (int i = 0; i < 20000; ++i) {
    const Address a = random_address(rng);
    std::string s(a.format(Address::kAllForms[rng() % 3]).view());
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
      bool spelled = false;
      for (Form f : Address::kAllForms) {
        ASSERT_EQ(Address::parse(r->format(f)).value(), *r) << s;
        spelled = spelled || r->format(f).view() == s;
      }
      ASSERT_TRUE(spelled) << s << " is not how any form prints " << r->to_string();
    } else {
      ASSERT_LE(r.error().pos, s.size()) << s;
    }
  }
}

TEST(Ipv8Address, RandomTextNeverCrashes) {
  std::mt19937_64 rng(88);
  const std::string alphabet = "0123456789.:/-x ";
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
      ASSERT_EQ(parse_prefix(format_prefix(*p)).value(), *p) << s;
    } else {
      ASSERT_LE(p.error().pos, s.size()) << s;
    }
    (void)parse_prefix(s, false);
  }
}

}  // namespace
}  // namespace nextip::ipv8

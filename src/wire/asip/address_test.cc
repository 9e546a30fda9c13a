#include "wire/asip/address.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace nextip::asip {
namespace {

using base::AddrErrc;
using Form = Address::Form;

Address must_parse(std::string_view s) {
  auto a = Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s << ": " << base::to_string(a.error(), s);
  return a.value_or(Address{});
}

TEST(AsipAddress, FieldsAndBytes) {
  const Address a(64496, 1, 10, 0xc0000201);
  EXPECT_EQ(a.r(), 64496u);
  EXPECT_EQ(a.z(), 1u);
  EXPECT_EQ(a.s(), 10u);
  EXPECT_EQ(a.h(), 0xc0000201u);
  std::array<std::byte, 16> b{};
  a.to_bytes(b);
  EXPECT_EQ(b[2], std::byte{0xfb});
  EXPECT_EQ(b[3], std::byte{0xf0});
  EXPECT_EQ(b[15], std::byte{0x01});
  EXPECT_EQ(Address::from_bytes(b), a);
  EXPECT_EQ(Address::from_uint(a.to_uint()), a);
}

TEST(AsipAddress, OrderingIsNumeric) {
  EXPECT_LT(Address(0, 0, 0, 5), Address(0, 0, 1, 0));
  EXPECT_LT(Address(1, 0xffffffff, 0, 0), Address(2, 0, 0, 0));
  EXPECT_LT(Address(1, 2, 3, 4).to_uint(), Address(1, 2, 3, 5).to_uint());
}

TEST(AsipAddress, HashSpreads) {
  std::hash<Address> h;
  EXPECT_NE(h(Address(0, 0, 0, 1)), h(Address(0, 0, 0, 2)));
  EXPECT_NE(h(Address(1, 0, 0, 0)), h(Address(0, 0, 0, 1)));
}

TEST(AsipAddress, TriviallyCopyable) {
  static_assert(std::is_trivially_copyable_v<Address>);
  static_assert(sizeof(Address) == 16);
}

// §6.3 Table 8: every compression position.
TEST(AsipAddress, CompressionTable8) {
  EXPECT_EQ(must_parse("64496:0.0.0.1:0.0.0.2:10.0.0.1"), Address(64496, 1, 2, 0x0a000001));
  EXPECT_EQ(must_parse("64496::0.0.0.2:10.0.0.1"), Address(64496, 0, 2, 0x0a000001));
  EXPECT_EQ(must_parse("64496:0.0.0.1::10.0.0.1"), Address(64496, 1, 0, 0x0a000001));
  EXPECT_EQ(must_parse("64496::10.0.0.1"), Address(64496, 0, 0, 0x0a000001));
  EXPECT_EQ(must_parse("::0.0.0.2:10.0.0.1"), Address(0, 0, 2, 0x0a000001));
  EXPECT_EQ(must_parse("::10.0.0.1"), Address(0, 0, 0, 0x0a000001));
}

TEST(AsipAddress, ZeroAsnEquivalence) {
  // §6.3 rule 6: 0::h and ::h are the same address.
  EXPECT_EQ(must_parse("0::10.0.0.1"), must_parse("::10.0.0.1"));
  EXPECT_EQ(must_parse("0.0.0.0::10.0.0.1"), must_parse("::10.0.0.1"));
}

TEST(AsipAddress, SingleFieldCompression) {
  // §6.3 rule 4: '::' may replace one field, including r alone.
  EXPECT_EQ(must_parse("::0.0.0.5:0.0.0.6:1.2.3.4"), Address(0, 5, 6, 0x01020304));
  EXPECT_EQ(must_parse("1.0.0.0:0.0.0.5::1.2.3.4"), Address(0x01000000, 5, 0, 0x01020304));
}

TEST(AsipAddress, AsnIntegerAndDottedAgree) {
  EXPECT_EQ(must_parse("15169:0.0.0.1:0.0.0.10:192.0.2.1"), must_parse("0.0.59.65:0.0.0.1:0.0.0.10:192.0.2.1"));
  EXPECT_EQ(must_parse("4294967295::1.2.3.4"), Address(0xffffffff, 0, 0, 0x01020304));
  EXPECT_EQ(must_parse("2130771968::10.0.0.1"), must_parse("127.1.0.0::10.0.0.1"));
}

TEST(AsipAddress, FlatForm) {
  EXPECT_EQ(must_parse("0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.1"), Address(15169, 1, 10, 0xc0000201));
  EXPECT_EQ(Address(15169, 1, 10, 0xc0000201).format(Form::flat), "0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.1");
}

TEST(AsipAddress, FormatForms) {
  const Address a(64496, 0, 0, 0xc0000201);
  EXPECT_EQ(a.format(), "64496::192.0.2.1");
  EXPECT_EQ(a.format(Form::uncompressed), "64496:0.0.0.0:0.0.0.0:192.0.2.1");
  EXPECT_EQ(a.format(Form::dotted), "0.0.251.240:0.0.0.0:0.0.0.0:192.0.2.1");
  EXPECT_EQ(a.format(Form::dotted_compressed), "0.0.251.240::192.0.2.1");
  EXPECT_EQ(a.format(Form::integer), "64496::192.0.2.1");
  EXPECT_EQ(a.format(Form::flat), "0.0.251.240.0.0.0.0.0.0.0.0.192.0.2.1");
}

TEST(AsipAddress, LocatorRuleDottedForSpecialRanges) {
  // Decision ASIP-1: special-purpose locators print dotted, public ASNs as integers.
  EXPECT_EQ(must_parse("127.1.0.0::10.0.0.1").format(), "127.1.0.0::10.0.0.1");
  EXPECT_EQ(must_parse("100.0.0.1::10.255.0.1").format(), "100.0.0.1::10.255.0.1");
  EXPECT_EQ(must_parse("254.0.0.1::192.168.1.1").format(), "254.0.0.1::192.168.1.1");
  EXPECT_EQ(must_parse("255.255.255.0::224.0.0.1").format(), "255.255.255.0::224.0.0.1");
  EXPECT_EQ(must_parse("169.254.0.0::1.2.3.4").format(), "169.254.0.0::1.2.3.4");
  EXPECT_EQ(must_parse("240.0.0.7::1.2.3.4").format(), "240.0.0.7::1.2.3.4");
  EXPECT_EQ(must_parse("97.0.0.1::1.2.3.4").format(), "97.0.0.1::1.2.3.4");
  EXPECT_EQ(must_parse("0.0.59.65::1.2.3.4").format(), "15169::1.2.3.4");
  EXPECT_EQ(must_parse("101.0.0.0::1.2.3.4").format(), "1694498816::1.2.3.4");
  EXPECT_EQ(must_parse("127.1.0.0::10.0.0.1").format(Form::integer), "2130771968::10.0.0.1");
}

TEST(AsipAddress, LeftmostRunOnTies) {
  // r = 0, z != 0, s = 0: two runs of one field; the leftmost (r) is compressed.
  EXPECT_EQ(Address(0, 5, 0, 0x01020304).format(), "::0.0.0.5:0.0.0.0:1.2.3.4");
  // z = 0, s != 0 and r != 0: only z is zero.
  EXPECT_EQ(Address(64496, 0, 7, 0x01020304).format(), "64496::0.0.0.7:1.2.3.4");
  // Longest run wins over an earlier shorter one: r=0 (1) vs nothing else.
  EXPECT_EQ(Address(0, 0, 0, 0).format(), "::0.0.0.0");
  EXPECT_EQ(Address(5, 0, 0, 0).format(), "5::0.0.0.0");
}

TEST(AsipAddress, HostNeverCompressed) {
  for (const Address a : {Address(1, 0, 0, 0), Address(0, 0, 0, 0), Address(1, 2, 3, 0)}) {
    for (Form f : Address::kAllForms) {
      const std::string t = a.to_string(f);
      EXPECT_FALSE(t.ends_with("::")) << t;
      EXPECT_EQ(must_parse(t), a) << t;
    }
  }
}

TEST(AsipAddress, Ipv4Mapping) {
  const inet::Ipv4Address v4(8, 8, 8, 8);
  const Address a = Address::ipv4_mapped(v4);
  EXPECT_TRUE(a.is_ipv4_mapped());
  EXPECT_EQ(a.to_ipv4(), v4);
  EXPECT_EQ(a.format(), "::8.8.8.8");
  EXPECT_FALSE(Address(0, 1, 0, 1).to_ipv4().has_value());
}

TEST(AsipAddress, Ipv6CarrierIsVerbatim) {
  const Address a = must_parse("64496::192.0.2.1");
  const inet::Ipv6Address v6 = a.to_ipv6();
  EXPECT_EQ(v6.format(), "0:fbf0::c000:201");
  EXPECT_EQ(Address::from_ipv6(v6), a);
  std::array<std::byte, 16> b1{}, b2{};
  a.to_bytes(b1);
  v6.to_bytes(b2);
  EXPECT_EQ(b1, b2);
}

TEST(AsipAddress, UrlHost) {
  auto u = parse_url_host("[15169::192.0.2.1]:443");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->address, Address(15169, 0, 0, 0xc0000201));
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(format_url_host(*u), "[15169::192.0.2.1]:443");
  auto v = parse_url_host("[15169:0.0.0.1:0.0.0.10:192.0.2.1]");
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->port.has_value());
  EXPECT_EQ(format_url_host(*v), "[15169:0.0.0.1:0.0.0.10:192.0.2.1]");
}

TEST(AsipAddress, PrefixSection67) {
  auto p = parse_prefix("15169::/32");
  ASSERT_TRUE(p.has_value()) << base::to_string(p.error());
  EXPECT_EQ(p->address(), Address(15169, 0, 0, 0));
  EXPECT_EQ(p->length(), 32);
  EXPECT_EQ(format_prefix(*p), "15169::/32");
  EXPECT_EQ(p->last(), Address(15169, 0xffffffff, 0xffffffff, 0xffffffff));
  EXPECT_TRUE(p->contains(must_parse("15169:0.0.0.1:0.0.0.10:192.0.2.1")));
  EXPECT_FALSE(p->contains(must_parse("15170::1.2.3.4")));

  auto z = parse_prefix("15169:0.0.0.1::/64");
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(format_prefix(*z), "15169:0.0.0.1::/64");
  auto d = parse_prefix("::0.0.0.0/0");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(format_prefix(*d), "::0.0.0.0/0");
  auto all = parse_prefix("::/0");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, *d);
  auto m = parse_prefix("0.0.0.0::/96");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(format_prefix(*m), "::0.0.0.0/96");
  EXPECT_EQ(format_prefix(*parse_prefix("127.1.0.0::/32")), "127.1.0.0::/32");
  EXPECT_EQ(format_prefix(*parse_prefix("64496::1.2.3.0/120")), "64496::1.2.3.0/120");
}

TEST(AsipAddress, PrefixStrictAndLenient) {
  auto strict = parse_prefix("15169::1.2.3.4/32");
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(strict.error().code, AddrErrc::prefix_host_bits_set);
  auto lenient = parse_prefix("15169::1.2.3.4/32", false);
  ASSERT_TRUE(lenient.has_value());
  EXPECT_EQ(lenient->address(), Address(15169, 0, 0, 0));
}

struct Bad {
  const char* text;
  AddrErrc code;
  int pos;
};

// At least 40 invalid inputs, each with the precise error and position.
const Bad kBad[] = {
    {"", AddrErrc::empty, 0},
    {"::", AddrErrc::asip_host_compressed, 2},
    {"64496::", AddrErrc::asip_host_compressed, 7},
    {"64496:0.0.0.1::", AddrErrc::asip_host_compressed, 15},
    {"1.2.3.4::", AddrErrc::asip_host_compressed, 9},
    {"64496::0.0.0.1::1.2.3.4", AddrErrc::asip_double_compression, 14},
    {"::1.2.3.4::5.6.7.8", AddrErrc::asip_double_compression, 9},
    {"1.0.0.0:2.0.0.0:3.0.0.0:4.0.0.0:5.0.0.0", AddrErrc::asip_too_many_fields, 32},
    {"1.0.0.0:2.0.0.0:3.0.0.0", AddrErrc::asip_too_few_fields, 23},
    {"64496:1.2.3.4", AddrErrc::asip_too_few_fields, 13},
    {"15169", AddrErrc::asip_too_few_fields, 5},
    {"1:2.0.0.0:3.0.0.0::4.0.0.0", AddrErrc::asip_compression_empty, 17},
    {"1:2.0.0.0::3.0.0.0:4.0.0.0:5.0.0.0", AddrErrc::asip_too_many_fields, 27},
    {"::5:1.2.3.4", AddrErrc::asip_integer_not_first, 2},
    {"1.2.3.4:5::1.2.3.4", AddrErrc::asip_integer_not_first, 8},
    {"64496:0.0.0.1:7:1.2.3.4", AddrErrc::asip_integer_not_first, 14},
    {"64496::5", AddrErrc::asip_host_not_dotted, 7},
    {"64496:0.0.0.1:0.0.0.2:3", AddrErrc::asip_host_not_dotted, 22},
    {"4294967296::1.2.3.4", AddrErrc::asn_range, 0},
    {"99999999999::1.2.3.4", AddrErrc::asn_range, 0},
    {"256.0.0.0::1.2.3.4", AddrErrc::octet_range, 0},
    {"64496::1.2.3.256", AddrErrc::octet_range, 13},
    {"64496::1.2.300.4", AddrErrc::octet_range, 11},
    {"64496::01.2.3.4", AddrErrc::leading_zero, 7},
    {"064496::1.2.3.4", AddrErrc::leading_zero, 0},
    {"64496::1.2.3", AddrErrc::asip_field_octet_count, 12},
    {"64496::1.2.3.4.5", AddrErrc::asip_field_octet_count, 14},
    {"1.2.3:0.0.0.0::1.2.3.4", AddrErrc::asip_field_octet_count, 5},
    {"64496::1..3.4", AddrErrc::expected_digit, 9},
    {"64496::1.2.3.", AddrErrc::expected_digit, 13},
    {":1.2.3.4", AddrErrc::unexpected_char, 0},
    {":::1.2.3.4", AddrErrc::expected_digit, 2},
    {"64496:::1.2.3.4", AddrErrc::expected_digit, 7},
    {"64496:", AddrErrc::expected_digit, 6},
    {"64496::1.2.3.4x", AddrErrc::unexpected_char, 14},
    {"64496::1.2.3.4 ", AddrErrc::unexpected_char, 14},
    {" 64496::1.2.3.4", AddrErrc::expected_digit, 0},
    {"64496::-1.2.3.4", AddrErrc::expected_digit, 7},
    {"64496::+1.2.3.4", AddrErrc::expected_digit, 7},
    {"0x10::1.2.3.4", AddrErrc::unexpected_char, 1},
    {"2001:db8::1", AddrErrc::expected_digit, 5},
    {"1.2.3.4", AddrErrc::asip_flat_octet_count, 7},
    {"0.0.59.65.0.0.0.1.0.0.0.10.192.0.2", AddrErrc::asip_flat_octet_count, 34},
    {"0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.1.7", AddrErrc::asip_flat_octet_count, 36},
    {"0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.256", AddrErrc::octet_range, 35},
    {"0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.1x", AddrErrc::unexpected_char, 36},
    {"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27", AddrErrc::too_long, 63},
    {"[64496::1.2.3.4]", AddrErrc::expected_digit, 0},
    {"64496::1.2.3.4/32", AddrErrc::unexpected_char, 14},
    {"64496::1.2.3.4%eth0", AddrErrc::unexpected_char, 14},
};

TEST(AsipAddress, InvalidInputsNameTheRuleAndPosition) {
  ASSERT_GE(std::size(kBad), 40u);
  for (const Bad& b : kBad) {
    auto r = Address::parse(b.text);
    ASSERT_FALSE(r.has_value()) << "accepted: " << b.text << " as " << r->to_string();
    EXPECT_EQ(r.error().family, base::Family::asip) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

TEST(AsipAddress, ErrorMessageReadsWell) {
  auto r = Address::parse("64496:0.0.0.1::");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(base::to_string(r.error(), "64496:0.0.0.1::"),
            "asip: at 15: host field (h.h.h.h) may not be compressed (§6.3 rule 5) (found end of text)");
}

const Bad kBadUrl[] = {
    {"15169::1.2.3.4", AddrErrc::unexpected_char, 0},
    {"[15169::1.2.3.4", AddrErrc::url_missing_close_bracket, 15},
    {"[15169::1.2.3.4]443", AddrErrc::url_expected_port, 16},
    {"[15169::1.2.3.4]:", AddrErrc::expected_digit, 17},
    {"[15169::1.2.3.4]:65536", AddrErrc::url_port_range, 17},
    {"[15169::1.2.3.4]:80x", AddrErrc::trailing_text, 19},
    {"[15169::]:80", AddrErrc::asip_host_compressed, 8},
};

TEST(AsipAddress, InvalidUrlHosts) {
  for (const Bad& b : kBadUrl) {
    auto r = parse_url_host(b.text);
    ASSERT_FALSE(r.has_value()) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text;
  }
}

const Bad kBadPrefix[] = {
    {"15169::", AddrErrc::prefix_missing_length, 7},   {"15169::/", AddrErrc::expected_digit, 8},
    {"15169::/129", AddrErrc::prefix_length_range, 8}, {"15169::/32x", AddrErrc::trailing_text, 10},
    {"15169::/032", AddrErrc::leading_zero, 8},        {"15169::1.0.0.0/32", AddrErrc::prefix_host_bits_set, 14},
    {"15169:::/32", AddrErrc::expected_digit, 7},
};

TEST(AsipAddress, InvalidPrefixes) {
  for (const Bad& b : kBadPrefix) {
    auto r = parse_prefix(b.text);
    ASSERT_FALSE(r.has_value()) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text;
  }
}

// Values that exercise every branch of the formatter: each field drawn from zero, a
// small value, an ASN-sized value and a random 32-bit value.
Address random_address(std::mt19937_64& rng) {
  auto field = [&rng]() -> u32 {
    switch (rng() % 4) {
      case 0: return 0;
      case 1: return static_cast<u32>(rng() % 256);
      case 2: return static_cast<u32>(rng() % 100000);
      default: return static_cast<u32>(rng());
    }
  };
  return Address(field(), field(), field(), field());
}

TEST(AsipAddress, PropertyParseFormatRoundTripsEveryForm) {
  std::mt19937_64 rng(20261123);
  for (int i = 0; i < 100000; ++i) {
    const Address a = random_address(rng);
    for (Form f : Address::kAllForms) {
      const auto t = a.format(f);
      ASSERT_LE(t.size(), Address::kMaxTextLength);
      auto back = Address::parse(t);
      ASSERT_TRUE(back.has_value()) << t.view() << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, a) << t.view();
    }
    const UrlHost u{a, static_cast<std::uint16_t>(rng())};
    auto back = parse_url_host(format_url_host(u));
    ASSERT_TRUE(back.has_value());
    ASSERT_EQ(*back, u);
  }
}

TEST(AsipAddress, PropertyPrefixRoundTrips) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 129);
    const Prefix p = Prefix::containing(random_address(rng), len);
    for (Form f : Address::kAllForms) {
      const std::string t = format_prefix(p, f);
      auto back = parse_prefix(t);
      ASSERT_TRUE(back.has_value()) << t << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, p) << t;
    }
  }
}

TEST(AsipAddress, RandomTextNeverCrashes) {
  std::mt19937_64 rng(99);
  const std::string alphabet = "0123456789.:[]/x ";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = rng() % 70;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    auto a = Address::parse(s);
    if (a) {
      // Whatever parses must print and parse back to the same value.
      ASSERT_EQ(Address::parse(a->format()).value(), *a) << s;
    } else {
      ASSERT_LE(a.error().pos, s.size()) << s;
    }
    (void)parse_prefix(s);
    (void)parse_url_host(s);
  }
}

}  // namespace
}  // namespace nextip::asip

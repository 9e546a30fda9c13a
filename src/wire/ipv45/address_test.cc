#include "wire/ipv45/address.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

namespace nextip::ipv45 {
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

bool has(const std::vector<Class>& v, Class c) {
  return std::find(v.begin(), v.end(), c) != v.end();
}

constexpr u32 kLoc = 0xc0000201;  // 192.0.2.1

TEST(Ipv45Address, FieldsAndBytes) {
  const Address a(kLoc, 0x1234, 0xdeadbeef0001ULL);
  EXPECT_EQ(a.locator(), kLoc);
  EXPECT_EQ(a.site(), 0x1234);
  EXPECT_EQ(a.eid(), 0xdeadbeef0001ULL);
  EXPECT_EQ(static_cast<u64>(a.to_uint() >> 64), 0xc0000201u);
  EXPECT_EQ(static_cast<u64>(a.to_uint()), 0x1234deadbeef0001ULL);
  std::array<std::byte, 12> b{};
  a.to_bytes(b);
  const std::array<std::byte, 12> want{std::byte{0xc0}, std::byte{0x00}, std::byte{0x02}, std::byte{0x01},
                                       std::byte{0x12}, std::byte{0x34}, std::byte{0xde}, std::byte{0xad},
                                       std::byte{0xbe}, std::byte{0xef}, std::byte{0x00}, std::byte{0x01}};
  EXPECT_EQ(b, want);
  EXPECT_EQ(Address::from_bytes(b), a);
  EXPECT_EQ(Address::from_uint(a.to_uint()), a);
  // The EID is 48 bits: extra bits are dropped by the constructor.
  EXPECT_EQ(Address(1, 2, 0xffff'0000'0000'0003ULL).eid(), 3u);
  EXPECT_EQ(Address(1, 2, 0xffff'0000'0000'0003ULL), Address(1, 2, 3));
  // from_uint ignores bits above 96.
  const u128 all = ~u128{0};
  EXPECT_EQ(Address::from_uint(all), Address(0xffffffff, 0xffff, kEidMask));
  EXPECT_EQ(Address::from_uint(all).to_uint(), (u128{1} << 96) - 1);
  EXPECT_EQ(Address{}.to_uint(), 0u);
}

TEST(Ipv45Address, TriviallyCopyable) {
  static_assert(std::is_trivially_copyable_v<Address>);
  static_assert(Address::kBits == 96);
  static_assert(Address::kSize == 12);
  constexpr Address a(1, 2, 3);
  static_assert(a.locator() == 1 && a.site() == 2 && a.eid() == 3);
}

TEST(Ipv45Address, OrderingIsNumeric) {
  EXPECT_LT(Address(0, 0xffff, kEidMask), Address(1, 0, 0));
  EXPECT_LT(Address(1, 0, kEidMask), Address(1, 1, 0));
  EXPECT_LT(Address(1, 1, 5), Address(1, 1, 6));
  EXPECT_LT(Address(0x7fffffff, 0xffff, kEidMask), Address(0x80000000, 0, 0));
  EXPECT_LT(Address(1, 0x8000, 0), Address(1, 0x8001, 0));
  EXPECT_LT(Address(1, 2, 0x800000000000ULL), Address(1, 3, 0));
}

TEST(Ipv45Address, HashSpreads) {
  std::hash<Address> h;
  EXPECT_NE(h(Address(0, 0, 1)), h(Address(0, 0, 2)));
  EXPECT_NE(h(Address(0, 1, 0)), h(Address(0, 0, 1)));
  EXPECT_NE(h(Address(1, 0, 0)), h(Address(0, 1, 0)));
  EXPECT_NE(h(Address(kLoc, 0x1234, 1)), h(Address(kLoc + 1, 0x1234, 1)));
  EXPECT_EQ(h(Address(kLoc, 0x1234, 0xdeadbeef0001ULL)), h(must_parse("192.0.2.1::1234::DEAD:BEEF:0001")));
}

// 003 addr-text.
TEST(Ipv45Address, SpecExamplesParse) {
  const Address a = must_parse("192.0.2.1::1234::DEAD:BEEF:0001");
  EXPECT_EQ(a.locator(), kLoc);
  EXPECT_EQ(a.site(), 0x1234);
  EXPECT_EQ(a.eid(), 0xDEADBEEF0001ULL);
  // "Leading zeros within each group MAY be omitted."
  EXPECT_EQ(must_parse("192.0.2.1::1234::DEAD:BEEF:1"), a);
  EXPECT_EQ(must_parse("192.0.2.1::1234::dead:beef:1"), a);
  EXPECT_EQ(must_parse("192.0.2.1::1234::DeAd:bEeF:01"), a);
  EXPECT_EQ(must_parse("192.0.2.1::0100::DEAD:BEEF:0001"), Address(kLoc, 0x0100, 0xdeadbeef0001ULL));
  EXPECT_EQ(must_parse("192.0.2.1::100::DEAD:BEEF:0001"), Address(kLoc, 0x0100, 0xdeadbeef0001ULL));
  EXPECT_EQ(must_parse("0.0.0.0::0::0:0:0"), Address{});
  EXPECT_EQ(must_parse("0.0.0.0::0000::0000:0000:0000"), Address{});
  EXPECT_EQ(must_parse("255.255.255.255::FFFF::FFFF:FFFF:FFFF"), Address(0xffffffff, 0xffff, kEidMask));
  EXPECT_EQ(must_parse("255.255.255.255::ffff::ffff:ffff:ffff"), Address(0xffffffff, 0xffff, kEidMask));
  EXPECT_EQ(must_parse("1.2.3.4::a::b:c:d"), Address(0x01020304, 0xa, 0x000b000c000dULL));
}

TEST(Ipv45Address, FormatForms) {
  const Address a(kLoc, 0x1234, 0xdeadbeef0001ULL);
  EXPECT_EQ(a.format(), "192.0.2.1::1234::DEAD:BEEF:0001");
  EXPECT_EQ(a.format(Form::canonical), "192.0.2.1::1234::DEAD:BEEF:0001");
  EXPECT_EQ(a.format(Form::compact), "192.0.2.1::1234::DEAD:BEEF:1");
  EXPECT_EQ(a.to_string(Form::compact), "192.0.2.1::1234::DEAD:BEEF:1");
  EXPECT_EQ(Address(kLoc, 0x0100, 0xdeadbeef0001ULL).format(), "192.0.2.1::0100::DEAD:BEEF:0001");
  EXPECT_EQ(Address(kLoc, 0x0100, 0xdeadbeef0001ULL).format(Form::compact), "192.0.2.1::100::DEAD:BEEF:1");
  EXPECT_EQ(Address{}.format(), "0.0.0.0::0000::0000:0000:0000");
  EXPECT_EQ(Address{}.format(Form::compact), "0.0.0.0::0::0:0:0");
  EXPECT_EQ(Address(0x01020304, 0xa, 0x000b000c000dULL).format(), "1.2.3.4::000A::000B:000C:000D");
  EXPECT_EQ(Address(0x01020304, 0xa, 0x000b000c000dULL).format(Form::compact), "1.2.3.4::A::B:C:D");
  // '::' is a separator, never zero compression: zero groups are always written.
  EXPECT_EQ(Address(0x01020304, 0, 0x000100000000ULL).format(Form::compact), "1.2.3.4::0::1:0:0");
  const Address max(0xffffffff, 0xffff, kEidMask);
  EXPECT_EQ(max.format(), "255.255.255.255::FFFF::FFFF:FFFF:FFFF");
  EXPECT_EQ(max.format().size(), Address::kMaxTextLength);
  EXPECT_EQ(max.format(Form::compact), "255.255.255.255::FFFF::FFFF:FFFF:FFFF");
}

TEST(Ipv45Address, FormNames) {
  EXPECT_EQ(name(Form::canonical), "canonical");
  EXPECT_EQ(name(Form::compact), "compact");
}

// 003 addr-reserved: "IPv4 198.51.100.42 behind translator 203.0.113.1:
// 203.0.113.1::FFFF::FFFF:C633:642A".
TEST(Ipv45Address, TranslatorForm) {
  const inet::Ipv4Address t(203, 0, 113, 1);
  const inet::Ipv4Address v4(198, 51, 100, 42);
  const Address a = Address::translator_form(t, v4);
  EXPECT_EQ(a.locator(), t.value());
  EXPECT_EQ(a.site(), 0xffff);
  EXPECT_EQ(a.eid(), 0xffffc633642aULL);
  EXPECT_EQ(a.format(), "203.0.113.1::FFFF::FFFF:C633:642A");
  EXPECT_EQ(must_parse("203.0.113.1::FFFF::FFFF:C633:642A"), a);
  EXPECT_EQ(must_parse("203.0.113.1::ffff::ffff:c633:642a"), a);
  EXPECT_TRUE(a.is_ipv4_embedded());
  EXPECT_EQ(a.embedded_ipv4(), v4);
  EXPECT_EQ(Address::translator_form(t, inet::Ipv4Address(10, 0, 0, 1)).format(), "203.0.113.1::FFFF::FFFF:0A00:0001");
  EXPECT_EQ(Address::translator_form(t, inet::Ipv4Address(0)).format(Form::compact), "203.0.113.1::FFFF::FFFF:0:0");

  EXPECT_FALSE(Address(t.value(), 0xfffe, 0xffffc633642aULL).is_ipv4_embedded());
  EXPECT_FALSE(Address(t.value(), 0xffff, 0xfffec633642aULL).is_ipv4_embedded());
  EXPECT_FALSE(Address(t.value(), 0xffff, 0xfffec633642aULL).embedded_ipv4().has_value());
  EXPECT_FALSE(Address(t.value(), 0x1234, 0xffffc633642aULL).embedded_ipv4().has_value());
}

TEST(Ipv45Address, PrefixParseAndFormat) {
  const Prefix site = must_parse_prefix("192.0.2.1::1234::0:0:0/48");
  EXPECT_EQ(site.address(), Address(kLoc, 0x1234, 0));
  EXPECT_EQ(site.length(), 48);
  EXPECT_EQ(site.host_bits(), 48);
  EXPECT_EQ(site.first(), Address(kLoc, 0x1234, 0));
  EXPECT_EQ(site.last(), Address(kLoc, 0x1234, kEidMask));
  EXPECT_TRUE(site.contains(Address(kLoc, 0x1234, 0xdeadbeef0001ULL)));
  EXPECT_FALSE(site.contains(Address(kLoc, 0x1235, 0)));
  EXPECT_FALSE(site.contains(Address(kLoc + 1, 0x1234, 0)));
  EXPECT_EQ(format_prefix(site), "192.0.2.1::1234::0000:0000:0000/48");
  EXPECT_EQ(format_prefix(site, Form::compact), "192.0.2.1::1234::0:0:0/48");
  EXPECT_EQ(must_parse_prefix("192.0.2.1::1234::0000:0000:0000/48"), site);

  const Prefix loc = must_parse_prefix("192.0.2.1::0::0:0:0/32");
  EXPECT_EQ(loc.last(), Address(kLoc, 0xffff, kEidMask));
  EXPECT_TRUE(loc.contains(site));
  EXPECT_FALSE(site.contains(loc));

  // The multicast locator range 224.0.0.0/4::*::* as a 96-bit prefix.
  const Prefix mc = must_parse_prefix("224.0.0.0::0::0:0:0/4");
  EXPECT_EQ(mc.last(), Address(0xefffffff, 0xffff, kEidMask));
  EXPECT_TRUE(mc.contains(must_parse("239.255.255.255::FFFF::FFFF:FFFF:FFFF")));
  EXPECT_FALSE(mc.contains(must_parse("240.0.0.0::0::0:0:0")));
  EXPECT_FALSE(mc.contains(must_parse("223.255.255.255::FFFF::FFFF:FFFF:FFFF")));

  const Prefix all = must_parse_prefix("0.0.0.0::0::0:0:0/0");
  EXPECT_EQ(all.last(), Address(0xffffffff, 0xffff, kEidMask));
  EXPECT_EQ(format_prefix(all, Form::compact), "0.0.0.0::0::0:0:0/0");

  const Prefix one = must_parse_prefix("192.0.2.1::1234::DEAD:BEEF:1/96");
  EXPECT_EQ(one.first(), one.last());
  EXPECT_EQ(format_prefix(one), "192.0.2.1::1234::DEAD:BEEF:0001/96");

  // A prefix ending inside an EID group.
  const Prefix mid = must_parse_prefix("10.0.0.0::FFFF::FFFF:C633:6400/88");
  EXPECT_EQ(mid.last(), must_parse("10.0.0.0::FFFF::FFFF:C633:64FF"));
}

TEST(Ipv45Address, PrefixStrictAndLenient) {
  auto strict = parse_prefix("192.0.2.1::1234::DEAD:BEEF:1/48");
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(base::code_name(strict.error().code), "prefix_host_bits_set");
  EXPECT_EQ(strict.error().pos, 28);
  EXPECT_EQ(strict.error().family, base::Family::ipv45);
  const Prefix lenient = must_parse_prefix("192.0.2.1::1234::DEAD:BEEF:1/48", false);
  EXPECT_EQ(lenient, must_parse_prefix("192.0.2.1::1234::0:0:0/48"));
  EXPECT_EQ(must_parse_prefix("239.1.2.3::FFFF::1:2:3/4", false), must_parse_prefix("224.0.0.0::0::0:0:0/4"));
}

// 003 addr-reserved, one address per row; overlaps resolved by IPV45-1.
TEST(Ipv45Address, ClassifyEveryReservedRow) {
  EXPECT_EQ(primary_class(must_parse("0.0.0.0::0::0:0:0")), Class::unspecified);
  EXPECT_TRUE(classify(must_parse("0.0.0.0::0::0:0:0")).also.empty());
  EXPECT_EQ(primary_class(must_parse("0.0.0.0::0::0:0:1")), Class::unicast);
  EXPECT_EQ(primary_class(must_parse("0.0.0.0::1::0:0:0")), Class::unicast);

  // Loopback is the single locator 127.0.0.1, any site and EID.
  EXPECT_EQ(primary_class(must_parse("127.0.0.1::0::0:0:0")), Class::loopback);
  EXPECT_EQ(primary_class(must_parse("127.0.0.1::1234::DEAD:BEEF:1")), Class::loopback);
  EXPECT_TRUE(classify(must_parse("127.0.0.1::1234::DEAD:BEEF:1")).also.empty());
  EXPECT_EQ(primary_class(must_parse("127.0.0.2::1234::DEAD:BEEF:1")), Class::unicast);
  EXPECT_EQ(primary_class(must_parse("127.0.0.0::0::0:0:0")), Class::unicast);

  // Multicast locators 224.0.0.0/4.
  EXPECT_EQ(primary_class(must_parse("224.0.0.0::0::0:0:0")), Class::multicast);
  EXPECT_EQ(primary_class(must_parse("239.255.255.255::1234::1:2:3")), Class::multicast);
  EXPECT_TRUE(classify(must_parse("239.255.255.255::1234::1:2:3")).also.empty());
  EXPECT_EQ(primary_class(must_parse("223.255.255.255::1234::1:2:3")), Class::unicast);
  EXPECT_EQ(primary_class(must_parse("240.0.0.0::1234::1:2:3")), Class::unicast);

  // Site-local, link-local and IPv4-embedded: any locator.
  EXPECT_EQ(primary_class(must_parse("192.0.2.1::FFFF::1:2:3")), Class::site_local);
  EXPECT_TRUE(classify(must_parse("192.0.2.1::FFFF::1:2:3")).also.empty());
  EXPECT_EQ(primary_class(must_parse("192.0.2.1::FFFE::1:2:3")), Class::link_local);
  EXPECT_TRUE(classify(must_parse("192.0.2.1::FFFE::1:2:3")).also.empty());
  EXPECT_EQ(primary_class(must_parse("192.0.2.1::FFFD::1:2:3")), Class::unicast);
  EXPECT_EQ(primary_class(must_parse("192.0.2.1::FFFE::FFFF:1:2")), Class::link_local);
  EXPECT_EQ(primary_class(must_parse("192.0.2.1::1234::FFFF:1:2")), Class::unicast);

  // Ordinary unicast.
  const Classification u = classify(must_parse("192.0.2.1::1234::DEAD:BEEF:1"));
  EXPECT_EQ(u.cls, Class::unicast);
  EXPECT_TRUE(u.also.empty());
}

TEST(Ipv45Address, ClassifyOverlapsMostSpecificWins) {
  // IPv4-embedded (32 fixed bits) beats site-local (16).
  const Classification e = classify(must_parse("10.0.0.1::FFFF::FFFF:0A00:0001"));
  EXPECT_EQ(e.cls, Class::ipv4_embedded);
  EXPECT_EQ(e.also, std::vector<Class>{Class::site_local});
  EXPECT_EQ(
      classify(Address::translator_form(inet::Ipv4Address(203, 0, 113, 1), inet::Ipv4Address(198, 51, 100, 42))).cls,
      Class::ipv4_embedded);

  // Loopback (32) ties IPv4-embedded (32): the earlier row wins.
  const Classification l = classify(must_parse("127.0.0.1::FFFF::FFFF:0:1"));
  EXPECT_EQ(l.cls, Class::loopback);
  EXPECT_EQ(l.also.size(), 2u);
  EXPECT_TRUE(has(l.also, Class::ipv4_embedded));
  EXPECT_TRUE(has(l.also, Class::site_local));
  EXPECT_FALSE(has(l.also, Class::loopback));

  // Loopback (32) beats site-local / link-local (16).
  const Classification ls = classify(must_parse("127.0.0.1::FFFF::1:2:3"));
  EXPECT_EQ(ls.cls, Class::loopback);
  EXPECT_EQ(ls.also, std::vector<Class>{Class::site_local});
  const Classification ll = classify(must_parse("127.0.0.1::FFFE::1:2:3"));
  EXPECT_EQ(ll.cls, Class::loopback);
  EXPECT_EQ(ll.also, std::vector<Class>{Class::link_local});

  // Site-local (16) beats multicast (4).
  const Classification m = classify(must_parse("224.1.1.1::FFFF::1:2:3"));
  EXPECT_EQ(m.cls, Class::site_local);
  EXPECT_EQ(m.also, std::vector<Class>{Class::multicast});
  const Classification mk = classify(must_parse("239.0.0.1::FFFE::0:0:0"));
  EXPECT_EQ(mk.cls, Class::link_local);
  EXPECT_EQ(mk.also, std::vector<Class>{Class::multicast});

  // Three rows at once.
  const Classification t = classify(must_parse("224.0.0.1::FFFF::FFFF:C633:642A"));
  EXPECT_EQ(t.cls, Class::ipv4_embedded);
  EXPECT_EQ(t.also.size(), 2u);
  EXPECT_TRUE(has(t.also, Class::site_local));
  EXPECT_TRUE(has(t.also, Class::multicast));

  // primary_class agrees with classify everywhere.
  std::mt19937_64 rng(45);
  for (int i = 0; i < 2000; ++i) {
    const u32 locs[] = {0, 0x7f000001, 0xe0000000, static_cast<u32>(rng())};
    const u16 sites[] = {0, 0xfffe, 0xffff, static_cast<u16>(rng())};
    const u64 eids[] = {0, 0xffff00000000ULL | (rng() & 0xffffffff), rng() & kEidMask};
    const Address a(locs[rng() % 4], sites[rng() % 4], eids[rng() % 3]);
    const Classification c = classify(a);
    ASSERT_EQ(primary_class(a), c.cls) << a.to_string();
    ASSERT_FALSE(has(c.also, c.cls)) << a.to_string();
  }
}

TEST(Ipv45Address, ClassNamesAndPatterns) {
  EXPECT_EQ(pattern(Class::unspecified), "0.0.0.0::0::0:0:0");
  EXPECT_EQ(pattern(Class::loopback), "127.0.0.1::*::*");
  EXPECT_EQ(pattern(Class::multicast), "224.0.0.0/4::*::*");
  EXPECT_EQ(pattern(Class::site_local), "LOCATOR::FFFF::*");
  EXPECT_EQ(pattern(Class::link_local), "LOCATOR::FFFE::*");
  EXPECT_EQ(pattern(Class::ipv4_embedded), "LOCATOR::FFFF::FFFF:*");
  const Class all[] = {Class::unicast,    Class::unspecified, Class::loopback,     Class::multicast,
                       Class::site_local, Class::link_local,  Class::ipv4_embedded};
  std::set<std::string_view> names;
  for (Class c : all) {
    EXPECT_FALSE(name(c).empty());
    names.insert(name(c));
  }
  EXPECT_EQ(names.size(), std::size(all));
}

struct Bad {
  const char* text;
  AddrErrc code;
  int pos;
};

const Bad kBad[] = {
    {"", AddrErrc::empty, 0},
    // "MUST reject strings that do not contain exactly two '::' separators."
    {"192.0.2.1", AddrErrc::ipv45_separator_count, 9},
    {"192.0.2.1::1234", AddrErrc::ipv45_separator_count, 15},
    {"192.0.2.1::1::2::3:4:5", AddrErrc::ipv45_separator_count, 15},
    {"192.0.2.1::1::1::2", AddrErrc::ipv45_separator_count, 15},
    {"192.0.2.1::1::1:2:3::", AddrErrc::ipv45_separator_count, 19},
    {"192.0.2.1::1::1:2:3::1", AddrErrc::ipv45_separator_count, 19},
    // Site ID.
    {"192.0.2.1::::1:2:3", AddrErrc::ipv45_site_empty, 11},
    {"192.0.2.1:::1::1:2:3", AddrErrc::expected_hex_digit, 11},
    {"192.0.2.1::12345::1:2:3", AddrErrc::hex_group_too_long, 15},
    {"192.0.2.1::FFFFF::1:2:3", AddrErrc::hex_group_too_long, 15},
    {"192.0.2.1::g::1:2:3", AddrErrc::expected_hex_digit, 11},
    {"192.0.2.1::-1::1:2:3", AddrErrc::expected_hex_digit, 11},
    {"192.0.2.1::0x1::1:2:3", AddrErrc::unexpected_char, 12},
    {"192.0.2.1::1 ::1:2:3", AddrErrc::unexpected_char, 12},
    // EID.
    {"192.0.2.1::1::1", AddrErrc::ipv45_eid_group_count, 15},
    {"192.0.2.1::1::1:2", AddrErrc::ipv45_eid_group_count, 17},
    {"192.0.2.1::1::1:2:3:", AddrErrc::ipv45_eid_group_count, 19},
    {"192.0.2.1::1::1:2:3:4", AddrErrc::ipv45_eid_group_count, 19},
    {"192.0.2.1::1::1:2:3:4:5", AddrErrc::ipv45_eid_group_count, 19},
    {"192.0.2.1::1::", AddrErrc::expected_hex_digit, 14},
    {"192.0.2.1::1:::1:2:3", AddrErrc::expected_hex_digit, 14},
    {"192.0.2.1::1::g:2:3", AddrErrc::expected_hex_digit, 14},
    {"192.0.2.1::1::1:2:", AddrErrc::expected_hex_digit, 18},
    {"192.0.2.1::1::1:-2:3", AddrErrc::expected_hex_digit, 16},
    {"192.0.2.1::1::1:12345:3", AddrErrc::hex_group_too_long, 20},
    {"192.0.2.1::1::1:2:12345", AddrErrc::hex_group_too_long, 22},
    // Locator.
    {"256.0.2.1::1::1:2:3", AddrErrc::octet_range, 0},
    {"192.0.2.256::1::1:2:3", AddrErrc::octet_range, 8},
    {"01.0.2.1::1::1:2:3", AddrErrc::leading_zero, 0},
    {"192.0.2.01::1::1:2:3", AddrErrc::leading_zero, 8},
    {"192.0.2::1::1:2:3", AddrErrc::expected_dot, 7},
    {"::1::1:2:3", AddrErrc::expected_digit, 0},
    {" 192.0.2.1::1::1:2:3", AddrErrc::expected_digit, 0},
    {"[192.0.2.1::1::1:2:3]", AddrErrc::expected_digit, 0},
    {"2001:db8::1", AddrErrc::ipv45_separator_count, 11},
    {"192.0.2.1.5::1::1:2:3", AddrErrc::unexpected_char, 9},
    {"192.0.2.1 ::1::1:2:3", AddrErrc::unexpected_char, 9},
    {"192.0.2.1:1::1:2:3", AddrErrc::ipv45_separator_count, 18},
    // Trailing text.
    {"192.0.2.1::1::1:2:3 ", AddrErrc::unexpected_char, 19},
    {"192.0.2.1::1::1:2:3x", AddrErrc::unexpected_char, 19},
    {"192.0.2.1::1::1:2:3/96", AddrErrc::unexpected_char, 19},
    {"192.0.2.1::1::1:2:3%eth0", AddrErrc::unexpected_char, 19},
    // Length.
    {"255.255.255.255::FFFF::FFFF:FFFF:FFFF0", AddrErrc::too_long, 37},
    {"1.2.3.4::1::1:2:3:4:5:6:7:8:9:10:11:12:13", AddrErrc::too_long, 37},
};

TEST(Ipv45Address, InvalidInputsNameTheRuleAndPosition) {
  ASSERT_GE(std::size(kBad), 40u);
  for (const Bad& b : kBad) {
    auto r = Address::parse(b.text);
    ASSERT_FALSE(r.has_value()) << "accepted: " << b.text << " as " << r->to_string();
    EXPECT_EQ(r.error().family, base::Family::ipv45) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

const Bad kBadPrefix[] = {
    {"192.0.2.1::1234::0:0:0", AddrErrc::prefix_missing_length, 22},
    {"192.0.2.1::1234::0:0:0/", AddrErrc::expected_digit, 23},
    {"192.0.2.1::1234::0:0:0/97", AddrErrc::prefix_length_range, 23},
    {"192.0.2.1::1234::0:0:0/128", AddrErrc::prefix_length_range, 23},
    {"192.0.2.1::1234::0:0:0/048", AddrErrc::leading_zero, 23},
    {"192.0.2.1::1234::0:0:0/-1", AddrErrc::expected_digit, 23},
    {"192.0.2.1::1234::0:0:0/48x", AddrErrc::trailing_text, 25},
    {"192.0.2.1::1234::0:0:1/48", AddrErrc::prefix_host_bits_set, 22},
    {"192.0.2.1/24", AddrErrc::ipv45_separator_count, 9},
    {"192.0.2.1::1234::0:0/48", AddrErrc::ipv45_eid_group_count, 20},
};

TEST(Ipv45Address, InvalidPrefixes) {
  for (const Bad& b : kBadPrefix) {
    auto r = parse_prefix(b.text);
    ASSERT_FALSE(r.has_value()) << b.text << " accepted";
    EXPECT_EQ(r.error().family, base::Family::ipv45) << b.text;
    EXPECT_EQ(base::code_name(r.error().code), base::code_name(b.code)) << b.text;
    EXPECT_EQ(r.error().pos, b.pos) << b.text << ": " << base::to_string(r.error(), b.text);
  }
}

// ParseError::pos is 16 bits: a text longer than that must not get an error that
// points at an innocent character (prefix_text.h reports the missing '/' at the end).
TEST(Ipv45Address, HugePrefixTextErrorIsHonest) {
  const std::string s(70000, '1');
  auto r = parse_prefix(s);
  ASSERT_FALSE(r.has_value());
  const bool honest = r.error().code == AddrErrc::too_long || r.error().pos >= 0xffff;
  EXPECT_TRUE(honest) << base::to_string(r.error(), s).substr(0, 100);
}

// Each field drawn from zero, all ones, a small value and a random value, so that
// compact groups of every length and the reserved patterns all occur.
Address random_address(std::mt19937_64& rng) {
  auto group = [&rng]() -> u64 {
    switch (rng() % 4) {
      case 0: return 0;
      case 1: return 0xffff;
      case 2: return rng() % 16;
      default: return rng() & 0xffff;
    }
  };
  u32 loc = 0;
  switch (rng() % 4) {
    case 0: loc = 0; break;
    case 1: loc = 0x7f000001; break;
    case 2: loc = static_cast<u32>(rng() % 256) << (8 * (rng() % 4)); break;
    default: loc = static_cast<u32>(rng()); break;
  }
  const u16 site = static_cast<u16>(group());
  const u64 eid = (group() << 32) | (group() << 16) | group();
  return Address(loc, site, eid);
}

TEST(Ipv45Address, PropertyParseFormatRoundTripsEveryForm) {
  std::mt19937_64 rng(0x45);
  for (int i = 0; i < 100000; ++i) {
    const Address a = random_address(rng);
    for (Form f : Address::kAllForms) {
      const auto t = a.format(f);
      ASSERT_LE(t.size(), Address::kMaxTextLength);
      auto back = Address::parse(t);
      ASSERT_TRUE(back.has_value()) << t.view() << ": " << base::to_string(back.error(), t);
      ASSERT_EQ(*back, a) << t.view();
    }
    // Lower-case input reads the same.
    std::string lower(a.format().view());
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_EQ(Address::parse(lower).value(), a) << lower;
  }
}

TEST(Ipv45Address, PropertyPrefixRoundTrips) {
  std::mt19937_64 rng(96);
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 97);
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

bool is_group(const std::string& t) {
  return t.size() <= 4 && all_of_chars(t, "0123456789abcdefABCDEF");
}

// An independent reading of 003 addr-text: dotted IPv4 "::" 1-4 hex digits "::" three
// groups of 1-4 hex digits.
bool reference_accepts(const std::string& s) {
  const auto fields = split(s, "::");
  if (fields.size() != 3 || !is_quad(fields[0]) || !is_group(fields[1])) return false;
  const auto eid = split(fields[2], ":");
  return eid.size() == 3 && is_group(eid[0]) && is_group(eid[1]) && is_group(eid[2]);
}

TEST(Ipv45Address, MutatedTextAgreesWithReference) {
  std::mt19937_64 rng(4554);
  const std::string alphabet = "0123456789aFf.::";
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
      for (Form f : Address::kAllForms) ASSERT_EQ(Address::parse(r->format(f)).value(), *r) << s;
    } else {
      ASSERT_LE(r.error().pos, s.size()) << s;
    }
  }
}

TEST(Ipv45Address, RandomTextNeverCrashes) {
  std::mt19937_64 rng(4545);
  const std::string alphabet = "0123456789abcdefABCDEF..:::::/gx ";
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    const std::size_t n = rng() % 45;
    for (std::size_t k = 0; k < n; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    auto a = Address::parse(s);
    if (a) {
      for (Form f : Address::kAllForms) ASSERT_EQ(Address::parse(a->format(f)).value(), *a) << s;
      ASSERT_EQ(primary_class(*a), classify(*a).cls) << s;
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
}  // namespace nextip::ipv45

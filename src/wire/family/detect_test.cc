#include "wire/family/detect.h"

#include <gtest/gtest.h>

namespace nextip::family {
namespace {

std::vector<Family> families(const Readings<AnyAddress>& r) {
  std::vector<Family> out;
  for (const auto& a : r.values) out.push_back(family_of(a));
  return out;
}

TEST(Detect, SingleReadings) {
  EXPECT_EQ(families(read_address("192.0.2.1")), std::vector{Family::ipv4});
  EXPECT_EQ(families(read_address("64496::192.0.2.1")), std::vector{Family::asip});
  EXPECT_EQ(families(read_address("0.0.251.240:192.0.2.1")), std::vector{Family::ipv8});
  EXPECT_EQ(families(read_address("64496.192.0.2.1")), std::vector{Family::ipv8});
  EXPECT_EQ(families(read_address("0.1.192.168.100.1")), std::vector{Family::ipxl});
  EXPECT_EQ(families(read_address("192.0.2.1::1234::DEAD:BEEF:0001")), std::vector{Family::ipv45});
  EXPECT_EQ(families(read_address("2001:db8::1")), std::vector{Family::ipv6});
  EXPECT_EQ(families(read_address("0.0.59.65.0.0.0.1.0.0.0.10.192.0.2.1")), std::vector{Family::asip});
}

TEST(Detect, AmbiguousTextsHaveEveryReading) {
  // IPxl shorthand and IPv8 ASN-dot.
  EXPECT_EQ(families(read_address("1.192.168.100.1")), (std::vector{Family::ipv8, Family::ipxl}));
  // Eight dotted numbers: IPv8 dotted and IPxl full.
  EXPECT_EQ(families(read_address("0.0.0.1.192.168.100.1")), (std::vector{Family::ipv8, Family::ipxl}));
  // ASIP IPv4-mapped and IPv6 IPv4-compatible.
  EXPECT_EQ(families(read_address("::8.8.8.8")), (std::vector{Family::asip, Family::ipv6}));
}

TEST(Detect, OnlyRestrictsToOneFamily) {
  auto r = read_address("1.192.168.100.1", Family::ipxl);
  ASSERT_EQ(r.values.size(), 1u);
  EXPECT_EQ(std::get<ipxl::Address>(r.values[0]), ipxl::Address(1, 0xc0a86401));
  auto none = read_address("1.192.168.100.1", Family::asip);
  EXPECT_TRUE(none.values.empty());
  EXPECT_EQ(none.best_error.family, Family::asip);
}

TEST(Detect, BestErrorIsTheFurthestParser) {
  auto r = read_address("64496:0.0.0.1::");
  ASSERT_TRUE(r.values.empty());
  EXPECT_EQ(r.best_error.family, Family::asip);
  EXPECT_EQ(r.best_error.code, base::AddrErrc::asip_host_compressed);

  auto v45 = read_address("192.0.2.1::1234::DEAD:BEEF");
  ASSERT_TRUE(v45.values.empty());
  EXPECT_EQ(v45.best_error.family, Family::ipv45);
  EXPECT_EQ(v45.best_error.code, base::AddrErrc::ipv45_eid_group_count);
}

TEST(Detect, Prefixes) {
  auto a = read_prefix("15169::/32");
  ASSERT_EQ(a.values.size(), 1u);
  EXPECT_EQ(family_of(a.values[0]), Family::asip);
  auto x = read_prefix("4.0.0.0.0/-2");
  ASSERT_EQ(x.values.size(), 1u);
  EXPECT_EQ(family_of(x.values[0]), Family::ipxl);
  // As IPv8 ASN-dot, 1.192.168.0.0/16 has bits set beyond a 64-bit /16: strict
  // parsing leaves only the IPxl reading; lenient parsing shows both.
  auto strict = read_prefix("1.192.168.0.0/16");
  ASSERT_EQ(strict.values.size(), 1u);
  EXPECT_EQ(to_string(strict.values[0]), "0.0.0.1.192.168.0.0/16");
  auto both = read_prefix("1.192.168.0.0/16", std::nullopt, false);
  ASSERT_EQ(both.values.size(), 2u);
  EXPECT_EQ(to_string(both.values[0]), "0.0.0.0:0.0.0.0/16");
  auto v4 = read_prefix("192.0.2.0/24");
  ASSERT_EQ(v4.values.size(), 1u);
  EXPECT_EQ(family_of(v4.values[0]), Family::ipv4);
}

TEST(Detect, AllFormsAndHex) {
  const auto forms = all_forms(AnyAddress(asip::Address(64496, 0, 0, 0xc0000201)));
  ASSERT_EQ(forms.size(), 6u);
  EXPECT_EQ(forms[0].form, "compressed");
  EXPECT_EQ(forms[0].text, "64496::192.0.2.1");
  EXPECT_EQ(to_hex(AnyAddress(asip::Address(64496, 0, 0, 0xc0000201))), "0000fbf00000000000000000c0000201");
  EXPECT_EQ(to_hex(AnyAddress(ipv45::Address(0xc0000201, 0x1234, 0xdeadbeef0001))), "c00002011234deadbeef0001");
  EXPECT_EQ(to_hex(AnyAddress(inet::Ipv4Address(192, 0, 2, 1))), "c0000201");
}

}  // namespace
}  // namespace nextip::family

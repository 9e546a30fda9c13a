#include "wire/family/convert.h"

#include <gtest/gtest.h>

#include "wire/family/detect.h"

namespace nextip::family {
namespace {

AnyAddress read(Family f, std::string_view t) {
  auto a = parse_as(f, t);
  EXPECT_TRUE(a.has_value()) << t;
  return a.value_or(AnyAddress{});
}

std::string conv(Family from, std::string_view text, Family to, const ConvertOptions& o = {}) {
  auto c = convert(read(from, text), to, o);
  if (!c) return "ERROR: " + c.error().reason;
  return to_string(c->address);
}

TEST(Convert, FromIpv4) {
  EXPECT_EQ(conv(Family::ipv4, "8.8.8.8", Family::asip), "::8.8.8.8");
  EXPECT_EQ(conv(Family::ipv4, "192.0.2.1", Family::ipv8), "0.0.0.0:192.0.2.1");
  EXPECT_EQ(conv(Family::ipv4, "192.168.100.1", Family::ipxl), "0.0.0.1.192.168.100.1");
  EXPECT_EQ(conv(Family::ipv4, "192.0.2.1", Family::ipv6), "::ffff:192.0.2.1");
  ConvertOptions o;
  o.translator = inet::Ipv4Address(203, 0, 113, 1);
  EXPECT_EQ(conv(Family::ipv4, "198.51.100.42", Family::ipv45, o), "203.0.113.1::FFFF::FFFF:C633:642A");
  EXPECT_TRUE(conv(Family::ipv4, "198.51.100.42", Family::ipv45).starts_with("ERROR: an IPv4 address becomes"));
}

TEST(Convert, ToIpv4) {
  EXPECT_EQ(conv(Family::asip, "::8.8.8.8", Family::ipv4), "8.8.8.8");
  EXPECT_EQ(conv(Family::ipv8, "0.0.0.0:192.0.2.1", Family::ipv4), "192.0.2.1");
  EXPECT_EQ(conv(Family::ipxl, "1.192.168.100.1", Family::ipv4), "192.168.100.1");
  EXPECT_EQ(conv(Family::ipv45, "203.0.113.1::FFFF::FFFF:C633:642A", Family::ipv4), "198.51.100.42");
  EXPECT_EQ(conv(Family::ipv6, "::ffff:192.0.2.1", Family::ipv4), "192.0.2.1");
  EXPECT_EQ(conv(Family::asip, "64496::192.0.2.1", Family::ipv4),
            "ERROR: not IPv4-mapped (001 §3.3 needs r = z = s = 0)");
  EXPECT_TRUE(conv(Family::ipv8, "64496.192.0.2.1", Family::ipv4).starts_with("ERROR: "));
  EXPECT_TRUE(conv(Family::ipxl, "2.192.168.100.1", Family::ipv4).starts_with("ERROR: "));
  EXPECT_TRUE(conv(Family::ipv45, "192.0.2.1::1234::DEAD:BEEF:0001", Family::ipv4).starts_with("ERROR: "));
}

TEST(Convert, AsipIpv6Verbatim) {
  EXPECT_EQ(conv(Family::asip, "64496::192.0.2.1", Family::ipv6), "0:fbf0::c000:201");
  EXPECT_EQ(conv(Family::ipv6, "0:fbf0::c000:201", Family::asip), "64496::192.0.2.1");
  EXPECT_EQ(conv(Family::ipv6, "2001:db8::1", Family::asip), "536939960::0.0.0.1");
}

TEST(Convert, ThroughIpv4IsMarked) {
  auto c = convert(read(Family::asip, "::192.0.2.1"), Family::ipxl);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->via_ipv4);
  EXPECT_EQ(to_string(c->address), "0.0.0.1.192.0.2.1");
  EXPECT_NE(c->rule.find("§3.3"), std::string::npos);
}

TEST(Convert, NoMappingBetweenNewFamilies) {
  const std::string e = conv(Family::asip, "64496::192.0.2.1", Family::ipv8);
  EXPECT_TRUE(e.starts_with("ERROR: no text defines a mapping from asip to ipv8")) << e;
  EXPECT_NE(e.find("§1.3"), std::string::npos) << e;
}

TEST(Convert, CarrierMappingRoundTrips) {
  EXPECT_EQ(conv(Family::ipv8, "64496.192.0.2.1", Family::ipv6), "fd00::8:0:fbf0:c000:201");
  EXPECT_EQ(conv(Family::ipv6, "fd00::8:0:fbf0:c000:201", Family::ipv8), "0.0.251.240:192.0.2.1");
  EXPECT_EQ(conv(Family::ipxl, "1.192.168.100.1", Family::ipv6), "fd00::1d:0:1:c0a8:6401");
  EXPECT_EQ(conv(Family::ipv6, "fd00::1d:0:1:c0a8:6401", Family::ipxl), "0.0.0.1.192.168.100.1");
  EXPECT_EQ(conv(Family::ipv45, "192.0.2.1::1234::DEAD:BEEF:0001", Family::ipv6), "fd45:0:c000:201:1234:dead:beef:1");
  EXPECT_EQ(conv(Family::ipv6, "fd45:0:c000:201:1234:dead:beef:1", Family::ipv45), "192.0.2.1::1234::DEAD:BEEF:0001");
  // Bits between the prefix and the 96 low bits must be zero.
  EXPECT_TRUE(conv(Family::ipv6, "fd45:1:c000:201:1234:dead:beef:1", Family::ipv45).starts_with("ERROR: "));
  ConvertOptions o;
  o.carrier_ipv8 = *inet::parse_ipv6_prefix("2001:db8:8::/64");
  EXPECT_EQ(conv(Family::ipv8, "64496.192.0.2.1", Family::ipv6, o), "2001:db8:8::fbf0:c000:201");
  o.carrier_ipv8 = *inet::parse_ipv6_prefix("2001:db8::/96");
  EXPECT_TRUE(conv(Family::ipv8, "64496.192.0.2.1", Family::ipv6, o).starts_with("ERROR: carrier prefix"));
}

TEST(Convert, SameFamilyIsIdentity) {
  EXPECT_EQ(conv(Family::asip, "0.0.251.240:0.0.0.0:0.0.0.0:192.0.2.1", Family::asip), "64496::192.0.2.1");
}

}  // namespace
}  // namespace nextip::family

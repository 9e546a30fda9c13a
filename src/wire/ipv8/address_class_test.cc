#include "wire/ipv8/address_class.h"

#include <gtest/gtest.h>

namespace nextip::ipv8 {
namespace {

Classification of(std::string_view t) {
  auto a = Address::parse(t);
  EXPECT_TRUE(a.has_value()) << t;
  return classify(a.value_or(Address{}));
}

TEST(Ipv8Class, FactSheetRanges) {
  EXPECT_EQ(of("0.0.0.0:192.0.2.1").cls, Class::ipv4);
  EXPECT_EQ(of("64496.192.0.2.1").cls, Class::unicast);
  EXPECT_EQ(of("100.0.0.1:10.0.0.1").cls, Class::rine);
  EXPECT_EQ(of("100.255.255.255:10.0.0.1").cls, Class::rine);
  EXPECT_EQ(of("127.1.0.0:10.0.0.1").cls, Class::internal_zone);
  EXPECT_EQ(of("127.127.0.0:10.0.0.1").cls, Class::interop_dmz);
  EXPECT_EQ(of("127.127.0.1:10.0.0.1").cls, Class::internal_zone);
  EXPECT_EQ(of("65534.10.0.0.1").cls, Class::private_peering);
  EXPECT_EQ(of("65533.192.0.2.1").cls, Class::documentation);
  EXPECT_EQ(of("255.255.0.0:239.1.2.3").cls, Class::multicast);
  EXPECT_EQ(of("255.255.239.255:239.1.2.3").cls, Class::multicast);
  EXPECT_EQ(of("255.255.240.0:1.2.3.4").cls, Class::reserved);
  EXPECT_EQ(of("255.255.254.255:1.2.3.4").cls, Class::reserved);
  EXPECT_EQ(of("255.255.255.0:1.2.3.4").cls, Class::reserved);  // decision IPV8-3
  EXPECT_EQ(of("255.255.255.255:255.255.255.255").cls, Class::broadcast);
}

TEST(Ipv8Class, MulticastProtocolPrefixes) {
  EXPECT_EQ(of("255.255.0.1:224.0.0.5").protocol, MulticastProtocol::ospf8);
  EXPECT_EQ(of("255.255.0.2:1.2.3.4").protocol, MulticastProtocol::bgp8);
  EXPECT_EQ(of("255.255.0.3:1.2.3.4").protocol, MulticastProtocol::reserved);
  EXPECT_EQ(of("255.255.0.4:1.2.3.4").protocol, MulticastProtocol::reserved);
  EXPECT_EQ(of("255.255.0.5:1.2.3.4").protocol, MulticastProtocol::isis8);
  EXPECT_EQ(of("255.255.0.6:1.2.3.4").protocol, MulticastProtocol::general);
  EXPECT_TRUE(of("255.255.0.1:224.0.0.5").filtered_at_border);
  EXPECT_FALSE(of("255.255.0.6:1.2.3.4").filtered_at_border);
}

TEST(Ipv8Class, IntraAsnMulticastGroups) {
  EXPECT_EQ(of("0.0.0.0:224.0.0.1").cls, Class::intra_asn_multicast);
  EXPECT_EQ(of("0.0.0.0:224.0.0.1").well_known_group, "all routers");
  EXPECT_EQ(of("0.0.0.0:224.0.0.2").well_known_group, "zone servers");
  EXPECT_EQ(of("0.0.0.0:224.0.0.5").well_known_group, "OSPF8 all routers");
  EXPECT_EQ(of("0.0.0.0:224.0.0.6").well_known_group, "OSPF8 designated routers");
  EXPECT_EQ(of("0.0.0.0:224.0.0.10").well_known_group, "IBGP8");
  EXPECT_EQ(of("0.0.0.0:239.0.0.10").well_known_group, "");
  EXPECT_EQ(of("0.0.0.0:240.0.0.1").cls, Class::ipv4);
}

TEST(Ipv8Class, InteriorLinkHostPart) {
  EXPECT_TRUE(of("64496.222.0.0.1").interior_link_host);
  EXPECT_FALSE(of("64496.223.0.0.1").interior_link_host);
  EXPECT_EQ(of("64496.222.0.0.1").cls, Class::unicast);
}

}  // namespace
}  // namespace nextip::ipv8

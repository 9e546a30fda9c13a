// Which addresses cross the IPv6 carrier (carrier.h's table, row by row), and that
// the rule is about bits, not direction.
#include "engine/host/carrier.h"

#include <gtest/gtest.h>

#include "wire/asip/address.h"
#include "wire/inet/ipv6_address.h"

namespace nextip::engine::host {
namespace {

base::u128 v6(std::string_view s) {
  return inet::Ipv6Address::parse(s).value().to_uint();
}
base::u128 asip_bits(std::string_view s) {
  return asip::Address::parse(s).value().to_uint();
}

TEST(HostCarrier, Table) {
  struct Row {
    base::u128 bits;
    HostDrop expect;
    const char* why;
  };
  const Row rows[] = {
      {v6("::"), HostDrop::unspecified, "unspecified"},
      {v6("::1"), HostDrop::unspecified, "loopback"},
      {v6("ff02::1"), HostDrop::multicast, "all nodes"},
      {v6("ff02::1:ff00:1"), HostDrop::multicast, "solicited node"},
      {asip_bits("255.255.255.0:0.0.0.14::0.0.0.1"), HostDrop::multicast, "ASIP cross-ASN multicast"},
      {asip_bits("255.255.255.255::0.0.0.1"), HostDrop::multicast, "ASIP broadcast"},
      {asip_bits("255.1.0.0::0.0.0.1"), HostDrop::multicast, "ASIP reserved 255/8 is IPv6 multicast"},
      {v6("fe80::1"), HostDrop::v6_link_local, "IPv6 link-local"},
      {asip_bits("254.128.0.1::0.0.0.1"), HostDrop::v6_link_local, "ASIP documentation inside fe80::/10"},
      {asip_bits("254.191.255.255::0.0.0.1"), HostDrop::v6_link_local, "… its last /16"},
      {asip_bits("254.192.0.1::0.0.0.1"), HostDrop::none, "ASIP documentation past fe80::/10"},
      {asip_bits("254.0.0.1::192.168.1.1"), HostDrop::none, "§3.13 example"},
      {v6("::ffff:192.0.2.1"), HostDrop::reserved_address, "IPv4-mapped IPv6: r = 0, s != 0 (§3.3)"},
      {asip_bits("0.0.0.0:0.0.0.1:0.0.0.0:10.0.0.1"), HostDrop::reserved_address, "r = 0, z != 0 (§3.3)"},
      {asip_bits("251.0.0.1::0.0.0.1"), HostDrop::reserved_address, "future use"},
      {v6("fd12:3456::1"), HostDrop::reserved_address, "IPv6 ULA = 253/8"},
      {asip_bits("97.0.0.1::0.0.0.1"), HostDrop::reserved_address, "near-Earth realm"},
      {asip_bits("98.0.0.1::0.0.0.1"), HostDrop::reserved_address, "cislunar realm"},
      {asip_bits("99.0.0.1::0.0.0.1"), HostDrop::reserved_address, "Martian realm"},
      {asip_bits("245.0.0.1::0.0.0.1"), HostDrop::reserved_address, "interplanetary"},
      {asip_bits("250.0.0.1::0.0.0.1"), HostDrop::reserved_address, "DTN relay"},
      {asip_bits("::0.0.0.7"), HostDrop::reserved_address, "IPv4 this-network"},
      {asip_bits("::127.0.0.1"), HostDrop::reserved_address, "IPv4 loopback"},
      {asip_bits("::169.254.9.9"), HostDrop::reserved_address, "IPv4 link-local: the translator never maps it"},
      {asip_bits("::224.0.0.251"), HostDrop::multicast, "intra-ASN multicast (§10.2)"},
      {asip_bits("::255.255.255.255"), HostDrop::multicast, "IPv4 broadcast"},
      {asip_bits("::198.51.100.1"), HostDrop::none, "IPv4-mapped (§12.7.1)"},
      {asip_bits("15169::192.0.2.1"), HostDrop::none, "terrestrial"},
      {asip_bits("64496:0.0.0.7:0.0.0.1:198.51.100.9"), HostDrop::none, "documentation ASN with zone and subnet"},
      {asip_bits("127.1.0.0::10.0.0.1"), HostDrop::none, "internal zone"},
      {asip_bits("127.127.0.0::10.0.0.1"), HostDrop::none, "interop DMZ"},
      {asip_bits("100.0.0.1::10.0.0.1"), HostDrop::none, "RINE"},
      {asip_bits("169.254.0.0::192.0.2.1"), HostDrop::none, "ASIP link-local: the ASIP link is the TUN's link"},
      {asip_bits("240.0.0.7::10.0.0.1"), HostDrop::none, "mesh"},
      {v6("2001:db8::1"), HostDrop::none, "an IPv6 global address is a terrestrial ASIP address"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(name(carrier_address(r.bits, false)), name(r.expect)) << r.why;
  }
  // The realms cross when allowed; the other reserved ranges never.
  EXPECT_EQ(carrier_address(asip_bits("99.0.0.1::0.0.0.1"), true), HostDrop::none);
  EXPECT_EQ(carrier_address(asip_bits("250.0.0.1::0.0.0.1"), true), HostDrop::none);
  EXPECT_EQ(carrier_address(asip_bits("251.0.0.1::0.0.0.1"), true), HostDrop::reserved_address);
  EXPECT_EQ(carrier_address(v6("::ffff:1.2.3.4"), true), HostDrop::reserved_address);
}

}  // namespace
}  // namespace nextip::engine::host

#include "wire/asip/address_class.h"

#include <gtest/gtest.h>

#include <set>

namespace nextip::asip {
namespace {

constexpr u32 ip(u32 a, u32 b, u32 c, u32 d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

Classification of(std::string_view text) {
  auto a = Address::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return classify(a.value_or(Address{}));
}

struct Row {
  u32 first;
  u32 last;
  Class cls;
  Scope scope;
};

// Table 2 / Table 3 rows with their boundaries; the scope column of Table 4.
const Row kTable3[] = {
    {ip(0, 0, 0, 1), ip(96, 255, 255, 255), Class::terrestrial, Scope::terrestrial},
    {ip(97, 0, 0, 0), ip(97, 255, 255, 255), Class::near_earth, Scope::realm},
    {ip(98, 0, 0, 0), ip(98, 255, 255, 255), Class::cislunar, Scope::realm},
    {ip(99, 0, 0, 0), ip(99, 255, 255, 255), Class::martian, Scope::realm},
    {ip(100, 0, 0, 0), ip(100, 255, 255, 255), Class::rine, Scope::link},
    {ip(101, 0, 0, 0), ip(126, 255, 255, 255), Class::terrestrial, Scope::terrestrial},
    {ip(127, 0, 0, 0), ip(127, 127, 0, 0) - 1, Class::internal_zone, Scope::organization},
    {ip(127, 127, 0, 0), ip(127, 127, 0, 0), Class::interop_dmz, Scope::organization},
    {ip(127, 127, 0, 1), ip(127, 255, 255, 255), Class::internal_zone, Scope::organization},
    {ip(128, 0, 0, 0), ip(169, 253, 255, 255), Class::terrestrial, Scope::terrestrial},
    {ip(169, 254, 0, 0), ip(169, 254, 255, 255), Class::link_local, Scope::link},
    {ip(169, 255, 0, 0), ip(239, 255, 255, 255), Class::terrestrial, Scope::terrestrial},
    {ip(240, 0, 0, 0), ip(240, 255, 255, 255), Class::mesh, Scope::mesh},
    {ip(241, 0, 0, 0), ip(249, 255, 255, 255), Class::interplanetary, Scope::realm},
    {ip(250, 0, 0, 0), ip(250, 255, 255, 255), Class::dtn_relay, Scope::realm},
    {ip(251, 0, 0, 0), ip(253, 255, 255, 255), Class::reserved, Scope::none},
    {ip(254, 0, 0, 0), ip(254, 255, 255, 255), Class::documentation, Scope::none},
    {ip(255, 0, 0, 0), ip(255, 255, 254, 255), Class::reserved_255, Scope::none},
    {ip(255, 255, 255, 0), ip(255, 255, 255, 254), Class::multicast, Scope::none},
    {ip(255, 255, 255, 255), ip(255, 255, 255, 255), Class::broadcast, Scope::link},
};

TEST(AsipClass, EveryTable3RowAtItsBoundaries) {
  for (const Row& row : kTable3) {
    for (u32 r : {row.first, row.last, row.first + (row.last - row.first) / 2}) {
      EXPECT_EQ(locator_class(r), row.cls) << std::hex << r;
      if (row.cls != Class::multicast) {
        EXPECT_EQ(classify(Address(r, 0, 0, 1)).scope, row.scope) << std::hex << r;
      }
    }
  }
}

TEST(AsipClass, RowsTileTheWholeLocatorSpace) {
  // Walking the rows in order covers 0.0.0.1 .. 255.255.255.255 without gaps.
  u32 next = 1;
  for (const Row& row : kTable3) {
    EXPECT_EQ(row.first, next);
    next = row.last + 1;
  }
  EXPECT_EQ(next, 0u);  // wrapped past 255.255.255.255
}

TEST(AsipClass, Ipv4MappedAndInvalidR0) {
  const Classification m = of("::8.8.8.8");
  EXPECT_EQ(m.cls, Class::ipv4_mapped);
  EXPECT_EQ(m.scope, Scope::ipv4);
  EXPECT_EQ(m.drop, Drop::none);
  EXPECT_FALSE(m.intra_asn_multicast);

  // §3.3: r = 0 with z or s non-zero MUST be dropped.
  for (const char* t : {"::0.0.0.1:0.0.0.0:1.2.3.4", "0:0.0.0.0:0.0.0.1:1.2.3.4", "::0.0.0.1:0.0.0.1:1.2.3.4"}) {
    const Classification c = of(t);
    EXPECT_EQ(c.cls, Class::invalid_r0) << t;
    EXPECT_EQ(c.drop, Drop::r0_with_zone_or_subnet) << t;
    EXPECT_EQ(c.scope, Scope::none) << t;
  }
}

TEST(AsipClass, IntraAsnMulticast) {
  // §10.2: r = z = s = 0 with h in 224/4.
  EXPECT_TRUE(of("::224.0.0.1").intra_asn_multicast);
  EXPECT_TRUE(of("::239.255.255.255").intra_asn_multicast);
  EXPECT_FALSE(of("::223.255.255.255").intra_asn_multicast);
  EXPECT_FALSE(of("64496::224.0.0.1").intra_asn_multicast);
}

TEST(AsipClass, InteropDmzIsExactly127_127_0_0) {
  EXPECT_EQ(of("127.127.0.0::10.0.0.1").cls, Class::interop_dmz);
  EXPECT_EQ(of("127.127.0.1::10.0.0.1").cls, Class::internal_zone);
  EXPECT_EQ(of("127.1.0.0::10.0.0.1").cls, Class::internal_zone);
}

TEST(AsipClass, MeshDomain) {
  const Classification c = of("240.1.2.3::10.0.0.1");
  EXPECT_EQ(c.cls, Class::mesh);
  EXPECT_EQ(c.mesh_domain, 0x010203u);
  EXPECT_EQ(c.scope, Scope::mesh);
}

TEST(AsipClass, AsnKinds) {
  EXPECT_EQ(of("64496::1.2.3.4").asn, AsnKind::documentation);
  EXPECT_EQ(of("64511::1.2.3.4").asn, AsnKind::documentation);
  EXPECT_EQ(of("65536::1.2.3.4").asn, AsnKind::documentation);
  EXPECT_EQ(of("65551::1.2.3.4").asn, AsnKind::documentation);
  EXPECT_EQ(of("65533::1.2.3.4").asn, AsnKind::asip_documentation);
  EXPECT_EQ(of("65534::1.2.3.4").asn, AsnKind::asip_private_peering);
  EXPECT_EQ(of("64512::1.2.3.4").asn, AsnKind::private_use);
  EXPECT_EQ(of("65535::1.2.3.4").asn, AsnKind::last_reserved);
  EXPECT_EQ(of("23456::1.2.3.4").asn, AsnKind::as_trans);
  EXPECT_EQ(of("15169::1.2.3.4").asn, AsnKind::public_asn);
  EXPECT_EQ(of("::1.2.3.4").asn, AsnKind::zero);
}

TEST(AsipClass, HostFlags) {
  EXPECT_TRUE(of("64496::222.0.0.1").interior_link_host);
  EXPECT_FALSE(of("64496::221.255.255.255").interior_link_host);
  EXPECT_TRUE(of("64496::10.0.0.1").rfc1918_host);
  EXPECT_TRUE(of("64496::172.31.0.1").rfc1918_host);
  EXPECT_TRUE(of("64496::192.168.1.1").rfc1918_host);
  EXPECT_FALSE(of("64496::192.0.2.1").rfc1918_host);
  // §3.8: interior-link hosts are a convention, never a drop reason.
  EXPECT_EQ(of("64496::222.0.0.1").drop, Drop::none);
}

// §10.1 Table 13 and §10.4.
struct Mc {
  const char* text;
  std::uint8_t nibble;
  Scope scope;
  Drop drop;
  MulticastAssignment assignment;
};
const Mc kMulticast[] = {
    {"255.255.255.0:0.0.0.1::224.0.0.1", 0x1, Scope::interface, Drop::none, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.2::224.0.0.1", 0x2, Scope::link, Drop::none, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.4::224.0.0.1", 0x4, Scope::admin, Drop::none, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.5::224.0.0.1", 0x5, Scope::site, Drop::none, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.8::224.0.0.10", 0x8, Scope::organization, Drop::none, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.14::224.0.0.1", 0xE, Scope::terrestrial, Drop::none, MulticastAssignment::general},
    {"255.255.255.0::224.0.0.1", 0x0, Scope::none, Drop::multicast_reserved_scope, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.3::1.2.3.4", 0x3, Scope::none, Drop::multicast_reserved_scope, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.15::1.2.3.4", 0xF, Scope::none, Drop::multicast_reserved_scope, MulticastAssignment::general},
    {"255.255.255.0:0.0.0.6::1.2.3.4", 0x6, Scope::none, Drop::multicast_unassigned_scope,
     MulticastAssignment::general},
    {"255.255.255.0:0.0.0.7::1.2.3.4", 0x7, Scope::none, Drop::multicast_unassigned_scope,
     MulticastAssignment::general},
    {"255.255.255.0:0.0.0.9::1.2.3.4", 0x9, Scope::none, Drop::multicast_unassigned_scope,
     MulticastAssignment::general},
    {"255.255.255.0:0.0.0.13::1.2.3.4", 0xD, Scope::none, Drop::multicast_unassigned_scope,
     MulticastAssignment::general},
    {"255.255.255.0:0.0.0.18::1.2.3.4", 0x2, Scope::none, Drop::multicast_reserved_bits, MulticastAssignment::general},
    {"255.255.255.0:128.0.0.2::1.2.3.4", 0x2, Scope::none, Drop::multicast_reserved_bits, MulticastAssignment::general},
    {"255.255.255.1:0.0.0.2::224.0.0.5", 0x2, Scope::none, Drop::multicast_reserved_protocol,
     MulticastAssignment::reserved_protocol},
    {"255.255.255.3:0.0.0.2::1.2.3.4", 0x2, Scope::none, Drop::multicast_reserved_protocol,
     MulticastAssignment::reserved_protocol},
    {"255.255.255.4:0.0.0.14::1.2.3.4", 0xE, Scope::terrestrial, Drop::none, MulticastAssignment::iana_available},
    {"255.255.255.127:0.0.0.14::1.2.3.4", 0xE, Scope::terrestrial, Drop::none, MulticastAssignment::iana_available},
    {"255.255.255.128:0.0.0.14::1.2.3.4", 0xE, Scope::terrestrial, Drop::none, MulticastAssignment::reserved_future},
    {"255.255.255.254:0.0.0.14::1.2.3.4", 0xE, Scope::terrestrial, Drop::none, MulticastAssignment::reserved_future},
};

TEST(AsipClass, MulticastScopeNibbleAndDropRules) {
  for (const Mc& m : kMulticast) {
    const Classification c = of(m.text);
    EXPECT_EQ(c.cls, Class::multicast) << m.text;
    EXPECT_EQ(c.mc_scope, m.nibble) << m.text;
    EXPECT_EQ(name(c.scope), name(m.scope)) << m.text;
    EXPECT_EQ(name(c.drop), name(m.drop)) << m.text;
    EXPECT_EQ(name(c.mc_assignment), name(m.assignment)) << m.text;
  }
}

TEST(AsipClass, BroadcastIsNotMulticast) {
  const Classification c = of("255.255.255.255::1.2.3.4");
  EXPECT_EQ(c.cls, Class::broadcast);
  EXPECT_EQ(c.drop, Drop::none);
}

TEST(AsipClass, NamesAreDistinct) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(Class::broadcast); ++i) {
    EXPECT_TRUE(seen.insert(name(static_cast<Class>(i))).second);
    EXPECT_FALSE(section(static_cast<Class>(i)).empty());
  }
  EXPECT_EQ(multicast_scope_name(0x2), "link-local");
  EXPECT_EQ(multicast_scope_name(0xE), "global");
  EXPECT_EQ(multicast_scope_name(0xB), "unassigned");
}

TEST(AsipClass, FormatterUsesLocatorRule) {
  EXPECT_TRUE(prefers_asn_integer(0));
  EXPECT_TRUE(prefers_asn_integer(64496));
  EXPECT_FALSE(prefers_asn_integer(ip(127, 1, 0, 0)));
  EXPECT_FALSE(prefers_asn_integer(ip(254, 0, 0, 1)));
  EXPECT_FALSE(prefers_asn_integer(ip(97, 0, 0, 1)));
}

}  // namespace
}  // namespace nextip::asip

// ASIP address classification: Tables 2-4 (§3.15, §4, §4.1), the multicast rules of
// §4.2, §10.1-§10.4, broadcast (§11.2), the reserved ASN ranges of §3.9 and §15.3, and
// the invalid r = 0 with z or s non-zero form (§3.3).
#pragma once

#include <cstdint>
#include <string_view>

#include "wire/asip/address.h"

namespace nextip::asip {

// The r.r.r.r row of Table 3, plus the two forms that depend on z and s.
enum class Class : std::uint8_t {
  ipv4_mapped,     // r = z = s = 0 (§3.3)
  invalid_r0,      // r = 0 with z or s non-zero: MUST be dropped (§3.3)
  terrestrial,     // 0.0.0.1-96.255.255.255, 101-126, 128-169.253, 169.255-239 (terrestrial ASN unicast)
  near_earth,      // 97/8 realm (reserved)
  cislunar,        // 98/8 realm (reserved)
  martian,         // 99/8 realm (reserved)
  rine,            // 100/8 RINE peering links (§3.7)
  internal_zone,   // 127/8 internal zone prefixes (§3.5)
  interop_dmz,     // 127.127.0.0 inter-organization interop prefix (§3.6)
  link_local,      // 169.254/16 (§3.10)
  mesh,            // 240/8 mesh / ad-hoc, domain = x.x.x (§3.11)
  interplanetary,  // 241.0.0.0-249.255.255.255 future celestial bodies (reserved)
  dtn_relay,       // 250/8 DTN relay realm bridge (reserved)
  reserved,        // 251.0.0.0-253.255.255.255 future use
  documentation,   // 254/8 documentation and testing (§3.13)
  reserved_255,    // 255.0.0.0-255.255.254.255 future use, MUST NOT be routed
  multicast,       // 255.255.255.0-255.255.255.254 cross-ASN multicast (§10.3)
  broadcast,       // 255.255.255.255 (§11.2)
};

// §4.1 scope levels, with the §10.1 multicast scopes that have no unicast row.
enum class Scope : std::uint8_t {
  none,          // never routed (documentation, reserved, invalid, dropped multicast)
  interface,     // multicast 0x1
  link,          // link-local, RINE links, broadcast, multicast 0x2
  admin,         // multicast 0x4
  site,          // multicast 0x5
  mesh,          // mesh domain (orthogonal to the nesting, §4.1)
  organization,  // internal zones, multicast 0x8
  terrestrial,   // terrestrial ASN unicast, multicast 0xE (realm-local global, §10.6 rule 3)
  realm,         // non-terrestrial realms
  ipv4,          // IPv4-mapped: no realm, translated at the boundary (§3.3, §4.1 exception)
};

// ASNs that carry a meaning of their own inside the terrestrial range.
enum class AsnKind : std::uint8_t {
  public_asn,
  zero,                  // AS 0 (RFC 7607): only as the IPv4-mapped r
  documentation,         // RFC 5398: 64496-64511, 65536-65551
  asip_documentation,    // 65533 (§3.9)
  asip_private_peering,  // 65534 (§3.9)
  private_use,           // RFC 6996: 64512-65532 (65533/65534 have ASIP meanings)
  as_trans,              // 23456 (RFC 6793)
  last_reserved,         // 65535 (RFC 7300)
};

// §4.2 assignment of the multicast r.r.r.r value.
enum class MulticastAssignment : std::uint8_t {
  general,            // 255.255.255.0
  reserved_protocol,  // 255.255.255.1-3: MUST NOT be used (§10.4)
  iana_available,     // 255.255.255.4-127
  reserved_future,    // 255.255.255.128-254
};

// Why a router MUST drop a packet to or from this address (§3.3, §10.1, §10.4).
enum class Drop : std::uint8_t {
  none,
  r0_with_zone_or_subnet,       // §3.3
  multicast_reserved_bits,      // §10.1: upper 28 bits of z non-zero
  multicast_reserved_scope,     // §10.1: scope nibble 0x0, 0x3, 0xF
  multicast_unassigned_scope,   // §10.1: scope nibble 0x6-0x7, 0x9-0xD
  multicast_reserved_protocol,  // §10.4: 255.255.255.1-3 MUST NOT be used
};

struct Classification {
  Class cls = Class::terrestrial;
  Scope scope = Scope::none;
  Drop drop = Drop::none;
  AsnKind asn = AsnKind::public_asn;  // meaningful for terrestrial
  std::uint32_t mesh_domain = 0;      // the 24-bit x.x.x of 240.x.x.x
  MulticastAssignment mc_assignment = MulticastAssignment::general;
  std::uint8_t mc_scope = 0;         // z low nibble (multicast only)
  bool intra_asn_multicast = false;  // IPv4-mapped with h in 224/4 (§10.2)
  bool interior_link_host = false;   // h in 222/8 (§3.8; a convention, never a filter)
  bool rfc1918_host = false;         // h in RFC 1918 space (§14.5)
};

[[nodiscard]] Classification classify(const Address& a) noexcept;

// The Table 3 row of an r.r.r.r value alone (z and s decide only r = 0).
[[nodiscard]] Class locator_class(u32 r) noexcept;
[[nodiscard]] Scope locator_scope(Class c) noexcept;
[[nodiscard]] AsnKind asn_kind(u32 asn) noexcept;

// Output rule ASIP-1: r is written as an ASN integer when it is 0 or terrestrial.
[[nodiscard]] inline bool prefers_asn_integer(u32 r) noexcept {
  return r == 0 || locator_class(r) == Class::terrestrial;
}

[[nodiscard]] std::string_view name(Class c) noexcept;
[[nodiscard]] std::string_view name(Scope s) noexcept;
[[nodiscard]] std::string_view name(AsnKind k) noexcept;
[[nodiscard]] std::string_view name(MulticastAssignment m) noexcept;
[[nodiscard]] std::string_view name(Drop d) noexcept;
// The §10.1 Table 13 name of a scope nibble ("link-local", "unassigned", …).
[[nodiscard]] std::string_view multicast_scope_name(std::uint8_t nibble) noexcept;
// The section of the draft that defines a class, for reports ("§3.5").
[[nodiscard]] std::string_view section(Class c) noexcept;

}  // namespace nextip::asip

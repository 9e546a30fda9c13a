#include "wire/asip/address_class.h"

namespace nextip::asip {

namespace {

constexpr u32 ip(u32 a, u32 b, u32 c, u32 d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

}  // namespace

Class locator_class(u32 r) noexcept {
  // Table 3 (§4) in order; the rows tile the whole 32-bit space.
  const u32 o = r >> 24;
  if (r == 0) return Class::ipv4_mapped;  // refined by classify() when z or s != 0
  if (o <= 96) return Class::terrestrial;
  if (o == 97) return Class::near_earth;
  if (o == 98) return Class::cislunar;
  if (o == 99) return Class::martian;
  if (o == 100) return Class::rine;
  if (o <= 126) return Class::terrestrial;
  if (o == 127) return r == ip(127, 127, 0, 0) ? Class::interop_dmz : Class::internal_zone;
  if ((r >> 16) == ((169u << 8) | 254u)) return Class::link_local;
  if (o <= 239) return Class::terrestrial;
  if (o == 240) return Class::mesh;
  if (o <= 249) return Class::interplanetary;
  if (o == 250) return Class::dtn_relay;
  if (o <= 253) return Class::reserved;
  if (o == 254) return Class::documentation;
  if (r == 0xffffffffU) return Class::broadcast;
  if (r >= ip(255, 255, 255, 0)) return Class::multicast;
  return Class::reserved_255;
}

Scope locator_scope(Class c) noexcept {
  switch (c) {
    case Class::ipv4_mapped: return Scope::ipv4;
    case Class::terrestrial: return Scope::terrestrial;
    case Class::near_earth:
    case Class::cislunar:
    case Class::martian:
    case Class::interplanetary:
    case Class::dtn_relay: return Scope::realm;
    case Class::rine: return Scope::link;  // Table 2: "Link (IXP only)"
    case Class::internal_zone:
    case Class::interop_dmz: return Scope::organization;
    case Class::link_local: return Scope::link;
    case Class::mesh: return Scope::mesh;
    case Class::broadcast: return Scope::link;  // "L2 broadcast only"
    case Class::multicast:                      // decided by the scope nibble
    case Class::invalid_r0:
    case Class::reserved:
    case Class::documentation:
    case Class::reserved_255: return Scope::none;
  }
  return Scope::none;
}

AsnKind asn_kind(u32 asn) noexcept {
  if (asn == 0) return AsnKind::zero;
  if (asn == 23456) return AsnKind::as_trans;
  if ((asn >= 64496 && asn <= 64511) || (asn >= 65536 && asn <= 65551)) return AsnKind::documentation;
  if (asn == 65533) return AsnKind::asip_documentation;
  if (asn == 65534) return AsnKind::asip_private_peering;
  if (asn >= 64512 && asn <= 65532) return AsnKind::private_use;
  if (asn == 65535) return AsnKind::last_reserved;
  return AsnKind::public_asn;
}

namespace {

Scope multicast_scope(std::uint8_t nibble) noexcept {
  switch (nibble) {
    case 0x1: return Scope::interface;
    case 0x2: return Scope::link;
    case 0x4: return Scope::admin;
    case 0x5: return Scope::site;
    case 0x8: return Scope::organization;
    case 0xE: return Scope::terrestrial;
    default: return Scope::none;
  }
}

Drop multicast_drop(const Address& a, std::uint8_t nibble) noexcept {
  if ((a.z() >> 4) != 0) return Drop::multicast_reserved_bits;
  if (nibble == 0x0 || nibble == 0x3 || nibble == 0xF) return Drop::multicast_reserved_scope;
  if (multicast_scope(nibble) == Scope::none) return Drop::multicast_unassigned_scope;
  const u32 last = a.r() & 0xff;
  if (last >= 1 && last <= 3) return Drop::multicast_reserved_protocol;
  return Drop::none;
}

}  // namespace

Classification classify(const Address& a) noexcept {
  Classification c;
  c.cls = locator_class(a.r());
  if (c.cls == Class::ipv4_mapped && (a.z() != 0 || a.s() != 0)) c.cls = Class::invalid_r0;
  c.scope = locator_scope(c.cls);
  const inet::Ipv4Class host = inet::classify(inet::Ipv4Address(a.h()));
  c.interior_link_host = (a.h() >> 24) == 222;
  c.rfc1918_host = host == inet::Ipv4Class::private_use;

  switch (c.cls) {
    case Class::invalid_r0: c.drop = Drop::r0_with_zone_or_subnet; break;
    case Class::ipv4_mapped:
      c.asn = AsnKind::zero;
      c.intra_asn_multicast = host == inet::Ipv4Class::multicast;
      break;
    case Class::terrestrial: c.asn = asn_kind(a.r()); break;
    case Class::mesh: c.mesh_domain = a.r() & 0x00ffffffU; break;
    case Class::multicast: {
      const u32 last = a.r() & 0xff;
      c.mc_assignment = last == 0     ? MulticastAssignment::general
                        : last <= 3   ? MulticastAssignment::reserved_protocol
                        : last <= 127 ? MulticastAssignment::iana_available
                                      : MulticastAssignment::reserved_future;
      c.mc_scope = static_cast<std::uint8_t>(a.z() & 0xf);
      c.drop = multicast_drop(a, c.mc_scope);
      c.scope = c.drop == Drop::none ? multicast_scope(c.mc_scope) : Scope::none;
      break;
    }
    default: break;
  }
  return c;
}

std::string_view name(Class c) noexcept {
  switch (c) {
    case Class::ipv4_mapped: return "ipv4-mapped";
    case Class::invalid_r0: return "invalid-r0";
    case Class::terrestrial: return "terrestrial-unicast";
    case Class::near_earth: return "near-earth-realm";
    case Class::cislunar: return "cislunar-realm";
    case Class::martian: return "martian-realm";
    case Class::rine: return "rine-peering";
    case Class::internal_zone: return "internal-zone";
    case Class::interop_dmz: return "interop-dmz";
    case Class::link_local: return "link-local";
    case Class::mesh: return "mesh";
    case Class::interplanetary: return "interplanetary-reserved";
    case Class::dtn_relay: return "dtn-relay";
    case Class::reserved: return "reserved";
    case Class::documentation: return "documentation";
    case Class::reserved_255: return "reserved-255";
    case Class::multicast: return "cross-asn-multicast";
    case Class::broadcast: return "broadcast";
  }
  return "?";
}

std::string_view section(Class c) noexcept {
  switch (c) {
    case Class::ipv4_mapped: return "§3.3";
    case Class::invalid_r0: return "§3.3";
    case Class::terrestrial: return "§3.15";
    case Class::near_earth:
    case Class::cislunar:
    case Class::martian:
    case Class::interplanetary:
    case Class::dtn_relay: return "§3.12";
    case Class::rine: return "§3.7";
    case Class::internal_zone: return "§3.5";
    case Class::interop_dmz: return "§3.6";
    case Class::link_local: return "§3.10";
    case Class::mesh: return "§3.11";
    case Class::reserved: return "§15.3";
    case Class::documentation: return "§3.13";
    case Class::reserved_255: return "§15.3";
    case Class::multicast: return "§10.3";
    case Class::broadcast: return "§11.2";
  }
  return "";
}

std::string_view name(Scope s) noexcept {
  switch (s) {
    case Scope::none: return "none";
    case Scope::interface: return "interface";
    case Scope::link: return "link";
    case Scope::admin: return "admin";
    case Scope::site: return "site";
    case Scope::mesh: return "mesh";
    case Scope::organization: return "organization";
    case Scope::terrestrial: return "terrestrial";
    case Scope::realm: return "realm";
    case Scope::ipv4: return "ipv4";
  }
  return "?";
}

std::string_view name(AsnKind k) noexcept {
  switch (k) {
    case AsnKind::public_asn: return "public";
    case AsnKind::zero: return "as0";
    case AsnKind::documentation: return "documentation-rfc5398";
    case AsnKind::asip_documentation: return "asip-documentation-65533";
    case AsnKind::asip_private_peering: return "asip-private-peering-65534";
    case AsnKind::private_use: return "private-use-rfc6996";
    case AsnKind::as_trans: return "as-trans-rfc6793";
    case AsnKind::last_reserved: return "reserved-rfc7300";
  }
  return "?";
}

std::string_view name(MulticastAssignment m) noexcept {
  switch (m) {
    case MulticastAssignment::general: return "general";
    case MulticastAssignment::reserved_protocol: return "reserved-per-protocol";
    case MulticastAssignment::iana_available: return "iana-available";
    case MulticastAssignment::reserved_future: return "reserved-future";
  }
  return "?";
}

std::string_view name(Drop d) noexcept {
  switch (d) {
    case Drop::none: return "none";
    case Drop::r0_with_zone_or_subnet: return "r0-with-zone-or-subnet";
    case Drop::multicast_reserved_bits: return "multicast-reserved-bits";
    case Drop::multicast_reserved_scope: return "multicast-reserved-scope";
    case Drop::multicast_unassigned_scope: return "multicast-unassigned-scope";
    case Drop::multicast_reserved_protocol: return "multicast-reserved-protocol";
  }
  return "?";
}

std::string_view multicast_scope_name(std::uint8_t nibble) noexcept {
  switch (nibble & 0xf) {
    case 0x0: return "reserved";
    case 0x1: return "interface-local";
    case 0x2: return "link-local";
    case 0x3: return "reserved";
    case 0x4: return "admin-local";
    case 0x5: return "site-local";
    case 0x8: return "organization-local";
    case 0xE: return "global";
    case 0xF: return "reserved";
    default: return "unassigned";
  }
}

}  // namespace nextip::asip

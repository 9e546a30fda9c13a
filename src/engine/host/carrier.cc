#include "engine/host/carrier.h"

#include "wire/asip/address_class.h"

namespace nextip::engine::host {

namespace {

using base::u128;
using base::u32;

[[nodiscard]] HostDrop ipv4_mapped(u32 h) noexcept {
  const u32 a = h >> 24;
  if (a == 0 || a == 127 || (h >> 16) == 0xa9fe) return HostDrop::reserved_address;  // 0/8, 127/8, 169.254/16
  if ((a & 0xf0) == 0xe0 || h == 0xffffffffU) return HostDrop::multicast;            // 224/4 (§10.2), broadcast
  return HostDrop::none;
}

}  // namespace

HostDrop carrier_address(u128 bits, bool allow_reserved_realms) noexcept {
  // The kernel's view first: these are what a TUN sees in normal operation.
  if (bits <= 1) return HostDrop::unspecified;                 // ::, ::1
  if ((bits >> 120) == 0xff) return HostDrop::multicast;       // ff00::/8
  if ((bits >> 118) == 0x3fa) return HostDrop::v6_link_local;  // fe80::/10
  const asip::Classification c = asip::classify(asip::Address::from_uint(bits));
  if (c.drop != asip::Drop::none) return HostDrop::reserved_address;
  switch (c.cls) {
    case asip::Class::ipv4_mapped: return ipv4_mapped(static_cast<u32>(bits));
    case asip::Class::invalid_r0:
    case asip::Class::reserved:
    case asip::Class::reserved_255: return HostDrop::reserved_address;
    case asip::Class::near_earth:
    case asip::Class::cislunar:
    case asip::Class::martian:
    case asip::Class::interplanetary:
    case asip::Class::dtn_relay: return allow_reserved_realms ? HostDrop::none : HostDrop::reserved_address;
    case asip::Class::multicast:
    case asip::Class::broadcast: return HostDrop::multicast;
    case asip::Class::terrestrial:
    case asip::Class::rine:
    case asip::Class::internal_zone:
    case asip::Class::interop_dmz:
    case asip::Class::link_local:
    case asip::Class::mesh:
    case asip::Class::documentation: return HostDrop::none;
  }
  return HostDrop::reserved_address;
}

}  // namespace nextip::engine::host

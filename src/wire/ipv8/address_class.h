// IPv8 address classification: the ranges of the fact sheet (thain-ipv8-facts.md,
// "Addressing"), decided on the routing prefix r and, for r = 0, the host part.
#pragma once

#include <cstdint>
#include <string_view>

#include "wire/ipv8/address.h"

namespace nextip::ipv8 {

enum class Class : std::uint8_t {
  ipv4,                 // r = 0: IPv4, unchanged rules
  intra_asn_multicast,  // r = 0 with h in 224/4
  unicast,              // an ASN's own 2^32 hosts
  rine,                 // r in 100.0.0.0/8: RINE peering links, never global
  internal_zone,        // r in 127.0.0.0/8: internal zone prefixes, never external
  interop_dmz,          // r = 127.127.0.0: inter-company interop DMZ (two XLATE8s)
  private_peering,      // ASN 65534
  documentation,        // ASN 65533
  multicast,            // r in ff.ff.00.00-ff.ff.ef.ff: cross-ASN multicast
  reserved,             // r in ff.ff.f0.00-ff.ff.fe.ff and ff.ff.ff.00-fe (decision IPV8-3)
  broadcast,            // r = ff.ff.ff.ff
};

// The protocol prefixes inside cross-ASN multicast (r = ff.ff.00.xx).
enum class MulticastProtocol : std::uint8_t { none, general, ospf8, bgp8, reserved, isis8 };

struct Classification {
  Class cls = Class::unicast;
  MulticastProtocol protocol = MulticastProtocol::none;
  bool interior_link_host = false;    // h in 222.0.0.0/8 (<asn>.222.x.x, /31 pairs)
  std::string_view well_known_group;  // intra-ASN: "all routers", "zone servers", …
  bool filtered_at_border = false;    // never crosses an AS boundary (100/8, 127/8,
                                      // multicast protocol prefixes, broadcast, r = 0 multicast)
};

[[nodiscard]] Classification classify(const Address& a) noexcept;
[[nodiscard]] std::string_view name(Class c) noexcept;
[[nodiscard]] std::string_view name(MulticastProtocol p) noexcept;

}  // namespace nextip::ipv8

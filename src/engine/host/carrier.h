// Which 128-bit values mean the same thing on both sides of the carrier. The adaptor
// copies addresses verbatim (ASIP r:z:s:h = the IPv6 address bits, DESIGN.md), so an
// address crosses only if it is ordinary unicast to the Linux IPv6 stack *and* ASIP
// unicast (001 §3, §4 Table 3). The same predicate serves both directions, which keeps
// the rewrite a bijection: whatever crosses one way crosses back.
//
//   IPv6 view                        ASIP view                         verdict
//   ::, ::1                          IPv4-mapped 0.0.0.0, 0.0.0.1      unspecified
//   ff00::/8                         255/8 (reserved, multicast, bc)   multicast
//   fe80::/10                        documentation 254.128.0.0/10      v6_link_local
//   ::ffff:0:0/96 and friends        r = 0 with z or s set (§3.3)      reserved_address
//   fc00::/7                         251-253/8 reserved                reserved_address
//   (global unicast)                 97-99/8, 241-250/8 realms         reserved_address unless allowed
//   ::a.b.c.d                        IPv4-mapped; h in 0/8, 127/8,     reserved_address
//                                    169.254/16
//   ::a.b.c.d                        h in 224/4, 255.255.255.255       multicast
//   everything else (terrestrial ASNs, 127/8 zones, 100/8 RINE, 169.254/16 ASIP link-local,
//   240/8 mesh, 254/8 documentation outside fe80::/10, IPv4-mapped unicast)   crosses
#pragma once

#include "base/bytes.h"
#include "engine/host/counters.h"

namespace nextip::engine::host {

// HostDrop::none when `bits` (an address as a 128-bit number, network order) may cross.
[[nodiscard]] HostDrop carrier_address(base::u128 bits, bool allow_reserved_realms) noexcept;

}  // namespace nextip::engine::host

// IPv6 header (RFC 8200) for the kernel-facing carrier and the IPv6 SIIT mode.
#pragma once

#include "wire/inet/ext_chain.h"
#include "wire/inet/ipv6_address.h"
#include "wire/inet/v6_layout.h"

namespace nextip::inet {

struct Ipv6Traits {
  static constexpr u8 kVersion = 6;
  using Address = Ipv6Address;
  static constexpr base::FieldSpan kLayout[] = {{"ipv6.version", 0, 1}, {"ipv6.flow", 1, 3}, {"ipv6.plen", 4, 2},
                                                {"ipv6.nxt", 6, 1},     {"ipv6.hlim", 7, 1}, {"ipv6.src", 8, 16},
                                                {"ipv6.dst", 24, 16}};
  static constexpr std::string_view kPayloadName = "ipv6.payload";
};

template <class B>
using Ipv6View = V6LayoutView<B, Ipv6Traits>;
using Ipv6Repr = V6LayoutRepr<Ipv6Traits>;

inline constexpr ExtChainNames kIpv6ExtNames{"ipv6.nxt", "ipv6.ext.len", "ipv6.fragment", "ipv6.ext", "ipv6.upper"};

// ICMPv6 types used by the translator (RFC 4443).
namespace icmpv6_type {
inline constexpr u8 kDestUnreachable = 1;
inline constexpr u8 kPacketTooBig = 2;
inline constexpr u8 kTimeExceeded = 3;
inline constexpr u8 kParameterProblem = 4;
inline constexpr u8 kEchoRequest = 128;
inline constexpr u8 kEchoReply = 129;
}  // namespace icmpv6_type

}  // namespace nextip::inet

#include "wire/inet/icmp6_layout.h"

namespace nextip::inet {

struct Icmpv6Traits {
  static constexpr u8 kNextHeader = 58;
  using Address = Ipv6Address;
  static constexpr Icmp6Names kNames{"icmpv6.type",      "icmpv6.code",      "icmpv6.checksum",
                                     "icmpv6.reserved",  "icmpv6.mtu",       "icmpv6.pointer",
                                     "icmpv6.echo.id",   "icmpv6.echo.seq",  "icmpv6.ra",
                                     "icmpv6.na.flags",  "icmpv6.nd.target", "icmpv6.redirect.destination",
                                     "icmpv6.opt.length"};
};

template <class B>
using Icmpv6View = Icmp6View<B, Icmpv6Traits>;
using Icmpv6Repr = Icmp6Repr<Icmpv6Traits>;

}  // namespace nextip::inet

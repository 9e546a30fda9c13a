// ASIP packets (001 §5, §9, §14.12): the 40-byte header (version 8, the IPv6 layout
// with ASIP addresses), the extension-header chain with the §14.12 bounds, and
// ICMP-ASIP (next header 143) with every type of Table 12 and Neighbor Discovery.
#pragma once

#include "wire/asip/address.h"
#include "wire/inet/ext_chain.h"
#include "wire/inet/icmp6_layout.h"
#include "wire/inet/v6_layout.h"

namespace nextip::asip {

using base::Bytes;
using base::MutBytes;
using base::u16;
using base::u8;
using base::WireErrc;
using base::WireResult;

inline constexpr u8 kVersion = 8;
inline constexpr u8 kNextHeaderIcmp = 143;  // §15.5 (requested value)
inline constexpr std::size_t kHeaderLen = 40;
inline constexpr std::size_t kMinMtu = 1280;  // §12.8

struct HeaderTraits {
  static constexpr u8 kVersion = asip::kVersion;
  using Address = asip::Address;
  static constexpr base::FieldSpan kLayout[] = {{"asip.version", 0, 1}, {"asip.flow", 1, 3}, {"asip.plen", 4, 2},
                                                {"asip.nxt", 6, 1},     {"asip.hlim", 7, 1}, {"asip.src", 8, 16},
                                                {"asip.dst", 24, 16}};
  static constexpr std::string_view kPayloadName = "asip.payload";
};

template <class B>
using HeaderView = inet::V6LayoutView<B, HeaderTraits>;
using HeaderRepr = inet::V6LayoutRepr<HeaderTraits>;

inline constexpr inet::ExtChainNames kExtNames{"asip.nxt", "asip.ext.len", "asip.fragment", "asip.ext", "asip.upper"};

// §14.12: at most 8 headers and 256 bytes of chain, the whole chain through the upper
// layer in the first fragment; unrecognised types dropped by intermediate nodes.
[[nodiscard]] inline inet::ExtChainLimits section_14_12_limits(bool intermediate_node) noexcept {
  return inet::ExtChainLimits{8, 256, intermediate_node, true};
}

// Walks the chain of a checked header view.
[[nodiscard]] inline WireResult<inet::ExtChain> walk_chain(const HeaderView<Bytes>& h,
                                                           bool intermediate_node) noexcept {
  return inet::walk_ext_chain(h.next_header(), h.payload(), section_14_12_limits(intermediate_node), kExtNames,
                              kHeaderLen);
}

struct IcmpTraits {
  static constexpr u8 kNextHeader = kNextHeaderIcmp;
  using Address = asip::Address;
  static constexpr inet::Icmp6Names kNames{"icmpasip.type",      "icmpasip.code",      "icmpasip.checksum",
                                           "icmpasip.reserved",  "icmpasip.mtu",       "icmpasip.pointer",
                                           "icmpasip.echo.id",   "icmpasip.echo.seq",  "icmpasip.ra",
                                           "icmpasip.na.flags",  "icmpasip.nd.target", "icmpasip.redirect.destination",
                                           "icmpasip.opt.length"};
};

template <class B>
using IcmpView = inet::Icmp6View<B, IcmpTraits>;
using IcmpRepr = inet::Icmp6Repr<IcmpTraits>;

// Destination Unreachable codes (ICMPv6 numbering, Table 12) plus the §5.3 AH-rewrite
// drop, "10" pending the §15.5 registry (decision ASIP-11: configurable).
namespace unreach {
inline constexpr u8 kNoRoute = 0;
inline constexpr u8 kAdminProhibited = 1;
inline constexpr u8 kBeyondScope = 2;
inline constexpr u8 kAddressUnreachable = 3;
inline constexpr u8 kPortUnreachable = 4;
inline constexpr u8 kAhRewriteDefault = 10;
}  // namespace unreach

}  // namespace nextip::asip

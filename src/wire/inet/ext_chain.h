// The IPv6 extension-header chain (RFC 8200 §4) as walked by IPv6 and by ASIP, which
// reuses its numbering and layout (001 §5.3) and bounds it (001 §14.12): at most N
// headers and B bytes of chain, the whole chain through the upper-layer header inside
// the first fragment (RFC 7112), unknown extension types dropped at intermediate nodes.
//
// Known headers: Hop-by-Hop 0 (first only), Routing 43, Fragment 44, ESP 50 (ends the
// readable chain), AH 51, No Next Header 59, Destination Options 60. The other IANA
// extension types (135 Mobility, 139 HIP, 140 Shim6, 253/254 experiments) are
// "unrecognised". Every other value is an upper-layer protocol.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

struct ExtChainLimits {
  int max_headers = 8;             // 001 §14.12
  std::size_t max_bytes = 256;     // 001 §14.12
  bool intermediate_node = false;  // drop unrecognised extension types
  bool require_first_fragment_chain = true;
};

// Field names used in errors ("asip.ext…" or "ipv6.ext…").
struct ExtChainNames {
  std::string_view next_header;  // "asip.nh"
  std::string_view ext_length;   // "asip.ext.len"
  std::string_view fragment;     // "asip.frag"
  std::string_view chain;        // "asip.ext"
  std::string_view upper;        // "asip.upper"
};

struct FragmentInfo {
  std::size_t offset = 0;  // of the Fragment header, from the start of the payload
  u8 next_header = 0;
  u16 fragment_offset = 0;  // 8-byte units
  bool more = false;
  u32 identification = 0;
  u8 reserved = 0;  // the reserved byte and the two reserved bits, for reports
  [[nodiscard]] bool first() const noexcept { return fragment_offset == 0; }
};

struct ExtHeader {
  u8 type = 0;
  u16 offset = 0;  // from the start of the payload
  u16 length = 0;
};

struct ExtChain {
  u8 upper_protocol = 0;         // first value that is not a known extension header
  std::size_t upper_offset = 0;  // where the upper layer (or fragment data) starts
  int count = 0;
  std::size_t chain_bytes = 0;
  std::array<ExtHeader, 16> headers{};  // the first min(count, 16) headers
  std::optional<FragmentInfo> fragment;
  bool has_ah = false;
  bool encrypted = false;  // ESP: the rest cannot be read
  [[nodiscard]] bool later_fragment() const noexcept { return fragment && !fragment->first(); }
};

[[nodiscard]] constexpr bool is_extension_header(u8 nh) noexcept {
  return nh == 0 || nh == 43 || nh == 44 || nh == 50 || nh == 51 || nh == 60;
}
[[nodiscard]] constexpr bool is_unrecognised_extension(u8 nh) noexcept {
  return nh == 135 || nh == 139 || nh == 140 || nh == 253 || nh == 254;
}

// The least bytes of an upper-layer header that must be in a first fragment.
[[nodiscard]] constexpr std::size_t min_upper_header(u8 protocol) noexcept {
  switch (protocol) {
    case 6: return 20;   // TCP
    case 17: return 8;   // UDP
    case 58: return 4;   // ICMPv6
    case 143: return 4;  // ICMP-ASIP
    default: return 0;
  }
}

// Walks the chain starting with `first_nh` over `payload` (the bytes after the 40-byte
// header). `base_offset` is added to error offsets (normally 40).
[[nodiscard]] WireResult<ExtChain> walk_ext_chain(u8 first_nh, Bytes payload, const ExtChainLimits& limits,
                                                  const ExtChainNames& names, std::size_t base_offset) noexcept;

// Writes an 8-byte Fragment header.
void emit_fragment_header(MutBytes buf, u8 next_header, u16 fragment_offset, bool more, u32 identification) noexcept;

}  // namespace nextip::inet

// The ICMP tables of RFC 7915 as pure functions: error type/code mapping both ways
// (§4.2, §5.2), Parameter Problem pointers (Figures 3 and 6), and the MTU arithmetic of
// Packet Too Big <-> Fragmentation Needed (§4.2, §5.2; 001 §12.7.4, §12.7.6). The
// 128-bit side uses ICMPv6 numbering (ICMP-ASIP follows it, 001 §9.1).
#pragma once

#include <optional>

#include "base/bytes.h"

namespace nextip::engine::translate::icmp_map {

using base::u16;
using base::u32;
using base::u8;

enum class Kind : u8 {
  plain,                 // type and code change, the 4-byte rest is zero
  packet_too_big,        // MTU recomputed
  parameter_problem,     // pointer mapped
  protocol_unreachable,  // 3/2 <-> 4/1: the pointer is 6, the Next Header field
};

struct Mapped {
  u8 type = 0;
  u8 code = 0;
  Kind kind = Kind::plain;
  friend constexpr bool operator==(const Mapped&, const Mapped&) = default;
};

// ICMPv4 error -> ICMPv6/ICMP-ASIP error; nullopt = drop (no translation exists).
// `literal_host_unreach` maps 3/1 to code 1 as 001 §12.7.3 prints it (decision ASIP-12);
// otherwise 3/1 -> 1/0 as RFC 7915 §4.2 says.
[[nodiscard]] std::optional<Mapped> v4_error_to_v6(u8 type, u8 code, bool literal_host_unreach = false) noexcept;
// ICMPv6/ICMP-ASIP error -> ICMPv4 error; nullopt = drop.
[[nodiscard]] std::optional<Mapped> v6_error_to_v4(u8 type, u8 code) noexcept;

// RFC 7915 Figure 3 (IPv4 pointer -> IPv6 pointer) and Figure 6 (the reverse).
[[nodiscard]] std::optional<u32> pointer_v4_to_v6(u8 ptr) noexcept;
[[nodiscard]] std::optional<u8> pointer_v6_to_v4(u32 ptr) noexcept;

// RFC 1191 §7: the largest plateau strictly below `total_length`, 0 if none.
[[nodiscard]] u16 plateau_below(u16 total_length) noexcept;

// Fragmentation Needed -> Packet Too Big (RFC 7915 §4.2, 001 §12.7.4):
//   max(1280, min(fn_mtu + delta, mtu_v6, mtu_v4 + delta))
// where delta is 20, or 28 when the packet in error carried a Fragment header and the
// fragment-header adjustment is on (001 §12.7.6). An FN with MTU 0 (pre-RFC 1191
// router) uses the plateau below the quoted packet's Total Length.
[[nodiscard]] u32 ptb_from_fn(u16 fn_mtu, u16 inner_total_length, u16 mtu_v6, u16 mtu_v4, u16 delta) noexcept;

// Packet Too Big -> Fragmentation Needed (RFC 7915 §5.2):
//   min(ptb_mtu - delta, mtu_v4, mtu_v6 - delta), never below 68 (RFC 791's minimum).
[[nodiscard]] u16 fn_from_ptb(u32 ptb_mtu, u16 mtu_v4, u16 mtu_v6, u16 delta) noexcept;

}  // namespace nextip::engine::translate::icmp_map

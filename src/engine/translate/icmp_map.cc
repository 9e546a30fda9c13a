#include "engine/translate/icmp_map.h"

#include <algorithm>

namespace nextip::engine::translate::icmp_map {

std::optional<Mapped> v4_error_to_v6(u8 type, u8 code, bool literal_host_unreach) noexcept {
  switch (type) {
    case 3:  // Destination Unreachable
      switch (code) {
        case 0:
        case 5:
        case 6:
        case 7:
        case 8:
        case 11:
        case 12: return Mapped{1, 0, Kind::plain};
        case 1: return Mapped{1, static_cast<u8>(literal_host_unreach ? 1 : 0), Kind::plain};
        case 2: return Mapped{4, 1, Kind::protocol_unreachable};
        case 3: return Mapped{1, 4, Kind::plain};
        case 4: return Mapped{2, 0, Kind::packet_too_big};
        case 9:
        case 10:
        case 13:
        case 15: return Mapped{1, 1, Kind::plain};
        default: return std::nullopt;  // 14 (host precedence violation) and unassigned codes
      }
    case 11:  // Time Exceeded: "the Code is unchanged"
      return Mapped{3, code, Kind::plain};
    case 12:  // Parameter Problem
      if (code == 0 || code == 2) return Mapped{4, 0, Kind::parameter_problem};
      return std::nullopt;
    default: return std::nullopt;  // Source Quench, Redirect, Alternate Host and the rest
  }
}

std::optional<Mapped> v6_error_to_v4(u8 type, u8 code) noexcept {
  switch (type) {
    case 1:  // Destination Unreachable
      switch (code) {
        case 0:
        case 2:
        case 3: return Mapped{3, 1, Kind::plain};
        case 1: return Mapped{3, 10, Kind::plain};
        case 4: return Mapped{3, 3, Kind::plain};
        default: return std::nullopt;
      }
    case 2:  // Packet Too Big: the code is ignored by receivers (RFC 4443 §3.2)
      return Mapped{3, 4, Kind::packet_too_big};
    case 3:  // Time Exceeded: "the Code is unchanged"
      return Mapped{11, code, Kind::plain};
    case 4:
      if (code == 0) return Mapped{12, 0, Kind::parameter_problem};
      if (code == 1) return Mapped{3, 2, Kind::protocol_unreachable};
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::optional<u32> pointer_v4_to_v6(u8 ptr) noexcept {
  if (ptr == 0) return 0u;             // Version/IHL -> Version/Traffic Class
  if (ptr == 1) return 1u;             // Type of Service -> Traffic Class/Flow Label
  if (ptr <= 3) return 4u;             // Total Length -> Payload Length
  if (ptr <= 7) return std::nullopt;   // Identification, Flags, Fragment Offset
  if (ptr == 8) return 7u;             // TTL -> Hop Limit
  if (ptr == 9) return 6u;             // Protocol -> Next Header
  if (ptr <= 11) return std::nullopt;  // Header Checksum
  if (ptr <= 15) return 8u;            // Source Address
  if (ptr <= 19) return 24u;           // Destination Address
  return std::nullopt;                 // options
}

std::optional<u8> pointer_v6_to_v4(u32 ptr) noexcept {
  if (ptr == 0) return u8{0};
  if (ptr == 1) return u8{1};
  if (ptr <= 3) return std::nullopt;  // Flow Label
  if (ptr <= 5) return u8{2};         // Payload Length -> Total Length
  if (ptr == 6) return u8{9};         // Next Header -> Protocol
  if (ptr == 7) return u8{8};         // Hop Limit -> TTL
  if (ptr <= 23) return u8{12};       // Source Address
  if (ptr <= 39) return u8{16};       // Destination Address
  return std::nullopt;
}

u16 plateau_below(u16 total_length) noexcept {
  constexpr u16 kPlateaus[] = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};
  for (u16 p : kPlateaus) {
    if (p < total_length) return p;
  }
  return 0;
}

u32 ptb_from_fn(u16 fn_mtu, u16 inner_total_length, u16 mtu_v6, u16 mtu_v4, u16 delta) noexcept {
  const u32 reported = fn_mtu != 0 ? fn_mtu : plateau_below(inner_total_length);
  const u32 m = std::min({reported + delta, u32{mtu_v6}, u32{mtu_v4} + delta});
  return std::max(m, u32{1280});
}

u16 fn_from_ptb(u32 ptb_mtu, u16 mtu_v4, u16 mtu_v6, u16 delta) noexcept {
  const u32 from_ptb = ptb_mtu > delta ? ptb_mtu - delta : 0;
  const u32 from_v6 = mtu_v6 > delta ? u32{mtu_v6} - delta : 0;
  const u32 m = std::min({from_ptb, u32{mtu_v4}, from_v6});
  return static_cast<u16>(std::max(m, u32{68}));
}

}  // namespace nextip::engine::translate::icmp_map

// The stateless core of the host adaptor: the in-place rewrite of one packet between
// the kernel's IPv6 and ASIP (DESIGN.md, "Unmodified applications via an IPv6 carrier").
//
// The two share the 40-byte header (001 §5.1), the extension headers (§5.3) and the
// transport pseudo-header (§12.7.1), so a packet keeps its size and every byte except:
//   - the version nibble, 6 <-> 8;
//   - the Next Header field that names ICMP, 58 <-> 143 (§9): the base header's or the
//     last extension header's, a Fragment header's included;
//   - the ICMP checksum, whose pseudo-header holds that value (RFC 1624 update);
//   - inside an ICMP error, the same three in the quoted packet as far as its bytes go,
//     each change folded into the outer checksum.
// TCP, UDP and everything else pass untouched, their checksums still valid.
//
// Two steps, so that a refused packet is never half rewritten: plan_rewrite() reads
// the packet and decides every byte to change (or the drop reason), apply() writes
// them. Neither allocates; both are noexcept.
#pragma once

#include <array>
#include <cstddef>

#include "base/bytes.h"
#include "base/expected.h"
#include "base/offload.h"
#include "engine/host/counters.h"

namespace nextip::engine::host {

using base::Bytes;
using base::MutBytes;
using base::u16;
using base::u32;
using base::u8;

enum class Direction : u8 { to_asip, to_kernel };

inline constexpr u8 kIcmpv6 = 58;     // RFC 4443
inline constexpr u8 kIcmpAsip = 143;  // 001 §9, §15.5 (requested value)
inline constexpr std::size_t kHeaderLen = 40;

// The version and ICMP next-header value a side uses.
struct Side {
  u8 version = 6;
  u8 icmp = kIcmpv6;
};
inline constexpr Side kKernelSide{6, kIcmpv6};
inline constexpr Side kAsipSide{8, kIcmpAsip};

[[nodiscard]] constexpr Side from_side(Direction d) noexcept {
  return d == Direction::to_asip ? kKernelSide : kAsipSide;
}
[[nodiscard]] constexpr Side to_side(Direction d) noexcept {
  return d == Direction::to_asip ? kAsipSide : kKernelSide;
}

// The 40-byte header present, the sending side's version, a payload length that fits
// the bytes and is not a jumbogram's 0. Returns the packet's length, 40 + payload
// length; bytes beyond it (link padding) are not part of the packet and never touched.
[[nodiscard]] Expected<std::size_t, HostDrop> check_header(Bytes packet, Direction d) noexcept;

// One byte to write.
struct ByteEdit {
  u32 at = 0;
  u8 value = 0;
};

struct Plan {
  // Version, Next Header, ICMP checksum (2), and in a quoted packet version, Next
  // Header and ICMP checksum (2).
  static constexpr std::size_t kMaxEdits = 8;
  std::array<ByteEdit, kMaxEdits> edits{};
  std::size_t count = 0;
  bool icmp = false;             // an ICMP message or fragment is renamed 58 <-> 143
  bool quoted = false;           // an ICMP error's quoted packet is rewritten
  bool finish_checksum = false;  // a partial ICMP checksum was finished: apply() clears the offload

  void add(std::size_t at, u8 value) noexcept { edits[count++] = ByteEdit{static_cast<u32>(at), value}; }
};

// `packet` is the packet (check_header() passed; its first `length` bytes); `off` the
// offload metadata that came with it. Walks the extension chain (001 §14.12 limits),
// checks ICMP (link-scoped types, checksum, quoted packet) and the offload metadata
// against the packet, and returns every edit — or why the packet cannot cross.
[[nodiscard]] Expected<Plan, HostDrop> plan_rewrite(Bytes packet, const base::Offload& off, Direction d) noexcept;

// Writes the plan's edits; clears a partial checksum that the plan finished.
void apply(MutBytes packet, const Plan& plan, base::Offload& off) noexcept;

}  // namespace nextip::engine::host

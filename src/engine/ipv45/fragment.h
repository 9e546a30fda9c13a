// Source fragmentation (003 "Fragmentation": "Source endpoints MUST fragment packets
// that exceed the discovered Path MTU"; docs/wire/ipv45.md "Fragmentation header").
//
// A packet is always built, and protected, in its unfragmented form; fragmenting it
// rewrites only the headers: each fragment is the fixed header with F (and M but for
// the last) set, Next Header 0x03 and its own Payload Length, then the 8-byte
// Fragmentation header carrying the original Next Header, then the next slice of the
// body. Every fragment but the last carries a multiple of 8 bytes. The receiver's
// Reassembler restores the unfragmented form, so AEAD associated data and the
// handshake transcript never see fragmentation.
#pragma once

#include <cstddef>

#include "engine/ipv45/counters.h"
#include "engine/ipv45/output.h"

namespace nextip::ipv45 {

inline constexpr std::size_t kFragmentHeaderLen = 8;
// Mode C: outer IPv4 (20) and UDP (8) come off the path MTU.
inline constexpr std::size_t kModeCOverhead = 28;

// Body bytes carried by every fragment but the last, for packets of at most max_packet.
[[nodiscard]] constexpr std::size_t fragment_chunk(std::size_t max_packet) noexcept {
  return (max_packet - kHeaderLen - kFragmentHeaderLen) / 8 * 8;
}

// Number of packets an unfragmented packet of `len` bytes becomes.
[[nodiscard]] std::size_t packet_count(std::size_t len, std::size_t max_packet) noexcept;

// The unfragmented packet lies at out.space()[0, len). Commits it as one transmit when
// it fits max_packet, else writes and commits its fragments (Identification `ident`).
// False, with nothing committed, when the Output has no room.
[[nodiscard]] bool send_from_space(Output& out, PeerAddr to, std::size_t len, std::size_t max_packet,
                                   base::u32 ident) noexcept;

// Bytes of out.space() that send_from_space() needs for a packet of `len` bytes.
[[nodiscard]] std::size_t space_needed(std::size_t len, std::size_t max_packet) noexcept;

// send_from_space() with the next Identification taken from `ident` and the counters
// kept (tx_packets, tx_fragments, drop_output_full).
[[nodiscard]] bool transmit(Output& out, Counters& c, PeerAddr to, std::size_t len, std::size_t max_packet,
                            base::u32& ident) noexcept;

// Copies `packet` to out.space() and calls send_from_space().
[[nodiscard]] bool send_copy(Output& out, PeerAddr to, base::Bytes packet, std::size_t max_packet,
                             base::u32 ident) noexcept;

}  // namespace nextip::ipv45

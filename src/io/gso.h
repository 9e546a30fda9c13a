// Software offloads: what the kernel would have done with a packet whose Offload
// (base/offload.h) asks for a partial checksum or segmentation, for the paths where
// nobody else will do it (a link without offloads, an engine that must see every
// segment, a UDP carrier without UDP_SEGMENT).
//
// Network layouts: gso tcp4 means an IPv4 header; tcp6 means the 40-byte IPv6 layout,
// version 6 (IPv6) or 8 (ASIP, 001 §5.1, same layout and pseudo-header); udp_l4 takes
// the version from the first nibble (4, 6 or 8). The transport header starts at
// csum_start when the checksum is partial, else right after the fixed IP header (an
// IPv6-layout packet without a partial checksum must then have no extension headers).
// The IP header's total/payload length is not trusted: the packet is the span given.
//
// Segments (Linux tcp_gso_segment / __udp_gso_segment): each is a copy of the headers
// plus up to gso_size payload bytes; IPv4 total length and header checksum, IPv6
// payload length, IPv4 ID (+1 per segment), TCP sequence number (+gso_size), UDP
// length and every transport checksum are recomputed; FIN and PSH stay on the last
// TCP segment only and CWR on the first only. The pseudo-header uses the destination
// field of the IP header (a routing header's final destination is not looked for).
//
// Buffers: `out[i]` receives segment i and must hold it (headers + gso_size bytes);
// `sizes[i]` receives its length; `out` must not overlap `packet`. Pure, noexcept,
// no allocation.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/expected.h"
#include "base/offload.h"

namespace nextip::io {

enum class GsoErrc : std::uint8_t {
  csum_out_of_range,     // csum_start + csum_offset + 2 beyond the packet
  bad_ip_header,         // wrong version for the GSO type, or a header beyond the packet
  wrong_protocol,        // the transport header is not TCP (UDP) where the GSO type says so
  bad_transport_header,  // TCP data offset < 5 or beyond the packet
  zero_gso_size,
  too_many_segments,  // more segments than `out` / `sizes` hold
  buffer_too_small,   // a segment does not fit in its out[i]
};

[[nodiscard]] std::string_view describe(GsoErrc e) noexcept;

// Completes a partial transport checksum in place: the one's-complement sum of the
// bytes from csum_start to the end (the field holds the pseudo-header sum) is folded,
// complemented (0 becomes 0xffff, as Linux's skb_checksum_help) and stored; then
// csum_partial is cleared. Nothing to do without csum_partial.
[[nodiscard]] Expected<void, GsoErrc> finish_checksum(base::MutBytes packet, base::Offload& offload) noexcept;

// How many segments `packet` makes under `offload` (1 without GSO or with no payload
// beyond the headers); 0 if the headers cannot be found.
[[nodiscard]] std::size_t segment_count(base::Bytes packet, const base::Offload& offload) noexcept;

// GSO tcp4 / tcp6 (offload.gso must be one of them).
[[nodiscard]] Expected<std::size_t, GsoErrc> segment_tcp(base::Bytes packet, const base::Offload& offload,
                                                         std::span<const base::MutBytes> out,
                                                         std::span<std::size_t> sizes) noexcept;
// GSO udp_l4: each segment is a complete UDP datagram.
[[nodiscard]] Expected<std::size_t, GsoErrc> segment_udp(base::Bytes packet, const base::Offload& offload,
                                                         std::span<const base::MutBytes> out,
                                                         std::span<std::size_t> sizes) noexcept;
// Any offload: segments as above, or (gso none) copies the packet into out[0] and
// finishes its checksum there. Returns the number of packets written.
[[nodiscard]] Expected<std::size_t, GsoErrc> segment(base::Bytes packet, const base::Offload& offload,
                                                     std::span<const base::MutBytes> out,
                                                     std::span<std::size_t> sizes) noexcept;

}  // namespace nextip::io

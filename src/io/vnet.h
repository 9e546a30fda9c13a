// The virtio-net header (struct virtio_net_hdr, <linux/virtio_net.h>) that a TUN
// device opened with IFF_VNET_HDR puts before every packet, and its conversion to and
// from base::Offload.
//
//   byte 0      flags        NEEDS_CSUM (1), DATA_VALID (2), RSC_INFO (4)
//   byte 1      gso_type     NONE 0, TCPV4 1, UDP (UFO) 3, TCPV6 4, UDP_L4 5, | ECN 0x80
//   bytes 2-3   hdr_len      length of the headers to copy in front of each segment
//   bytes 4-5   gso_size     payload bytes per segment
//   bytes 6-7   csum_start   where the checksummed bytes start (from the IP header)
//   bytes 8-9   csum_offset  where the checksum field is (from csum_start)
//
// Byte order: little endian, always. The kernel reads the header in "virtio
// endianness", which for a TUN device is the host's unless TUNSETVNETLE is set; nextip
// sets TUNSETVNETLE on big-endian hosts (tun.cc) so that this codec is the same
// everywhere (and matches virtio 1.0, which is little endian by definition).
//
// The header is 10 bytes (no num_buffers: nextip sets TUNSETVNETHDRSZ to 10).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/expected.h"
#include "base/offload.h"

namespace nextip::io::vnet {

using base::Bytes;
using base::u16;
using base::u8;

inline constexpr std::size_t kHeaderLen = 10;

namespace flag {
inline constexpr u8 kNeedsCsum = 1;
inline constexpr u8 kDataValid = 2;
inline constexpr u8 kRscInfo = 4;
}  // namespace flag

namespace gso_type {
inline constexpr u8 kNone = 0;
inline constexpr u8 kTcpv4 = 1;
inline constexpr u8 kUdp = 3;  // UFO: IP fragmentation of a UDP datagram (not supported)
inline constexpr u8 kTcpv6 = 4;
inline constexpr u8 kUdpL4 = 5;
inline constexpr u8 kEcn = 0x80;
}  // namespace gso_type

enum class VnetErrc : std::uint8_t {
  short_header,          // fewer than 10 bytes
  unknown_flags,         // a flag other than NEEDS_CSUM / DATA_VALID
  unknown_gso_type,      // not NONE, TCPV4, TCPV6 or UDP_L4
  gso_ecn,               // the ECN bit: CWR handling nextip does not implement
  gso_ufo,               // UFO (type 3): IP fragmentation, not segmentation
  gso_without_size,      // GSO with gso_size 0
  gso_without_csum,      // GSO without NEEDS_CSUM (Linux always sets both)
  csum_out_of_range,     // csum_start + csum_offset + 2 beyond the packet
  headers_out_of_range,  // the transport header of a GSO packet beyond the packet
};

[[nodiscard]] std::string_view describe(VnetErrc e) noexcept;

// Reads the header in front of `packet` (the bytes after the header, from the IP
// header on). Checks every field against the packet. hdr_len is recomputed from the
// packet (csum_start + the TCP data offset, or + 8 for UDP) because Linux reports
// skb_headlen() there, which can be more than the headers; it is 0 without GSO.
[[nodiscard]] Expected<base::Offload, VnetErrc> decode(Bytes header, Bytes packet) noexcept;

// Writes the header for `offload` into out[0..10). GSO needs csum_partial and a
// non-zero gso_size (Linux refuses a GSO packet without a partial checksum).
[[nodiscard]] Expected<void, VnetErrc> encode(const base::Offload& offload,
                                              std::span<std::byte, kHeaderLen> out) noexcept;

}  // namespace nextip::io::vnet

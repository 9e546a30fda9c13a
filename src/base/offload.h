// Offload metadata that travels with a packet between the kernel and an engine: a
// transport checksum the kernel left partial, and segmentation the kernel (or the
// next hop) will do. The I/O layer converts it to and from the virtio-net header of a
// TUN or AF_PACKET socket (src/io/vnet.h); engines keep it true when they rewrite a
// packet (a family change moves csum_start by the header-size difference and turns
// tcp4 into tcp6 …), or finish the checksum and clear it when they cannot.
#pragma once

#include <cstdint>

namespace nextip::base {

enum class Gso : std::uint8_t { none, tcp4, tcp6, udp_l4 };

struct Offload {
  // The transport checksum is partial: the field at csum_start + csum_offset holds
  // the one's-complement sum of the pseudo-header (not complemented), and the sum of
  // the bytes from csum_start to the end still has to be added (RFC 1071 order).
  bool csum_partial = false;
  std::uint16_t csum_start = 0;   // from the start of the IP header
  std::uint16_t csum_offset = 0;  // from csum_start: 16 for TCP, 6 for UDP
  // Segmentation: the packet is a super-packet to be cut into gso_size-byte payloads,
  // each behind a copy of the first hdr_len bytes (IP + transport headers).
  Gso gso = Gso::none;
  std::uint16_t gso_size = 0;
  std::uint16_t hdr_len = 0;

  [[nodiscard]] constexpr bool any() const noexcept { return csum_partial || gso != Gso::none; }
  friend constexpr bool operator==(const Offload&, const Offload&) noexcept = default;
};

}  // namespace nextip::base

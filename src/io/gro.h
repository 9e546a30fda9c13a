// Software GRO: the inverse of gso.h for the links that have no offloads. In-order TCP
// segments of one flow that arrive in one receive batch are coalesced into a
// super-packet with Offload{csum_partial, gso tcp6}, so that an engine translates it
// once and the TUN takes it in one write (the kernel cuts it again, or hands it whole
// to a local socket), instead of once per 1500 bytes.
//
// Packets: the 40-byte IPv6 layout, version 6 (IPv6) or 8 (ASIP, 001 §5.1: same layout,
// same pseudo-header), next header TCP directly (no extension headers). A segment is
// eligible when its payload length field fits the bytes (link padding is cut off), its
// TCP header is whole, only ACK (and PSH) are set, it carries data, and its checksum
// verifies — a corrupted segment is never hidden inside a super-packet. It joins the
// pending super-packet when every IP header byte but the payload length and every TCP
// header byte but the sequence number, checksum and PSH are the same, its sequence
// number follows on, and its size is the first segment's (gso_size) or smaller, which
// closes the super-packet, as does PSH (Linux's tcp_gro_receive keeps the same rules).
//
// Copies each segment's payload once into a caller-sized buffer; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/offload.h"

namespace nextip::io {

class TcpCoalescer {
 public:
  // `buffer` holds the super-packet being built: 65535 bytes take the largest.
  explicit TcpCoalescer(base::MutBytes buffer) noexcept : buf_(buffer) {}

  // Appends `packet` to the pending super-packet: false when it does not belong there
  // (flush the pending one, then start()).
  bool merge(base::Bytes packet) noexcept;
  // Starts a super-packet with a copy of `packet`: false when the packet is not eligible
  // (pass it on alone). Precondition: nothing pending.
  bool start(base::Bytes packet) noexcept;

  [[nodiscard]] bool pending() const noexcept { return len_ > 0; }
  [[nodiscard]] std::size_t segments() const noexcept { return segments_; }
  // The pending packet and its offload: a single segment comes back exactly as it
  // arrived, without offload; several as a super-packet (payload length set, TCP
  // checksum field holding the pseudo-header sum, PSH if the last had it). The bytes
  // stay valid until the next start(); take() then forgets them.
  base::MutBytes take(base::Offload& offload) noexcept;

  struct Stats {
    std::uint64_t segments_in = 0;   // eligible segments seen
    std::uint64_t packets_out = 0;   // packets given back by take()
    std::uint64_t bad_checksum = 0;  // TCP segments whose checksum did not verify
  };
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

 private:
  base::MutBytes buf_;
  std::size_t len_ = 0;       // bytes of the pending packet in buf_
  std::size_t hdr_len_ = 0;   // 40 + TCP header
  std::size_t gso_size_ = 0;  // payload of the first segment
  std::uint32_t next_seq_ = 0;
  std::size_t segments_ = 0;
  bool closed_ = false;  // a short or PSH segment ended it
  bool psh_ = false;
  Stats stats_;
};

}  // namespace nextip::io

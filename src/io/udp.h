// UdpSocket: a non-blocking UDP socket (IPv4 or IPv6) with batched receive
// (recvmmsg) and send (sendmmsg), UDP segmentation offload on send (a UDP_SEGMENT
// control message: one call, one route lookup, the kernel or the NIC cuts the
// datagrams, Linux >= 4.18) and receive coalescing (UDP_GRO: the kernel hands over
// several datagrams of one flow at once with their segment size, Linux >= 5.0).
//
// Fallbacks: open() asks for both and gso()/gro() say what the kernel accepted. If a
// GSO send fails with EIO (the route's device cannot checksum: Linux refuses GSO
// then), GSO is switched off for the socket and the datagram is sent again cut in
// software; every later send cuts in software too.
//
// Buffers come from the caller; nothing is allocated per datagram.
//   receive: bufs[i] receives datagram i; with gro() a coalesced datagram is up to
//            64 KiB and a smaller buffer truncates it (open without GRO if the buffers
//            are MTU-sized);
//   send:    UdpOutgoing::data is one datagram, or with segment_size > 0 several
//            datagrams of segment_size bytes back to back (the last may be shorter),
//            at most kMaxUdpSegments of them and at most 65000 bytes in all.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "base/bytes.h"
#include "base/expected.h"
#include "io/error.h"
#include "io/fd.h"
#include "io/socket_address.h"
#include "io/sys.h"

namespace nextip::io {

inline constexpr std::size_t kMaxUdpBatch = 64;     // datagrams per receive(); messages per sendmmsg
inline constexpr std::size_t kMaxUdpSegments = 64;  // UDP_MAX_SEGMENTS of Linux before 6.9

struct UdpConfig {
  SocketAddress bind;                 // address and port; port 0: the kernel picks one
  bool gso = true;                    // UDP_SEGMENT on send
  bool gro = true;                    // UDP_GRO on receive
  bool v6only = true;                 // IPV6_V6ONLY for an IPv6 socket (no IPv4-mapped peers)
  bool reuse_port = false;            // SO_REUSEPORT: one socket per worker on the same port
  std::optional<int> send_buffer;     // SO_SNDBUF
  std::optional<int> receive_buffer;  // SO_RCVBUF
};

struct UdpDatagram {
  SocketAddress peer;
  base::MutBytes data;             // inside the caller's buffer
  std::uint16_t segment_size = 0;  // GRO: data holds datagrams of this size; 0: one datagram
  bool truncated = false;          // longer than the buffer; data is cut
};

struct UdpOutgoing {
  SocketAddress peer;
  base::Bytes data;
  std::uint16_t segment_size = 0;  // > 0: data is datagrams of this size, back to back
};

class UdpSocket {
 public:
  [[nodiscard]] static Expected<UdpSocket, IoError> open(const UdpConfig& config, Sys& sys = real_sys());

  // Defined in udp.cc, where Batch is complete.
  UdpSocket(UdpSocket&&) noexcept;
  UdpSocket& operator=(UdpSocket&&) noexcept;
  ~UdpSocket();

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] const SocketAddress& local() const noexcept { return local_; }  // after bind (real port)
  [[nodiscard]] bool gso() const noexcept { return gso_; }
  [[nodiscard]] bool gro() const noexcept { return gro_; }

  // Receives up to min(bufs.size(), out.size(), kMaxUdpBatch) datagrams; out[i]
  // describes the one in bufs[i]. Returns how many; 0 = would block.
  [[nodiscard]] Expected<std::size_t, IoError> receive(std::span<const base::MutBytes> bufs,
                                                       std::span<UdpDatagram> out) noexcept;
  // Sends in order; returns how many items were sent whole, fewer than
  // datagrams.size() when the socket would block. (Cut in software, an item stopped
  // part way may have had its first segments sent; UDP tolerates the duplicates a
  // resend makes.) An error on a later item is reported by the next call.
  [[nodiscard]] Expected<std::size_t, IoError> send(std::span<const UdpOutgoing> datagrams) noexcept;

 private:
  struct Batch;
  UdpSocket(Sys& sys, SocketAddress local);
  // Fills the batch from datagrams[from..); returns the number of items that fit.
  std::size_t fill(std::span<const UdpOutgoing> datagrams, std::size_t& messages) noexcept;

  Sys* sys_;
  Fd fd_;
  SocketAddress local_;
  bool gso_ = false;
  bool gro_ = false;
  IoObject label_;
  std::unique_ptr<Batch> batch_;
};

}  // namespace nextip::io

// PacketLink: an AF_PACKET SOCK_RAW socket bound to one interface and one EtherType
// (e.g. 0x88B5 for native ASIP frames, wire/inet/ethernet.h), for links where
// nextip's frames travel directly over Ethernet (a veth pair in the lab).
// Non-blocking, close-on-exec; receives batches with recvmmsg and sends batches with
// sendmmsg. Frames this host sends are not received back (PACKET_IGNORE_OUTGOING).
//
// Buffers come from the caller; nothing is allocated per frame.
//   receive: bufs[i] receives frame i whole, Ethernet header included, so the payload
//            starts 14 bytes into the buffer. A buffer should hold mtu() + 14 bytes;
//            a longer frame is cut and marked truncated. Received payloads may carry
//            the link's padding (Ethernet's 60-byte minimum): the payload's own length
//            field is the truth.
//   send:    each OutFrame::frame is headroom + payload: its first 14 bytes are
//            overwritten with the Ethernet header (destination, this interface's MAC,
//            the EtherType), then the whole span is sent.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/bytes.h"
#include "base/expected.h"
#include "io/error.h"
#include "io/fd.h"
#include "io/sys.h"
#include "wire/inet/ethernet.h"

namespace nextip::io {

inline constexpr std::size_t kEthernetHeadroom = 14;
inline constexpr std::size_t kMaxLinkBatch = 64;  // frames per receive() / send() call

struct PacketLinkConfig {
  std::string interface;                             // at most 15 bytes
  std::uint16_t ethertype = inet::ethertype::kAsip;  // host order
  bool qdisc_bypass = false;                         // PACKET_QDISC_BYPASS: skip the qdisc layer on send
  // Socket receive and send buffers (SO_RCVBUFFORCE / SO_SNDBUFFORCE, which need
  // CAP_NET_ADMIN; else SO_RCVBUF / SO_SNDBUF, capped by net.core.*mem_max). The kernel
  // default (~200 KiB, about 90 full-size frames) overflows under a TCP burst.
  int buffer_bytes = 4 << 20;
};

struct LinkFrame {
  inet::MacAddress src{};
  inet::MacAddress dst{};
  base::MutBytes payload;  // after the Ethernet header, inside the caller's buffer
  bool truncated = false;  // the frame was longer than its buffer
};

struct OutFrame {
  inet::MacAddress dst{};
  base::MutBytes frame;  // [14 bytes of headroom][payload]; at least 14 bytes
};

class PacketLink {
 public:
  // Looks the interface up (index, MAC, MTU), opens and binds the socket. Needs
  // CAP_NET_RAW.
  [[nodiscard]] static Expected<PacketLink, IoError> open(const PacketLinkConfig& config, Sys& sys = real_sys());

  PacketLink(PacketLink&&) noexcept;
  PacketLink& operator=(PacketLink&&) noexcept;
  ~PacketLink();

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] const std::string& interface() const noexcept { return name_; }
  [[nodiscard]] int ifindex() const noexcept { return ifindex_; }
  [[nodiscard]] std::uint16_t ethertype() const noexcept { return ethertype_; }
  [[nodiscard]] const inet::MacAddress& mac() const noexcept { return mac_; }
  [[nodiscard]] int mtu() const noexcept { return mtu_; }  // at open()

  // Receives up to min(bufs.size(), frames.size(), kMaxLinkBatch) frames; frames[i]
  // describes the frame in bufs[i]. Returns how many arrived; 0 = would block.
  [[nodiscard]] Expected<std::size_t, IoError> receive(std::span<const base::MutBytes> bufs,
                                                       std::span<LinkFrame> frames) noexcept;
  // Frames the kernel dropped because the socket's receive buffer was full, since
  // open() (PACKET_STATISTICS, accumulated here since the kernel resets it on read).
  [[nodiscard]] std::uint64_t kernel_drops() noexcept;
  // Sends frames in order; returns how many were sent, fewer than frames.size() when
  // the socket would block. An error on a later frame is reported by the next call.
  [[nodiscard]] Expected<std::size_t, IoError> send(std::span<const OutFrame> frames) noexcept;

 private:
  struct Batch;
  PacketLink(Sys& sys, std::string name);

  Sys* sys_;
  std::string name_;
  Fd fd_;
  int ifindex_ = 0;
  std::uint16_t ethertype_ = 0;
  inet::MacAddress mac_{};
  int mtu_ = 0;
  std::uint64_t kernel_drops_ = 0;
  std::unique_ptr<Batch> batch_;
};

}  // namespace nextip::io

// TUN devices (Documentation/networking/tuntap.rst): layer-3 packets, no packet
// information prefix (IFF_NO_PI), optionally the virtio-net header (IFF_VNET_HDR,
// vnet.h) that carries checksum and segmentation offloads, optionally several queues
// (IFF_MULTI_QUEUE: one descriptor per queue, the kernel spreads flows by hash).
// Every descriptor is non-blocking and close-on-exec. The device is not persistent:
// it disappears when the Tun is destroyed.
//
// Packets start at the IP header (IPv4, IPv6, or anything the engine writes).
//
// Headroom: none needed. With the virtio-net header, read() and write() use readv /
// writev with two iovecs, the 10-byte header in a local array and the packet in the
// caller's buffer, so the packet sits at the start of the caller's buffer and nothing
// is copied. (A caller that wants headroom for its own headers passes a subspan.)
//
// Offloads: TUNSETOFFLOAD is asked for what TunConfig::offloads requests and the
// kernel accepts a subset (USO needs Linux 6.2; TSO needs checksum offload); open()
// retries without what the kernel refuses and offloads() says what was accepted.
// With an offload accepted, packets read may be partially checksummed (csum_partial)
// or GSO super-packets of up to 64 KiB; the buffer given to read() must hold them
// (kMaxTunPacket), or they are cut short. Packets written may carry the same
// offloads, which the kernel completes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/expected.h"
#include "base/offload.h"
#include "io/error.h"
#include "io/fd.h"
#include "io/sys.h"

namespace nextip::io {

// The largest packet a TUN with TSO/USO can hand over: 64 KiB of IP packet.
inline constexpr std::size_t kMaxTunPacket = 65535;

struct TunOffloads {
  bool csum = false;  // TUN_F_CSUM: partial transport checksums, both directions
  bool tso4 = false;  // TUN_F_TSO4: TCP/IPv4 super-packets (needs csum)
  bool tso6 = false;  // TUN_F_TSO6: TCP/IPv6 super-packets (needs csum)
  bool uso = false;   // TUN_F_USO4 | TUN_F_USO6: UDP super-packets (needs csum; Linux >= 6.2)

  [[nodiscard]] static constexpr TunOffloads all() noexcept { return {true, true, true, true}; }
  [[nodiscard]] static constexpr TunOffloads none() noexcept { return {}; }
  [[nodiscard]] unsigned bits() const noexcept;  // TUN_F_* as for TUNSETOFFLOAD
  [[nodiscard]] std::string to_string() const;   // "csum tso4 tso6 uso", or "none"
  friend constexpr bool operator==(const TunOffloads&, const TunOffloads&) noexcept = default;
};

struct TunConfig {
  std::string name = "nx%d";                  // at most 15 bytes; "%d" lets the kernel number it
  bool vnet_hdr = true;                       // IFF_VNET_HDR: offload metadata with every packet
  std::size_t queues = 1;                     // more than 1: IFF_MULTI_QUEUE, one descriptor each
  TunOffloads offloads = TunOffloads::all();  // requested; ignored without vnet_hdr
  std::optional<int> mtu;                     // SIOCSIFMTU after creation
  bool up = false;                            // IFF_UP after creation
};

// One packet read: its offload metadata and its bytes (inside the caller's buffer).
struct TunPacket {
  base::Offload offload;
  base::MutBytes packet;
};

class Tun {
 public:
  // Creates the device and its queues. Needs CAP_NET_ADMIN.
  [[nodiscard]] static Expected<Tun, IoError> open(const TunConfig& config, Sys& sys = real_sys());

  Tun(Tun&&) noexcept = default;
  Tun& operator=(Tun&&) noexcept = default;
  ~Tun() = default;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] std::size_t queues() const noexcept { return fds_.size(); }
  // The descriptor of a queue, for the event loop. Precondition: queue < queues().
  [[nodiscard]] int fd(std::size_t queue) const noexcept { return fds_[queue].get(); }
  [[nodiscard]] bool vnet_hdr() const noexcept { return vnet_hdr_; }
  // What TUNSETOFFLOAD accepted.
  [[nodiscard]] TunOffloads offloads() const noexcept { return offloads_; }

  // Reads one packet from `queue` into `buf`: the packet and its offload, or nullopt
  // when none is waiting (would block). A packet whose virtio-net header is malformed
  // is consumed and reported as an IoError with err EBADMSG and `what` saying why;
  // the caller counts it and reads on. Precondition: queue < queues().
  [[nodiscard]] Expected<std::optional<TunPacket>, IoError> read(std::size_t queue, base::MutBytes buf) noexcept;

  // Writes one packet with its offload; false when the kernel would block. Without a
  // virtio-net header the offload must be empty (finish it with gso.h first).
  [[nodiscard]] Expected<bool, IoError> write(std::size_t queue, const base::Offload& offload,
                                              base::Bytes packet) noexcept;

  [[nodiscard]] Expected<int, IoError> mtu() const noexcept;
  [[nodiscard]] Expected<void, IoError> set_mtu(int mtu) const noexcept;
  [[nodiscard]] Expected<void, IoError> set_up(bool up) const noexcept;

 private:
  Tun(Sys& sys, std::string name) : sys_(&sys), name_(std::move(name)) {}

  Sys* sys_;
  std::string name_;
  std::vector<Fd> fds_;
  bool vnet_hdr_ = false;
  TunOffloads offloads_;
};

}  // namespace nextip::io

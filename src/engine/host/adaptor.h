// The ASIP host adaptor (DESIGN.md, "Unmodified applications via an IPv6 carrier";
// docs/host-adaptor.md). A node in the host role owns a TUN device: the kernel's IPv6
// stack sends packets into it, kernel_to_asip() rewrites each into ASIP for the ASIP
// link, and asip_to_kernel() rewrites what arrives from the link into IPv6 for the TUN.
// The mapping is verbatim (same 128 address bits, same layout, same pseudo-header):
// rewrite.h lists the few bytes that change.
//
// Sans-IO (STYLE.md rule 3): bytes and the TUN's offload metadata in, a verdict out.
// The rewrite is in place, never changes the size, allocates nothing, and leaves a
// refused packet untouched. No clock: nothing here depends on time. Single-threaded:
// one adaptor per worker (the stats are per adaptor).
#pragma once

#include "base/bytes.h"
#include "base/offload.h"
#include "engine/host/config.h"
#include "engine/host/counters.h"
#include "engine/host/rewrite.h"

namespace nextip::engine::host {

struct [[nodiscard]] HostResult {
  bool ok = false;
  HostDrop reason = HostDrop::none;  // set when !ok
  // The packet's length, 40 + payload length (ok only): send packet.first(length).
  // Bytes after it (link padding) were not part of the packet and are left as they were.
  std::size_t length = 0;

  explicit operator bool() const noexcept { return ok; }
};

class HostAdaptor {
 public:
  // The configuration must have passed HostConfig::validate().
  explicit HostAdaptor(HostConfig config);

  // An IPv6 packet the kernel wrote into the TUN (starting at the IPv6 header), with
  // the offload metadata of its virtio header. On success it is an ASIP packet and
  // `off` describes it (unchanged unless a partial ICMP checksum had to be finished).
  HostResult kernel_to_asip(MutBytes packet, base::Offload& off) noexcept;
  // An ASIP packet from the ASIP link; on success an IPv6 packet for the TUN.
  HostResult asip_to_kernel(MutBytes packet, base::Offload& off) noexcept;

  [[nodiscard]] const HostStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const HostConfig& config() const noexcept { return cfg_; }

 private:
  HostResult run(Direction d, MutBytes packet, base::Offload& off) noexcept;
  [[nodiscard]] HostDrop check_addresses(Direction d, Bytes packet) const noexcept;
  HostResult drop(Direction d, HostDrop reason) noexcept;

  HostConfig cfg_;
  HostStats stats_;
};

}  // namespace nextip::engine::host

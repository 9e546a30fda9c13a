// The host adaptor's configuration: the host's own ASIP prefixes, an optional list of
// peers, and whether the reserved realm ranges may cross (docs/host-adaptor.md).
// Configuration enters through typed fields (STYLE.md rule 3); the daemon fills them
// from its TOML file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "wire/asip/address.h"

namespace nextip::engine::host {

struct HostConfig {
  // The prefixes of this host's own addresses: the TUN's addresses and any prefix the
  // host routes for. Kernel -> ASIP packets must come from one of them (anti-spoofing,
  // 001 §14.1 at the source), ASIP -> kernel packets must go to one of them. Empty: no
  // ownership checks.
  std::vector<asip::Prefix> own;
  // If not empty, the only prefixes this host exchanges packets with: the destination
  // of kernel -> ASIP packets and the source of ASIP -> kernel packets must match one.
  std::vector<asip::Prefix> peers;
  // Let the realm ranges Table 3 marks "(reserved)" cross (r.r.r.r in 97/8, 98/8, 99/8,
  // 241-249/8, 250/8): for lab topologies that play with realms. The ranges reserved
  // for future use (251-253/8, 255/8) and r = 0 with z or s set never cross.
  bool allow_reserved_realms = false;

  // Bounds the per-packet prefix scan.
  static constexpr std::size_t kMaxPrefixes = 64;

  // Why the configuration cannot be used, or nullopt. HostAdaptor requires a valid one.
  [[nodiscard]] std::optional<std::string> validate() const;
};

}  // namespace nextip::engine::host

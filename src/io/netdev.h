// Network interface ioctls (SIOCGIFINDEX, SIOC[GS]IFMTU, SIOC[GS]IFFLAGS,
// SIOCGIFHWADDR), made on a short-lived AF_INET datagram socket. Control path: each
// call opens and closes its own socket.
#pragma once

#include <string_view>

#include "base/expected.h"
#include "io/error.h"
#include "io/sys.h"
#include "wire/inet/ethernet.h"

namespace nextip::io::netdev {

// Interface names hold at most 15 bytes (IFNAMSIZ - 1); longer ones give EINVAL.
[[nodiscard]] Expected<int, IoError> index(Sys& sys, std::string_view name) noexcept;
[[nodiscard]] Expected<int, IoError> mtu(Sys& sys, std::string_view name) noexcept;
[[nodiscard]] Expected<void, IoError> set_mtu(Sys& sys, std::string_view name, int mtu) noexcept;
[[nodiscard]] Expected<bool, IoError> is_up(Sys& sys, std::string_view name) noexcept;
// Sets or clears IFF_UP, keeping the other flags.
[[nodiscard]] Expected<void, IoError> set_up(Sys& sys, std::string_view name, bool up) noexcept;
[[nodiscard]] Expected<inet::MacAddress, IoError> hardware_address(Sys& sys, std::string_view name) noexcept;

}  // namespace nextip::io::netdev

#include "io/netdev.h"

#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>

#include "io/fd.h"

namespace nextip::io::netdev {
namespace {

// Runs one interface ioctl; `call` names it in the error.
Expected<void, IoError> ifreq_ioctl(Sys& sys, std::string_view name, unsigned long request, const char* call,
                                    ifreq& ifr) noexcept {
  if (name.empty() || name.size() >= IFNAMSIZ) return nextip::unexpected(io_error(call, EINVAL, name));
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  ifr.ifr_name[name.size()] = '\0';
  auto s = sys.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (!s) return nextip::unexpected(io_error("socket(AF_INET)", s.error(), name));
  const Fd fd(sys, *s);
  if (auto r = sys.ioctl(fd.get(), request, &ifr); !r) return nextip::unexpected(io_error(call, r.error(), name));
  return {};
}

}  // namespace

Expected<int, IoError> index(Sys& sys, std::string_view name) noexcept {
  ifreq ifr{};
  if (auto r = ifreq_ioctl(sys, name, SIOCGIFINDEX, "SIOCGIFINDEX", ifr); !r) return nextip::unexpected(r.error());
  return ifr.ifr_ifindex;
}

Expected<int, IoError> mtu(Sys& sys, std::string_view name) noexcept {
  ifreq ifr{};
  if (auto r = ifreq_ioctl(sys, name, SIOCGIFMTU, "SIOCGIFMTU", ifr); !r) return nextip::unexpected(r.error());
  return ifr.ifr_mtu;
}

Expected<void, IoError> set_mtu(Sys& sys, std::string_view name, int mtu) noexcept {
  ifreq ifr{};
  ifr.ifr_mtu = mtu;
  return ifreq_ioctl(sys, name, SIOCSIFMTU, "SIOCSIFMTU", ifr);
}

Expected<bool, IoError> is_up(Sys& sys, std::string_view name) noexcept {
  ifreq ifr{};
  if (auto r = ifreq_ioctl(sys, name, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifr); !r) return nextip::unexpected(r.error());
  return (ifr.ifr_flags & IFF_UP) != 0;
}

Expected<void, IoError> set_up(Sys& sys, std::string_view name, bool up) noexcept {
  ifreq ifr{};
  if (auto r = ifreq_ioctl(sys, name, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifr); !r) return nextip::unexpected(r.error());
  const int flags = up ? (ifr.ifr_flags | IFF_UP) : (ifr.ifr_flags & ~IFF_UP);
  ifr.ifr_flags = static_cast<short>(flags);
  return ifreq_ioctl(sys, name, SIOCSIFFLAGS, "SIOCSIFFLAGS", ifr);
}

Expected<inet::MacAddress, IoError> hardware_address(Sys& sys, std::string_view name) noexcept {
  ifreq ifr{};
  if (auto r = ifreq_ioctl(sys, name, SIOCGIFHWADDR, "SIOCGIFHWADDR", ifr); !r) return nextip::unexpected(r.error());
  inet::MacAddress mac{};
  std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  return mac;
}

}  // namespace nextip::io::netdev

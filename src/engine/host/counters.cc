#include "engine/host/counters.h"

namespace nextip::engine::host {

std::string_view name(HostDrop r) noexcept {
  switch (r) {
    case HostDrop::none: return "none";
#define NEXTIP_X(n, text) \
  case HostDrop::n: return #n;
      NEXTIP_HOST_DROPS(NEXTIP_X)
#undef NEXTIP_X
    case HostDrop::count_: break;
  }
  return "?";
}

std::string_view describe(HostDrop r) noexcept {
  switch (r) {
    case HostDrop::none: return "not dropped";
#define NEXTIP_X(n, text) \
  case HostDrop::n: return text;
      NEXTIP_HOST_DROPS(NEXTIP_X)
#undef NEXTIP_X
    case HostDrop::count_: break;
  }
  return "?";
}

bool routine(HostDrop r) noexcept {
  switch (r) {
    case HostDrop::unspecified:
    case HostDrop::multicast:
    case HostDrop::v6_link_local:
    case HostDrop::link_scoped_icmp: return true;
    default: return false;
  }
}

}  // namespace nextip::engine::host

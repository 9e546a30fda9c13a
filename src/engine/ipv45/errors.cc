#include "engine/ipv45/errors.h"

namespace nextip::ipv45 {

std::string_view name(SessionError e) noexcept {
  switch (e) {
#define NEXTIP_X(n, text) \
  case SessionError::n: return #n;
    NEXTIP_IPV45_SESSION_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "?";
}

std::string_view describe(SessionError e) noexcept {
  switch (e) {
#define NEXTIP_X(n, text) \
  case SessionError::n: return text;
    NEXTIP_IPV45_SESSION_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "?";
}

}  // namespace nextip::ipv45

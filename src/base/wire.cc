#include "base/wire.h"

#include <fmt/format.h>

namespace nextip::base {

std::string_view describe(WireErrc c) noexcept {
  switch (c) {
#define NEXTIP_X(name, text) \
  case WireErrc::name: return text;
    NEXTIP_WIRE_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown error";
}

std::string_view code_name(WireErrc c) noexcept {
  switch (c) {
#define NEXTIP_X(name, text) \
  case WireErrc::name: return #name;
    NEXTIP_WIRE_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown";
}

std::string to_string(const WireError& e) {
  return fmt::format("{} at {}: {}", e.field.empty() ? "packet" : e.field, e.offset, describe(e.code));
}

}  // namespace nextip::base

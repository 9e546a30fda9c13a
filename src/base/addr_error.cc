#include "base/addr_error.h"

#include <fmt/format.h>

namespace nextip::base {

std::string_view describe(AddrErrc code) noexcept {
  switch (code) {
#define NEXTIP_X(name, text) \
  case AddrErrc::name: return text;
    NEXTIP_ADDR_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown error";
}

std::string_view code_name(AddrErrc code) noexcept {
  switch (code) {
#define NEXTIP_X(name, text) \
  case AddrErrc::name: return #name;
    NEXTIP_ADDR_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown";
}

std::string to_string(const ParseError& e, std::string_view input) {
  std::string out = fmt::format("{}: at {}: {}", name(e.family), e.pos, describe(e.code));
  if (e.code == AddrErrc::too_long) return out;  // the character at the limit is not the problem
  if (e.pos < input.size()) {
    const auto c = static_cast<unsigned char>(input[e.pos]);
    if (c >= 0x20 && c < 0x7f) {
      out += fmt::format(" (found '{}')", static_cast<char>(c));
    } else {
      out += fmt::format(" (found byte 0x{:02x})", c);
    }
  } else if (!input.empty() && e.pos == input.size() && e.code != AddrErrc::ok) {
    out += " (found end of text)";
  }
  return out;
}

}  // namespace nextip::base

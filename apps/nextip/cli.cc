#include "apps/nextip/cli.h"

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace nextip::cli {

void print_error(std::string_view message) {
  std::fputs(fmt::format("nextip: {}\n", message).c_str(), stderr);
}

void print_parse_error(std::string_view input, const base::ParseError& e) {
  print_error(fmt::format("cannot read '{}': {}", input, base::to_string(e, input)));
  // Echo the input with a caret under the offending position (printable input only).
  for (char c : input) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return;
  }
  std::fputs(fmt::format("  {}\n  {}^\n", input, std::string(e.pos, ' ')).c_str(), stderr);
}

}  // namespace nextip::cli

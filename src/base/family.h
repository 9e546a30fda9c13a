// The address families nextip knows, and their names as users type them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace nextip::base {

enum class Family : std::uint8_t { ipv4, ipv6, asip, ipv8, ipxl, ipv45 };

inline constexpr Family kAllFamilies[] = {Family::ipv4, Family::ipv6, Family::asip,
                                          Family::ipv8, Family::ipxl, Family::ipv45};

[[nodiscard]] constexpr std::string_view name(Family f) noexcept {
  switch (f) {
    case Family::ipv4: return "ipv4";
    case Family::ipv6: return "ipv6";
    case Family::asip: return "asip";
    case Family::ipv8: return "ipv8";
    case Family::ipxl: return "ipxl";
    case Family::ipv45: return "ipv45";
  }
  return "?";
}

// Address width in bits.
[[nodiscard]] constexpr int bits(Family f) noexcept {
  switch (f) {
    case Family::ipv4: return 32;
    case Family::ipv6: return 128;
    case Family::asip: return 128;
    case Family::ipv8: return 64;
    case Family::ipxl: return 64;
    case Family::ipv45: return 96;
  }
  return 0;
}

[[nodiscard]] constexpr std::optional<Family> family_from_name(std::string_view s) noexcept {
  for (Family f : kAllFamilies) {
    if (name(f) == s) return f;
  }
  return std::nullopt;
}

}  // namespace nextip::base

// IPv6 addresses (RFC 4291): the kernel-facing carrier of nextip's host adaptor and
// the 128-bit side of the IPv6 SIIT mode. Text per RFC 5952 (via glibc).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/addr_error.h"
#include "base/bytes.h"
#include "base/expected.h"
#include "base/inline_string.h"
#include "base/prefix.h"
#include "wire/inet/ipv4_address.h"

namespace nextip::inet {

class Ipv6Address {
 public:
  static constexpr int kBits = 128;
  static constexpr std::size_t kSize = 16;
  using Uint = base::u128;
  using Text = base::InlineString<48>;  // INET6_ADDRSTRLEN is 46

  constexpr Ipv6Address() noexcept = default;
  [[nodiscard]] static constexpr Ipv6Address from_uint(base::u128 v) noexcept {
    Ipv6Address a;
    a.v_ = v;
    return a;
  }
  [[nodiscard]] constexpr base::u128 to_uint() const noexcept { return v_; }

  [[nodiscard]] static Ipv6Address from_bytes(std::span<const std::byte, 16> b) noexcept;
  void to_bytes(std::span<std::byte, 16> b) const noexcept;
  [[nodiscard]] std::array<std::byte, 16> bytes() const noexcept;

  // RFC 4291 section 2.5.5.2 IPv4-mapped ::ffff:a.b.c.d.
  [[nodiscard]] static constexpr Ipv6Address ipv4_mapped(Ipv4Address v4) noexcept {
    return from_uint((base::u128{0xffff} << 32) | v4.value());
  }
  [[nodiscard]] constexpr std::optional<Ipv4Address> to_ipv4_mapped() const noexcept {
    if ((v_ >> 32) != 0xffff) return std::nullopt;
    return Ipv4Address(static_cast<base::u32>(v_));
  }

  [[nodiscard]] static Expected<Ipv6Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format() const noexcept;
  [[nodiscard]] std::string to_string() const { return format().str(); }

  friend constexpr auto operator<=>(const Ipv6Address&, const Ipv6Address&) noexcept = default;
  friend constexpr bool operator==(const Ipv6Address&, const Ipv6Address&) noexcept = default;

 private:
  base::u128 v_ = 0;
};

using Ipv6Prefix = base::Prefix<Ipv6Address>;
[[nodiscard]] Expected<Ipv6Prefix, base::ParseError> parse_ipv6_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Ipv6Prefix& p);

}  // namespace nextip::inet

template <>
struct std::hash<nextip::inet::Ipv6Address> {
  std::size_t operator()(const nextip::inet::Ipv6Address& a) const noexcept;
};

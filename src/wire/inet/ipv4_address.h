// IPv4 addresses (RFC 791) as nextip's families see them: the host field of ASIP,
// the host part of IPv8, the low word of IPxl and the locator of IPv4.5 are all IPv4
// addresses, so their special-purpose ranges (RFC 6890 registry) are classified here.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "base/addr_error.h"
#include "base/bytes.h"
#include "base/expected.h"
#include "base/inline_string.h"
#include "base/prefix.h"

namespace nextip::inet {

using base::u32;

class Ipv4Address {
 public:
  static constexpr int kBits = 32;
  static constexpr std::size_t kSize = 4;
  using Uint = u32;
  using Text = base::InlineString<16>;

  constexpr Ipv4Address() noexcept = default;
  constexpr explicit Ipv4Address(u32 v) noexcept : v_(v) {}
  constexpr Ipv4Address(base::u8 a, base::u8 b, base::u8 c, base::u8 d) noexcept
      : v_((u32{a} << 24) | (u32{b} << 16) | (u32{c} << 8) | d) {}

  [[nodiscard]] static constexpr Ipv4Address from_uint(u32 v) noexcept { return Ipv4Address(v); }
  [[nodiscard]] constexpr u32 to_uint() const noexcept { return v_; }
  [[nodiscard]] constexpr u32 value() const noexcept { return v_; }
  [[nodiscard]] constexpr base::u8 octet(int i) const noexcept { return static_cast<base::u8>(v_ >> (24 - 8 * i)); }

  [[nodiscard]] static Ipv4Address from_bytes(std::span<const std::byte, 4> b) noexcept {
    return Ipv4Address(base::load_be32(b.data()));
  }
  void to_bytes(std::span<std::byte, 4> b) const noexcept { base::store_be32(b.data(), v_); }

  // Strict dotted quad: exactly four decimal octets 0..255, no leading zeros.
  [[nodiscard]] static Expected<Ipv4Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format() const noexcept;
  [[nodiscard]] std::string to_string() const { return format().str(); }

  friend constexpr auto operator<=>(const Ipv4Address&, const Ipv4Address&) noexcept = default;
  friend constexpr bool operator==(const Ipv4Address&, const Ipv4Address&) noexcept = default;

 private:
  u32 v_ = 0;
};

using Ipv4Prefix = base::Prefix<Ipv4Address>;

[[nodiscard]] Expected<Ipv4Prefix, base::ParseError> parse_ipv4_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Ipv4Prefix& p);

// The IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), most
// specific entry first.
enum class Ipv4Class : std::uint8_t {
  unspecified,    // 0.0.0.0/32
  this_network,   // 0.0.0.0/8
  private_use,    // 10/8, 172.16/12, 192.168/16 (RFC 1918)
  shared,         // 100.64/10 (RFC 6598, CGN)
  loopback,       // 127/8
  link_local,     // 169.254/16 (RFC 3927)
  ietf_protocol,  // 192.0.0.0/24
  documentation,  // 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737)
  relay_6to4,     // 192.88.99.0/24 (deprecated, RFC 7526)
  benchmarking,   // 198.18/15 (RFC 2544)
  multicast,      // 224/4
  reserved,       // 240/4
  broadcast,      // 255.255.255.255/32
  global,         // everything else
};

[[nodiscard]] Ipv4Class classify(Ipv4Address a) noexcept;
[[nodiscard]] std::string_view name(Ipv4Class c) noexcept;
// True for the ranges routed on the public IPv4 Internet (global unicast).
[[nodiscard]] constexpr bool is_public_unicast(Ipv4Class c) noexcept {
  return c == Ipv4Class::global;
}

}  // namespace nextip::inet

template <>
struct std::hash<nextip::inet::Ipv4Address> {
  std::size_t operator()(const nextip::inet::Ipv4Address& a) const noexcept;
};

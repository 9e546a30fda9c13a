// IPxl addresses (002_…, "IPv4 with a larger address space"): 64 bits written as eight
// dotted octets. A 32-bit IPv4 address a.b.c.d is 0.0.0.1.a.b.c.d.
//
// Text forms:
//   full        0.0.0.1.192.168.100.1   (canonical output)
//   shorthand   1.192.168.100.1         leading zero octets dropped; the four low octets
//                                       and at least one high octet always stay, so a
//                                       shorthand has 5-8 numbers (decision IPXL-1)
// CIDR (decision IPXL-2): "/n" with n in 0..32 counts into the low 32 bits (64-bit
// length 32+n); "/-n" with n in 1..32 counts into the high 32 bits (64-bit length
// 32-n): 4.0.0.0.0/-2 is 0.0.0.4.0.0.0.0-0.0.0.7.255.255.255.255.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/addr_error.h"
#include "base/bytes.h"
#include "base/expected.h"
#include "base/inline_string.h"
#include "base/prefix.h"
#include "wire/inet/ipv4_address.h"

namespace nextip::ipxl {

using base::u32;
using base::u64;

// The high word that embeds IPv4: 0.0.0.1.
inline constexpr u32 kIpv4High = 1;

class Address {
 public:
  static constexpr int kBits = 64;
  static constexpr std::size_t kSize = 8;
  using Uint = u64;
  using Text = base::InlineString<32>;
  static constexpr std::size_t kMaxTextLength = 31;

  enum class Form : std::uint8_t { full, shorthand };
  static constexpr Form kAllForms[] = {Form::full, Form::shorthand};

  constexpr Address() noexcept = default;
  constexpr Address(u32 high, u32 low) noexcept : v_((u64{high} << 32) | low) {}

  [[nodiscard]] static constexpr Address from_uint(u64 v) noexcept {
    return Address(static_cast<u32>(v >> 32), static_cast<u32>(v));
  }
  [[nodiscard]] constexpr u64 to_uint() const noexcept { return v_; }
  [[nodiscard]] static Address from_bytes(std::span<const std::byte, 8> b) noexcept {
    return from_uint(base::load_be64(b.data()));
  }
  void to_bytes(std::span<std::byte, 8> b) const noexcept { base::store_be64(b.data(), v_); }

  [[nodiscard]] constexpr u32 high() const noexcept { return static_cast<u32>(v_ >> 32); }
  [[nodiscard]] constexpr u32 low() const noexcept { return static_cast<u32>(v_); }

  [[nodiscard]] static constexpr Address from_ipv4(inet::Ipv4Address a) noexcept {
    return Address(kIpv4High, a.value());
  }
  [[nodiscard]] constexpr bool is_ipv4() const noexcept { return high() == kIpv4High; }
  [[nodiscard]] constexpr std::optional<inet::Ipv4Address> to_ipv4() const noexcept {
    if (!is_ipv4()) return std::nullopt;
    return inet::Ipv4Address(low());
  }

  [[nodiscard]] static Expected<Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format(Form form = Form::full) const noexcept;
  [[nodiscard]] std::string to_string(Form form = Form::full) const { return format(form).str(); }

  friend constexpr auto operator<=>(const Address&, const Address&) noexcept = default;
  friend constexpr bool operator==(const Address&, const Address&) noexcept = default;

 private:
  u64 v_ = 0;
};

[[nodiscard]] std::string_view name(Address::Form f) noexcept;

using Prefix = base::Prefix<Address>;
[[nodiscard]] Expected<Prefix, base::ParseError> parse_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Prefix& p, Address::Form form = Address::Form::full);
// The signed length as IPxl writes it: 64-bit length 30 -> -2, 48 -> 16.
[[nodiscard]] constexpr int signed_length(int length64) noexcept {
  return length64 >= 32 ? length64 - 32 : -(32 - length64);
}

// Where the address sits in the allocation plan of 002 ("Special IANA trickery").
enum class Class : std::uint8_t {
  high_zero,         // 0.0.0.0.*: not assigned by the text
  ipv4,              // 0.0.0.1.*: today's IPv4 (low word classified as IPv4)
  mirrored_prefix,   // 0.0.0.2-16 with a low word in public IPv4 unicast space: the
                     //   largest DFZ prefix of each AS, valid again in networks 2-16
  early_allocation,  // 0.0.0.2-16 with a low word in IPv4 dead space (0/8, 10/8,
                     //   127/8, 224/3 …): allocatable now, IPxl routers only
  future,            // every other high word: IPxl routers only
};
[[nodiscard]] Class classify(const Address& a) noexcept;
[[nodiscard]] std::string_view name(Class c) noexcept;
// Whether a router that does not understand IPxl still forwards toward the right AS
// (it routes on the low word: 002 "How a non-IPxl router handles an IPxl packet").
[[nodiscard]] bool legacy_routable(const Address& a) noexcept;

}  // namespace nextip::ipxl

template <>
struct std::hash<nextip::ipxl::Address> {
  std::size_t operator()(const nextip::ipxl::Address& a) const noexcept;
};

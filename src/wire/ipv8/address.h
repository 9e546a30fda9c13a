// IPv8 addresses (draft-thain-ipv8; ../shared/specs/thain-ipv8-facts.md "Addressing"):
// 64 bits, a 32-bit routing prefix r.r.r.r (the ASN) and a 32-bit host h.h.h.h with
// IPv4 semantics. IPv4 is the subset with r = 0.
//
// Text forms accepted by parse():
//   canonical   0.0.251.240:192.0.2.1   r.r.r.r:h.h.h.h, the draft's own notation; the
//                                        only output form that no other family reads
//   dotted      0.0.251.240.192.0.2.1   eight octets
//   asn-dot     64496.192.0.2.1         ASN integer and the host (five parts)
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

namespace nextip::ipv8 {

using base::u32;
using base::u64;

class Address {
 public:
  static constexpr int kBits = 64;
  static constexpr std::size_t kSize = 8;
  using Uint = u64;
  using Text = base::InlineString<32>;
  static constexpr std::size_t kMaxTextLength = 31;  // "255.255.255.255:255.255.255.255"

  enum class Form : std::uint8_t { canonical, dotted, asn_dot };
  static constexpr Form kAllForms[] = {Form::canonical, Form::dotted, Form::asn_dot};

  constexpr Address() noexcept = default;
  constexpr Address(u32 r, u32 h) noexcept : v_((u64{r} << 32) | h) {}

  [[nodiscard]] static constexpr Address from_uint(u64 v) noexcept {
    return Address(static_cast<u32>(v >> 32), static_cast<u32>(v));
  }
  [[nodiscard]] constexpr u64 to_uint() const noexcept { return v_; }
  [[nodiscard]] static Address from_bytes(std::span<const std::byte, 8> b) noexcept {
    return from_uint(base::load_be64(b.data()));
  }
  void to_bytes(std::span<std::byte, 8> b) const noexcept { base::store_be64(b.data(), v_); }

  [[nodiscard]] constexpr u32 r() const noexcept { return static_cast<u32>(v_ >> 32); }
  [[nodiscard]] constexpr u32 asn() const noexcept { return r(); }
  [[nodiscard]] constexpr u32 h() const noexcept { return static_cast<u32>(v_); }

  // IPv4 is the r = 0 subset.
  [[nodiscard]] static constexpr Address from_ipv4(inet::Ipv4Address a) noexcept { return Address(0, a.value()); }
  [[nodiscard]] constexpr bool is_ipv4() const noexcept { return r() == 0; }
  [[nodiscard]] constexpr std::optional<inet::Ipv4Address> to_ipv4() const noexcept {
    if (!is_ipv4()) return std::nullopt;
    return inet::Ipv4Address(h());
  }

  [[nodiscard]] static Expected<Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format(Form form = Form::canonical) const noexcept;
  [[nodiscard]] std::string to_string(Form form = Form::canonical) const { return format(form).str(); }

  friend constexpr auto operator<=>(const Address&, const Address&) noexcept = default;
  friend constexpr bool operator==(const Address&, const Address&) noexcept = default;

 private:
  u64 v_ = 0;
};

[[nodiscard]] std::string_view name(Address::Form f) noexcept;

// Prefix lengths count over all 64 bits: /32 is one ASN, /48 is a host-part /16.
using Prefix = base::Prefix<Address>;
[[nodiscard]] Expected<Prefix, base::ParseError> parse_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Prefix& p, Address::Form form = Address::Form::canonical);

// The "/16 minimum injectable prefix" of draft -01 (facts, "Routing-table bound"), read
// as a host-part /16: a route may cross an AS boundary only if it names exactly one ASN
// (length >= 32) and is no more specific than host /16 (length <= 48).
inline constexpr int kMinInjectableHostPrefix = 16;
[[nodiscard]] constexpr int host_part_length(const Prefix& p) noexcept {
  return p.length() <= 32 ? 0 : p.length() - 32;
}
[[nodiscard]] constexpr bool injectable_across_as(const Prefix& p) noexcept {
  return p.length() >= 32 && host_part_length(p) <= kMinInjectableHostPrefix;
}

}  // namespace nextip::ipv8

template <>
struct std::hash<nextip::ipv8::Address> {
  std::size_t operator()(const nextip::ipv8::Address& a) const noexcept;
};

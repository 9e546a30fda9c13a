// ASIP addresses (001_… draft-hause-asip-00, §3, §6, §13.3): 128 bits as four 32-bit
// fields r.r.r.r (ASN locator) : z.z.z.z (zone) : s.s.s.s (subnet) : h.h.h.h (host).
//
// Text forms (all accepted by parse(); format() writes any of them):
//   compressed          64496::192.0.2.1                    nextip's default output
//   uncompressed        64496:0.0.0.0:0.0.0.0:192.0.2.1     (§6.2)
//   dotted              0.0.251.240:0.0.0.0:0.0.0.0:192.0.2.1   (§6.1 canonical)
//   dotted-compressed   0.0.251.240::192.0.2.1
//   integer             64496::192.0.2.1; r always an ASN integer (127.1.0.0 -> 2130771968)
//   flat                0.0.251.240.0.0.0.0.0.0.0.0.192.0.2.1   (§6.6)
// In the compressed and uncompressed forms r is an ASN integer when it is 0 or a
// terrestrial-unicast ASN and dotted otherwise (127.1.0.0::10.0.0.1, 254.0.0.1::…),
// which is how every example in §6 prints (docs/spec-decisions.md, ASIP-1).
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
#include "wire/inet/ipv6_address.h"

namespace nextip::asip {

using base::u128;
using base::u32;

class Address {
 public:
  static constexpr int kBits = 128;
  static constexpr std::size_t kSize = 16;
  using Uint = u128;
  // Longest output: 63 characters for a text form, 71 for "[…]:65535".
  using Text = base::InlineString<72>;
  static constexpr std::size_t kMaxTextLength = 63;

  enum class Form : std::uint8_t { compressed, uncompressed, dotted, dotted_compressed, integer, flat };
  static constexpr Form kAllForms[] = {Form::compressed,        Form::uncompressed, Form::dotted,
                                       Form::dotted_compressed, Form::integer,      Form::flat};

  constexpr Address() noexcept = default;
  constexpr Address(u32 r, u32 z, u32 s, u32 h) noexcept : f_{r, z, s, h} {}

  // §3.3: r = z = s = 0, h = the IPv4 address.
  [[nodiscard]] static constexpr Address ipv4_mapped(inet::Ipv4Address v4) noexcept {
    return Address(0, 0, 0, v4.value());
  }
  [[nodiscard]] static constexpr Address from_uint(u128 v) noexcept {
    return Address(static_cast<u32>(v >> 96), static_cast<u32>(v >> 64), static_cast<u32>(v >> 32),
                   static_cast<u32>(v));
  }
  [[nodiscard]] constexpr u128 to_uint() const noexcept {
    return (u128{f_[0]} << 96) | (u128{f_[1]} << 64) | (u128{f_[2]} << 32) | f_[3];
  }
  [[nodiscard]] static Address from_bytes(std::span<const std::byte, 16> b) noexcept;
  void to_bytes(std::span<std::byte, 16> b) const noexcept;

  // The IPv6 carrier address: the same 128 bits (DESIGN.md, host adaptor).
  [[nodiscard]] static constexpr Address from_ipv6(inet::Ipv6Address a) noexcept { return from_uint(a.to_uint()); }
  [[nodiscard]] constexpr inet::Ipv6Address to_ipv6() const noexcept { return inet::Ipv6Address::from_uint(to_uint()); }

  [[nodiscard]] constexpr u32 r() const noexcept { return f_[0]; }
  [[nodiscard]] constexpr u32 z() const noexcept { return f_[1]; }
  [[nodiscard]] constexpr u32 s() const noexcept { return f_[2]; }
  [[nodiscard]] constexpr u32 h() const noexcept { return f_[3]; }
  [[nodiscard]] constexpr u32 field(int i) const noexcept { return f_[static_cast<std::size_t>(i)]; }

  [[nodiscard]] constexpr bool is_ipv4_mapped() const noexcept { return f_[0] == 0 && f_[1] == 0 && f_[2] == 0; }
  [[nodiscard]] constexpr std::optional<inet::Ipv4Address> to_ipv4() const noexcept {
    if (!is_ipv4_mapped()) return std::nullopt;
    return inet::Ipv4Address(f_[3]);
  }

  // Every form above; errors name the position and the §6 rule broken.
  [[nodiscard]] static Expected<Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format(Form form = Form::compressed) const noexcept;
  [[nodiscard]] std::string to_string(Form form = Form::compressed) const { return format(form).str(); }

  friend constexpr auto operator<=>(const Address&, const Address&) noexcept = default;
  friend constexpr bool operator==(const Address&, const Address&) noexcept = default;

 private:
  std::array<u32, 4> f_{};
};

[[nodiscard]] std::string_view name(Address::Form f) noexcept;

// §13.3 URL host: "[addr]" or "[addr]:port".
struct UrlHost {
  Address address;
  std::optional<std::uint16_t> port;
  friend constexpr bool operator==(const UrlHost&, const UrlHost&) noexcept = default;
};
[[nodiscard]] Expected<UrlHost, base::ParseError> parse_url_host(std::string_view s) noexcept;
[[nodiscard]] Address::Text format_url_host(const UrlHost& u) noexcept;

// §6.7 CIDR. In a prefix the '::' may also absorb a zero host field ("15169::/32", as
// the §6.7 examples print); the output keeps one field explicit ("::0.0.0.0/0").
using Prefix = base::Prefix<Address>;
[[nodiscard]] Expected<Prefix, base::ParseError> parse_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Prefix& p, Address::Form form = Address::Form::compressed);

}  // namespace nextip::asip

template <>
struct std::hash<nextip::asip::Address> {
  std::size_t operator()(const nextip::asip::Address& a) const noexcept;
};

// IPv4.5 addresses (003_…, draft-matsukami-intarea-ipv45, "Addressing"): 96 bits, a
// 32-bit IPv4 Locator, a 16-bit Site ID and a 48-bit Endpoint ID.
//
// Text: <dotted-ipv4>::<hex-site>::<hex-eid>, the EID as three 16-bit groups; the '::'
// are separators, never zero compression, and there must be exactly two of them.
//   canonical   192.0.2.1::1234::DEAD:BEEF:0001   upper case, four digits per group,
//                                                  as every example of the text prints
//   compact     192.0.2.1::1234::DEAD:BEEF:1      leading zeros dropped ("0.0.0.0::0::0:0:0")
// Hex digits are accepted in either case, with or without leading zeros.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/addr_error.h"
#include "base/bytes.h"
#include "base/expected.h"
#include "base/inline_string.h"
#include "base/prefix.h"
#include "wire/inet/ipv4_address.h"

namespace nextip::ipv45 {

using base::u128;
using base::u16;
using base::u32;
using base::u64;

inline constexpr u64 kEidMask = 0xffff'ffff'ffffULL;

class Address {
 public:
  static constexpr int kBits = 96;
  static constexpr std::size_t kSize = 12;
  using Uint = u128;
  using Text = base::InlineString<48>;
  static constexpr std::size_t kMaxTextLength = 37;  // "255.255.255.255::FFFF::FFFF:FFFF:FFFF"

  enum class Form : std::uint8_t { canonical, compact };
  static constexpr Form kAllForms[] = {Form::canonical, Form::compact};

  constexpr Address() noexcept = default;
  constexpr Address(u32 locator, u16 site, u64 eid) noexcept : loc_(locator), site_(site), eid_(eid & kEidMask) {}

  [[nodiscard]] static constexpr Address from_uint(u128 v) noexcept {
    return Address(static_cast<u32>(v >> 64), static_cast<u16>(v >> 48), static_cast<u64>(v) & kEidMask);
  }
  [[nodiscard]] constexpr u128 to_uint() const noexcept { return (u128{loc_} << 64) | (u128{site_} << 48) | eid_; }
  [[nodiscard]] static Address from_bytes(std::span<const std::byte, 12> b) noexcept;
  void to_bytes(std::span<std::byte, 12> b) const noexcept;

  [[nodiscard]] constexpr u32 locator() const noexcept { return loc_; }
  [[nodiscard]] constexpr u16 site() const noexcept { return site_; }
  [[nodiscard]] constexpr u64 eid() const noexcept { return eid_; }

  // Edge translator form (003 addr-reserved): IPv4 A.B.C.D behind translator T is
  // T::FFFF::FFFF:<A><B>:<C><D>.
  [[nodiscard]] static constexpr Address translator_form(inet::Ipv4Address translator, inet::Ipv4Address v4) noexcept {
    return Address(translator.value(), 0xffff, (u64{0xffff} << 32) | v4.value());
  }
  [[nodiscard]] constexpr bool is_ipv4_embedded() const noexcept { return site_ == 0xffff && (eid_ >> 32) == 0xffff; }
  [[nodiscard]] constexpr std::optional<inet::Ipv4Address> embedded_ipv4() const noexcept {
    if (!is_ipv4_embedded()) return std::nullopt;
    return inet::Ipv4Address(static_cast<u32>(eid_));
  }

  [[nodiscard]] static Expected<Address, base::ParseError> parse(std::string_view s) noexcept;
  [[nodiscard]] Text format(Form form = Form::canonical) const noexcept;
  [[nodiscard]] std::string to_string(Form form = Form::canonical) const { return format(form).str(); }

  friend constexpr auto operator<=>(const Address&, const Address&) noexcept = default;
  friend constexpr bool operator==(const Address&, const Address&) noexcept = default;

 private:
  u32 loc_ = 0;
  u16 site_ = 0;
  u64 eid_ = 0;
};

[[nodiscard]] std::string_view name(Address::Form f) noexcept;

// 96-bit CIDR: "192.0.2.1::1234::0:0:0/48".
using Prefix = base::Prefix<Address>;
[[nodiscard]] Expected<Prefix, base::ParseError> parse_prefix(std::string_view s, bool strict = true) noexcept;
[[nodiscard]] std::string format_prefix(const Prefix& p, Address::Form form = Address::Form::canonical);

// The Reserved Addresses table of 003 ("addr-reserved"), plus ordinary unicast.
enum class Class : std::uint8_t {
  unicast,
  unspecified,    // 0.0.0.0::0::0:0:0
  loopback,       // 127.0.0.1::*::*
  multicast,      // 224.0.0.0/4::*::*
  site_local,     // LOCATOR::FFFF::*
  link_local,     // LOCATOR::FFFE::*
  ipv4_embedded,  // LOCATOR::FFFF::FFFF:*  (edge translator form)
};

// Where patterns overlap the most specific one (most fixed bits) wins, ties going to
// the row listed first (decision IPV45-1); `also` lists every other matching row.
struct Classification {
  Class cls = Class::unicast;
  std::vector<Class> also;
};
[[nodiscard]] Classification classify(const Address& a);
[[nodiscard]] Class primary_class(const Address& a) noexcept;
[[nodiscard]] std::string_view name(Class c) noexcept;
[[nodiscard]] std::string_view pattern(Class c) noexcept;

}  // namespace nextip::ipv45

template <>
struct std::hash<nextip::ipv45::Address> {
  std::size_t operator()(const nextip::ipv45::Address& a) const noexcept;
};

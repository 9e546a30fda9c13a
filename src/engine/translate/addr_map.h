// Address mapping for the SIIT mode of the translator:
//
//   Rfc6052Prefix  IPv4-embedded IPv6 addresses (RFC 6052 §2.2): prefix lengths 32, 40,
//                  48, 56, 64 and 96; bits 64..71 (the "u" octet) never carry IPv4 bits.
//   Eamt           Explicit Address Mappings (RFC 7757): IPv4 prefix <-> IPv6 prefix
//                  pairs, longest-prefix match in the family of the address looked up,
//                  suffix bits copied right after the other prefix.
//   is_untranslatable_v4  the IPv4 ranges a translator never maps (RFC 7915 §4.1/§5.1
//                  and RFC 6052 §3.1: 0/8, 127/8, 169.254/16, 224/4, 255.255.255.255).
//
// Addresses on the 128-bit side are u128 (network order: the first byte on the wire is
// the most significant). All lookups are allocation-free; the EAM table is kept sorted
// by prefix length once, when it is built.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/expected.h"
#include "wire/inet/ipv4_address.h"
#include "wire/inet/ipv6_address.h"

namespace nextip::engine::translate {

using base::u128;
using base::u16;
using base::u32;
using base::u8;
using inet::Ipv4Address;
using inet::Ipv4Prefix;
using inet::Ipv6Address;
using inet::Ipv6Prefix;

class Rfc6052Prefix {
 public:
  // nullopt (with the reason in `why`) unless `p` has one of the six lengths and, for
  // lengths up to 64, the u octet (bits 64..71) is zero.
  [[nodiscard]] static Expected<Rfc6052Prefix, std::string_view> make(Ipv6Prefix p) noexcept;

  [[nodiscard]] Ipv6Prefix prefix() const noexcept { return p_; }
  [[nodiscard]] u128 embed(Ipv4Address v4) const noexcept {
    const u32 v = v4.value();
    return base_ | (u128{v >> 24} << shift_[0]) | (u128{(v >> 16) & 0xff} << shift_[1]) |
           (u128{(v >> 8) & 0xff} << shift_[2]) | (u128{v & 0xff} << shift_[3]);
  }
  // The embedded IPv4 address, if `a` is inside the prefix.
  [[nodiscard]] std::optional<Ipv4Address> extract(u128 a) const noexcept {
    if ((a & mask_) != base_) return std::nullopt;
    auto octet = [a](int shift) { return static_cast<u32>(a >> shift) & 0xff; };
    return Ipv4Address(octet(shift_[0]) << 24 | octet(shift_[1]) << 16 | octet(shift_[2]) << 8 | octet(shift_[3]));
  }

 private:
  Rfc6052Prefix(Ipv6Prefix p, const std::array<int, 4>& byte_at) noexcept;
  Ipv6Prefix p_;
  u128 mask_ = 0;
  u128 base_ = 0;
  std::array<int, 4> shift_{};  // bit position of each IPv4 octet
};

struct Eam {
  Ipv6Prefix v6;
  Ipv4Prefix v4;
  friend bool operator==(const Eam&, const Eam&) = default;
};

class Eamt {
 public:
  Eamt() = default;
  // Refuses an entry whose IPv4 suffix (32 - l4 bits) is longer than its IPv6 suffix
  // (128 - l6), RFC 7757 §3.2, and duplicates of an existing prefix on either side.
  [[nodiscard]] Expected<void, std::string> add(const Eam& e);
  [[nodiscard]] bool empty() const noexcept { return by_v4_.empty(); }
  [[nodiscard]] std::span<const Eam> entries() const noexcept { return by_v4_; }

  [[nodiscard]] std::optional<u128> to_v6(Ipv4Address a) const noexcept {
    if (by_v4_.empty()) return std::nullopt;
    return lookup_v6(a);
  }
  [[nodiscard]] std::optional<Ipv4Address> to_v4(u128 a) const noexcept {
    if (by_v6_.empty()) return std::nullopt;
    return lookup_v4(a);
  }
  // Whether some entry's IPv4 prefix covers `a` (RFC 7757 §4 hairpinning).
  [[nodiscard]] bool covers_v4(Ipv4Address a) const noexcept;

 private:
  [[nodiscard]] std::optional<u128> lookup_v6(Ipv4Address a) const noexcept;
  [[nodiscard]] std::optional<Ipv4Address> lookup_v4(u128 a) const noexcept;
  std::vector<Eam> by_v4_;  // longest IPv4 prefix first
  std::vector<Eam> by_v6_;  // longest IPv6 prefix first
};

// RFC 7915 §4.1/§5.1 with RFC 6890: addresses a stateless translator does not carry.
[[nodiscard]] bool is_untranslatable_v4(Ipv4Address a) noexcept;

[[nodiscard]] inline u128 load_u128(const std::byte* p) noexcept {
  return (u128{base::load_be64(p)} << 64) | base::load_be64(p + 8);
}
inline void store_u128(std::byte* p, u128 v) noexcept {
  base::store_be64(p, static_cast<base::u64>(v >> 64));
  base::store_be64(p + 8, static_cast<base::u64>(v));
}

}  // namespace nextip::engine::translate

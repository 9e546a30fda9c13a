// Prefix<A>: an address of family A and a prefix length, with the host bits zero.
// One implementation serves every family: A provides
//   static constexpr int kBits;  using Uint = <unsigned type of at least kBits bits>;
//   Uint to_uint() const;  static A from_uint(Uint);   (value right-aligned in Uint)
#pragma once

#include <compare>
#include <optional>

#include "base/bytes.h"

namespace nextip::base {

template <class A>
class Prefix {
 public:
  using Address = A;
  using Uint = typename A::Uint;
  static constexpr int kBits = A::kBits;

  constexpr Prefix() noexcept = default;

  // The prefix of length `len` (clamped to 0..kBits) containing `addr`.
  [[nodiscard]] static constexpr Prefix containing(A addr, int len) noexcept {
    len = len < 0 ? 0 : (len > kBits ? kBits : len);
    return Prefix(A::from_uint(static_cast<Uint>(addr.to_uint() & mask(len))), len);
  }

  // `addr`/`len` only if no bit beyond `len` is set (strict parsing).
  [[nodiscard]] static constexpr std::optional<Prefix> exact(A addr, int len) noexcept {
    if (len < 0 || len > kBits) return std::nullopt;
    if (static_cast<Uint>(addr.to_uint() & ~mask(len) & all_ones()) != 0) return std::nullopt;
    return Prefix(addr, len);
  }

  [[nodiscard]] constexpr A address() const noexcept { return addr_; }
  [[nodiscard]] constexpr int length() const noexcept { return len_; }
  [[nodiscard]] constexpr int host_bits() const noexcept { return kBits - len_; }
  [[nodiscard]] constexpr A first() const noexcept { return addr_; }
  [[nodiscard]] constexpr A last() const noexcept { return A::from_uint(addr_.to_uint() | (~mask(len_) & all_ones())); }
  [[nodiscard]] constexpr bool contains(A a) const noexcept { return (a.to_uint() & mask(len_)) == addr_.to_uint(); }
  [[nodiscard]] constexpr bool contains(const Prefix& p) const noexcept { return p.len_ >= len_ && contains(p.addr_); }

  friend constexpr auto operator<=>(const Prefix&, const Prefix&) noexcept = default;
  friend constexpr bool operator==(const Prefix&, const Prefix&) noexcept = default;

  [[nodiscard]] static constexpr Uint all_ones() noexcept {
    return kBits == static_cast<int>(sizeof(Uint) * 8) ? static_cast<Uint>(~Uint{0})
                                                       : static_cast<Uint>((Uint{1} << kBits) - 1);
  }
  [[nodiscard]] static constexpr Uint mask(int len) noexcept { return high_mask<Uint>(len, kBits); }

 private:
  constexpr Prefix(A a, int len) noexcept : addr_(a), len_(len) {}
  A addr_{};
  int len_ = 0;
};

}  // namespace nextip::base

// The Internet checksum (RFC 1071), its incremental update (RFC 1624), and the
// pseudo-headers of IPv4 (RFC 793/768) and of ASIP (001 §12.7.1: the IPv6 layout of
// RFC 8200 §8.1 with the 128-bit ASIP addresses verbatim; also IPv6 itself).
//
// Sums are kept as 32-bit partial sums (`Sum`) so that pieces of a packet can be added
// separately and folded once. All functions are pure and noexcept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"

namespace nextip::base::checksum {

// A running one's-complement sum, not yet folded. Add pieces with add(), finish with
// fold() (gives the 16-bit sum) or finish() (gives the checksum field value, ~sum).
class Sum {
 public:
  constexpr Sum() noexcept = default;
  constexpr explicit Sum(u64 partial) noexcept : acc_(partial) {}

  // Adds `data` as a sequence of 16-bit big-endian words starting at an even offset of
  // the checksummed message. An odd trailing byte is padded with zero (RFC 1071), so an
  // odd-length piece may only be the last one.
  Sum& add(Bytes data) noexcept;
  constexpr Sum& add16(u16 v) noexcept {
    acc_ += v;
    return *this;
  }
  constexpr Sum& add32(u32 v) noexcept {
    acc_ += (v >> 16) + (v & 0xffff);
    return *this;
  }
  constexpr Sum& add(const Sum& other) noexcept {
    acc_ += other.acc_;
    return *this;
  }

  // The folded 16-bit one's-complement sum.
  [[nodiscard]] constexpr u16 fold() const noexcept {
    u64 s = acc_;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return static_cast<u16>(s);
  }
  // The value to store in a checksum field: ~fold().
  [[nodiscard]] constexpr u16 finish() const noexcept { return static_cast<u16>(~fold()); }

 private:
  u64 acc_ = 0;
};

// RFC 1071 checksum of one buffer (the checksum field value).
[[nodiscard]] u16 internet_checksum(Bytes data) noexcept;

// True when a message whose checksum field is included verifies (sums to 0xffff).
[[nodiscard]] inline bool verifies(const Sum& s) noexcept {
  return s.fold() == 0xffff;
}

// RFC 1624 eqn. 3: the new checksum field after a 16-bit word changed from `old_word`
// to `new_word`. HC' = ~(~HC + ~m + m').
[[nodiscard]] constexpr u16 update16(u16 checksum, u16 old_word, u16 new_word) noexcept {
  Sum s;
  s.add16(static_cast<u16>(~checksum)).add16(static_cast<u16>(~old_word)).add16(new_word);
  return s.finish();
}
[[nodiscard]] constexpr u16 update32(u16 checksum, u32 old_value, u32 new_value) noexcept {
  return update16(update16(checksum, static_cast<u16>(old_value >> 16), static_cast<u16>(new_value >> 16)),
                  static_cast<u16>(old_value), static_cast<u16>(new_value));
}

// IPv4 pseudo-header: source, destination, zero, protocol, upper-layer length.
[[nodiscard]] constexpr Sum ipv4_pseudo_header(u32 src, u32 dst, u8 protocol, u16 length) noexcept {
  Sum s;
  s.add32(src).add32(dst).add16(protocol).add16(length);
  return s;
}

// The IPv6 / ASIP pseudo-header: 128-bit source and destination (16 bytes each, as on
// the wire), 32-bit upper-layer length, 24 zero bits, next header.
[[nodiscard]] Sum ipv6_pseudo_header(std::span<const std::byte, 16> src, std::span<const std::byte, 16> dst,
                                     u8 next_header, u32 length) noexcept;

// A naive byte-at-a-time reference, for tests only.
[[nodiscard]] u16 reference_checksum(Bytes data) noexcept;

}  // namespace nextip::base::checksum

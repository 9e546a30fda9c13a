// Big-endian loads and stores on byte spans. Callers check lengths first; these
// functions do not (they are the inner loop of every codec).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace nextip::base {

using u8 = std::uint8_t;
using u16 = std::uint16_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;

using Bytes = std::span<const std::byte>;
using MutBytes = std::span<std::byte>;

[[nodiscard]] constexpr u8 load_u8(const std::byte* p) noexcept {
  return static_cast<u8>(p[0]);
}

[[nodiscard]] constexpr u16 load_be16(const std::byte* p) noexcept {
  return static_cast<u16>((static_cast<u16>(p[0]) << 8) | static_cast<u16>(p[1]));
}

[[nodiscard]] constexpr u32 load_be32(const std::byte* p) noexcept {
  return (static_cast<u32>(p[0]) << 24) | (static_cast<u32>(p[1]) << 16) | (static_cast<u32>(p[2]) << 8) |
         static_cast<u32>(p[3]);
}

[[nodiscard]] constexpr u64 load_be64(const std::byte* p) noexcept {
  return (static_cast<u64>(load_be32(p)) << 32) | load_be32(p + 4);
}

constexpr void store_u8(std::byte* p, u8 v) noexcept {
  p[0] = static_cast<std::byte>(v);
}

constexpr void store_be16(std::byte* p, u16 v) noexcept {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v);
}

constexpr void store_be32(std::byte* p, u32 v) noexcept {
  p[0] = static_cast<std::byte>(v >> 24);
  p[1] = static_cast<std::byte>(v >> 16);
  p[2] = static_cast<std::byte>(v >> 8);
  p[3] = static_cast<std::byte>(v);
}

constexpr void store_be64(std::byte* p, u64 v) noexcept {
  store_be32(p, static_cast<u32>(v >> 32));
  store_be32(p + 4, static_cast<u32>(v));
}

// A mask with the top `len` bits of a `bits`-wide unsigned value set (len in 0..bits).
template <class U>
[[nodiscard]] constexpr U high_mask(int len, int bits) noexcept {
  if (len <= 0) return U{0};
  const U all = bits == static_cast<int>(sizeof(U) * 8) ? static_cast<U>(~U{0}) : static_cast<U>((U{1} << bits) - 1);
  if (len >= bits) return all;
  return static_cast<U>(all & ~static_cast<U>((U{1} << (bits - len)) - 1));
}

}  // namespace nextip::base

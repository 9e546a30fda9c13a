// Hash mixing for address types (std::hash specialisations). Not cryptographic.
#pragma once

#include <cstddef>

#include "base/bytes.h"

namespace nextip::base {

// SplitMix64's finaliser: every input bit affects every output bit.
[[nodiscard]] constexpr u64 mix64(u64 x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

[[nodiscard]] constexpr std::size_t hash_u128(u128 v) noexcept {
  return static_cast<std::size_t>(mix64(static_cast<u64>(v) ^ mix64(static_cast<u64>(v >> 64))));
}

}  // namespace nextip::base

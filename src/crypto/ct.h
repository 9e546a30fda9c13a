// Internal to src/crypto: constant-time building blocks, and the hooks of the
// valgrind constant-time check (mlkem768_ct_check.cc).
//
// declassify() tells memcheck that bytes computed from secrets are public by design
// (ML-KEM's ρ, which goes into the encapsulation key): the check marks secret inputs
// "undefined", and without it every public branch on ρ would be reported. It is a
// no-op outside valgrind (a client request is a few rotate instructions) and compiles
// to nothing where <valgrind/memcheck.h> is missing.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define NEXTIP_CT_HAVE_VALGRIND 1
#endif
#endif

namespace nextip::crypto::ct {

inline void declassify(const void* p, std::size_t n) noexcept {
#if defined(NEXTIP_CT_HAVE_VALGRIND)
  (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
#else
  (void)p;
  (void)n;
#endif
}

// Hides a value from the optimiser, so that mask arithmetic on it is not turned back
// into a branch.
template <class T>
[[nodiscard]] inline T barrier(T v) noexcept {
  __asm__("" : "+r"(v));
  return v;
}

// 0xff when the n bytes of a and b are equal, else 0x00; no data-dependent branch.
[[nodiscard]] inline std::uint8_t eq_mask(const std::byte* a, const std::byte* b, std::size_t n) noexcept {
  unsigned acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc |= static_cast<unsigned>(a[i] ^ b[i]);
  acc = barrier(acc);
  return static_cast<std::uint8_t>((acc - 1U) >> 8);  // acc == 0 -> 0xff..., acc in 1..255 -> 0
}

// dst = mask ? src : dst, byte by byte (mask is 0x00 or 0xff).
inline void cmov(std::byte* dst, const std::byte* src, std::size_t n, std::uint8_t mask) noexcept {
  const auto m = static_cast<std::byte>(barrier(mask));
  for (std::size_t i = 0; i < n; ++i) dst[i] ^= m & (dst[i] ^ src[i]);
}

}  // namespace nextip::crypto::ct

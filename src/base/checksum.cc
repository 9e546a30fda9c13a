#include "base/checksum.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nextip::base::checksum {

namespace {

// Sums 16-bit big-endian words of an even-offset buffer, 8 bytes at a time: the
// one's-complement sum is byte-order independent (RFC 1071 §2(B)), so native 64-bit
// loads are added with end-around carry and the result is byte-swapped once at the end.
u16 sum_words(const std::byte* p, std::size_t n) noexcept {
  u64 acc = 0;
  auto add = [&acc](u64 v) {
    acc += v;
    acc += (acc < v);  // end-around carry
  };
  while (n >= 32) {
    u64 a, b, c, d;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    std::memcpy(&c, p + 16, 8);
    std::memcpy(&d, p + 24, 8);
    add(a);
    add(b);
    add(c);
    add(d);
    p += 32;
    n -= 32;
  }
  while (n >= 8) {
    u64 a;
    std::memcpy(&a, p, 8);
    add(a);
    p += 8;
    n -= 8;
  }
  u64 tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);  // the remaining 0..7 bytes, zero padded (p may be null when n is 0)
  add(tail);
  // Fold 64 -> 16 bits in native order, then convert to big-endian word value.
  u64 s = (acc & 0xffffffff) + (acc >> 32);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  const auto native = static_cast<u16>(s);
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<u16>((native >> 8) | (native << 8));
  } else {
    return native;
  }
}

#if defined(__x86_64__)
// Vector paths: each 32-bit lane collects the low and the high 16-bit halves of its
// native-order words in separate accumulators (no carry is lost), four accumulator
// pairs wide to keep the adders busy, flushed to 64 bits every 8192 iterations, long
// before a lane can overflow (2 * 0xffff * 8192 < 2^32). Like the scalar path they sum
// native-order words; the caller byte-swaps once.
__attribute__((target("avx2"))) u64 sum_native_avx2(const std::byte* p, std::size_t n, std::size_t& consumed) noexcept {
  const __m256i mask = _mm256_set1_epi32(0xffff);
  const __m256i zero = _mm256_setzero_si256();
  u64 total = 0;
  consumed = 0;
  while (n - consumed >= 128) {
    const std::size_t blocks = std::min<std::size_t>((n - consumed) / 128, 8192);
    __m256i lo[4] = {zero, zero, zero, zero};
    __m256i hi[4] = {zero, zero, zero, zero};
    const std::byte* q = p + consumed;
    for (std::size_t i = 0; i < blocks; ++i) {
      for (int k = 0; k < 4; ++k) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 32 * k));
        lo[k] = _mm256_add_epi32(lo[k], _mm256_and_si256(v, mask));
        hi[k] = _mm256_add_epi32(hi[k], _mm256_srli_epi32(v, 16));
      }
      q += 128;
    }
    __m256i sum = zero;
    for (int k = 0; k < 4; ++k) {
      sum = _mm256_add_epi64(sum,
                             _mm256_add_epi64(_mm256_unpacklo_epi32(lo[k], zero), _mm256_unpackhi_epi32(lo[k], zero)));
      sum = _mm256_add_epi64(sum,
                             _mm256_add_epi64(_mm256_unpacklo_epi32(hi[k], zero), _mm256_unpackhi_epi32(hi[k], zero)));
    }
    alignas(32) u64 lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sum);
    total += lanes[0] + lanes[1] + lanes[2] + lanes[3];
    consumed += blocks * 128;
  }
  return total;
}

// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own _mm512_undefined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
// The tail (< 128 bytes) goes through two masked loads that read zeros past the end:
// exactly RFC 1071's zero padding of an odd final byte.
__attribute__((target("avx512f,avx512bw"))) u64 sum_native_avx512(const std::byte* p, std::size_t n,
                                                                  std::size_t& consumed) noexcept {
  const __m512i mask = _mm512_set1_epi32(0xffff);
  const __m512i zero = _mm512_setzero_si512();
  u64 total = 0;
  std::size_t off = 0;
  for (;;) {
    const std::size_t blocks = std::min<std::size_t>((n - off) / 128, 8192);
    __m512i lo[2] = {zero, zero};
    __m512i hi[2] = {zero, zero};
    const std::byte* q = p + off;
    for (std::size_t i = 0; i < blocks; ++i) {
      for (int k = 0; k < 2; ++k) {
        const __m512i v = _mm512_loadu_si512(q + 64 * k);
        lo[k] = _mm512_add_epi32(lo[k], _mm512_and_si512(v, mask));
        hi[k] = _mm512_add_epi32(hi[k], _mm512_srli_epi32(v, 16));
      }
      q += 128;
    }
    off += blocks * 128;
    const std::size_t rest = n - off;
    const bool last = rest < 128;
    if (last && rest > 0) {
      const __mmask64 m0 = rest >= 64 ? ~__mmask64{0} : ((__mmask64{1} << rest) - 1);
      const __mmask64 m1 = rest <= 64 ? 0 : ((__mmask64{1} << (rest - 64)) - 1);
      const __m512i v0 = _mm512_maskz_loadu_epi8(m0, q);
      const __m512i v1 = _mm512_maskz_loadu_epi8(m1, q + 64);
      lo[0] = _mm512_add_epi32(lo[0], _mm512_and_si512(v0, mask));
      hi[0] = _mm512_add_epi32(hi[0], _mm512_srli_epi32(v0, 16));
      lo[1] = _mm512_add_epi32(lo[1], _mm512_and_si512(v1, mask));
      hi[1] = _mm512_add_epi32(hi[1], _mm512_srli_epi32(v1, 16));
      off = n;
    }
    const __m512i l = _mm512_add_epi32(lo[0], lo[1]);  // < 2^32: at most 2 * 0xffff * 8193 per lane
    const __m512i h = _mm512_add_epi32(hi[0], hi[1]);
    const __m512i sum =
        _mm512_add_epi64(_mm512_add_epi64(_mm512_unpacklo_epi32(l, zero), _mm512_unpackhi_epi32(l, zero)),
                         _mm512_add_epi64(_mm512_unpacklo_epi32(h, zero), _mm512_unpackhi_epi32(h, zero)));
    total += static_cast<u64>(_mm512_reduce_add_epi64(sum));
    if (last) break;
  }
  consumed = off;
  return total;
}
#pragma GCC diagnostic pop

enum class Simd { none, avx2, avx512 };
Simd simd_level() noexcept {
  static const Simd level = __builtin_cpu_supports("avx512bw") ? Simd::avx512
                            : __builtin_cpu_supports("avx2")   ? Simd::avx2
                                                               : Simd::none;
  return level;
}
#endif

// 64 -> 16 bits, one's complement.
u16 fold64(u64 s) noexcept {
  s = (s & 0xffffffff) + (s >> 32);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  return static_cast<u16>(s);
}

// The big-endian-word sum of a buffer starting at an even message offset.
u16 sum_be_words(const std::byte* p, std::size_t n) noexcept {
#if defined(__x86_64__)
  const Simd level = n >= 128 ? simd_level() : Simd::none;
  if (level != Simd::none) {
    std::size_t done = 0;
    const u64 vec = level == Simd::avx512 ? sum_native_avx512(p, n, done) : sum_native_avx2(p, n, done);
    const u16 rest_be = sum_words(p + done, n - done);
    // sum_words returns a big-endian-word sum; bring the vector part to that order too.
    u16 vec_native = fold64(vec);
    if constexpr (std::endian::native == std::endian::little) {
      vec_native = static_cast<u16>((vec_native >> 8) | (vec_native << 8));
    }
    return fold64(u64{vec_native} + rest_be);
  }
#endif
  return sum_words(p, n);
}

}  // namespace

Sum& Sum::add(Bytes data) noexcept {
  acc_ += sum_be_words(data.data(), data.size());
  return *this;
}

u16 internet_checksum(Bytes data) noexcept {
  return Sum().add(data).finish();
}

Sum ipv6_pseudo_header(std::span<const std::byte, 16> src, std::span<const std::byte, 16> dst, u8 next_header,
                       u32 length) noexcept {
  Sum s;
  s.add(src).add(dst).add32(length).add16(next_header);
  return s;
}

u16 reference_checksum(Bytes data) noexcept {
  u32 sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    const u32 hi = static_cast<u32>(data[i]);
    const u32 lo = i + 1 < data.size() ? static_cast<u32>(data[i + 1]) : 0;
    sum += (hi << 8) | lo;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<u16>(~sum);
}

}  // namespace nextip::base::checksum

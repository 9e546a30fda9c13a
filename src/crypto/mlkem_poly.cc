#include "crypto/mlkem_poly.h"

#include "crypto/ct.h"

namespace nextip::crypto::mlkem {

namespace {

using i16 = std::int16_t;
using i32 = std::int32_t;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

constexpr i32 kR = 1 << 16;   // Montgomery radix
constexpr i32 kQInv = -3327;  // q^-1 mod 2^16, as a signed 16-bit value
static_assert((static_cast<i32>(kQ) * kQInv) % kR == 1 - kR || (static_cast<i32>(kQ) * kQInv) % kR == 1);

constexpr i32 pow_mod(i32 b, int e) {
  i32 r = 1;
  for (int i = 0; i < e; ++i) r = (r * b) % kQ;
  return r;
}
constexpr int bitrev7(int i) {
  int r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1) << (6 - b);
  return r;
}
// x * R mod q, as the representative in -(q-1)/2..(q-1)/2.
constexpr i16 to_mont_const(i32 x) {
  i32 m = static_cast<i32>((static_cast<u64>(x) * kR) % kQ);
  if (m > kQ / 2) m -= kQ;
  return static_cast<i16>(m);
}

constexpr i32 kZeta = 17;  // a primitive 256th root of unity mod q (FIPS 203 §4.3)

// ζ^BitRev7(i) (Algorithms 9, 10), times R.
constexpr std::array<i16, 128> kZetas = [] {
  std::array<i16, 128> z{};
  for (int i = 0; i < 128; ++i) z[static_cast<std::size_t>(i)] = to_mont_const(pow_mod(kZeta, bitrev7(i)));
  return z;
}();
// γ_i = ζ^(2·BitRev7(i)+1) (Algorithm 11), times R.
constexpr std::array<i16, 128> kGammas = [] {
  std::array<i16, 128> g{};
  for (int i = 0; i < 128; ++i) g[static_cast<std::size_t>(i)] = to_mont_const(pow_mod(kZeta, 2 * bitrev7(i) + 1));
  return g;
}();
static_assert(kZetas[0] == -1044 && kZetas[1] == -758);  // R mod q, and 17·R mod q

constexpr i32 kRModQ = kR % kQ;                  // 2285
constexpr i32 kR2ModQ = (kRModQ * kRModQ) % kQ;  // 1353
// R^2 / 128 mod q: inv_ntt's final scaling (the 1/128 of Algorithm 10, line 14, plus
// the R that undoes basemul's R^-1 and the R^-1 of the Montgomery product itself).
constexpr i16 kInvNttScale = static_cast<i16>((kR2ModQ * pow_mod(128, 3327)) % kQ);  // 128^(q-2) = 128^-1
static_assert(kInvNttScale == 1441);

// a * R^-1 mod q for |a| < q·2^15; result in -(q-1)..(q-1).
inline i16 montgomery_reduce(i32 a) noexcept {
  const auto t = static_cast<i16>(static_cast<i16>(a) * kQInv);  // a·q^-1 mod 2^16
  return static_cast<i16>((a - static_cast<i32>(t) * kQ) >> 16);
}
inline i16 fqmul(i16 a, i16 b) noexcept {
  return montgomery_reduce(static_cast<i32>(a) * b);
}

// The centered representative of a mod q: round(a·2^26/q) estimates a / q.
constexpr i32 kBarrett = ((1 << 26) + kQ / 2) / kQ;  // 20159
inline i16 barrett_reduce(i16 a) noexcept {
  const i32 t = (kBarrett * a + (1 << 25)) >> 26;
  return static_cast<i16>(a - t * kQ);
}
// Adds q to a negative value (arithmetic shift makes the mask).
inline i16 make_canonical(i16 a) noexcept {
  return static_cast<i16>(a + ((a >> 15) & kQ));
}

// floor(n / q) for n < 2^26 by multiplication: n·ceil(2^40/q) / 2^40 (exact in that
// range, see the exhaustive test). Division instructions take data-dependent time on
// many CPUs (KyberSlash); a 64-bit multiply does not.
constexpr u64 kDivQMagic = ((u64{1} << 40) + kQ - 1) / kQ;
inline u32 div_q(u32 n) noexcept {
  return static_cast<u32>((static_cast<u64>(n) * kDivQMagic) >> 40);
}

inline u32 compress_d(u32 x, int d) noexcept {
  return div_q((x << d) + static_cast<u32>(kQ / 2)) & ((1U << d) - 1U);
}
inline i16 decompress_d(u32 y, int d) noexcept {
  return static_cast<i16>((y * static_cast<u32>(kQ) + (1U << (d - 1))) >> d);
}

inline u32 coef(const Poly& a, int i) noexcept {
  return static_cast<u32>(static_cast<std::uint16_t>(a.c[static_cast<std::size_t>(i)]));
}
inline u32 byte(const std::byte* p, int i) noexcept {
  return static_cast<u32>(p[i]);
}
inline std::byte to_byte(u32 v) noexcept {
  return static_cast<std::byte>(v & 0xffU);
}

}  // namespace

std::uint16_t compress(std::uint16_t x, int d) noexcept {
  return static_cast<std::uint16_t>(compress_d(x, d));
}
std::uint16_t decompress(std::uint16_t y, int d) noexcept {
  return static_cast<std::uint16_t>(decompress_d(y, d));
}

void poly_add(Poly& r, const Poly& a) noexcept {
  for (std::size_t i = 0; i < kN; ++i) r.c[i] = static_cast<i16>(r.c[i] + a.c[i]);
}
void poly_sub(Poly& r, const Poly& a) noexcept {
  for (std::size_t i = 0; i < kN; ++i) r.c[i] = static_cast<i16>(r.c[i] - a.c[i]);
}
void poly_reduce(Poly& r) noexcept {
  for (auto& x : r.c) x = barrett_reduce(x);
}
void poly_canonical(Poly& r) noexcept {
  for (auto& x : r.c) x = make_canonical(barrett_reduce(x));
}
void poly_to_mont(Poly& r) noexcept {
  for (auto& x : r.c) x = fqmul(x, static_cast<i16>(kR2ModQ));
}

// Algorithm 9. Each layer adds at most q to |c| (|fqmul| < q): |c| < 8q after 7
// layers, within int16; reduced at the end.
void ntt(Poly& r) noexcept {
  std::size_t k = 1;
  for (std::size_t len = 128; len >= 2; len >>= 1) {
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const i16 zeta = kZetas[k++];
      for (std::size_t j = start; j < start + len; ++j) {
        const i16 t = fqmul(zeta, r.c[j + len]);
        r.c[j + len] = static_cast<i16>(r.c[j] - t);
        r.c[j] = static_cast<i16>(r.c[j] + t);
      }
    }
  }
  poly_reduce(r);
}

// Algorithm 10, with the sum reduced at each layer so that it stays below q.
void inv_ntt(Poly& r) noexcept {
  std::size_t k = 127;
  for (std::size_t len = 2; len <= 128; len <<= 1) {
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const i16 zeta = kZetas[k--];
      for (std::size_t j = start; j < start + len; ++j) {
        const i16 t = r.c[j];
        r.c[j] = barrett_reduce(static_cast<i16>(t + r.c[j + len]));
        r.c[j + len] = fqmul(zeta, static_cast<i16>(r.c[j + len] - t));
      }
    }
  }
  for (auto& x : r.c) x = fqmul(x, kInvNttScale);
}

// Algorithm 11 / 12 summed over k pairs; each term |c| < 2q, so k <= 4 stays in int16.
void basemul_acc(Poly& r, const Poly* a, const Poly* b, int k) noexcept {
  for (std::size_t i = 0; i < kN / 2; ++i) {
    i16 c0 = 0;
    i16 c1 = 0;
    for (int v = 0; v < k; ++v) {
      const Poly& x = a[v];
      const Poly& y = b[v];
      const i16 a0 = x.c[2 * i], a1 = x.c[2 * i + 1];
      const i16 b0 = y.c[2 * i], b1 = y.c[2 * i + 1];
      c0 = static_cast<i16>(c0 + fqmul(fqmul(a1, b1), kGammas[i]) + fqmul(a0, b0));
      c1 = static_cast<i16>(c1 + fqmul(a0, b1) + fqmul(a1, b0));
    }
    r.c[2 * i] = barrett_reduce(c0);
    r.c[2 * i + 1] = barrett_reduce(c1);
  }
}

void encode12(std::byte* out, const Poly& a) noexcept {
  for (int i = 0; i < kN / 2; ++i) {
    const u32 x = coef(a, 2 * i), y = coef(a, 2 * i + 1);
    out[3 * i] = to_byte(x);
    out[3 * i + 1] = to_byte((x >> 8) | (y << 4));
    out[3 * i + 2] = to_byte(y >> 4);
  }
}

void decode12(Poly& r, const std::byte* in) noexcept {
  for (int i = 0; i < kN / 2; ++i) {
    const u32 b0 = byte(in, 3 * i), b1 = byte(in, 3 * i + 1), b2 = byte(in, 3 * i + 2);
    r.c[static_cast<std::size_t>(2 * i)] = static_cast<i16>(b0 | ((b1 & 0xfU) << 8));
    r.c[static_cast<std::size_t>(2 * i + 1)] = static_cast<i16>((b1 >> 4) | (b2 << 4));
  }
}

void compress_encode10(std::byte* out, const Poly& a) noexcept {
  for (int i = 0; i < kN / 4; ++i) {
    u32 t[4];
    for (int j = 0; j < 4; ++j) t[j] = compress_d(coef(a, 4 * i + j), 10);
    std::byte* o = out + 5 * i;
    o[0] = to_byte(t[0]);
    o[1] = to_byte((t[0] >> 8) | (t[1] << 2));
    o[2] = to_byte((t[1] >> 6) | (t[2] << 4));
    o[3] = to_byte((t[2] >> 4) | (t[3] << 6));
    o[4] = to_byte(t[3] >> 2);
  }
}

void compress_encode4(std::byte* out, const Poly& a) noexcept {
  for (int i = 0; i < kN / 2; ++i) {
    out[i] = to_byte(compress_d(coef(a, 2 * i), 4) | (compress_d(coef(a, 2 * i + 1), 4) << 4));
  }
}

void decode_decompress10(Poly& r, const std::byte* in) noexcept {
  for (int i = 0; i < kN / 4; ++i) {
    const std::byte* p = in + 5 * i;
    const u32 t[4] = {
        byte(p, 0) | ((byte(p, 1) & 0x03U) << 8),
        (byte(p, 1) >> 2) | ((byte(p, 2) & 0x0fU) << 6),
        (byte(p, 2) >> 4) | ((byte(p, 3) & 0x3fU) << 4),
        (byte(p, 3) >> 6) | (byte(p, 4) << 2),
    };
    for (int j = 0; j < 4; ++j) r.c[static_cast<std::size_t>(4 * i + j)] = decompress_d(t[j], 10);
  }
}

void decode_decompress4(Poly& r, const std::byte* in) noexcept {
  for (int i = 0; i < kN / 2; ++i) {
    r.c[static_cast<std::size_t>(2 * i)] = decompress_d(byte(in, i) & 0xfU, 4);
    r.c[static_cast<std::size_t>(2 * i + 1)] = decompress_d(byte(in, i) >> 4, 4);
  }
}

// Decompress_1(b) = b · 1665: a mask, not a branch.
void from_msg(Poly& r, const std::byte* msg) noexcept {
  for (int i = 0; i < 32; ++i) {
    for (int j = 0; j < 8; ++j) {
      const u32 bit = ct::barrier((byte(msg, i) >> j) & 1U);
      r.c[static_cast<std::size_t>(8 * i + j)] = static_cast<i16>((0U - bit) & static_cast<u32>((kQ + 1) / 2));
    }
  }
}

void to_msg(std::byte* msg, const Poly& a) noexcept {
  for (int i = 0; i < 32; ++i) {
    u32 b = 0;
    for (int j = 0; j < 8; ++j) b |= compress_d(coef(a, 8 * i + j), 1) << j;
    msg[i] = to_byte(b);
  }
}

// Coefficient i is (b[4i] + b[4i+1]) - (b[4i+2] + b[4i+3]) over the bits of buf.
void cbd2(Poly& r, const std::byte* buf) noexcept {
  for (int i = 0; i < kN / 8; ++i) {
    const u32 w =
        byte(buf, 4 * i) | (byte(buf, 4 * i + 1) << 8) | (byte(buf, 4 * i + 2) << 16) | (byte(buf, 4 * i + 3) << 24);
    const u32 s = (w & 0x55555555U) + ((w >> 1) & 0x55555555U);  // pairwise bit sums
    for (int j = 0; j < 8; ++j) {
      const auto x = static_cast<i16>((s >> (4 * j)) & 3U);
      const auto y = static_cast<i16>((s >> (4 * j + 2)) & 3U);
      r.c[static_cast<std::size_t>(8 * i + j)] = static_cast<i16>(x - y);
    }
  }
}

}  // namespace nextip::crypto::mlkem

// Internal to src/crypto: the ring R_q = Z_q[X]/(X^256 + 1), q = 3329, of FIPS 203 §4.3,
// and the encodings of §4.2.1. Constant time: no branch and no memory index depends on
// a coefficient (the NTT's twiddle factors are indexed by loop counters only).
//
// Representation: int16 coefficients, any representative of the class unless a
// function says "canonical" (0 <= c < q). Multiplication uses Montgomery reduction
// (R = 2^16); the twiddle factors are stored times R, so ntt() and inv_ntt() keep
// the standard domain, and basemul_acc() returns its product times R^-1, which
// inv_ntt() and to_mont() undo. Reductions are Barrett's, branch-free.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace nextip::crypto::mlkem {

inline constexpr int kN = 256;
inline constexpr std::int16_t kQ = 3329;

struct Poly {
  std::array<std::int16_t, kN> c{};
};

// Coefficient-wise.
void poly_add(Poly& r, const Poly& a) noexcept;  // r += a
void poly_sub(Poly& r, const Poly& a) noexcept;  // r -= a
void poly_reduce(Poly& r) noexcept;              // each to the centered representative, |c| <= (q-1)/2
void poly_canonical(Poly& r) noexcept;           // each to 0..q-1
void poly_to_mont(Poly& r) noexcept;             // times R (mod q)

// NTT (Algorithm 9): standard order in, bit-reversed NTT order out, reduced. Input
// coefficients must satisfy |c| < q.
void ntt(Poly& r) noexcept;
// Inverse NTT (Algorithm 10) of a basemul_acc() result: output = NTT^-1(input) * R, so
// that NTT^-1(basemul result) comes out in the standard domain. |output| < q.
void inv_ntt(Poly& r) noexcept;
// r = Σ a[i] ∘ b[i] times R^-1 (MultiplyNTTs, Algorithm 11, summed), reduced. Inputs in
// NTT form with |c| < 2^12.
void basemul_acc(Poly& r, const Poly* a, const Poly* b, int k) noexcept;

// ByteEncode_12 / ByteDecode_12 (Algorithms 5, 6): 384 bytes. encode12 needs canonical
// input; decode12 returns 0..4095 (not reduced: the caller checks or reduces).
void encode12(std::byte* out, const Poly& a) noexcept;
void decode12(Poly& r, const std::byte* in) noexcept;
// Compress_d then ByteEncode_d, for d = 10 (320 bytes) and d = 4 (128 bytes); input
// canonical.
void compress_encode10(std::byte* out, const Poly& a) noexcept;
void compress_encode4(std::byte* out, const Poly& a) noexcept;
// ByteDecode_d then Decompress_d; output canonical.
void decode_decompress10(Poly& r, const std::byte* in) noexcept;
void decode_decompress4(Poly& r, const std::byte* in) noexcept;
// Decompress_1(ByteDecode_1(m)) and ByteEncode_1(Compress_1(a)) for the 32-byte message;
// to_msg needs canonical input.
void from_msg(Poly& r, const std::byte* msg) noexcept;
void to_msg(std::byte* msg, const Poly& a) noexcept;

// SamplePolyCBD_2 (Algorithm 8) from 128 bytes: coefficients in -2..2.
void cbd2(Poly& r, const std::byte* buf) noexcept;

// Compress_d(x) for canonical x (exposed for the exhaustive test against the
// definition round((2^d / q) x) mod 2^d).
[[nodiscard]] std::uint16_t compress(std::uint16_t x, int d) noexcept;
[[nodiscard]] std::uint16_t decompress(std::uint16_t y, int d) noexcept;

}  // namespace nextip::crypto::mlkem

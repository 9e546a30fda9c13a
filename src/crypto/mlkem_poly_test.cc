#include "crypto/mlkem_poly.h"

#include <gtest/gtest.h>

#include <array>
#include <random>

namespace nextip::crypto::mlkem {
namespace {

constexpr std::int64_t q = kQ;

Poly random_poly(std::mt19937& g) {
  Poly p;
  for (auto& c : p.c) c = static_cast<std::int16_t>(std::uniform_int_distribution<int>(0, kQ - 1)(g));
  return p;
}

std::int64_t mod_q(std::int64_t x) {
  return ((x % q) + q) % q;
}

// The definition, FIPS 203 §4.2.1 eq. (4.7)/(4.8): round((2^d / q) x) mod 2^d and
// round((q / 2^d) y), in exact integer arithmetic.
TEST(MlkemPoly, CompressMatchesDefinitionForEveryInput) {
  for (int d : {1, 4, 5, 10, 11}) {
    for (std::int64_t x = 0; x < q; ++x) {
      const std::int64_t want = ((x * (std::int64_t{1} << (d + 1)) + q) / (2 * q)) % (std::int64_t{1} << d);
      ASSERT_EQ(compress(static_cast<std::uint16_t>(x), d), want) << "d=" << d << " x=" << x;
    }
    for (std::int64_t y = 0; y < (std::int64_t{1} << d); ++y) {
      const std::int64_t want = (y * q * 2 + (std::int64_t{1} << d)) / (std::int64_t{1} << (d + 1));
      ASSERT_EQ(decompress(static_cast<std::uint16_t>(y), d), want) << "d=" << d << " y=" << y;
    }
  }
}

// NTT-domain multiplication equals schoolbook multiplication in Z_q[X]/(X^256 + 1).
TEST(MlkemPoly, NttMultiplicationIsRingMultiplication) {
  std::mt19937 g(1);
  for (int trial = 0; trial < 20; ++trial) {
    const Poly a = random_poly(g), b = random_poly(g);
    std::array<std::int64_t, kN> want{};
    for (int i = 0; i < kN; ++i) {
      for (int j = 0; j < kN; ++j) {
        const std::int64_t prod = std::int64_t{a.c[static_cast<std::size_t>(i)]} * b.c[static_cast<std::size_t>(j)];
        const int k = i + j;
        if (k < kN) {
          want[static_cast<std::size_t>(k)] += prod;
        } else {
          want[static_cast<std::size_t>(k - kN)] -= prod;  // X^256 = -1
        }
      }
    }
    Poly na = a, nb = b, c;
    ntt(na);
    ntt(nb);
    basemul_acc(c, &na, &nb, 1);
    inv_ntt(c);
    poly_canonical(c);
    for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(c.c[i], mod_q(want[i])) << "trial " << trial << " coef " << i;
  }
}

TEST(MlkemPoly, InverseNttScalesByMontgomeryRadix) {
  std::mt19937 g(2);
  const Poly a = random_poly(g);
  Poly t = a;
  ntt(t);
  inv_ntt(t);
  poly_canonical(t);
  for (std::size_t i = 0; i < kN; ++i) ASSERT_EQ(t.c[i], mod_q(std::int64_t{a.c[i]} * 65536)) << i;
}

TEST(MlkemPoly, ReductionsGiveRepresentatives) {
  Poly p;
  for (int start = -32768; start < 32768; start += kN) {
    for (int i = 0; i < kN; ++i)
      p.c[static_cast<std::size_t>(i)] = static_cast<std::int16_t>(std::min(start + i, 32767));
    Poly r = p, c = p;
    poly_reduce(r);
    poly_canonical(c);
    for (std::size_t i = 0; i < kN; ++i) {
      ASSERT_LE(std::abs(r.c[i]), (kQ - 1) / 2);
      ASSERT_EQ(mod_q(r.c[i]), mod_q(p.c[i]));
      ASSERT_GE(c.c[i], 0);
      ASSERT_LT(c.c[i], kQ);
      ASSERT_EQ(c.c[i], mod_q(p.c[i]));
    }
  }
}

TEST(MlkemPoly, Encode12RoundTripsAnyBytes) {
  std::mt19937 g(3);
  std::array<std::byte, 384> in{}, out{};
  for (auto& b : in) b = static_cast<std::byte>(g());
  Poly p;
  decode12(p, in.data());
  for (auto c : p.c) ASSERT_LT(c, 4096);
  encode12(out.data(), p);
  EXPECT_EQ(in, out);
}

TEST(MlkemPoly, CompressedEncodingsDecodeToDecompressedValues) {
  std::mt19937 g(4);
  const Poly a = random_poly(g);
  std::array<std::byte, 320> b10{};
  std::array<std::byte, 128> b4{};
  compress_encode10(b10.data(), a);
  compress_encode4(b4.data(), a);
  Poly d10, d4;
  decode_decompress10(d10, b10.data());
  decode_decompress4(d4, b4.data());
  for (std::size_t i = 0; i < kN; ++i) {
    const auto x = static_cast<std::uint16_t>(a.c[i]);
    ASSERT_EQ(d10.c[i], decompress(compress(x, 10), 10)) << i;
    ASSERT_EQ(d4.c[i], decompress(compress(x, 4), 4)) << i;
  }
}

TEST(MlkemPoly, MessageSurvivesNoiseBelowAQuarterOfQ) {
  std::mt19937 g(5);
  std::array<std::byte, 32> m{}, back{};
  for (auto& b : m) b = static_cast<std::byte>(g());
  Poly p;
  from_msg(p, m.data());
  for (std::size_t i = 0; i < kN; ++i) {
    const int noise = std::uniform_int_distribution<int>(-832, 832)(g);
    p.c[i] = static_cast<std::int16_t>(p.c[i] + noise);
  }
  poly_canonical(p);
  to_msg(back.data(), p);
  EXPECT_EQ(back, m);
}

TEST(MlkemPoly, Cbd2) {
  std::array<std::byte, 128> buf{};
  Poly p;
  cbd2(p, buf.data());
  for (auto c : p.c) EXPECT_EQ(c, 0);
  buf[0] = std::byte{0x03};    // bits 0, 1: x = 2, y = 0
  buf[1] = std::byte{0xc0};    // bits 14, 15: coefficient 3 gets y = 2
  buf[127] = std::byte{0xff};  // x = y = 2
  cbd2(p, buf.data());
  EXPECT_EQ(p.c[0], 2);
  EXPECT_EQ(p.c[1], 0);
  EXPECT_EQ(p.c[3], -2);
  EXPECT_EQ(p.c[255], 0);
  std::mt19937 g(6);
  std::array<int, 5> hist{};
  for (int t = 0; t < 40; ++t) {
    for (auto& b : buf) b = static_cast<std::byte>(g());
    cbd2(p, buf.data());
    for (auto c : p.c) {
      ASSERT_GE(c, -2);
      ASSERT_LE(c, 2);
      ++hist[static_cast<std::size_t>(c + 2)];
    }
  }
  // Binomial: 1/16, 4/16, 6/16, 4/16, 1/16 of 10240.
  EXPECT_NEAR(hist[2], 3840, 300);
  EXPECT_NEAR(hist[0], 640, 120);
  EXPECT_NEAR(hist[4], 640, 120);
}

}  // namespace
}  // namespace nextip::crypto::mlkem

#include "crypto/xof.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::bytes_of;

// Reading the stream in pieces of any size gives the one-shot output, across the
// inline window and far beyond it (the heap path).
void check_pieces(HashAlgo algo, std::size_t total, unsigned seed) {
  const auto input = bytes_of("nextip xof test input");
  std::vector<std::byte> want(total);
  ASSERT_TRUE(hash(algo, {input}, want));
  auto x = Xof::create(algo);
  ASSERT_TRUE(x);
  ASSERT_TRUE(x->absorb(Bytes(input).first(5)));
  ASSERT_TRUE(x->absorb(Bytes(input).subspan(5)));
  std::mt19937 gen(seed);
  std::vector<std::byte> got;
  while (got.size() < total) {
    std::size_t n = std::uniform_int_distribution<std::size_t>(0, 300)(gen);
    n = std::min(n, total - got.size());
    std::vector<std::byte> piece(n);
    ASSERT_TRUE(x->squeeze(piece));
    got.insert(got.end(), piece.begin(), piece.end());
  }
  EXPECT_EQ(got, want);
}

TEST(Xof, PiecesEqualOneShot) {
  for (unsigned seed = 0; seed < 5; ++seed) {
    check_pieces(HashAlgo::shake128, 6000, seed);
    check_pieces(HashAlgo::shake256, 6000, seed);
  }
  check_pieces(HashAlgo::shake128, 504, 9);  // exactly the window
  check_pieces(HashAlgo::shake128, 505, 9);
}

TEST(Xof, OneBlockAtATimeAsSampleNttReads) {
  std::vector<std::byte> want(168 * 8);
  ASSERT_TRUE(shake128({bytes_of("rho")}, want));
  auto x = Xof::create(HashAlgo::shake128);
  ASSERT_TRUE(x);
  ASSERT_TRUE(x->absorb(bytes_of("rho")));
  for (std::size_t b = 0; b < 8; ++b) {
    std::array<std::byte, 168> block{};
    ASSERT_TRUE(x->squeeze(block));
    EXPECT_TRUE(std::equal(block.begin(), block.end(), want.begin() + static_cast<std::ptrdiff_t>(168 * b))) << b;
  }
}

TEST(Xof, AbsorbAfterSqueezeIsRefusedUntilReset) {
  auto x = Xof::create(HashAlgo::shake256);
  ASSERT_TRUE(x);
  std::array<std::byte, 8> out{};
  ASSERT_TRUE(x->absorb(bytes_of("a")));
  ASSERT_TRUE(x->squeeze(out));
  const auto e = x->absorb(bytes_of("b"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), Error::xof_state);
  ASSERT_TRUE(x->reset());
  ASSERT_TRUE(x->absorb(bytes_of("abc")));
  std::array<std::byte, 8> a{}, b{};
  ASSERT_TRUE(x->squeeze(a));
  ASSERT_TRUE(shake256({bytes_of("abc")}, b));
  EXPECT_EQ(a, b);
}

TEST(Xof, OnlyShake) {
  const auto x = Xof::create(HashAlgo::sha3_256);
  ASSERT_FALSE(x);
  EXPECT_EQ(x.error(), Error::bad_length);
}

TEST(Xof, MovedStreamContinues) {
  std::vector<std::byte> want(1200);
  ASSERT_TRUE(shake128({bytes_of("m")}, want));
  auto x = Xof::create(HashAlgo::shake128);
  ASSERT_TRUE(x);
  ASSERT_TRUE(x->absorb(bytes_of("m")));
  std::vector<std::byte> a(100), b(1100);
  ASSERT_TRUE(x->squeeze(a));
  Xof y = std::move(*x);
  ASSERT_TRUE(y.squeeze(b));
  a.insert(a.end(), b.begin(), b.end());
  EXPECT_EQ(a, want);
}

}  // namespace
}  // namespace nextip::crypto

#include "crypto/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::bytes_of;
using testing::hex;

TEST(SystemRng, FillsAndDiffers) {
  std::array<std::byte, 64> a{}, b{};
  ASSERT_TRUE(system_rng().fill(a));
  ASSERT_TRUE(system_rng().fill(b));
  EXPECT_FALSE(ct_is_zero(a));
  EXPECT_NE(a, b);
  ASSERT_TRUE(system_rng().fill(MutBytes{}));
}

// The stream is defined in rng.h; these bytes were computed independently with
// Python's hashlib from that definition.
TEST(DeterministicRng, MatchesItsDefinition) {
  auto r = DeterministicRng::create(bytes_of("seed"));
  ASSERT_TRUE(r);
  std::vector<std::byte> out(170);
  ASSERT_TRUE(r->fill(out));
  EXPECT_EQ(hex(Bytes(out).first(32)), "3140bc99e5ee12d8be270adb48752dec96c282f16daa71f474c753ff9a0cabdd");
  EXPECT_EQ(hex(Bytes(out).subspan(130, 40)),
            "9e187827d6d517cf4a2427b0e013b364635e71387eb323eb090e0a748979183028751ba7fa2b634c");
}

TEST(DeterministicRng, ChunkingDoesNotMatter) {
  auto a = DeterministicRng::create(bytes_of("x"));
  auto b = DeterministicRng::create(bytes_of("x"));
  ASSERT_TRUE(a && b);
  std::vector<std::byte> one(1000), pieces;
  ASSERT_TRUE(a->fill(one));
  for (std::size_t n : {1u, 135u, 136u, 137u, 3u, 588u}) {
    std::vector<std::byte> p(n);
    ASSERT_TRUE(b->fill(p));
    pieces.insert(pieces.end(), p.begin(), p.end());
  }
  EXPECT_EQ(one, pieces);
}

TEST(DeterministicRng, SeedsSeparate) {
  auto a = DeterministicRng::create(bytes_of("x"));
  auto b = DeterministicRng::create(bytes_of("y"));
  auto c = DeterministicRng::create({});
  ASSERT_TRUE(a && b && c);
  std::array<std::byte, 32> x{}, y{}, z{};
  ASSERT_TRUE(a->fill(x));
  ASSERT_TRUE(b->fill(y));
  ASSERT_TRUE(c->fill(z));
  EXPECT_NE(x, y);
  EXPECT_NE(x, z);
}

TEST(DeterministicRng, UsableThroughTheInterface) {
  auto d = DeterministicRng::create(bytes_of("seed"));
  ASSERT_TRUE(d);
  Rng& rng = *d;
  std::array<std::byte, 4> out{};
  ASSERT_TRUE(rng.fill(out));
  EXPECT_EQ(hex(out), "3140bc99");
}

}  // namespace
}  // namespace nextip::crypto

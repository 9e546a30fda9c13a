#include "crypto/secure.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <utility>

namespace nextip::crypto {
namespace {

std::array<std::byte, 32> pattern(unsigned seed) {
  std::array<std::byte, 32> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::byte>(seed + 7 * i + 1);
  return a;
}

TEST(Secure, WipeZeroes) {
  auto a = pattern(3);
  wipe(a);
  EXPECT_TRUE(ct_is_zero(a));
  wipe(MutBytes{});  // empty is fine
}

TEST(Secure, CtEqual) {
  const auto a = pattern(1);
  auto b = a;
  EXPECT_TRUE(ct_equal(a, b));
  for (std::size_t i = 0; i < b.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      b = a;
      b[i] ^= static_cast<std::byte>(1 << bit);
      EXPECT_FALSE(ct_equal(a, b)) << i << ":" << bit;
    }
  }
  EXPECT_FALSE(ct_equal(Bytes(a).first(31), a));
  EXPECT_TRUE(ct_equal(Bytes{}, Bytes{}));
}

TEST(Secure, CtIsZero) {
  std::array<std::byte, 5> z{};
  EXPECT_TRUE(ct_is_zero(z));
  EXPECT_TRUE(ct_is_zero(Bytes{}));
  for (unsigned v = 1; v < 256; ++v) {
    z[4] = static_cast<std::byte>(v);
    EXPECT_FALSE(ct_is_zero(z)) << v;
  }
}

TEST(Secure, SecretBytesWipesWhenMovedFrom) {
  auto src = SecretBytes<32>::copy_of(pattern(9));
  const auto* old = src.data();
  SecretBytes<32> dst = std::move(src);
  EXPECT_TRUE(ct_equal(dst.span(), pattern(9)));
  EXPECT_TRUE(ct_is_zero(Bytes(old, 32)));  // NOLINT(bugprone-use-after-move): that is the point
  SecretBytes<32> third;
  third = std::move(dst);
  EXPECT_TRUE(ct_is_zero(dst.span()));  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(third == SecretBytes<32>::copy_of(pattern(9)));
  EXPECT_FALSE(third == SecretBytes<32>{});
}

TEST(Secure, SecretBytesWipesOnDestruction) {
  // Destroy in place and look at the storage afterwards.
  alignas(SecretBytes<32>) std::array<std::byte, sizeof(SecretBytes<32>)> storage{};
  auto* s = new (storage.data()) SecretBytes<32>(SecretBytes<32>::copy_of(pattern(5)));
  EXPECT_FALSE(ct_is_zero(storage));
  s->~SecretBytes<32>();
  EXPECT_TRUE(ct_is_zero(storage));
}

TEST(Secure, WiperWipesOnEveryExit) {
  struct Work {
    std::array<std::byte, 16> k;
    int n;
  };
  Work w{};
  auto early = [&w](bool leave) {
    const Wiper<Work> guard(w);
    std::memset(w.k.data(), 0xab, w.k.size());
    w.n = 42;
    if (leave) return 1;
    return 2;
  };
  EXPECT_EQ(early(true), 1);
  EXPECT_TRUE(ct_is_zero(w.k));
  EXPECT_EQ(w.n, 0);
  EXPECT_EQ(early(false), 2);
  EXPECT_TRUE(ct_is_zero(w.k));
}

}  // namespace
}  // namespace nextip::crypto

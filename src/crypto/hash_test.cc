#include "crypto/hash.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::bytes_of;
using testing::hex;

// FIPS 202 examples (NIST "SHA-3 examples" and the 1600-bit 0xA3 message).
TEST(Hash, Sha3KnownAnswers) {
  std::array<std::byte, 32> h256{};
  std::array<std::byte, 64> h512{};
  ASSERT_TRUE(sha3_256({}, h256));
  EXPECT_EQ(hex(h256), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  ASSERT_TRUE(sha3_256({bytes_of("abc")}, h256));
  EXPECT_EQ(hex(h256), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  ASSERT_TRUE(sha3_512({bytes_of("abc")}, h512));
  EXPECT_EQ(hex(h512),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf4"
            "08d5a56592f8274eec53f0");
  const std::vector<std::byte> a3(200, std::byte{0xa3});
  ASSERT_TRUE(sha3_256({a3}, h256));
  EXPECT_EQ(hex(h256), "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
}

TEST(Hash, ShakeKnownAnswers) {
  std::array<std::byte, 32> s128{};
  std::array<std::byte, 64> s256{};
  ASSERT_TRUE(shake128({}, s128));
  EXPECT_EQ(hex(s128), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  ASSERT_TRUE(shake256({}, s256));
  EXPECT_EQ(hex(s256),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c4947"
            "9ab48640292eacb3b7c4be");
  std::array<std::byte, 16> s{};
  const std::vector<std::byte> a3(200, std::byte{0xa3});
  ASSERT_TRUE(shake128({a3}, s));
  EXPECT_EQ(hex(s), "131ab8d2b594946b9c81333f9bb6e0ce");
}

TEST(Hash, PartsAreConcatenated) {
  std::array<std::byte, 32> one{}, parts{};
  ASSERT_TRUE(sha3_256({bytes_of("hello world")}, one));
  ASSERT_TRUE(sha3_256({bytes_of("hel"), bytes_of(""), bytes_of("lo wor"), bytes_of("ld")}, parts));
  EXPECT_EQ(one, parts);
}

TEST(Hash, DigestIsReusableAfterFinal) {
  auto d = Digest::create(HashAlgo::sha3_256);
  ASSERT_TRUE(d);
  std::array<std::byte, 32> a{}, b{};
  ASSERT_TRUE(d->update(bytes_of("abc")));
  ASSERT_TRUE(d->final(a));
  ASSERT_TRUE(d->update(bytes_of("abc")));
  ASSERT_TRUE(d->final(b));
  EXPECT_EQ(a, b);
  ASSERT_TRUE(d->update(bytes_of("junk")));
  ASSERT_TRUE(d->reset());
  ASSERT_TRUE(d->final(b));
  EXPECT_EQ(hex(b), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  Digest moved = std::move(*d);
  ASSERT_TRUE(moved.update(bytes_of("abc")));
  ASSERT_TRUE(moved.final(b));
  EXPECT_EQ(a, b);
}

TEST(Hash, FixedDigestRefusesAWrongOutputLength) {
  std::array<std::byte, 31> small{};
  const auto r = sha3_256({}, std::span<std::byte, 32>(std::array<std::byte, 32>{}.data(), 32));
  EXPECT_TRUE(r);
  auto d = Digest::create(HashAlgo::sha3_512);
  ASSERT_TRUE(d);
  const auto e = d->final(small);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), Error::bad_length);
  EXPECT_EQ(digest_size(HashAlgo::shake128), 0u);
  EXPECT_EQ(rate(HashAlgo::shake128), 168u);
}

}  // namespace
}  // namespace nextip::crypto

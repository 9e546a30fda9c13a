#include "crypto/x25519.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::hex;
using testing::unhex;

x25519::PrivateKey priv(std::string_view h) {
  const auto b = unhex(h);
  return x25519::PrivateKey::copy_of(std::span<const std::byte, 32>(b.data(), 32));
}
x25519::PublicKey pub(std::string_view h) {
  const auto b = unhex(h);
  x25519::PublicKey p{};
  std::copy(b.begin(), b.end(), p.begin());
  return p;
}

// RFC 7748 §5.2: the function X25519(k, u) on two inputs.
TEST(X25519, Rfc7748Section5_2) {
  struct Case {
    const char *k, *u, *out;
  } cases[] = {
      {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
       "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
       "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
      {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
       "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
       "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
  };
  for (const auto& c : cases) {
    const auto s = x25519::shared_secret(priv(c.k), pub(c.u));
    ASSERT_TRUE(s) << name(s.error());
    EXPECT_EQ(hex(s->span()), c.out);
  }
}

// RFC 7748 §5.2, iterated: k = X25519(k, u), u = old k, starting from k = u = 9.
TEST(X25519, Rfc7748Section5_2Iterated) {
  x25519::PublicKey k{}, u{};
  k[0] = u[0] = std::byte{9};
  for (int i = 1; i <= 1000; ++i) {
    const auto r = x25519::shared_secret(x25519::PrivateKey::copy_of(k), u);
    ASSERT_TRUE(r);
    u = k;
    std::copy(r->span().begin(), r->span().end(), k.begin());
    if (i == 1) {
      EXPECT_EQ(hex(k), "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
    }
  }
  EXPECT_EQ(hex(k), "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

// RFC 7748 §6.1: Alice and Bob.
TEST(X25519, Rfc7748Section6_1) {
  const auto a = priv("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const auto b = priv("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const auto ap = x25519::public_key(a);
  const auto bp = x25519::public_key(b);
  ASSERT_TRUE(ap && bp);
  EXPECT_EQ(hex(*ap), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(hex(*bp), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const auto s1 = x25519::shared_secret(a, *bp);
  const auto s2 = x25519::shared_secret(b, *ap);
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(hex(s1->span()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_TRUE(*s1 == *s2);
}

// Points of small order give the all-zero output: an error, not a key (RFC 7748 §6.1).
TEST(X25519, LowOrderPointsAreRefused) {
  const auto k = priv("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const char* low_order[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",  // 0
      "0100000000000000000000000000000000000000000000000000000000000000",  // 1
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  // order 8
      "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",  // order 8
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p - 1
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p (= 0)
  };
  for (const char* u : low_order) {
    const auto s = x25519::shared_secret(k, pub(u));
    ASSERT_FALSE(s) << u;
    EXPECT_EQ(s.error(), Error::x25519_all_zero) << u;
  }
}

TEST(X25519, GeneratedKeysAgree) {
  auto rng = DeterministicRng::create(testing::bytes_of("x25519"));
  ASSERT_TRUE(rng);
  const auto a = x25519::generate(*rng);
  const auto b = x25519::generate(*rng);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(*a == *b);
  const auto ap = x25519::public_key(*a);
  const auto bp = x25519::public_key(*b);
  ASSERT_TRUE(ap && bp);
  const auto s1 = x25519::shared_secret(*a, *bp);
  const auto s2 = x25519::shared_secret(*b, *ap);
  ASSERT_TRUE(s1 && s2);
  EXPECT_TRUE(*s1 == *s2);
  ASSERT_TRUE(x25519::generate(system_rng()));
}

TEST(X25519, KeyPairMatchesTheFreeFunctions) {
  const auto a = priv("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const auto kp = x25519::KeyPair::from_private(a);
  ASSERT_TRUE(kp);
  EXPECT_EQ(hex(kp->public_key()), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  const auto s = kp->shared_secret(pub("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
  ASSERT_TRUE(s);
  EXPECT_EQ(hex(s->span()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  const auto low = kp->shared_secret(pub("0100000000000000000000000000000000000000000000000000000000000000"));
  ASSERT_FALSE(low);
  EXPECT_EQ(low.error(), Error::x25519_all_zero);

  auto rng = DeterministicRng::create(testing::bytes_of("pair"));
  ASSERT_TRUE(rng);
  auto x = x25519::KeyPair::generate(*rng);
  auto y = x25519::KeyPair::generate(*rng);
  ASSERT_TRUE(x && y);
  x25519::KeyPair moved = std::move(*x);
  const auto s1 = moved.shared_secret(y->public_key());
  const auto s2 = y->shared_secret(moved.public_key());
  ASSERT_TRUE(s1 && s2);
  EXPECT_TRUE(*s1 == *s2);
}

}  // namespace
}  // namespace nextip::crypto

// The cookie challenge body (Subtype 0x03) and the cookie jar: binding, lifetime,
// secret rotation.
#include "engine/ipv45/cookie.h"

#include <gtest/gtest.h>

#include "engine/ipv45/test_support.h"

namespace nextip::ipv45 {
namespace {

using base::Instant;
using base::seconds;
using testing::Buf;

struct Fixture {
  Fixture() : rng(testing::make_rng("cookie")) {
    for (std::size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::byte>(i);
    b = CookieBinding{PeerAddr{0xc0000201, 40000}, 0x0a0a, 0x123456789abcULL, 0x0b0b, 0x5e005301ULL, nonce};
  }
  crypto::DeterministicRng rng;
  std::array<std::byte, 32> nonce{};
  CookieBinding b;
};

TEST(CookieChallenge, RoundTripAndLayout) {
  Fixture f;
  const Buf cookie(20, std::byte{0xcc});
  const CookieChallenge c{f.nonce, cookie};
  Buf body(c.buffer_len());
  c.emit(body);
  ASSERT_EQ(body.size(), 56u);
  EXPECT_EQ(body[0], std::byte{0x03});
  EXPECT_EQ(body[1], std::byte{0});
  EXPECT_EQ(body[2], std::byte{0});
  EXPECT_EQ(body[3], std::byte{20});
  EXPECT_EQ(body[4], std::byte{0});
  EXPECT_EQ(body[35], std::byte{31});
  auto p = CookieChallenge::parse(body);
  ASSERT_TRUE(p);
  EXPECT_TRUE(std::equal(p->cookie.begin(), p->cookie.end(), cookie.begin(), cookie.end()));
  EXPECT_TRUE(std::equal(p->nonce.begin(), p->nonce.end(), f.nonce.begin()));
  // Trailing bytes are ignored (extensible).
  Buf longer = body;
  longer.push_back(std::byte{9});
  EXPECT_TRUE(CookieChallenge::parse(longer));
}

TEST(CookieChallenge, TruncationAndBadFields) {
  Fixture f;
  const Buf cookie(20, std::byte{0xcc});
  Buf body(CookieChallenge{f.nonce, cookie}.buffer_len());
  CookieChallenge{f.nonce, cookie}.emit(body);
  for (std::size_t n = 0; n < body.size(); ++n) {
    auto p = CookieChallenge::parse(base::Bytes(body.data(), n));
    ASSERT_FALSE(p) << n;
    EXPECT_EQ(p.error().code, base::WireErrc::truncated) << n;
  }
  Buf bad = body;
  bad[0] = std::byte{0x02};
  EXPECT_EQ(CookieChallenge::parse(bad).error().code, base::WireErrc::bad_value);
  bad = body;
  bad[1] = std::byte{1};
  EXPECT_EQ(CookieChallenge::parse(bad).error().code, base::WireErrc::reserved_nonzero);
  bad = body;
  bad[3] = std::byte{0};
  EXPECT_EQ(CookieChallenge::parse(bad).error().code, base::WireErrc::bad_length);
  bad = body;
  bad[3] = std::byte{65};
  EXPECT_EQ(CookieChallenge::parse(bad).error().code, base::WireErrc::bad_length);
}

TEST(CookieJar, VerifiesOnlyWhatItMintedForTheSameBinding) {
  Fixture f;
  CookieJar jar;
  const Instant t = Instant::origin() + seconds(1000);
  std::array<std::byte, cookie::kLen> c{};
  ASSERT_TRUE(jar.mint(t, f.rng, f.b, c));
  EXPECT_TRUE(jar.verify(t, f.b, c));
  EXPECT_TRUE(jar.verify(t + seconds(120), f.b, c));
  EXPECT_FALSE(jar.verify(t + seconds(121), f.b, c));  // expired
  EXPECT_FALSE(jar.verify(t - seconds(1), f.b, c));    // from the future

  // Any change of what it is bound to fails.
  auto other = f.b;
  other.from.locator ^= 1;
  EXPECT_FALSE(jar.verify(t, other, c));
  other = f.b;
  other.from.port ^= 1;
  EXPECT_FALSE(jar.verify(t, other, c));
  other = f.b;
  other.src_eid ^= 1;
  EXPECT_FALSE(jar.verify(t, other, c));
  other = f.b;
  other.src_site ^= 1;
  EXPECT_FALSE(jar.verify(t, other, c));
  other = f.b;
  other.dst_eid ^= 1;
  EXPECT_FALSE(jar.verify(t, other, c));
  auto nonce2 = f.nonce;
  nonce2[7] ^= std::byte{1};
  other = f.b;
  other.client_nonce = nonce2;
  EXPECT_FALSE(jar.verify(t, other, c));

  // Every flipped bit of the cookie fails.
  for (std::size_t i = 0; i < c.size() * 8; ++i) {
    auto bad = c;
    bad[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
    EXPECT_FALSE(jar.verify(t, f.b, bad)) << i;
  }
  EXPECT_FALSE(jar.verify(t, f.b, base::Bytes(c).first(19)));
}

TEST(CookieJar, RotationKeepsThePreviousSecret) {
  Fixture f;
  CookieJar jar(seconds(120), seconds(120));
  const Instant t = Instant::origin() + seconds(1000);
  std::array<std::byte, cookie::kLen> c1{}, c2{}, c3{};
  ASSERT_TRUE(jar.mint(t, f.rng, f.b, c1));
  ASSERT_TRUE(jar.mint(t + seconds(130), f.rng, f.b, c2));  // rotates
  EXPECT_TRUE(jar.verify(t + seconds(110), f.b, c1));
  EXPECT_TRUE(jar.verify(t + seconds(130), f.b, c2));
  ASSERT_TRUE(jar.mint(t + seconds(260), f.rng, f.b, c3));  // rotates again: c1's secret is gone
  EXPECT_TRUE(jar.verify(t + seconds(260), f.b, c3));
  EXPECT_TRUE(jar.verify(t + seconds(250), f.b, c2));
  CookieJar fresh;
  EXPECT_FALSE(fresh.verify(t, f.b, c1));  // never minted anything
}

}  // namespace
}  // namespace nextip::ipv45

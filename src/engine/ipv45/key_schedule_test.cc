// Key schedule known answers. The expected values were computed independently of
// OpenSSL with Python's hmac/hashlib (HKDF written out from RFC 5869).
#include "engine/ipv45/key_schedule.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/hex.h"

namespace nextip::ipv45::keys {
namespace {

std::vector<std::byte> filled(std::byte v, std::size_t n = 32) {
  return std::vector<std::byte>(n, v);
}
std::vector<std::byte> counting(int from) {
  std::vector<std::byte> v(32);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::byte>(from + static_cast<int>(i));
  return v;
}
std::string hex(base::Bytes b) {
  return crypto::to_hex(b);
}

TEST(KeySchedule, AnonymousIsTheDraftFormula) {
  // tx_key = HKDF-SHA-256(ikm = x ‖ k, salt = cn ‖ sn, "IPv4.5-C2S-KEY-v1", 32), 003 crypto-kdf.
  const auto x = counting(0), k = counting(32), cn = filled(std::byte{0xa0}), sn = filled(std::byte{0xb0});
  auto s = derive(x, k, {}, cn, sn);
  ASSERT_TRUE(s);
  EXPECT_EQ(hex(s->c2s.span()), "1284c9e0570d480972e7729df352938b5f374109a6fe1496a635588fb6d7ecd6");
  EXPECT_EQ(hex(s->s2c.span()), "ad728029bdbb53605bae3e06566c93f8c70441d1277b00064261c2b649ee942e");
  EXPECT_EQ(hex(s->confirm.span()), "6d5e4b763082f854098a7aad76e509666acd5014f19d0c9f9fd2504a84a10837");
  EXPECT_EQ(hex(s->chain.span()), "68dffa765e01cfc719a26518e7f89a76d9211b67e76cd7b9ef78f408ef6dab52");
}

TEST(KeySchedule, ExtraIsAppendedToIkm) {
  const auto x = counting(0), k = counting(32), cn = filled(std::byte{0xa0}), sn = filled(std::byte{0xb0});
  const auto psk = filled(std::byte{0x55});
  auto s = derive(x, k, psk, cn, sn);
  ASSERT_TRUE(s);
  EXPECT_EQ(hex(s->c2s.span()), "f0dcb7e14d6a1ab56bf94074ba4980acd852448d065e8b02f98dfeecd336594f");
  EXPECT_EQ(hex(s->s2c.span()), "cbe53150825a3e8e20143a90830bc76db7782c4d0385a014d57ec7fcf4eac263");
  EXPECT_EQ(hex(s->confirm.span()), "4a73d406ee92d05f5126d68ab61bb56f373e745c3af67dea5ff2a43aea6728d0");
  EXPECT_EQ(hex(s->chain.span()), "471189e4f3c5bab8b4aa7b9d9e6275539a055266d0af9d788b3896999747ada6");
}

TEST(KeySchedule, EveryInputMatters) {
  const auto x = counting(0), k = counting(32), cn = filled(std::byte{0xa0}), sn = filled(std::byte{0xb0});
  auto ref = derive(x, k, {}, cn, sn);
  ASSERT_TRUE(ref);
  for (int which = 0; which < 4; ++which) {
    auto x2 = x, k2 = k, cn2 = cn, sn2 = sn;
    std::vector<std::byte>* v[] = {&x2, &k2, &cn2, &sn2};
    (*v[which])[31] ^= std::byte{1};
    auto s = derive(x2, k2, {}, cn2, sn2);
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->c2s == ref->c2s) << which;
    EXPECT_FALSE(s->s2c == ref->s2c) << which;
  }
  // Nonces swapped (who is the initiator) give different keys too.
  auto swapped = derive(x, k, {}, sn, cn);
  ASSERT_TRUE(swapped);
  EXPECT_FALSE(swapped->c2s == ref->c2s);
}

TEST(KeySchedule, LengthsAreChecked) {
  const auto good = filled(std::byte{1}), short_ = filled(std::byte{1}, 31), long_ = filled(std::byte{1}, 33);
  EXPECT_EQ(derive(short_, good, {}, good, good).error(), crypto::Error::bad_length);
  EXPECT_EQ(derive(good, long_, {}, good, good).error(), crypto::Error::bad_length);
  EXPECT_EQ(derive(good, good, long_, good, good).error(), crypto::Error::bad_length);
  EXPECT_EQ(derive(good, good, {}, short_, good).error(), crypto::Error::bad_length);
  EXPECT_EQ(derive(good, good, {}, good, long_).error(), crypto::Error::bad_length);
}

TEST(KeySchedule, PskMacKeyAndHmac) {
  auto k = psk_mac_key(filled(std::byte{0x11}));
  ASSERT_TRUE(k);
  EXPECT_EQ(hex(k->span()), "5c8efcaf12639fc9cfa29850c3eab93dc23070d0feb8ae185eac4d74b432aa46");
  // RFC 4231 test case 2.
  const std::string key = "Jefe", msg = "what do ya want for nothing?";
  auto m = hmac(base::Bytes(reinterpret_cast<const std::byte*>(key.data()), key.size()),
                base::Bytes(reinterpret_cast<const std::byte*>(msg.data()), msg.size()));
  ASSERT_TRUE(m);
  EXPECT_EQ(hex(*m), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_FALSE(hmac({}, {}));
}

}  // namespace
}  // namespace nextip::ipv45::keys

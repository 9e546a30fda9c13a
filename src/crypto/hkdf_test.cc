#include "crypto/hkdf.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::hex;
using testing::unhex;

struct Rfc5869Case {
  const char* name;
  std::vector<std::byte> ikm, salt, info;
  const char* prk;
  const char* okm;
};

std::vector<std::byte> range(int from, int to) {
  std::vector<std::byte> v;
  for (int i = from; i <= to; ++i) v.push_back(static_cast<std::byte>(i));
  return v;
}

// RFC 5869 Appendix A, test cases 1-3 (SHA-256).
std::vector<Rfc5869Case> cases() {
  return {
      {"A.1", std::vector<std::byte>(22, std::byte{0x0b}), range(0x00, 0x0c), range(0xf0, 0xf9),
       "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
       "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
      {"A.2", range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff),
       "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
       "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09"
       "b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
      {"A.3",
       std::vector<std::byte>(22, std::byte{0x0b}),
       {},
       {},
       "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
       "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
  };
}

TEST(Hkdf, Rfc5869ExtractExpand) {
  for (const auto& c : cases()) {
    const auto prk = hkdf::extract(c.salt, c.ikm);
    ASSERT_TRUE(prk) << c.name;
    EXPECT_EQ(hex(prk->span()), c.prk) << c.name;
    std::vector<std::byte> okm(std::string_view(c.okm).size() / 2);
    ASSERT_TRUE(hkdf::expand(prk->span(), c.info, okm)) << c.name;
    EXPECT_EQ(hex(okm), c.okm) << c.name;
  }
}

TEST(Hkdf, Rfc5869OneShot) {
  for (const auto& c : cases()) {
    std::vector<std::byte> okm(std::string_view(c.okm).size() / 2);
    ASSERT_TRUE(hkdf::derive(c.salt, c.ikm, c.info, okm)) << c.name;
    EXPECT_EQ(hex(okm), c.okm) << c.name;
  }
}

TEST(Hkdf, OutputLengthLimits) {
  const auto prk = unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  std::vector<std::byte> max(hkdf::kMaxOutput), over(hkdf::kMaxOutput + 1, std::byte{1});
  EXPECT_TRUE(hkdf::expand(prk, {}, max));
  auto e = hkdf::expand(prk, {}, over);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), Error::bad_length);
  EXPECT_TRUE(ct_is_zero(over));  // wiped
  e = hkdf::expand(Bytes(prk).first(31), {}, max);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), Error::bad_length);
  e = hkdf::derive({}, prk, {}, MutBytes{});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), Error::bad_length);
}

// The IPv4.5 key schedule (003 §10.3): the two directions get different keys.
TEST(Hkdf, Ipv45LabelsSeparateDirections) {
  const std::vector<std::byte> ikm(64, std::byte{7}), salt(64, std::byte{9});
  std::array<std::byte, 32> tx{}, rx{};
  ASSERT_TRUE(hkdf::derive(salt, ikm, testing::bytes_of("IPv4.5-C2S-KEY-v1"), tx));
  ASSERT_TRUE(hkdf::derive(salt, ikm, testing::bytes_of("IPv4.5-S2C-KEY-v1"), rx));
  EXPECT_NE(tx, rx);
}

}  // namespace
}  // namespace nextip::crypto

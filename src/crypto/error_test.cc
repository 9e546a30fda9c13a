#include "crypto/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace nextip::crypto {
namespace {

const std::vector<std::pair<Error, std::string_view>>& all() {
  static const std::vector<std::pair<Error, std::string_view>> v = {
#define NEXTIP_X(name, text) {Error::name, #name},
      NEXTIP_CRYPTO_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  };
  return v;
}

TEST(CryptoError, NamesMatchTheEnumerators) {
  for (const auto& [e, n] : all()) EXPECT_EQ(name(e), n);
  EXPECT_EQ(name(Error::aead_auth), "aead_auth");
  EXPECT_EQ(name(Error::mlkem_ek_modulus), "mlkem_ek_modulus");
}

TEST(CryptoError, DescriptionsAreDistinct) {
  std::set<std::string_view> seen;
  for (const auto& [e, n] : all()) {
    EXPECT_FALSE(describe(e).empty()) << n;
    EXPECT_TRUE(seen.insert(describe(e)).second) << n;
  }
  EXPECT_NE(describe(Error::mlkem_dk_hash).find("FIPS 203 §7.3"), std::string_view::npos);
}

}  // namespace
}  // namespace nextip::crypto

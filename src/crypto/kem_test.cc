#include "crypto/kem.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/mlkem768.h"
#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

std::unique_ptr<Kem> make(bool nextip) {
  auto k = nextip ? make_nextip_mlkem768() : make_mlkem768();
  EXPECT_TRUE(k);
  return std::move(*k);
}

class KemTest : public ::testing::TestWithParam<bool> {};

TEST_P(KemTest, SizesAndName) {
  const auto kem = make(GetParam());
  const auto s = kem->sizes();
  EXPECT_EQ(s.ek, 1184u);
  EXPECT_EQ(s.dk, 2400u);
  EXPECT_EQ(s.ct, 1088u);
  EXPECT_EQ(s.ss, 32u);
  EXPECT_EQ(s.keygen_seed, 64u);
  EXPECT_EQ(s.encaps_seed, 32u);
  EXPECT_EQ(kem->name(), "ML-KEM-768");
  if (GetParam()) {
    EXPECT_EQ(kem->implementation(), "nextip");
  }
}

TEST_P(KemTest, RoundTripAndAgreementWithMlkem768) {
  const auto kem = make(GetParam());
  auto rng = DeterministicRng::create(testing::bytes_of("kem"));
  ASSERT_TRUE(rng);
  std::vector<std::byte> ek(1184), dk(2400), ct(1088), ss(32), ss2(32);
  ASSERT_TRUE(kem->keygen(*rng, ek, dk));
  ASSERT_TRUE(kem->encaps(*rng, ek, ct, ss));
  ASSERT_TRUE(kem->decaps(dk, ct, ss2));
  EXPECT_EQ(ss, ss2);

  // The same seeds through nextip's Mlkem768 directly give the same bytes.
  auto again = DeterministicRng::create(testing::bytes_of("kem"));
  ASSERT_TRUE(again);
  std::array<std::byte, 64> seed{};
  std::array<std::byte, 32> m{};
  ASSERT_TRUE(again->fill(seed));
  ASSERT_TRUE(again->fill(m));
  auto impl = Mlkem768::create();
  ASSERT_TRUE(impl);
  std::array<std::byte, 1184> ek2{};
  std::array<std::byte, 2400> dk2{};
  std::array<std::byte, 1088> ct2{};
  std::array<std::byte, 32> ss3{};
  ASSERT_TRUE(impl->keygen_internal(std::span<const std::byte, 32>(seed.data(), 32),
                                    std::span<const std::byte, 32>(seed.data() + 32, 32), ek2, dk2));
  ASSERT_TRUE(impl->encaps_internal(ek2, m, ct2, ss3));
  EXPECT_TRUE(std::equal(ek.begin(), ek.end(), ek2.begin()));
  EXPECT_TRUE(std::equal(dk.begin(), dk.end(), dk2.begin()));
  EXPECT_TRUE(std::equal(ct.begin(), ct.end(), ct2.begin()));
  EXPECT_TRUE(std::equal(ss.begin(), ss.end(), ss3.begin()));
}

TEST_P(KemTest, EveryWrongLengthIsRefusedAndOutputsWiped) {
  const auto kem = make(GetParam());
  std::vector<std::byte> seed(64), ek(1184), dk(2400), ct(1088), ss(32), m(32);
  ASSERT_TRUE(kem->keygen_derand(seed, ek, dk));
  ASSERT_TRUE(kem->encaps_derand(ek, m, ct, ss));
  auto expect_bad_length = [](const Expected<void, Error>& r, const char* what) {
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error(), Error::bad_length) << what;
  };
  auto shorter = [](const std::vector<std::byte>& v) { return Bytes(v).first(v.size() - 1); };
  std::vector<std::byte> out_ek(1184, std::byte{1}), out_dk(2400, std::byte{1});
  expect_bad_length(kem->keygen_derand(shorter(seed), out_ek, out_dk), "seed");
  EXPECT_TRUE(ct_is_zero(out_ek) && ct_is_zero(out_dk));
  expect_bad_length(kem->keygen_derand(seed, MutBytes(out_ek).first(1183), out_dk), "ek out");
  expect_bad_length(kem->keygen_derand(seed, out_ek, MutBytes(out_dk).first(2399)), "dk out");
  std::vector<std::byte> out_ct(1088, std::byte{1}), out_ss(32, std::byte{1});
  expect_bad_length(kem->encaps_derand(shorter(ek), m, out_ct, out_ss), "ek");
  EXPECT_TRUE(ct_is_zero(out_ct) && ct_is_zero(out_ss));
  expect_bad_length(kem->encaps_derand(ek, shorter(m), out_ct, out_ss), "m");
  expect_bad_length(kem->encaps_derand(ek, m, MutBytes(out_ct).first(1), out_ss), "ct out");
  expect_bad_length(kem->decaps(shorter(dk), ct, out_ss), "dk");
  expect_bad_length(kem->decaps(dk, shorter(ct), out_ss), "ct");
  expect_bad_length(kem->decaps(dk, ct, MutBytes(out_ss).first(31)), "ss out");
}

TEST_P(KemTest, KeyChecksAreTypedErrors) {
  const auto kem = make(GetParam());
  std::vector<std::byte> seed(64), ek(1184), dk(2400), ct(1088), ss(32), m(32);
  ASSERT_TRUE(kem->keygen_derand(seed, ek, dk));
  auto bad_ek = ek;
  bad_ek[0] = std::byte{0xff};
  bad_ek[1] |= std::byte{0x0f};  // coefficient 0 = 4095
  auto r = kem->encaps_derand(bad_ek, m, ct, ss);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Error::mlkem_ek_modulus);
  auto bad_dk = dk;
  bad_dk[2340] ^= std::byte{1};  // inside H(ek)
  ASSERT_TRUE(kem->encaps_derand(ek, m, ct, ss));
  r = kem->decaps(bad_dk, ct, ss);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Error::mlkem_dk_hash);
}

INSTANTIATE_TEST_SUITE_P(Implementations, KemTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? std::string("Nextip") : std::string("Default"); });

}  // namespace
}  // namespace nextip::crypto

#include "crypto/mlkem768.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using namespace mlkem768;
using testing::hex;
using testing::unhex;

class Mlkem768Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = Mlkem768::create();
    ASSERT_TRUE(k);
    kem_.emplace(std::move(*k));
  }
  std::optional<Mlkem768> kem_;
  std::array<std::byte, kEkSize> ek_{};
  std::array<std::byte, kDkSize> dk_{};
  std::array<std::byte, kCtSize> ct_{};
  std::array<std::byte, kSsSize> ss_{}, ss2_{};
};

// The accumulated vectors of Go's crypto/mlkem TestAccumulated (final FIPS 203): inputs
// d ‖ z, m and a random ciphertext read in that order from SHAKE128(""); ek, c, K and the
// implicit-rejection K of the random ciphertext absorbed into a second SHAKE128, whose
// first 32 bytes are the result.
std::string accumulated(Mlkem768& kem, int n) {
  auto in = Xof::create(HashAlgo::shake128);
  auto out = Digest::create(HashAlgo::shake128);
  EXPECT_TRUE(in && out);
  std::array<std::byte, 64> seed{};
  std::array<std::byte, 32> m{}, k{}, kk{}, k1{}, result{};
  std::array<std::byte, kEkSize> ek{};
  std::array<std::byte, kDkSize> dk{};
  std::array<std::byte, kCtSize> ct{}, ct1{};
  for (int i = 0; i < n; ++i) {
    EXPECT_TRUE(in->squeeze(seed));
    EXPECT_TRUE(kem.keygen_internal(Seed32(seed.data(), 32), Seed32(seed.data() + 32, 32), ek, dk));
    EXPECT_TRUE(out->update(ek));
    EXPECT_TRUE(in->squeeze(m));
    EXPECT_TRUE(kem.encaps_internal(ek, m, ct, k));
    EXPECT_TRUE(out->update(ct));
    EXPECT_TRUE(out->update(k));
    EXPECT_TRUE(kem.decaps(dk, ct, kk));
    EXPECT_EQ(k, kk) << "iteration " << i;
    EXPECT_TRUE(in->squeeze(ct1));
    EXPECT_TRUE(kem.decaps(dk, ct1, k1));
    EXPECT_TRUE(out->update(k1));
  }
  EXPECT_TRUE(out->final(result));
  return hex(result);
}

TEST_F(Mlkem768Test, Accumulated100) {
  EXPECT_EQ(accumulated(*kem_, 100), "1114b1b6699ed191734fa339376afa7e285c9e6acf6ff0177d346696ce564415");
}

TEST_F(Mlkem768Test, Accumulated10000) {
  EXPECT_EQ(accumulated(*kem_, 10000), "8a518cc63da366322a8e7a818c7a0d63483cb3528d34a4cf42f35d5ad73f22fc");
}

// C2SP CCTV: a key whose matrix sampling needs more than 575 XOF bytes.
TEST_F(Mlkem768Test, CctvUnluckySample) {
  const auto kv = testing::read_kv_file("src/crypto/testdata/cctv_mlkem768_unlucky.txt");
  const auto d = unhex(kv.at("d")), z = unhex(kv.at("z")), m = unhex(kv.at("m"));
  ASSERT_TRUE(kem_->keygen_internal(Seed32(d.data(), 32), Seed32(z.data(), 32), ek_, dk_));
  EXPECT_EQ(hex(ek_), kv.at("ek"));
  EXPECT_EQ(hex(dk_), kv.at("dk"));
  ASSERT_TRUE(kem_->encaps_internal(ek_, Seed32(m.data(), 32), ct_, ss_));
  EXPECT_EQ(hex(ct_), kv.at("c"));
  EXPECT_EQ(hex(ss_), kv.at("K"));
  ASSERT_TRUE(kem_->decaps(dk_, ct_, ss2_));
  EXPECT_EQ(ss_, ss2_);
}

// C2SP CCTV: an invalid ciphertext sharing a prefix with its re-encryption up to a zero
// byte; a strcmp()-style comparison would accept it.
TEST_F(Mlkem768Test, CctvStrcmp) {
  const auto kv = testing::read_kv_file("src/crypto/testdata/cctv_mlkem768_strcmp.txt");
  const auto dk = unhex(kv.at("dk")), c = unhex(kv.at("c"));
  ASSERT_TRUE(kem_->decaps(Dk(dk.data(), kDkSize), Ct(c.data(), kCtSize), ss_));
  EXPECT_EQ(hex(ss_), kv.at("K"));
}

TEST_F(Mlkem768Test, ImplicitRejectionIsJOfZAndC) {
  auto rng = DeterministicRng::create(testing::bytes_of("rejection"));
  ASSERT_TRUE(rng);
  ASSERT_TRUE(kem_->keygen(*rng, ek_, dk_));
  ASSERT_TRUE(kem_->encaps(*rng, ek_, ct_, ss_));
  for (std::size_t bit : {0u, 7u, 4000u, 7679u, 8703u}) {  // in c1, and in c2 (from byte 960)
    auto bad = ct_;
    bad[bit / 8] ^= static_cast<std::byte>(1 << (bit % 8));
    ASSERT_TRUE(kem_->decaps(dk_, bad, ss2_));
    std::array<std::byte, 32> want{};
    ASSERT_TRUE(shake256({Bytes(dk_).last(32), bad}, want));  // J(z ‖ c)
    EXPECT_EQ(ss2_, want) << bit;
    EXPECT_NE(ss2_, ss_);
  }
}

TEST_F(Mlkem768Test, RandomisedRoundTrips) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(kem_->keygen(system_rng(), ek_, dk_));
    ASSERT_TRUE(kem_->encaps(system_rng(), ek_, ct_, ss_));
    ASSERT_TRUE(kem_->decaps(dk_, ct_, ss2_));
    EXPECT_EQ(ss_, ss2_);
  }
}

// §7.2: every coefficient value from q to 4095, at the first, a middle and the last
// coefficient, is refused; the outputs are wiped.
TEST_F(Mlkem768Test, EncapsulationKeyModulusCheck) {
  const std::array<std::byte, 32> m{};
  ASSERT_TRUE(kem_->keygen_internal(m, m, ek_, dk_));
  ASSERT_TRUE(ek_modulus_ok(ek_));
  // t̂ is 768 coefficients in a row, 3 bytes per pair: coefficient i starts in byte i / 2 * 3.
  for (std::size_t coef : {0u, 1u, 383u, 767u}) {
    for (unsigned v = 3329; v < 4096; v += 1) {
      auto bad = ek_;
      const std::size_t byte = coef / 2 * 3;
      if (coef % 2 == 0) {
        bad[byte] = static_cast<std::byte>(v & 0xff);
        bad[byte + 1] = (bad[byte + 1] & std::byte{0xf0}) | static_cast<std::byte>(v >> 8);
      } else {
        bad[byte + 1] = (bad[byte + 1] & std::byte{0x0f}) | static_cast<std::byte>((v & 0xf) << 4);
        bad[byte + 2] = static_cast<std::byte>(v >> 4);
      }
      EXPECT_FALSE(ek_modulus_ok(bad)) << coef << " " << v;
      ct_.fill(std::byte{1});
      ss_.fill(std::byte{1});
      const auto r = kem_->encaps_internal(bad, m, ct_, ss_);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error(), Error::mlkem_ek_modulus);
      EXPECT_TRUE(ct_is_zero(ct_) && ct_is_zero(ss_));
    }
  }
}

// §7.3: a decapsulation key whose H(ek) does not match is refused.
TEST_F(Mlkem768Test, DecapsulationKeyHashCheck) {
  const std::array<std::byte, 32> m{};
  ASSERT_TRUE(kem_->keygen_internal(m, m, ek_, dk_));
  ASSERT_TRUE(kem_->encaps_internal(ek_, m, ct_, ss_));
  for (std::size_t at : {1152u, 2000u, 2335u, 2336u, 2367u}) {  // ek part and h part
    auto bad = dk_;
    bad[at] ^= std::byte{0x80};
    ss2_.fill(std::byte{1});
    const auto r = kem_->decaps(bad, ct_, ss2_);
    ASSERT_FALSE(r) << at;
    EXPECT_EQ(r.error(), Error::mlkem_dk_hash);
    EXPECT_TRUE(ct_is_zero(ss2_));
  }
  // ŝ and z are not covered by the hash: a changed z still decapsulates (and only
  // matters on implicit rejection).
  auto other_z = dk_;
  other_z[2399] ^= std::byte{1};
  ASSERT_TRUE(kem_->decaps(other_z, ct_, ss2_));
  EXPECT_EQ(ss_, ss2_);
  const auto ok = kem_->dk_hash_ok(dk_);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(*ok);
}

TEST_F(Mlkem768Test, DeterministicFormsAreDeterministic) {
  const auto d = unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  std::array<std::byte, kEkSize> ek2{};
  std::array<std::byte, kDkSize> dk2{};
  ASSERT_TRUE(kem_->keygen_internal(Seed32(d.data(), 32), Seed32(d.data(), 32), ek_, dk_));
  ASSERT_TRUE(kem_->keygen_internal(Seed32(d.data(), 32), Seed32(d.data(), 32), ek2, dk2));
  EXPECT_EQ(ek_, ek2);
  EXPECT_EQ(dk_, dk2);
  EXPECT_TRUE(std::equal(ek_.begin(), ek_.end(), dk_.begin() + 1152));  // dk = dk_PKE ‖ ek ‖ H(ek) ‖ z
  EXPECT_TRUE(std::equal(d.begin(), d.end(), dk_.end() - 32));
}

}  // namespace
}  // namespace nextip::crypto

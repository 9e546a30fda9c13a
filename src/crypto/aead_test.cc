#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/secure.h"
#include "crypto/test_util.h"

namespace nextip::crypto {
namespace {

using testing::bytes_of;
using testing::hex;
using testing::unhex;

struct Vector {
  const char* name;
  AeadSuite suite;
  const char *key, *nonce, *aad, *pt, *ct, *tag;
};

constexpr const char* kRfc8439Pt =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f66"
    "66657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c6420626520"
    "69742e";
constexpr const char* kGcmKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kGcmPt =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
    "ba637b391aafd255";
constexpr const char* kGcmCt =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
    "bcc9f662898015ad";

// RFC 8439 §2.8.2, and the 256-bit-key test cases 13-16 of McGrew & Viega, "The
// Galois/Counter Mode of Operation (GCM)" (the 96-bit-IV ones; NIST's gcmEncryptExtIV256
// vectors contain them).
const Vector kVectors[] = {
    {"RFC 8439 2.8.2", AeadSuite::chacha20_poly1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7", kRfc8439Pt,
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b290"
     "5"
     "d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b611"
     "6",
     "1ae10b594f09e26a7e902ecbd0600691"},
    {"GCM TC13", AeadSuite::aes256_gcm, "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"GCM TC14", AeadSuite::aes256_gcm, "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"GCM TC15", AeadSuite::aes256_gcm, kGcmKey, "cafebabefacedbaddecaf888", "", kGcmPt, kGcmCt,
     "b094dac5d93471bdec1a502270e3cc6c"},
};

TEST(Aead, KnownAnswers) {
  for (const auto& v : kVectors) {
    const auto key = unhex(v.key), nonce = unhex(v.nonce), aad = unhex(v.aad), pt = unhex(v.pt);
    auto a = Aead::create(v.suite, std::span<const std::byte, 32>(key.data(), 32));
    ASSERT_TRUE(a) << v.name;
    std::vector<std::byte> out(pt.size() + Aead::kTagSize);
    ASSERT_TRUE(a->seal(std::span<const std::byte, 12>(nonce.data(), 12), aad, pt, out)) << v.name;
    EXPECT_EQ(hex(Bytes(out).first(pt.size())), v.ct) << v.name;
    EXPECT_EQ(hex(Bytes(out).last(Aead::kTagSize)), v.tag) << v.name;
    std::vector<std::byte> back(pt.size());
    ASSERT_TRUE(a->open(std::span<const std::byte, 12>(nonce.data(), 12), aad, out, back)) << v.name;
    EXPECT_EQ(back, pt) << v.name;
  }
}

// GCM TC16: TC15's key and IV, 60 bytes of plaintext, 20 bytes of AAD.
TEST(Aead, GcmTestCase16WithAad) {
  const auto key = unhex(kGcmKey), nonce = unhex("cafebabefacedbaddecaf888");
  const auto aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto full = unhex(kGcmPt);
  const std::vector<std::byte> ptv(full.begin(), full.begin() + 60);
  auto a = Aead::create(AeadSuite::aes256_gcm, std::span<const std::byte, 32>(key.data(), 32));
  ASSERT_TRUE(a);
  std::vector<std::byte> out(60 + 16);
  ASSERT_TRUE(a->seal(std::span<const std::byte, 12>(nonce.data(), 12), aad, ptv, out));
  EXPECT_EQ(hex(Bytes(out).first(60)), std::string(kGcmCt).substr(0, 120));
  EXPECT_EQ(hex(Bytes(out).last(16)), "76fc6ece0f4e1768cddf8853bb2d551b");
}

class AeadSuites : public ::testing::TestWithParam<AeadSuite> {
 protected:
  void SetUp() override {
    for (std::size_t i = 0; i < key_.size(); ++i) key_[i] = static_cast<std::byte>(3 * i + 1);
    for (std::size_t i = 0; i < nonce_.size(); ++i) nonce_[i] = static_cast<std::byte>(i);
    auto a = Aead::create(GetParam(), key_);
    ASSERT_TRUE(a);
    aead_.emplace(std::move(*a));
  }
  std::array<std::byte, 32> key_{};
  std::array<std::byte, 12> nonce_{};
  std::optional<Aead> aead_;
};

TEST_P(AeadSuites, RoundTripsEverySize) {
  const auto aad = bytes_of("header");
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 63u, 64u, 65u, 1400u, 9000u}) {
    std::vector<std::byte> pt(n);
    for (std::size_t i = 0; i < n; ++i) pt[i] = static_cast<std::byte>(i * 7);
    std::vector<std::byte> sealed(n + Aead::kTagSize), opened(n);
    ASSERT_TRUE(aead_->seal(nonce_, aad, pt, sealed)) << n;
    ASSERT_TRUE(aead_->open(nonce_, aad, sealed, opened)) << n;
    EXPECT_EQ(opened, pt) << n;
  }
}

// Any flipped bit anywhere, in ciphertext, tag, AAD or nonce: the typed error, and a
// wiped output.
TEST_P(AeadSuites, EveryTamperingIsDetected) {
  const auto aad = bytes_of("associated");
  const auto pt = bytes_of("attack at dawn, bring snacks");
  std::vector<std::byte> sealed(pt.size() + Aead::kTagSize), out(pt.size());
  ASSERT_TRUE(aead_->seal(nonce_, aad, pt, sealed));
  auto expect_auth_error = [&](Bytes n, Bytes a, Bytes s, const std::string& what) {
    std::fill(out.begin(), out.end(), std::byte{0x55});
    const auto r = aead_->open(std::span<const std::byte, 12>(n.data(), 12), a, s, out);
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error(), Error::aead_auth) << what;
    EXPECT_TRUE(ct_is_zero(out)) << what;
  };
  for (std::size_t i = 0; i < sealed.size() * 8; ++i) {
    auto s = sealed;
    s[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
    expect_auth_error(nonce_, aad, s, "ciphertext/tag bit " + std::to_string(i));
  }
  for (std::size_t i = 0; i < aad.size() * 8; i += 7) {
    auto a = aad;
    a[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
    expect_auth_error(nonce_, a, sealed, "aad bit " + std::to_string(i));
  }
  for (std::size_t i = 0; i < nonce_.size() * 8; i += 5) {
    auto n = nonce_;
    n[i / 8] ^= static_cast<std::byte>(1 << (i % 8));
    expect_auth_error(n, aad, sealed, "nonce bit " + std::to_string(i));
  }
  expect_auth_error(nonce_, {}, sealed, "missing aad");
  // The untouched packet still opens: a failure leaves the context usable.
  ASSERT_TRUE(aead_->open(nonce_, aad, sealed, out));
  EXPECT_EQ(out, pt);
}

TEST_P(AeadSuites, InPlace) {
  const auto pt = bytes_of("in place, as the data path does it");
  std::vector<std::byte> buf(pt.size() + Aead::kTagSize);
  std::copy(pt.begin(), pt.end(), buf.begin());
  ASSERT_TRUE(aead_->seal(nonce_, {}, Bytes(buf).first(pt.size()), buf));
  EXPECT_NE(Bytes(buf).first(pt.size())[0], pt[0]);
  ASSERT_TRUE(aead_->open(nonce_, {}, buf, MutBytes(buf).first(pt.size())));
  EXPECT_TRUE(std::equal(pt.begin(), pt.end(), buf.begin()));
}

TEST_P(AeadSuites, WrongLengths) {
  std::vector<std::byte> pt(10), small(10 + Aead::kTagSize - 1), in(15), out(0);
  auto r = aead_->seal(nonce_, {}, pt, small);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Error::bad_length);
  r = aead_->open(nonce_, {}, in, out);  // shorter than a tag
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), Error::bad_length);
}

TEST_P(AeadSuites, MovedAeadKeepsItsKey) {
  const auto pt = bytes_of("moved");
  std::vector<std::byte> a(pt.size() + 16), b(pt.size() + 16);
  ASSERT_TRUE(aead_->seal(nonce_, {}, pt, a));
  Aead moved = std::move(*aead_);
  ASSERT_TRUE(moved.seal(nonce_, {}, pt, b));
  EXPECT_EQ(a, b);
  EXPECT_EQ(moved.suite(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Suites, AeadSuites, ::testing::Values(AeadSuite::aes256_gcm, AeadSuite::chacha20_poly1305),
                         [](const auto& p) {
                           return p.param == AeadSuite::aes256_gcm ? std::string("Aes256Gcm")
                                                                   : std::string("ChaCha20Poly1305");
                         });

TEST(Aead, SuiteNamesAndCodes) {
  EXPECT_EQ(name(AeadSuite::aes256_gcm), "AES-256-GCM");
  EXPECT_EQ(name(AeadSuite::chacha20_poly1305), "ChaCha20-Poly1305");
  EXPECT_EQ(static_cast<int>(AeadSuite::aes256_gcm), 0x01);  // 003 §10.4
  EXPECT_EQ(static_cast<int>(AeadSuite::chacha20_poly1305), 0x02);
}

}  // namespace
}  // namespace nextip::crypto

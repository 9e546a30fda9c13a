#include "crypto/aead.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <climits>
#include <utility>

#include "crypto/ossl.h"
#include "crypto/secure.h"

namespace nextip::crypto {

namespace {

unsigned char* u8(std::byte* p) noexcept {
  return reinterpret_cast<unsigned char*>(p);
}
const unsigned char* u8(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

const EVP_CIPHER* cipher_of(AeadSuite s) noexcept {
  switch (s) {
    case AeadSuite::aes256_gcm: return ossl::aes_256_gcm();
    case AeadSuite::chacha20_poly1305: return ossl::chacha20_poly1305();
  }
  return nullptr;
}

// EVP_*Update takes int lengths; packets are far smaller, but a caller's span is not.
bool fits_int(std::size_t n) noexcept {
  return n <= static_cast<std::size_t>(INT_MAX) - Aead::kTagSize;
}

}  // namespace

std::string_view name(AeadSuite s) noexcept {
  switch (s) {
    case AeadSuite::aes256_gcm: return "AES-256-GCM";
    case AeadSuite::chacha20_poly1305: return "ChaCha20-Poly1305";
  }
  return "unknown";
}

Expected<Aead, Error> Aead::create(AeadSuite suite, Key key) noexcept {
  const EVP_CIPHER* cipher = cipher_of(suite);
  if (cipher == nullptr) return nextip::unexpected(Error::openssl);
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  // The default IV length of both ciphers is 12 bytes: no parameter needed.
  if (enc == nullptr || dec == nullptr || EVP_EncryptInit_ex2(enc, cipher, u8(key.data()), nullptr, nullptr) != 1 ||
      EVP_DecryptInit_ex2(dec, cipher, u8(key.data()), nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_get_iv_length(enc) != static_cast<int>(kNonceSize)) {
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(dec);
    return nextip::unexpected(Error::openssl);
  }
  return Aead(suite, enc, dec);
}

Aead::Aead(Aead&& o) noexcept
    : suite_(o.suite_), enc_(std::exchange(o.enc_, nullptr)), dec_(std::exchange(o.dec_, nullptr)) {}

Aead& Aead::operator=(Aead&& o) noexcept {
  if (this != &o) {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
    suite_ = o.suite_;
    enc_ = std::exchange(o.enc_, nullptr);
    dec_ = std::exchange(o.dec_, nullptr);
  }
  return *this;
}

// EVP_CIPHER_CTX_free cleanses the key schedule (the providers free their contexts
// with OPENSSL_clear_free).
Aead::~Aead() {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
}

Expected<void, Error> Aead::seal(Nonce nonce, Bytes aad, Bytes plaintext, MutBytes out) noexcept {
  if (out.size() != plaintext.size() + kTagSize || !fits_int(plaintext.size()) || !fits_int(aad.size())) {
    return nextip::unexpected(Error::bad_length);
  }
  int len = 0;
  bool ok = EVP_EncryptInit_ex2(enc_, nullptr, nullptr, u8(nonce.data()), nullptr) == 1;
  if (ok && !aad.empty())
    ok = EVP_EncryptUpdate(enc_, nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) == 1;
  if (ok && !plaintext.empty()) {
    ok = EVP_EncryptUpdate(enc_, u8(out.data()), &len, u8(plaintext.data()), static_cast<int>(plaintext.size())) == 1;
  }
  if (ok) ok = EVP_EncryptFinal_ex(enc_, u8(out.data() + plaintext.size()), &len) == 1 && len == 0;
  if (ok) {
    std::array<OSSL_PARAM, 2> params = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, out.data() + plaintext.size(), kTagSize),
        OSSL_PARAM_construct_end()};
    ok = EVP_CIPHER_CTX_get_params(enc_, params.data()) == 1;
  }
  if (!ok) {
    wipe(out);
    return nextip::unexpected(Error::openssl);
  }
  return {};
}

Expected<void, Error> Aead::open(Nonce nonce, Bytes aad, Bytes in, MutBytes out) noexcept {
  if (in.size() < kTagSize || out.size() != in.size() - kTagSize || !fits_int(in.size()) || !fits_int(aad.size())) {
    wipe(out);
    return nextip::unexpected(Error::bad_length);
  }
  const std::size_t ct_len = in.size() - kTagSize;
  // The expected tag is copied first: with in-place decryption `in` is being overwritten.
  std::array<std::byte, kTagSize> tag{};
  for (std::size_t i = 0; i < kTagSize; ++i) tag[i] = in[ct_len + i];
  int len = 0;
  bool ok = EVP_DecryptInit_ex2(dec_, nullptr, nullptr, u8(nonce.data()), nullptr) == 1;
  if (ok) {
    std::array<OSSL_PARAM, 2> params = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag.data(), kTagSize),
        OSSL_PARAM_construct_end()};
    ok = EVP_CIPHER_CTX_set_params(dec_, params.data()) == 1;
  }
  if (!ok) {
    wipe(out);
    return nextip::unexpected(Error::openssl);
  }
  if (!aad.empty()) ok = EVP_DecryptUpdate(dec_, nullptr, &len, u8(aad.data()), static_cast<int>(aad.size())) == 1;
  if (ok && ct_len != 0) {
    ok = EVP_DecryptUpdate(dec_, u8(out.data()), &len, u8(in.data()), static_cast<int>(ct_len)) == 1;
  }
  // The tag comparison happens here, in constant time inside OpenSSL.
  if (ok) ok = EVP_DecryptFinal_ex(dec_, u8(out.data() + ct_len), &len) == 1;
  if (!ok) {
    wipe(out);
    return nextip::unexpected(Error::aead_auth);
  }
  return {};
}

}  // namespace nextip::crypto

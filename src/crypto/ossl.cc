#include "crypto/ossl.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace nextip::crypto::ossl {

// Fetched on first use, kept for the life of the process (thread-safe static init).
const EVP_MD* sha3_256() noexcept {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  return md;
}
const EVP_MD* sha3_512() noexcept {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA3-512", nullptr);
  return md;
}
const EVP_MD* shake128() noexcept {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHAKE128", nullptr);
  return md;
}
const EVP_MD* shake256() noexcept {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHAKE256", nullptr);
  return md;
}
const EVP_CIPHER* aes_256_gcm() noexcept {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return c;
}
const EVP_CIPHER* chacha20_poly1305() noexcept {
  static EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  return c;
}
EVP_KDF* hkdf() noexcept {
  static EVP_KDF* k = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  return k;
}

void PkeyFree::operator()(EVP_PKEY* p) const noexcept {
  EVP_PKEY_free(p);
}
void PkeyCtxFree::operator()(EVP_PKEY_CTX* p) const noexcept {
  EVP_PKEY_CTX_free(p);
}
void KdfCtxFree::operator()(EVP_KDF_CTX* p) const noexcept {
  EVP_KDF_CTX_free(p);
}

}  // namespace nextip::crypto::ossl

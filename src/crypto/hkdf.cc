#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>

#include "crypto/ossl.h"

namespace nextip::crypto::hkdf {

namespace {

// OSSL_PARAM wants a non-const pointer even for input; OpenSSL only reads it. An
// empty span still needs a valid pointer.
OSSL_PARAM octets(const char* key, Bytes b) noexcept {
  static const unsigned char kEmpty = 0;
  void* p = b.empty() ? static_cast<void*>(const_cast<unsigned char*>(&kEmpty))
                      : static_cast<void*>(const_cast<std::byte*>(b.data()));
  return OSSL_PARAM_construct_octet_string(key, p, b.size());
}

Expected<void, Error> run(int mode, Bytes salt, Bytes key, Bytes info, MutBytes out) noexcept {
  EVP_KDF* kdf = ossl::hkdf();
  if (kdf == nullptr) return nextip::unexpected(Error::openssl);
  const ossl::KdfCtx ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) return nextip::unexpected(Error::out_of_memory);
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 6> params{};
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = octets(OSSL_KDF_PARAM_KEY, key);
  if (mode != EVP_KDF_HKDF_MODE_EXPAND_ONLY) params[n++] = octets(OSSL_KDF_PARAM_SALT, salt);
  if (mode != EVP_KDF_HKDF_MODE_EXTRACT_ONLY && !info.empty()) params[n++] = octets(OSSL_KDF_PARAM_INFO, info);
  params[n] = OSSL_PARAM_construct_end();
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(), params.data()) != 1) {
    wipe(out);
    return nextip::unexpected(Error::openssl);
  }
  return {};
}

}  // namespace

Expected<Prk, Error> extract(Bytes salt, Bytes ikm) noexcept {
  Prk prk;
  if (auto r = run(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, salt, ikm, {}, prk.mut_span()); !r) {
    return nextip::unexpected(r.error());
  }
  return prk;
}

Expected<void, Error> expand(Bytes prk, Bytes info, MutBytes okm) noexcept {
  if (okm.empty() || okm.size() > kMaxOutput || prk.size() < kHashSize) {
    wipe(okm);
    return nextip::unexpected(Error::bad_length);
  }
  return run(EVP_KDF_HKDF_MODE_EXPAND_ONLY, {}, prk, info, okm);
}

Expected<void, Error> derive(Bytes salt, Bytes ikm, Bytes info, MutBytes okm) noexcept {
  if (okm.empty() || okm.size() > kMaxOutput) {
    wipe(okm);
    return nextip::unexpected(Error::bad_length);
  }
  return run(EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, salt, ikm, info, okm);
}

}  // namespace nextip::crypto::hkdf

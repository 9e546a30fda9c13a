// Internal to src/crypto: OpenSSL algorithm objects fetched once per process
// (explicit fetching avoids a provider lookup on every init, see OpenSSL's
// crypto(7) "Performance"), and owning handles for OpenSSL objects.
#pragma once

#include <openssl/types.h>

#include <memory>

namespace nextip::crypto::ossl {

// nullptr when the default provider lacks the algorithm (callers return Error::openssl).
const EVP_MD* sha3_256() noexcept;
const EVP_MD* sha3_512() noexcept;
const EVP_MD* shake128() noexcept;
const EVP_MD* shake256() noexcept;
const EVP_CIPHER* aes_256_gcm() noexcept;
const EVP_CIPHER* chacha20_poly1305() noexcept;
EVP_KDF* hkdf() noexcept;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept;
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept;
};
struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* p) const noexcept;
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, KdfCtxFree>;

}  // namespace nextip::crypto::ossl

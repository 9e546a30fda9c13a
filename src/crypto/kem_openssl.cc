// ML-KEM-768 from OpenSSL >= 3.5 (EVP_PKEY "ML-KEM-768"), selected by make_mlkem768().
//
// UNTESTED HERE: Debian 12 ships OpenSSL 3.0, so this file compiles to nothing on the
// machines that build nextip today. When it is built, the whole crypto test suite
// (including the accumulated FIPS 203 vectors and the CCTV files) runs against it
// through make_mlkem768(). Kept deliberately small.
#include <openssl/opensslv.h>

#if OPENSSL_VERSION_NUMBER >= 0x30500000L

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <new>

#include "crypto/kem.h"
#include "crypto/mlkem768.h"
#include "crypto/ossl.h"
#include "crypto/secure.h"

namespace nextip::crypto {

namespace {

constexpr const char* kAlg = "ML-KEM-768";

unsigned char* u8(std::byte* p) noexcept {
  return reinterpret_cast<unsigned char*>(p);
}
const unsigned char* u8(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}
void* mut(const std::byte* p) noexcept {
  return const_cast<std::byte*>(p);
}

class OpensslMlkem768 final : public Kem {
 public:
  std::string_view name() const noexcept override { return "ML-KEM-768"; }
  std::string_view implementation() const noexcept override { return "openssl"; }
  Sizes sizes() const noexcept override {
    return {mlkem768::kEkSize, mlkem768::kDkSize,   mlkem768::kCtSize,
            mlkem768::kSsSize, mlkem768::kSeedSize, mlkem768::kMsgSize};
  }

  Expected<void, Error> keygen_derand(Bytes seed, MutBytes ek, MutBytes dk) noexcept override {
    auto r = keygen_impl(seed, ek, dk);
    if (!r) {
      wipe(ek);
      wipe(dk);
    }
    return r;
  }

  Expected<void, Error> encaps_derand(Bytes ek, Bytes m, MutBytes ct, MutBytes ss) noexcept override {
    auto r = encaps_impl(ek, m, ct, ss);
    if (!r) {
      wipe(ct);
      wipe(ss);
    }
    return r;
  }

  Expected<void, Error> decaps(Bytes dk, Bytes ct, MutBytes ss) noexcept override {
    auto r = decaps_impl(dk, ct, ss);
    if (!r) wipe(ss);
    return r;
  }

 private:
  static Expected<void, Error> keygen_impl(Bytes seed, MutBytes ek, MutBytes dk) noexcept {
    if (seed.size() != mlkem768::kSeedSize || ek.size() != mlkem768::kEkSize || dk.size() != mlkem768::kDkSize) {
      return nextip::unexpected(Error::bad_length);
    }
    const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, kAlg, nullptr));
    std::array<OSSL_PARAM, 2> params = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_ML_KEM_SEED, mut(seed.data()), seed.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_params(ctx.get(), params.data()) != 1 ||
        EVP_PKEY_generate(ctx.get(), &raw) != 1) {
      return nextip::unexpected(Error::openssl);
    }
    const ossl::Pkey pkey(raw);
    std::size_t ek_len = ek.size(), dk_len = dk.size();
    if (EVP_PKEY_get_raw_public_key(pkey.get(), u8(ek.data()), &ek_len) != 1 ||
        EVP_PKEY_get_raw_private_key(pkey.get(), u8(dk.data()), &dk_len) != 1 || ek_len != ek.size() ||
        dk_len != dk.size()) {
      return nextip::unexpected(Error::openssl);
    }
    return {};
  }

  static Expected<void, Error> encaps_impl(Bytes ek, Bytes m, MutBytes ct, MutBytes ss) noexcept {
    if (ek.size() != mlkem768::kEkSize || m.size() != mlkem768::kMsgSize || ct.size() != mlkem768::kCtSize ||
        ss.size() != mlkem768::kSsSize) {
      return nextip::unexpected(Error::bad_length);
    }
    // OpenSSL's import performs the §7.2 modulus check; say so precisely ourselves.
    if (!mlkem768::ek_modulus_ok(ek.first<mlkem768::kEkSize>())) return nextip::unexpected(Error::mlkem_ek_modulus);
    const ossl::Pkey pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, kAlg, nullptr, u8(ek.data()), ek.size()));
    if (!pkey) return nextip::unexpected(Error::openssl);
    const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    std::array<OSSL_PARAM, 2> params = {OSSL_PARAM_construct_octet_string(OSSL_KEM_PARAM_IKME, mut(m.data()), m.size()),
                                        OSSL_PARAM_construct_end()};
    std::size_t ct_len = ct.size(), ss_len = ss.size();
    if (!ctx || EVP_PKEY_encapsulate_init(ctx.get(), params.data()) != 1 ||
        EVP_PKEY_encapsulate(ctx.get(), u8(ct.data()), &ct_len, u8(ss.data()), &ss_len) != 1 || ct_len != ct.size() ||
        ss_len != ss.size()) {
      return nextip::unexpected(Error::openssl);
    }
    return {};
  }

  static Expected<void, Error> decaps_impl(Bytes dk, Bytes ct, MutBytes ss) noexcept {
    if (dk.size() != mlkem768::kDkSize || ct.size() != mlkem768::kCtSize || ss.size() != mlkem768::kSsSize) {
      return nextip::unexpected(Error::bad_length);
    }
    // OpenSSL refuses a private key whose H(ek) does not match at import (§7.3).
    const ossl::Pkey pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, kAlg, nullptr, u8(dk.data()), dk.size()));
    if (!pkey) {
      ERR_clear_error();
      return nextip::unexpected(Error::mlkem_dk_hash);
    }
    const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    std::size_t ss_len = ss.size();
    if (!ctx || EVP_PKEY_decapsulate_init(ctx.get(), nullptr) != 1 ||
        EVP_PKEY_decapsulate(ctx.get(), u8(ss.data()), &ss_len, u8(ct.data()), ct.size()) != 1 || ss_len != ss.size()) {
      return nextip::unexpected(Error::openssl);
    }
    return {};
  }
};

}  // namespace

Expected<std::unique_ptr<Kem>, Error> make_openssl_mlkem768() noexcept {
  std::unique_ptr<Kem> kem(new (std::nothrow) OpensslMlkem768());
  if (!kem) return nextip::unexpected(Error::out_of_memory);
  return kem;
}

}  // namespace nextip::crypto

#endif  // OPENSSL_VERSION_NUMBER >= 0x30500000L

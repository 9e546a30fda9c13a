#include "crypto/x25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <utility>

#include "crypto/ossl.h"

namespace nextip::crypto::x25519 {

namespace {

const unsigned char* u8(const std::byte* p) noexcept {
  return reinterpret_cast<const unsigned char*>(p);
}

ossl::Pkey private_pkey(const PrivateKey& k) noexcept {
  return ossl::Pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, "X25519", nullptr, u8(k.data()), kKeySize));
}

// X25519 of an imported private key with a peer's public key.
Expected<SharedSecret, Error> derive(EVP_PKEY* mine, const PublicKey& peer) noexcept {
  const ossl::Pkey theirs(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, u8(peer.data()), peer.size()));
  if (!theirs) return nextip::unexpected(Error::openssl);
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), theirs.get()) != 1) {
    return nextip::unexpected(Error::openssl);
  }
  SharedSecret out;
  std::size_t len = kKeySize;
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.mut_span().data()), &len) != 1) {
    // OpenSSL itself refuses the all-zero result (the only way X25519 derivation fails
    // once both keys were accepted); say which it was.
    const unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    if (ERR_GET_LIB(e) == ERR_LIB_PROV) return nextip::unexpected(Error::x25519_all_zero);
    return nextip::unexpected(Error::openssl);
  }
  if (len != kKeySize) return nextip::unexpected(Error::openssl);
  if (ct_is_zero(out.span())) return nextip::unexpected(Error::x25519_all_zero);  // belt and braces
  return out;
}

Expected<PublicKey, Error> raw_public(EVP_PKEY* pkey) noexcept {
  PublicKey pub{};
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(pub.data()), &len) != 1 || len != kKeySize) {
    return nextip::unexpected(Error::openssl);
  }
  return pub;
}

}  // namespace

Expected<KeyPair, Error> KeyPair::from_private(const PrivateKey& k) noexcept {
  ossl::Pkey pkey = private_pkey(k);
  if (!pkey) return nextip::unexpected(Error::openssl);
  const auto pub = raw_public(pkey.get());
  if (!pub) return nextip::unexpected(pub.error());
  return KeyPair(pkey.release(), *pub);
}

Expected<KeyPair, Error> KeyPair::generate(Rng& rng) noexcept {
  auto k = x25519::generate(rng);
  if (!k) return nextip::unexpected(k.error());
  return from_private(*k);
}

KeyPair::KeyPair(KeyPair&& o) noexcept : pkey_(std::exchange(o.pkey_, nullptr)), pub_(o.pub_) {}

KeyPair& KeyPair::operator=(KeyPair&& o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(o.pkey_, nullptr);
    pub_ = o.pub_;
  }
  return *this;
}

KeyPair::~KeyPair() {
  EVP_PKEY_free(pkey_);
}

Expected<SharedSecret, Error> KeyPair::shared_secret(const PublicKey& peer) const noexcept {
  return derive(pkey_, peer);
}

Expected<PrivateKey, Error> generate(Rng& rng) noexcept {
  PrivateKey k;
  if (auto r = rng.fill(k.mut_span()); !r) return nextip::unexpected(r.error());
  return k;
}

Expected<PublicKey, Error> public_key(const PrivateKey& k) noexcept {
  const ossl::Pkey pkey = private_pkey(k);
  if (!pkey) return nextip::unexpected(Error::openssl);
  return raw_public(pkey.get());
}

Expected<SharedSecret, Error> shared_secret(const PrivateKey& k, const PublicKey& peer) noexcept {
  const ossl::Pkey mine = private_pkey(k);
  if (!mine) return nextip::unexpected(Error::openssl);
  return derive(mine.get(), peer);
}

}  // namespace nextip::crypto::x25519

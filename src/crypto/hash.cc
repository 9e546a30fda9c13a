#include "crypto/hash.h"

#include <openssl/evp.h>

#include <utility>

#include "crypto/ossl.h"

namespace nextip::crypto {

namespace detail {
const EVP_MD* md_of(HashAlgo algo) noexcept {
  switch (algo) {
    case HashAlgo::sha3_256: return ossl::sha3_256();
    case HashAlgo::sha3_512: return ossl::sha3_512();
    case HashAlgo::shake128: return ossl::shake128();
    case HashAlgo::shake256: return ossl::shake256();
  }
  return nullptr;
}
}  // namespace detail

Expected<Digest, Error> Digest::create(HashAlgo algo) noexcept {
  const EVP_MD* md = detail::md_of(algo);
  if (md == nullptr) return nextip::unexpected(Error::openssl);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return nextip::unexpected(Error::out_of_memory);
  if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    return nextip::unexpected(Error::openssl);
  }
  return Digest(ctx, algo);
}

Digest::Digest(Digest&& o) noexcept : ctx_(std::exchange(o.ctx_, nullptr)), algo_(o.algo_) {}

Digest& Digest::operator=(Digest&& o) noexcept {
  if (this != &o) {
    EVP_MD_CTX_free(ctx_);
    ctx_ = std::exchange(o.ctx_, nullptr);
    algo_ = o.algo_;
  }
  return *this;
}

// EVP_MD_CTX_free clears the sponge state (the SHA-3 provider frees it with
// OPENSSL_clear_free).
Digest::~Digest() {
  EVP_MD_CTX_free(ctx_);
}

Expected<void, Error> Digest::update(Bytes data) noexcept {
  if (data.empty()) return {};
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) return nextip::unexpected(Error::openssl);
  return {};
}

Expected<void, Error> Digest::final(MutBytes out) noexcept {
  const std::size_t fixed = digest_size(algo_);
  int ok = 0;
  if (fixed != 0) {
    if (out.size() != fixed) return nextip::unexpected(Error::bad_length);
    unsigned int len = 0;
    ok = EVP_DigestFinal_ex(ctx_, reinterpret_cast<unsigned char*>(out.data()), &len);
  } else {
    ok = out.empty() ? 1 : EVP_DigestFinalXOF(ctx_, reinterpret_cast<unsigned char*>(out.data()), out.size());
  }
  // Re-initialising replaces the finished (invertible) sponge state.
  const bool reinit = EVP_DigestInit_ex2(ctx_, nullptr, nullptr) == 1;
  if (ok != 1 || !reinit) return nextip::unexpected(Error::openssl);
  return {};
}

Expected<void, Error> Digest::reset() noexcept {
  if (EVP_DigestInit_ex2(ctx_, nullptr, nullptr) != 1) return nextip::unexpected(Error::openssl);
  return {};
}

Expected<void, Error> hash(HashAlgo algo, std::initializer_list<Bytes> parts, MutBytes out) noexcept {
  auto d = Digest::create(algo);
  if (!d) return nextip::unexpected(d.error());
  for (Bytes p : parts) {
    if (auto r = d->update(p); !r) return r;
  }
  return d->final(out);
}

}  // namespace nextip::crypto

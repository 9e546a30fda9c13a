// X25519 (RFC 7748) through OpenSSL's EVP_PKEY interface: key generation from the
// injected Rng, public key from private key, and Diffie-Hellman with the all-zero
// output check of RFC 7748 §6.1 (a low-order peer key is an error, never a key).
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstddef>

#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/rng.h"
#include "crypto/secure.h"

namespace nextip::crypto::x25519 {

inline constexpr std::size_t kKeySize = 32;

using PrivateKey = SecretBytes<kKeySize>;  // the 32 random bytes; clamping is X25519's own
using PublicKey = std::array<std::byte, kKeySize>;
using SharedSecret = SecretBytes<kKeySize>;

// A private key held inside OpenSSL with its public key, for the handshake: OpenSSL
// computes the public key when it imports a private key, so holding the imported key
// makes keygen + DH two scalar multiplications instead of three (the free functions
// below import on every call). Move-only; OpenSSL clears the key when it is freed.
class KeyPair {
 public:
  [[nodiscard]] static Expected<KeyPair, Error> generate(Rng& rng) noexcept;
  [[nodiscard]] static Expected<KeyPair, Error> from_private(const PrivateKey& k) noexcept;
  KeyPair(KeyPair&& o) noexcept;
  KeyPair& operator=(KeyPair&& o) noexcept;
  KeyPair(const KeyPair&) = delete;
  KeyPair& operator=(const KeyPair&) = delete;
  ~KeyPair();

  [[nodiscard]] const PublicKey& public_key() const noexcept { return pub_; }
  // X25519(k, peer); Error::x25519_all_zero when the result is all zero.
  [[nodiscard]] Expected<SharedSecret, Error> shared_secret(const PublicKey& peer) const noexcept;

 private:
  KeyPair(EVP_PKEY* pkey, const PublicKey& pub) noexcept : pkey_(pkey), pub_(pub) {}
  EVP_PKEY* pkey_ = nullptr;
  PublicKey pub_{};
};

// 32 bytes from `rng`.
[[nodiscard]] Expected<PrivateKey, Error> generate(Rng& rng) noexcept;
// X25519(k, 9).
[[nodiscard]] Expected<PublicKey, Error> public_key(const PrivateKey& k) noexcept;
// X25519(k, peer); Error::x25519_all_zero when the result is all zero.
[[nodiscard]] Expected<SharedSecret, Error> shared_secret(const PrivateKey& k, const PublicKey& peer) noexcept;

}  // namespace nextip::crypto::x25519

// AEAD (RFC 5116) for IPv4.5 DATA packets (003 §10.4): AES-256-GCM and
// ChaCha20-Poly1305 (RFC 8439), 256-bit key, 96-bit nonce, 16-byte tag appended to the
// ciphertext.
//
// An Aead owns one EVP_CIPHER_CTX per direction with the key schedule done once, so
// seal() and open() allocate nothing: each call only sets the nonce. Not thread-safe:
// one Aead per worker. The caller guarantees nonce uniqueness (003 §13.3 "MUST NOT
// reuse AEAD nonces"): this class cannot see the sequence numbers.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"

namespace nextip::crypto {

using base::Bytes;
using base::MutBytes;

// Values are the IPv4.5 cipher suite codes (003 §10.4, Table "IPv4.5 Cipher Suites").
enum class AeadSuite : std::uint8_t { aes256_gcm = 0x01, chacha20_poly1305 = 0x02 };
[[nodiscard]] std::string_view name(AeadSuite s) noexcept;

class Aead {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  using Key = std::span<const std::byte, kKeySize>;
  using Nonce = std::span<const std::byte, kNonceSize>;

  // Copies the key into OpenSSL's context (wiped by OpenSSL when the Aead dies).
  [[nodiscard]] static Expected<Aead, Error> create(AeadSuite suite, Key key) noexcept;
  Aead(Aead&& o) noexcept;
  Aead& operator=(Aead&& o) noexcept;
  Aead(const Aead&) = delete;
  Aead& operator=(const Aead&) = delete;
  ~Aead();

  [[nodiscard]] AeadSuite suite() const noexcept { return suite_; }

  // out = ciphertext ‖ tag; out.size() must be plaintext.size() + kTagSize. out may
  // start at plaintext.data() (in place) but must not overlap it otherwise.
  [[nodiscard]] Expected<void, Error> seal(Nonce nonce, Bytes aad, Bytes plaintext, MutBytes out) noexcept;
  // in = ciphertext ‖ tag; out.size() must be in.size() - kTagSize (in place allowed
  // as for seal). Error::aead_auth on any mismatch, and then out is wiped.
  [[nodiscard]] Expected<void, Error> open(Nonce nonce, Bytes aad, Bytes in, MutBytes out) noexcept;

 private:
  Aead(AeadSuite suite, EVP_CIPHER_CTX* enc, EVP_CIPHER_CTX* dec) noexcept : suite_(suite), enc_(enc), dec_(dec) {}
  AeadSuite suite_;
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace nextip::crypto

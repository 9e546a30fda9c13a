// crypto::Error: why a crypto-layer call failed. One X-macro list gives the enum,
// name() (a stable identifier, for logs and --json) and describe() (for people).
// Every fallible call returns Expected<T, Error>; nothing below the daemons throws.
#pragma once

#include <cstdint>
#include <string_view>

namespace nextip::crypto {

#define NEXTIP_CRYPTO_ERRORS(X)                                                                           \
  X(openssl, "an OpenSSL call failed (allocation or provider error)")                                     \
  X(rng, "the random number generator failed")                                                            \
  X(bad_length, "an input or output buffer has the wrong length")                                         \
  X(x25519_all_zero, "X25519 shared secret is all zero: the peer sent a low-order point (RFC 7748 §6.1)") \
  X(aead_auth, "AEAD authentication failed: wrong key, nonce, associated data, ciphertext or tag")        \
  X(mlkem_ek_modulus, "ML-KEM encapsulation key fails the modulus check (FIPS 203 §7.2)")                 \
  X(mlkem_dk_hash, "ML-KEM decapsulation key fails the hash check H(ek) (FIPS 203 §7.3)")                 \
  X(xof_state, "XOF absorb after squeeze (call reset() first)")                                           \
  X(out_of_memory, "out of memory")

enum class Error : std::uint8_t {
#define NEXTIP_X(name, text) name,
  NEXTIP_CRYPTO_ERRORS(NEXTIP_X)
#undef NEXTIP_X
};

// "aead_auth", "mlkem_ek_modulus", ...
[[nodiscard]] std::string_view name(Error e) noexcept;
// One sentence that says what was wrong.
[[nodiscard]] std::string_view describe(Error e) noexcept;

}  // namespace nextip::crypto

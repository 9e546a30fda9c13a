// HKDF with SHA-256 (RFC 5869) through OpenSSL's EVP_KDF "HKDF": extract, expand, and
// the one-shot extract-then-expand the IPv4.5 key schedule uses (003 §10.3):
//   tx_key = HKDF-SHA-256(ikm, salt, "IPv4.5-C2S-KEY-v1", 32)
#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/secure.h"

namespace nextip::crypto::hkdf {

inline constexpr std::size_t kHashSize = 32;
inline constexpr std::size_t kMaxOutput = 255 * kHashSize;  // RFC 5869 §2.3

using Prk = SecretBytes<kHashSize>;

// PRK = HMAC-SHA-256(salt, ikm). An empty salt means HashLen zero bytes (§2.2).
[[nodiscard]] Expected<Prk, Error> extract(Bytes salt, Bytes ikm) noexcept;
// OKM = T(1) ‖ T(2) ‖ … truncated to okm.size() (1..kMaxOutput, else Error::bad_length).
// prk.size() must be at least kHashSize (§2.3). On error okm is wiped.
[[nodiscard]] Expected<void, Error> expand(Bytes prk, Bytes info, MutBytes okm) noexcept;
// expand(extract(salt, ikm), info, okm), without the PRK leaving OpenSSL.
[[nodiscard]] Expected<void, Error> derive(Bytes salt, Bytes ikm, Bytes info, MutBytes okm) noexcept;

}  // namespace nextip::crypto::hkdf

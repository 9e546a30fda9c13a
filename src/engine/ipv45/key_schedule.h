// The IPv4.5 key schedule (003 "Key Derivation"; docs/wire/ipv45.md "Key schedule"):
//
//   ikm  = X25519 secret ‖ ML-KEM secret [‖ extra]        extra: the PSK (initial
//   salt = initiator nonce ‖ responder nonce                handshake in PSK mode) or the
//   PRK  = HKDF-Extract(salt, ikm)                          previous epoch's chain secret
//   c2s  = HKDF-Expand(PRK, "IPv4.5-C2S-KEY-v1", 32)        (rekey); empty in anonymous mode
//   s2c  = HKDF-Expand(PRK, "IPv4.5-S2C-KEY-v1", 32)
//   confirm = HKDF-Expand(PRK, "IPv4.5-CONFIRM-v1", 32)   nextip: Server Hello transcript MAC
//   chain   = HKDF-Expand(PRK, "IPv4.5-CHAIN-v1", 32)     nextip: input of the next rekey
//
// With extra empty, c2s and s2c are exactly the draft's
// HKDF-SHA-256(ikm, salt, label, 32). Every secret is a SecretBytes (wiped on
// destruction); intermediate buffers are wiped on every path.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/secure.h"

namespace nextip::ipv45::keys {

using base::Bytes;
using Key = crypto::SecretBytes<32>;
using Mac = std::array<std::byte, 32>;

inline constexpr std::size_t kKeyLen = 32;
inline constexpr std::size_t kNonceLen = 32;
inline constexpr std::size_t kSharedLen = 32;
inline constexpr std::size_t kMaxExtra = 32;

inline constexpr std::string_view kC2sLabel = "IPv4.5-C2S-KEY-v1";      // 003
inline constexpr std::string_view kS2cLabel = "IPv4.5-S2C-KEY-v1";      // 003
inline constexpr std::string_view kConfirmLabel = "IPv4.5-CONFIRM-v1";  // nextip (IPV45-22)
inline constexpr std::string_view kChainLabel = "IPv4.5-CHAIN-v1";      // nextip (IPV45-25)
inline constexpr std::string_view kPskMacLabel = "IPv4.5-PSK-MAC-v1";   // nextip (IPV45-23)

struct EpochSecrets {
  Key c2s;      // client-to-server AEAD key (the session's client, whoever started a rekey)
  Key s2c;      // server-to-client AEAD key
  Key confirm;  // Server Hello transcript MAC key (initial handshake only)
  Key chain;    // carried into the next epoch's ikm
};

// x25519 and mlkem: 32 bytes each; nonces: 32 bytes each; extra: 0..32 bytes.
// Error::bad_length otherwise.
[[nodiscard]] Expected<EpochSecrets, crypto::Error> derive(Bytes x25519, Bytes mlkem, Bytes extra,
                                                           Bytes initiator_nonce, Bytes responder_nonce) noexcept;

// The key of the PSK Client Hello MAC: HKDF-SHA-256(ikm = psk, salt = "", "IPv4.5-PSK-MAC-v1", 32).
[[nodiscard]] Expected<Key, crypto::Error> psk_mac_key(Bytes psk) noexcept;

// HMAC-SHA-256(key, message), computed as HKDF-Extract(salt = key, ikm = message), which
// is HMAC by definition (RFC 5869 §2.2). key: 1..64 bytes.
[[nodiscard]] Expected<Mac, crypto::Error> hmac(Bytes key, Bytes message) noexcept;

}  // namespace nextip::ipv45::keys

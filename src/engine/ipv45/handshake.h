// The hybrid handshake (003 "Hybrid Post-Quantum Handshake", "Handshake Message
// Formats", "Identity Plane"; docs/wire/ipv45.md "Handshake transcript", "PSK").
//
//   InitiatorShare  the sender of a Client Hello: nonce, X25519 key pair, ML-KEM-768 key
//                   pair; finish() combines them with the Server Hello's share.
//   respond()       the receiver: nonce, X25519 key pair, ML-KEM encapsulation.
// Both compute keys only after *both* component operations succeeded (003 crypto-kdf):
// an all-zero X25519 result or an ML-KEM input-check failure is an error, never a key.
//
// The initial handshake adds what the draft leaves open (decisions IPV45-22, IPV45-23):
//   * the Server Hello ends with TLV 0x05, HMAC-SHA-256(confirm, transcript), where
//     transcript = CH header identity ‖ CH signed part ‖ SH header identity ‖ SH signed
//     part; header identity = fixed-header bytes 6..24 (Flow Label, both Site IDs and
//     EIDs); a signed part = the body before its MAC/cookie TLVs. It confirms the keys
//     and binds every Client Hello byte (suite list included) to them;
//   * in PSK mode the Client Hello carries TLV 0x01 (identity) and ends with TLV 0x05,
//     HMAC-SHA-256(psk_mac_key(psk), CH header identity ‖ CH signed part), checked by the
//     responder before any key exchange work; the PSK is also the `extra` input of the
//     key schedule, so keys need both the PSK and the ephemeral secrets;
//   * a cookie (TLV 0x02) is always the very last TLV and outside every MAC, so that a
//     Client Hello resent with a cookie keeps its transcript.
// Rekey messages are the same bodies without TLVs, sealed in the session (record.h).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/expected.h"
#include "crypto/kem.h"
#include "crypto/rng.h"
#include "crypto/secure.h"
#include "crypto/x25519.h"
#include "engine/ipv45/errors.h"
#include "engine/ipv45/key_schedule.h"
#include "wire/ipv45/messages.h"

namespace nextip::ipv45 {

inline constexpr std::size_t kMlkemDkLen = 2400;
inline constexpr std::size_t kHeaderIdentityOffset = field::kFlowLabel;                // 6
inline constexpr std::size_t kHeaderIdentityLen = kHeaderLen - kHeaderIdentityOffset;  // 18
using HeaderIdentity = std::array<std::byte, kHeaderIdentityLen>;

// Bytes 6..24 of a fixed header.
[[nodiscard]] HeaderIdentity header_identity(base::Bytes header) noexcept;

// Why a handshake message was refused (each has its own counter in the Endpoint).
enum class HsFail : std::uint8_t { malformed, key_exchange, transcript_mac, suite, crypto };

class InitiatorShare {
 public:
  [[nodiscard]] static Expected<std::unique_ptr<InitiatorShare>, SessionError> generate(crypto::Rng& rng,
                                                                                        crypto::Kem& kem) noexcept;
  [[nodiscard]] std::span<const std::byte, handshake::kNonceLen> nonce() const noexcept { return nonce_; }
  [[nodiscard]] const crypto::x25519::PublicKey& x25519() const noexcept { return x_.public_key(); }
  [[nodiscard]] std::span<const std::byte, handshake::kMlkemEkLen> ek() const noexcept { return ek_; }
  // Keys from the responder's X25519 key, ML-KEM ciphertext and nonce; extra as in
  // keys::derive (the PSK or the previous epoch's chain secret).
  [[nodiscard]] Expected<keys::EpochSecrets, HsFail> finish(crypto::Kem& kem, base::Bytes peer_x25519, base::Bytes ct,
                                                            base::Bytes responder_nonce,
                                                            base::Bytes extra) const noexcept;

  explicit InitiatorShare(crypto::x25519::KeyPair x) noexcept : x_(std::move(x)) {}

 private:
  crypto::x25519::KeyPair x_;
  std::array<std::byte, handshake::kNonceLen> nonce_{};
  std::array<std::byte, handshake::kMlkemEkLen> ek_{};
  crypto::SecretBytes<kMlkemDkLen> dk_;
};

struct ResponderShare {
  std::array<std::byte, handshake::kNonceLen> nonce{};
  crypto::x25519::PublicKey x25519{};
  std::array<std::byte, handshake::kMlkemCtLen> ct{};
  keys::EpochSecrets secrets;
};

[[nodiscard]] Expected<ResponderShare, HsFail> respond(crypto::Rng& rng, crypto::Kem& kem, base::Bytes peer_x25519,
                                                       base::Bytes ek, base::Bytes initiator_nonce,
                                                       base::Bytes extra) noexcept;

// A received Client Hello with its TLVs sorted out (TLV order rules above).
struct ClientHelloParts {
  ClientHello hello;
  base::Bytes signed_part;
  base::Bytes psk_identity;  // TLV 0x01 value, empty when absent
  base::Bytes mac;           // TLV 0x05 value (32 bytes), empty when absent
  base::Bytes cookie;        // TLV 0x02 value, empty when absent
};
[[nodiscard]] WireResult<ClientHelloParts> inspect_client_hello(base::Bytes body) noexcept;

struct ServerHelloParts {
  ServerHello hello;
  base::Bytes signed_part;
  base::Bytes mac;  // the last TLV, 0x05, 32 bytes (required)
};
[[nodiscard]] WireResult<ServerHelloParts> inspect_server_hello(base::Bytes body) noexcept;

// The initiator of a session.
class ClientHandshake {
 public:
  struct Params {
    IdentityType identity = IdentityType::anonymous;
    std::array<CipherSuite, 2> suites{CipherSuite::aes256gcm, CipherSuite::chacha20poly1305};
    std::vector<std::byte> psk_identity;         // PSK mode
    std::optional<crypto::SecretBytes<32>> psk;  // PSK mode
    HeaderIdentity header{};                     // of the Client Hello this session sends
  };
  struct Result {
    keys::EpochSecrets secrets;
    CipherSuite suite = CipherSuite::none;
    base::u16 session_id = 0;
  };

  [[nodiscard]] static Expected<std::unique_ptr<ClientHandshake>, SessionError> start(crypto::Rng& rng,
                                                                                      crypto::Kem& kem,
                                                                                      Params p) noexcept;
  // The Client Hello body to send (with the cookie, once one was set).
  [[nodiscard]] base::Bytes body() const noexcept { return body_; }
  [[nodiscard]] std::span<const std::byte, handshake::kNonceLen> nonce() const noexcept { return share_->nonce(); }
  // Appends (or replaces) the cookie TLV; the signed part does not change.
  void set_cookie(base::Bytes cookie);
  // Checks a Server Hello (suite offered, session ID non-zero, transcript MAC) and
  // derives epoch 0.
  [[nodiscard]] Expected<Result, HsFail> finish(crypto::Kem& kem, const ServerHelloParts& sh,
                                                const HeaderIdentity& sh_header) const noexcept;

 private:
  ClientHandshake(std::unique_ptr<InitiatorShare> share, Params p) noexcept
      : share_(std::move(share)), p_(std::move(p)) {}
  std::unique_ptr<InitiatorShare> share_;
  Params p_;
  std::vector<std::byte> body_;
  std::size_t signed_len_ = 0;
  std::size_t mac_len_ = 0;  // the PSK MAC TLV after the signed part
};

// The responder's side of the initial handshake: key exchange, then the Server Hello
// body with its transcript MAC. `psk` is empty in anonymous mode.
struct ServerHelloOut {
  std::vector<std::byte> body;
  keys::EpochSecrets secrets;
};
[[nodiscard]] Expected<ServerHelloOut, HsFail> answer_client_hello(
    crypto::Rng& rng, crypto::Kem& kem, const ClientHelloParts& ch, const HeaderIdentity& ch_header,
    const HeaderIdentity& sh_header, CipherSuite selected, base::u16 session_id, base::Bytes psk) noexcept;

// PSK mode: whether the Client Hello's MAC verifies under `psk` (constant time).
[[nodiscard]] bool verify_client_mac(base::Bytes psk, const ClientHelloParts& ch,
                                     const HeaderIdentity& ch_header) noexcept;

// Rekey bodies (no TLVs), to be sealed under the current epoch.
[[nodiscard]] std::vector<std::byte> rekey_client_hello(const InitiatorShare& s, CipherSuite suite,
                                                        IdentityType identity);
[[nodiscard]] std::vector<std::byte> rekey_server_hello(const ResponderShare& s, CipherSuite suite,
                                                        base::u16 session_id);

}  // namespace nextip::ipv45

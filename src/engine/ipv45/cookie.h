// The stateless cookie exchange (003 "Denial-of-Service Considerations": "SHOULD employ
// a lightweight proof-of-work or cookie mechanism"; docs/wire/ipv45.md "Cookie
// challenge", decision IPV45-24).
//
// Under load the responder answers a Client Hello that carries no valid cookie with a
// small Cookie Challenge (HANDSHAKE Subtype 0x03) and keeps no state. The client resends
// the same Client Hello with the cookie in TLV 0x02. The cookie is
//   timestamp (4, seconds) ‖ HMAC-SHA-256(secret, timestamp ‖ locator ‖ port ‖
//       src site ‖ src EID ‖ dst site ‖ dst EID ‖ client nonce)[0:16]
// so it proves that the sender receives packets at its claimed Locator and port: a
// spoofed flood never gets past one HMAC, and costs no ML-KEM or X25519 work. Secrets
// come from the injected Rng and rotate every `rotate_every`; a cookie is valid for
// `lifetime` after it was minted, under the secret that was current then.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "base/expected.h"
#include "base/time.h"
#include "crypto/rng.h"
#include "crypto/secure.h"
#include "engine/ipv45/output.h"
#include "wire/ipv45/messages.h"

namespace nextip::ipv45 {

namespace cookie {
inline constexpr std::size_t kLen = 20;     // what nextip mints
inline constexpr std::size_t kMaxLen = 64;  // what a client accepts and echoes
inline constexpr std::size_t kMacLen = 16;
inline constexpr std::size_t kChallengeFixedLen = 36;
}  // namespace cookie

// HANDSHAKE Subtype 0x03 body: Subtype (1) ‖ Reserved (1, zero) ‖ Cookie Length (2) ‖
// Client Random Nonce (32, echoed) ‖ Cookie (1..64). Trailing bytes are ignored.
struct CookieChallenge {
  std::span<const std::byte, handshake::kNonceLen> nonce{kZeros.data(), handshake::kNonceLen};
  base::Bytes cookie;

  [[nodiscard]] static WireResult<CookieChallenge> parse(base::Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return cookie::kChallengeFixedLen + cookie.size(); }
  void emit(base::MutBytes buf) const noexcept;
};

// What a cookie is bound to.
struct CookieBinding {
  PeerAddr from;
  base::u16 src_site = 0;
  base::u64 src_eid = 0;
  base::u16 dst_site = 0;
  base::u64 dst_eid = 0;
  std::span<const std::byte, handshake::kNonceLen> client_nonce{kZeros.data(), handshake::kNonceLen};
};

class CookieJar {
 public:
  explicit CookieJar(base::Duration rotate_every = base::seconds(120),
                     base::Duration lifetime = base::seconds(120)) noexcept
      : rotate_every_(rotate_every), lifetime_(lifetime) {}

  // Writes a cookie for `b`, rotating the secret first when it is due.
  [[nodiscard]] Expected<void, crypto::Error> mint(base::Instant now, crypto::Rng& rng, const CookieBinding& b,
                                                   std::span<std::byte, cookie::kLen> out) noexcept;
  // Whether `cookie` was minted by this jar for `b` no longer than `lifetime` ago.
  [[nodiscard]] bool verify(base::Instant now, const CookieBinding& b, base::Bytes cookie) const noexcept;

 private:
  struct Secret {
    crypto::SecretBytes<32> key;
    base::u32 since = 0;  // seconds
    bool set = false;
  };
  [[nodiscard]] static Expected<std::array<std::byte, cookie::kMacLen>, crypto::Error> mac(
      const Secret& s, base::u32 ts, const CookieBinding& b) noexcept;

  base::Duration rotate_every_;
  base::Duration lifetime_;
  Secret current_, previous_;
};

}  // namespace nextip::ipv45

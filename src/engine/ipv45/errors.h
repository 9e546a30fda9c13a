// SessionError: why a call into the IPv4.5 session engine was refused. One X-macro list
// gives the enum, name() (stable, for logs and --json) and describe() (for people).
// The engine returns these as values (STYLE rule 2); nothing here throws.
#pragma once

#include <cstdint>
#include <string_view>

namespace nextip::ipv45 {

#define NEXTIP_IPV45_SESSION_ERRORS(X)                                                                      \
  X(unknown_session, "no such session (closed, or a stale handle)")                                         \
  X(not_established, "the session's handshake has not completed")                                           \
  X(sequence_exhausted, "the key epoch's sequence numbers are used up; DATA waits for the rekey")           \
  X(key_expired, "the key epoch is older than rekey-after-time plus grace and the rekey has not completed") \
  X(too_large, "the packet exceeds the largest packet the engine sends (64 KiB, or the reassembly limit)")  \
  X(output_full, "the caller's output buffers have no room for the packets of this call")                   \
  X(identity_unsupported, "X.509 and DID identities are not implemented yet (anonymous and PSK are)")       \
  X(psk_unknown, "no pre-shared key is configured under this identity")                                     \
  X(session_limit, "the endpoint already holds max_sessions sessions")                                      \
  X(not_listening, "the endpoint has no listening EID")                                                     \
  X(bad_config, "the configuration is inconsistent (see EndpointConfig)")                                   \
  X(crypto, "a cryptographic operation failed (RNG, X25519, ML-KEM, HKDF or AEAD)")

enum class SessionError : std::uint8_t {
#define NEXTIP_X(name, text) name,
  NEXTIP_IPV45_SESSION_ERRORS(NEXTIP_X)
#undef NEXTIP_X
};

[[nodiscard]] std::string_view name(SessionError e) noexcept;
[[nodiscard]] std::string_view describe(SessionError e) noexcept;

}  // namespace nextip::ipv45

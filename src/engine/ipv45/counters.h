// Counters of the IPv4.5 session engine: every drop reason has its own counter (STYLE,
// "every drop reason its own counter"), plus what was sent and what happened. One
// X-macro list gives the struct fields, the stable names (Prometheus-style, for the
// metrics endpoint) and one line of help text each.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nextip::ipv45 {

#define NEXTIP_IPV45_COUNTERS(X)                                                                           \
  /* received and delivered */                                                                             \
  X(rx_packets, "IPv4.5 packets handed to receive()")                                                      \
  X(rx_fragments, "fragments received (Fragmentation header present)")                                     \
  X(rx_data, "DATA packets authenticated and delivered")                                                   \
  X(rx_data_bytes, "plaintext bytes delivered")                                                            \
  /* drops: framing and addressing */                                                                      \
  X(drop_malformed, "fixed header, extension chain or message body does not parse")                        \
  X(drop_not_for_us, "destination Site ID / EID is neither the listening EID nor a live eNID")             \
  X(drop_ext_unsupported, "generic extension headers (the session engine accepts only Fragmentation)")     \
  X(drop_unprotected, "DATA or KEEPALIVE without E: sessions carry them only protected")                   \
  X(drop_control, "CONTROL messages (ELMS, INP, mobility are not handled by the session engine)")          \
  /* drops: fragmentation and reassembly */                                                                \
  X(drop_frag_malformed, "fragment length not a multiple of 8, beyond the size limit, or header mismatch") \
  X(drop_frag_overlap, "fragment overlaps another of its set: the whole set is discarded")                 \
  X(drop_frag_too_many, "more fragments in one set than allowed: the set is discarded")                    \
  X(reassembly_timeout, "incomplete fragment set discarded after the 60 s reassembly timeout")             \
  X(reassembly_evicted, "oldest incomplete fragment set discarded to make room (memory bound)")            \
  X(reassembled, "packets reassembled from fragments")                                                     \
  /* handshake: responder */                                                                               \
  X(rx_client_hello, "Client Hellos received (reassembled)")                                               \
  X(drop_hs_rate_limited, "Client Hello dropped: the new-session token bucket is empty")                   \
  X(drop_cookie_invalid, "Client Hello with a cookie that does not verify (forged, expired or rebound)")   \
  X(cookie_challenges_sent, "stateless cookie challenges sent instead of doing key exchange work")         \
  X(drop_psk_unknown, "PSK identity not configured: ERROR AUTH_FAILED sent")                               \
  X(drop_psk_mac, "PSK Client Hello MAC does not verify (wrong PSK): ERROR AUTH_FAILED sent")              \
  X(drop_identity_unsupported, "X.509 or DID identity requested: ERROR AUTH_FAILED sent")                  \
  X(drop_no_common_suite, "no cipher suite in common: ERROR UNSPECIFIED sent")                             \
  X(drop_session_limit, "Client Hello dropped: max_sessions reached")                                      \
  X(hs_duplicate, "duplicate Client Hello answered with the cached Server Hello (no new key exchange)")    \
  X(half_open_expired, "responder sessions never confirmed by the client, discarded")                      \
  /* handshake: initiator */                                                                               \
  X(drop_hs_unexpected, "handshake message for no pending handshake, or in the wrong state")               \
  X(drop_transcript_mac, "Server Hello transcript MAC does not verify (tampered, or wrong PSK)")           \
  X(drop_key_exchange, "X25519 all-zero result, ML-KEM input check failure, or bad suite/session ID")      \
  X(cookies_received, "cookie challenges accepted (Client Hello resent with the cookie)")                  \
  X(hs_retransmits, "Client Hello retransmissions")                                                        \
  X(handshake_timeouts, "handshakes abandoned after the last retransmission")                              \
  X(sessions_established, "sessions whose handshake completed")                                            \
  /* records */                                                                                            \
  X(drop_unknown_session, "protected packet for no session (session ID / EID unknown)")                    \
  X(drop_reserved, "protected container with reserved bits set")                                           \
  X(drop_no_key, "key phase names no installed key epoch")                                                 \
  X(drop_replay, "sequence number already received in this key epoch")                                     \
  X(drop_too_old, "sequence number behind the replay window")                                              \
  X(drop_aead, "AEAD authentication failed (tampered, forged or wrong key)")                               \
  X(drop_wrong_peer, "protected packet whose source Site/EID is not the session's peer")                   \
  /* rekey */                                                                                              \
  X(rekeys_started, "in-session rekeys initiated")                                                         \
  X(rekeys_completed, "key epochs promoted to sending")                                                    \
  X(rekey_retransmits, "rekey Client Hello retransmissions")                                               \
  X(rekey_collisions, "simultaneous rekeys resolved (the client's wins)")                                  \
  X(drop_rekey_stale, "rekey message sealed under an old epoch, or for a finished rekey")                  \
  X(epochs_retired, "previous key epochs wiped after their grace time")                                    \
  X(sessions_rekey_failed, "sessions closed because a rekey did not complete in time")                     \
  /* keepalive, echo, error */                                                                             \
  X(keepalives_sent, "protected KEEPALIVEs sent")                                                          \
  X(keepalives_received, "protected KEEPALIVEs received")                                                  \
  X(echo_replies_sent, "ECHO replies sent")                                                                \
  X(errors_sent, "ERROR messages sent")                                                                    \
  X(errors_received, "ERROR messages received and reported")                                               \
  X(drop_error_unmatched, "ERROR whose quoted packet matches no session or handshake (ignored)")           \
  X(sessions_closed_idle, "sessions closed after idle_timeout without an authenticated packet")            \
  /* sent */                                                                                               \
  X(tx_packets, "IPv4.5 packets written to the output (fragments count one each)")                         \
  X(tx_fragments, "fragments written")                                                                     \
  X(tx_data, "DATA packets sealed")                                                                        \
  X(drop_output_full, "a packet or event did not fit the caller's output buffers")

struct Counters {
#define NEXTIP_X(name, help) std::uint64_t name = 0;
  NEXTIP_IPV45_COUNTERS(NEXTIP_X)
#undef NEXTIP_X
};

struct CounterInfo {
  std::string_view name;
  std::string_view help;
  std::uint64_t Counters::*field;
};

inline constexpr std::array kCounterInfo = {
#define NEXTIP_X(n, h) CounterInfo{#n, h, &Counters::n},
    NEXTIP_IPV45_COUNTERS(NEXTIP_X)
#undef NEXTIP_X
};

// The sum of every drop_* counter.
[[nodiscard]] std::uint64_t total_drops(const Counters& c) noexcept;

}  // namespace nextip::ipv45

// The IPv4.5 session engine's entry point: one Endpoint per anchor or host, sans-IO
// (STYLE rule 3). It takes received IPv4.5 packets (the UDP payload of Mode C, with the
// outer source Locator and port), application packets to protect, and the time; it
// writes packets to send and typed events into the caller's Output; poll_at() says
// when on_timeout() must run next. No sockets, no clock, no threads; randomness comes
// from the injected Rng; nothing is allocated per DATA packet once a session exists.
//
// What it does (docs/wire/ipv45.md "Session lifecycle"):
//   * initiator: connect() draws a fresh eNID (a 48-bit EID from the Rng, never used
//     before by this endpoint within enid_history sessions), sends the fragmented Client
//     Hello, retransmits it, answers cookie challenges, verifies the Server Hello;
//   * responder (when listen_eid is set): reassembles Client Hellos, demands a cookie
//     under load, checks the identity (anonymous; PSK with its MAC; X.509 and DID refused
//     with ERROR AUTH_FAILED), spends a rate-limiter token, then does the key exchange;
//   * both: protected DATA, KEEPALIVE and ECHO, in-session rekey, ERROR handling.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "crypto/kem.h"
#include "crypto/rng.h"
#include "engine/ipv45/cookie.h"
#include "engine/ipv45/counters.h"
#include "engine/ipv45/errors.h"
#include "engine/ipv45/output.h"
#include "engine/ipv45/rate_limiter.h"
#include "engine/ipv45/reassembly.h"
#include "engine/ipv45/session.h"

namespace nextip::ipv45 {

enum class CookieMode : std::uint8_t {
  automatic,  // demanded when the rate limiter's load reaches cookie_threshold
  always,
  never,
};

struct EndpointConfig {
  base::u16 local_site = 0;
  std::optional<base::u64> listen_eid;  // responder role: the EID Client Hellos are sent to
  // Offered (initiator, in preference order) and accepted (responder). 0x00 = none.
  std::array<CipherSuite, 2> suites{CipherSuite::aes256gcm, CipherSuite::chacha20poly1305};
  std::size_t path_mtu = kMinPathMtu;  // outer IPv4 MTU: packets of at most path_mtu - 28
  SessionConfig session;               // max_packet and max_reassembled are set by create()
  ReassemblyLimits reassembly;
  std::uint32_t handshakes_per_second = 1000;  // 003 sec-dos
  std::uint32_t handshake_burst = 1000;
  CookieMode cookie_mode = CookieMode::automatic;
  std::uint32_t cookie_threshold = 100;  // load (tokens spent, not yet refilled) that demands cookies
  base::Duration cookie_rotation = base::seconds(120);
  base::Duration cookie_lifetime = base::seconds(120);
  std::size_t max_sessions = 4096;
  std::size_t enid_history = 65536;
  bool answer_unprotected_echo = true;
};

struct ConnectParams {
  PeerAddr peer;
  base::u16 peer_site = 0;
  base::u64 peer_eid = 0;
  IdentityType identity = IdentityType::anonymous;
  base::Bytes psk_identity;  // PSK mode: a key added with add_psk()
};

struct SessionInfo {
  Role role = Role::client;
  Session::State state = Session::State::client_handshake;
  CipherSuite suite = CipherSuite::none;
  base::u16 session_id = 0;
  base::u32 epoch = 0;
  base::u64 tx_sequence = 0;
  bool rekey_in_progress = false;
  bool has_previous_epoch = false;
  bool has_next_epoch = false;
  Addressing addressing;
  std::size_t max_packet = 0;
};

class Endpoint {
 public:
  // kem: null selects crypto::make_mlkem768() (tests inject a counting one).
  [[nodiscard]] static Expected<std::unique_ptr<Endpoint>, SessionError> create(
      const EndpointConfig& cfg, crypto::Rng& rng, base::Instant now, std::unique_ptr<crypto::Kem> kem = nullptr);

  // A 32-byte pre-shared key under `identity` (1..255 bytes), for both roles.
  [[nodiscard]] Expected<void, SessionError> add_psk(base::Bytes identity, std::span<const std::byte, 32> key);

  [[nodiscard]] Expected<SessionHandle, SessionError> connect(base::Instant now, const ConnectParams& p,
                                                              Output& out) noexcept;
  // One received IPv4.5 packet (fixed header onward) from `from`.
  void receive(base::Instant now, PeerAddr from, base::Bytes packet, Output& out) noexcept;
  // Protects one upper-layer packet (protocol `next_header`) on an established session.
  [[nodiscard]] Expected<void, SessionError> send(base::Instant now, SessionHandle h, base::u8 next_header,
                                                  base::Bytes plaintext, Output& out) noexcept;
  [[nodiscard]] Expected<void, SessionError> echo(base::Instant now, SessionHandle h, base::u16 identifier,
                                                  base::u32 sequence, base::Bytes data, Output& out) noexcept;
  [[nodiscard]] Expected<void, SessionError> rekey(base::Instant now, SessionHandle h, Output& out) noexcept;
  void close(SessionHandle h) noexcept;

  // Runs every timer that is due. When the Output fills up it stops early and poll_at()
  // stays in the past: call again with a fresh Output.
  void on_timeout(base::Instant now, Output& out) noexcept;
  [[nodiscard]] std::optional<base::Instant> poll_at() const noexcept;

  [[nodiscard]] std::optional<SessionInfo> info(SessionHandle h) const noexcept;
  [[nodiscard]] std::size_t session_count() const noexcept { return live_; }
  [[nodiscard]] const Counters& counters() const noexcept { return c_; }
  [[nodiscard]] const EndpointConfig& config() const noexcept { return cfg_; }
  [[nodiscard]] std::size_t reassembly_in_use() const noexcept { return reasm_.in_use(); }

  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

 private:
  struct Entry {
    std::unique_ptr<Session> session;
    base::u32 generation = 0;
  };
  struct Psk {
    std::vector<std::byte> identity;
    crypto::SecretBytes<32> key;
  };

  Endpoint(const EndpointConfig& cfg, crypto::Rng& rng, base::Instant now, std::unique_ptr<crypto::Kem> kem);
  [[nodiscard]] Context context(base::Instant now, Output& out) noexcept;
  [[nodiscard]] Session* find(SessionHandle h) const noexcept;
  [[nodiscard]] std::optional<base::u32> alloc_slot() noexcept;
  void reap(base::u32 slot) noexcept;
  [[nodiscard]] const Psk* find_psk(base::Bytes identity) const noexcept;
  [[nodiscard]] bool is_listen_address(base::u16 site, base::u64 eid) const noexcept;
  [[nodiscard]] std::optional<base::u32> session_for(base::u16 dst_site, base::u64 dst_eid) const noexcept;
  [[nodiscard]] std::optional<base::u64> fresh_enid() noexcept;
  [[nodiscard]] std::optional<base::u16> fresh_session_id() noexcept;
  [[nodiscard]] base::u16 random16() noexcept;

  void dispatch(Context& ctx, PeerAddr from, base::Bytes packet) noexcept;
  void on_protected(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept;
  void on_handshake(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept;
  void on_client_hello(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept;
  void on_plain_echo(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept;
  void on_error(Context& ctx, const HeaderView<base::Bytes>& h) noexcept;
  // Replies from the packet's destination to its source (ERROR, cookie challenge, ECHO).
  void reply(Context& ctx, PeerAddr to, const HeaderView<base::Bytes>& h, Type t, base::Bytes body) noexcept;
  void send_error(Context& ctx, PeerAddr to, const HeaderView<base::Bytes>& h, ErrorCode code) noexcept;

  EndpointConfig cfg_;
  crypto::Rng& rng_;
  std::unique_ptr<crypto::Kem> kem_;
  Counters c_;
  Reassembler reasm_;
  RateLimiter limiter_;
  CookieJar jar_;
  std::vector<Psk> psks_;
  std::vector<Entry> entries_;
  std::vector<base::u32> free_;
  std::size_t live_ = 0;
  std::unordered_map<base::u64, base::u32> by_enid_;        // client sessions, by our eNID
  std::unordered_map<base::u16, base::u32> by_sid_;         // server sessions, by Session ID
  std::unordered_map<base::u64, base::u32> by_client_eid_;  // server sessions, by the client's EID
  std::unordered_set<base::u64> enid_used_;                 // every eNID of the last enid_history sessions
  std::deque<base::u64> enid_order_;
  base::u32 next_ident_ = 0;
  std::vector<std::byte> scratch_;
};

}  // namespace nextip::ipv45

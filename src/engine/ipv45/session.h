// One IPv4.5 session: its handshake state, record layer, in-session rekey, keepalive and
// timers (docs/wire/ipv45.md "Session lifecycle", "Rekey"). The Endpoint owns sessions,
// demultiplexes packets to them and hands each call a Context; a Session never touches
// another session, a socket or a clock.
//
// States: client_handshake (Client Hello sent; retransmitted with exponential backoff)
//         → established, for the client, when the Server Hello verifies;
//         half_open (Server Hello sent, cached for duplicate Client Hellos)
//         → established, for the server, on the client's first authenticated packet.
// A finished() session has been closed (event emitted, keys wiped); the Endpoint drops it.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "base/time.h"
#include "crypto/kem.h"
#include "crypto/rng.h"
#include "engine/ipv45/counters.h"
#include "engine/ipv45/errors.h"
#include "engine/ipv45/handshake.h"
#include "engine/ipv45/output.h"
#include "engine/ipv45/record.h"

namespace nextip::ipv45 {

struct SessionConfig {
  RecordLimits limits;
  base::Duration handshake_rto = base::seconds(1);  // doubles per retransmission
  int handshake_attempts = 5;                       // Client Hellos sent before giving up
  base::Duration rekey_rto_max = base::seconds(8);
  base::Duration half_open_timeout = base::seconds(30);
  base::Duration keepalive_interval = base::seconds(25);  // zero: no keepalives
  base::Duration idle_timeout = base::seconds(180);
  // The session's server starts time-based rekeys this much later than the client, so
  // that the client normally drives them (collisions are resolved either way).
  base::Duration server_rekey_delay = base::seconds(60);
  // A session whose key is this old without a completed rekey is closed.
  base::Duration rekey_give_up = base::seconds(3600 + 300);
  std::size_t max_packet = kMinModeCPayload + kHeaderLen;  // largest IPv4.5 packet (1252)
  std::size_t max_reassembled = 4096;                      // largest unfragmented packet sent
  int max_cookie_challenges = 4;
};

// What a session may use during one Endpoint call.
struct Context {
  base::Instant now;
  crypto::Rng& rng;
  crypto::Kem& kem;
  Output& out;
  Counters& counters;
  const SessionConfig& cfg;
  base::u32& next_ident;            // Fragmentation Identification, per endpoint
  std::vector<std::byte>& scratch;  // plaintext of protected control messages
};

struct Addressing {
  PeerAddr peer;
  base::u16 local_site = 0;
  base::u64 local_eid = 0;
  base::u16 peer_site = 0;
  base::u64 peer_eid = 0;
  base::u16 flow_label = 0;
};

class Session {
 public:
  enum class State : std::uint8_t { client_handshake, half_open, established };

  // Client: sends the Client Hello.
  [[nodiscard]] static Expected<std::unique_ptr<Session>, SessionError> connect(Context& ctx, SessionHandle h,
                                                                                const Addressing& a,
                                                                                ClientHandshake::Params p) noexcept;
  // Server: installs epoch 0 and sends the Server Hello body `sh_body`.
  [[nodiscard]] static Expected<std::unique_ptr<Session>, SessionError> accept(
      Context& ctx, SessionHandle h, const Addressing& a, IdentityType identity, CipherSuite suite,
      base::u16 session_id, keys::EpochSecrets&& secrets, std::vector<std::byte> sh_body,
      std::span<const std::byte, handshake::kNonceLen> client_nonce) noexcept;

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // --- inbound, already demultiplexed to this session --------------------------------
  // `packet` is unfragmented and checked: fixed header, then the body.
  void on_server_hello(Context& ctx, PeerAddr from, base::Bytes packet) noexcept;
  void on_cookie_challenge(Context& ctx, base::Bytes packet) noexcept;
  // A duplicate of the Client Hello this (half-open) session answered.
  void resend_server_hello(Context& ctx) noexcept;
  // A protected packet (E set) whose container names this session.
  void on_protected(Context& ctx, PeerAddr from, base::Bytes packet) noexcept;
  // An ERROR whose quoted packet is ours. Returns false when it did not match.
  bool on_error(Context& ctx, const Error& e) noexcept;

  // --- outbound -----------------------------------------------------------------------
  [[nodiscard]] Expected<void, SessionError> send_data(Context& ctx, base::u8 next_header,
                                                       base::Bytes plaintext) noexcept;
  [[nodiscard]] Expected<void, SessionError> send_echo(Context& ctx, base::u16 identifier, base::u32 sequence,
                                                       base::Bytes data) noexcept;
  // Starts a rekey now (tests, operators); refused while one is in progress.
  [[nodiscard]] Expected<void, SessionError> rekey(Context& ctx) noexcept;
  void on_timer(Context& ctx) noexcept;
  [[nodiscard]] std::optional<base::Instant> poll_at(const SessionConfig& cfg) const noexcept;
  // Wipes the keys; no event.
  void close() noexcept;

  // --- state ----------------------------------------------------------------------------
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] Role role() const noexcept { return role_; }
  [[nodiscard]] SessionHandle handle() const noexcept { return handle_; }
  [[nodiscard]] const Addressing& addressing() const noexcept { return a_; }
  [[nodiscard]] base::u16 session_id() const noexcept { return session_id_; }
  [[nodiscard]] CipherSuite suite() const noexcept { return suite_; }
  [[nodiscard]] const RecordLayer* record() const noexcept { return record_ ? &*record_ : nullptr; }
  [[nodiscard]] std::span<const std::byte, handshake::kNonceLen> client_nonce() const noexcept { return client_nonce_; }
  [[nodiscard]] bool rekey_in_progress() const noexcept { return rekey_out_.has_value() || rekey_in_.has_value(); }
  [[nodiscard]] std::size_t max_packet() const noexcept { return max_packet_; }

 private:
  Session(SessionHandle h, Role role, const Addressing& a, IdentityType identity, base::Instant now,
          std::size_t max_packet) noexcept
      : handle_(h),
        role_(role),
        a_(a),
        identity_(identity),
        created_(now),
        last_rx_(now),
        last_tx_(now),
        last_ka_request_(now),
        max_packet_(max_packet) {}

  struct RekeyOut {  // we started a rekey
    std::unique_ptr<InitiatorShare> share;
    std::vector<std::byte> body;
    base::Instant next;
    int sent = 0;
  };
  struct RekeyIn {  // we answered one: the Server Hello, for duplicates, until promoted
    std::array<std::byte, handshake::kNonceLen> initiator_nonce;
    std::vector<std::byte> body;
  };

  [[nodiscard]] HeaderRepr header(Type t, base::u8 flags, base::u8 next_header, std::size_t payload) const noexcept;
  [[nodiscard]] bool send_plain(Context& ctx, Type t, base::Bytes body) noexcept;
  [[nodiscard]] Expected<void, SessionError> send_protected(Context& ctx, Type t, base::u8 next_header,
                                                            base::Bytes plaintext, bool control) noexcept;
  void send_client_hello(Context& ctx) noexcept;
  void send_keepalive(Context& ctx, base::u8 flags) noexcept;
  void event(Context& ctx, Event e) const noexcept;
  void finish(Context& ctx, EventKind kind, CloseReason reason, base::u8 code = 0) noexcept;
  void on_rekey_client_hello(Context& ctx, base::Bytes body) noexcept;
  void on_rekey_server_hello(Context& ctx, base::Bytes body) noexcept;
  void start_rekey(Context& ctx) noexcept;
  void maybe_rekey(Context& ctx) noexcept;
  [[nodiscard]] std::optional<base::Instant> rekey_time(const SessionConfig& cfg) const noexcept;

  SessionHandle handle_;
  Role role_;
  State state_ = State::client_handshake;
  Addressing a_;
  IdentityType identity_;
  CipherSuite suite_ = CipherSuite::none;
  base::u16 session_id_ = 0;
  bool finished_ = false;

  // Initial handshake.
  std::unique_ptr<ClientHandshake> hs_;  // client, until established
  int hs_sent_ = 0;
  int cookies_ = 0;
  base::Instant hs_next_;
  std::vector<std::byte> cached_sh_;  // server, until confirmed
  std::array<std::byte, handshake::kNonceLen> client_nonce_{};

  std::optional<RecordLayer> record_;
  std::optional<RekeyOut> rekey_out_;
  std::optional<RekeyIn> rekey_in_;
  std::array<std::byte, handshake::kNonceLen> last_rekey_nonce_{};

  base::Instant created_, last_rx_, last_tx_, last_ka_request_;
  base::u32 keepalive_seq_ = 0;
  std::size_t max_packet_;
};

}  // namespace nextip::ipv45

#include "engine/ipv45/session.h"

#include <algorithm>

#include "engine/ipv45/cookie.h"
#include "engine/ipv45/fragment.h"

namespace nextip::ipv45 {

namespace {

constexpr base::u8 kKaReplyRequested = 0x80;
constexpr base::u8 kKaReply = 0x40;
constexpr std::size_t kMaxPayload = 0xffff;

bool same(base::Bytes a, base::Bytes b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace

// --- construction -----------------------------------------------------------------------

Expected<std::unique_ptr<Session>, SessionError> Session::connect(Context& ctx, SessionHandle h, const Addressing& a,
                                                                  ClientHandshake::Params p) noexcept {
  std::unique_ptr<Session> s(new Session(h, Role::client, a, p.identity, ctx.now, ctx.cfg.max_packet));
  std::array<std::byte, kHeaderLen> hdr{};
  s->header(Type::handshake, 0, ext::kNoNextHeader, 0).emit(hdr);
  p.header = header_identity(hdr);
  auto hs = ClientHandshake::start(ctx.rng, ctx.kem, std::move(p));
  if (!hs) return nextip::unexpected(hs.error());
  s->hs_ = std::move(*hs);
  std::copy(s->hs_->nonce().begin(), s->hs_->nonce().end(), s->client_nonce_.begin());
  s->send_client_hello(ctx);
  return s;
}

Expected<std::unique_ptr<Session>, SessionError> Session::accept(
    Context& ctx, SessionHandle h, const Addressing& a, IdentityType identity, CipherSuite suite, base::u16 session_id,
    keys::EpochSecrets&& secrets, std::vector<std::byte> sh_body,
    std::span<const std::byte, handshake::kNonceLen> client_nonce) noexcept {
  std::unique_ptr<Session> s(new Session(h, Role::server, a, identity, ctx.now, ctx.cfg.max_packet));
  s->state_ = State::half_open;
  s->suite_ = suite;
  s->session_id_ = session_id;
  std::copy(client_nonce.begin(), client_nonce.end(), s->client_nonce_.begin());
  s->record_.emplace(Role::server, session_id, suite, ctx.cfg.limits);
  if (auto r = s->record_->install_initial(std::move(secrets), ctx.now); !r) return nextip::unexpected(r.error());
  s->cached_sh_ = std::move(sh_body);
  // If the output is full the client's retransmission gets the cached Server Hello.
  (void)s->send_plain(ctx, Type::handshake, s->cached_sh_);
  return s;
}

// --- helpers --------------------------------------------------------------------------------

HeaderRepr Session::header(Type t, base::u8 flags, base::u8 next_header, std::size_t payload) const noexcept {
  HeaderRepr h;
  h.type = t;
  h.payload_len = static_cast<base::u16>(payload);
  h.next_header = next_header;
  h.flags = flags;
  h.flow_label = a_.flow_label;
  h.src_site = a_.local_site;
  h.src_eid = a_.local_eid;
  h.dst_site = a_.peer_site;
  h.dst_eid = a_.peer_eid;
  return h;
}

void Session::event(Context& ctx, Event e) const noexcept {
  if (!ctx.out.has_event_room()) {
    ++ctx.counters.drop_output_full;
    return;
  }
  e.session = handle_;
  e.peer = a_.peer;
  ctx.out.push_event(e);
}

void Session::finish(Context& ctx, EventKind kind, CloseReason reason, base::u8 code) noexcept {
  Event e;
  e.kind = kind;
  e.reason = reason;
  e.error_code = code;
  event(ctx, e);
  close();
}

void Session::close() noexcept {
  finished_ = true;
  hs_.reset();
  record_.reset();  // Aead contexts freed (OpenSSL cleanses them), chain secrets wiped
  rekey_out_.reset();
  rekey_in_.reset();
  cached_sh_.clear();
}

bool Session::send_plain(Context& ctx, Type t, base::Bytes body) noexcept {
  const std::size_t len = kHeaderLen + body.size();
  const base::MutBytes space = ctx.out.space();
  if (body.size() > kMaxPayload || space.size() < len) {
    ++ctx.counters.drop_output_full;
    return false;
  }
  header(t, 0, ext::kNoNextHeader, body.size()).emit(space);
  std::copy(body.begin(), body.end(), space.begin() + kHeaderLen);
  if (!transmit(ctx.out, ctx.counters, a_.peer, len, max_packet_, ctx.next_ident)) return false;
  last_tx_ = ctx.now;
  return true;
}

Expected<void, SessionError> Session::send_protected(Context& ctx, Type t, base::u8 next_header, base::Bytes plaintext,
                                                     bool control) noexcept {
  if (!record_) return nextip::unexpected(SessionError::not_established);
  const std::size_t len = kProtectedOverhead + plaintext.size();
  if (len - kHeaderLen > kMaxPayload || len > ctx.cfg.max_reassembled) {
    return nextip::unexpected(SessionError::too_large);
  }
  // Room first: a sequence number is never taken for a packet that is not sent.
  if (!ctx.out.has_transmit_room(packet_count(len, max_packet_)) ||
      ctx.out.space().size() < space_needed(len, max_packet_)) {
    ++ctx.counters.drop_output_full;
    return nextip::unexpected(SessionError::output_full);
  }
  const base::MutBytes p = ctx.out.space().first(len);
  header(t, flag::kE, next_header, len - kHeaderLen).emit(p);
  std::copy(plaintext.begin(), plaintext.end(), p.begin() + kAadLen);
  if (auto seq = record_->seal(ctx.now, p, control); !seq) return nextip::unexpected(seq.error());
  (void)transmit(ctx.out, ctx.counters, a_.peer, len, max_packet_, ctx.next_ident);
  last_tx_ = ctx.now;
  return {};
}

void Session::send_client_hello(Context& ctx) noexcept {
  (void)send_plain(ctx, Type::handshake, hs_->body());
  ++hs_sent_;
  hs_next_ = ctx.now + ctx.cfg.handshake_rto * (1 << std::min(hs_sent_ - 1, 16));
}

void Session::send_keepalive(Context& ctx, base::u8 flags) noexcept {
  std::array<std::byte, Keepalive::buffer_len()> body{};
  const auto interval = std::chrono::duration_cast<base::seconds>(ctx.cfg.keepalive_interval).count();
  Keepalive{flags, static_cast<base::u16>(std::min<std::int64_t>(interval, 0xffff)), ++keepalive_seq_}.emit(body);
  if (!send_protected(ctx, Type::keepalive, ext::kNoNextHeader, body, true)) return;
  ++ctx.counters.keepalives_sent;
  if ((flags & kKaReplyRequested) != 0) last_ka_request_ = ctx.now;
}

// --- initial handshake ---------------------------------------------------------------

void Session::on_server_hello(Context& ctx, PeerAddr from, base::Bytes packet) noexcept {
  const HeaderView<base::Bytes> h = HeaderView<base::Bytes>::unchecked(packet);
  if (state_ != State::client_handshake || h.src_site() != a_.peer_site || h.src_eid() != a_.peer_eid) {
    ++ctx.counters.drop_hs_unexpected;
    return;
  }
  auto parts = inspect_server_hello(h.payload());
  if (!parts) {
    ++ctx.counters.drop_malformed;
    return;
  }
  auto r = hs_->finish(ctx.kem, *parts, header_identity(packet));
  if (!r) {
    switch (r.error()) {
      case HsFail::malformed: ++ctx.counters.drop_malformed; break;
      case HsFail::transcript_mac: ++ctx.counters.drop_transcript_mac; break;
      default: ++ctx.counters.drop_key_exchange; break;
    }
    return;
  }
  suite_ = r->suite;
  session_id_ = r->session_id;
  record_.emplace(Role::client, session_id_, suite_, ctx.cfg.limits);
  if (!record_->install_initial(std::move(r->secrets), ctx.now)) {
    record_.reset();
    ++ctx.counters.drop_key_exchange;
    return;
  }
  hs_.reset();
  state_ = State::established;
  a_.peer = from;
  last_rx_ = ctx.now;
  ++ctx.counters.sessions_established;
  Event e;
  e.kind = EventKind::established;
  e.suite = suite_;
  event(ctx, e);
  send_keepalive(ctx, 0);  // the first packet under epoch 0 confirms the keys to the server
}

void Session::on_cookie_challenge(Context& ctx, base::Bytes packet) noexcept {
  const HeaderView<base::Bytes> h = HeaderView<base::Bytes>::unchecked(packet);
  // From the responder we contacted, echoing our Flow Label.
  if (state_ != State::client_handshake || h.src_site() != a_.peer_site || h.src_eid() != a_.peer_eid ||
      h.flow_label() != a_.flow_label) {
    ++ctx.counters.drop_hs_unexpected;
    return;
  }
  auto c = CookieChallenge::parse(h.payload());
  if (!c) {
    ++ctx.counters.drop_malformed;
    return;
  }
  if (!same(c->nonce, client_nonce_) || cookies_ >= ctx.cfg.max_cookie_challenges) {
    ++ctx.counters.drop_hs_unexpected;
    return;
  }
  ++cookies_;
  ++ctx.counters.cookies_received;
  hs_->set_cookie(c->cookie);
  (void)send_plain(ctx, Type::handshake, hs_->body());
}

void Session::resend_server_hello(Context& ctx) noexcept {
  if (state_ != State::half_open || cached_sh_.empty()) return;
  ++ctx.counters.hs_duplicate;
  (void)send_plain(ctx, Type::handshake, cached_sh_);
}

// --- protected packets -------------------------------------------------------------------

void Session::on_protected(Context& ctx, PeerAddr from, base::Bytes packet) noexcept {
  if (!record_) {
    ++ctx.counters.drop_no_key;
    return;
  }
  const auto type = static_cast<Type>(base::load_u8(packet.data()) & 0x0f);
  const base::u8 next_header = base::load_u8(packet.data() + field::kNextHeader);
  const std::size_t len = packet.size() - kProtectedOverhead;
  base::MutBytes plain;
  if (type == Type::data) {
    if (!ctx.out.has_event_room() || ctx.out.space().size() < len) {
      ++ctx.counters.drop_output_full;
      return;
    }
    plain = ctx.out.space().first(len);
  } else {
    if (len > ctx.scratch.size()) {
      ++ctx.counters.drop_malformed;
      return;
    }
    plain = base::MutBytes(ctx.scratch).first(len);
  }
  const auto opened = record_->open(packet, plain, ctx.counters);
  if (!opened) return;

  last_rx_ = ctx.now;
  if (opened->which == RecordLayer::Which::next) {  // the rekey initiator switched: so do we
    record_->promote_next(ctx.now);
    if (rekey_in_) last_rekey_nonce_ = rekey_in_->initiator_nonce;
    rekey_in_.reset();
    ++ctx.counters.rekeys_completed;
    Event e;
    e.kind = EventKind::rekeyed;
    e.epoch = record_->current_epoch();
    event(ctx, e);
  }
  if (state_ == State::half_open) {
    state_ = State::established;
    cached_sh_.clear();
    ++ctx.counters.sessions_established;
    Event e;
    e.kind = EventKind::established;
    e.suite = suite_;
    event(ctx, e);
  }
  if (opened->newest && opened->which != RecordLayer::Which::previous && !(from == a_.peer)) {
    a_.peer = from;  // the peer moved (003 ctrl-mobility: keys stay valid across Locators)
  }

  switch (type) {
    case Type::data: {
      Event e;
      e.kind = EventKind::delivered;
      e.next_header = next_header;
      e.data = ctx.out.commit_data(len);
      ++ctx.counters.rx_data;
      ctx.counters.rx_data_bytes += len;
      event(ctx, e);
      return;
    }
    case Type::keepalive: {
      auto k = Keepalive::parse(plain);
      if (!k) {
        ++ctx.counters.drop_malformed;
        return;
      }
      ++ctx.counters.keepalives_received;
      if ((k->flags & kKaReplyRequested) != 0) send_keepalive(ctx, kKaReply);
      return;
    }
    case Type::echo: {
      auto m = Echo::parse(plain);
      if (!m) {
        ++ctx.counters.drop_malformed;
        return;
      }
      if (m->subtype == 1) {
        base::store_u8(plain.data(), 2);
        if (send_protected(ctx, Type::echo, ext::kNoNextHeader, plain, false)) ++ctx.counters.echo_replies_sent;
        return;
      }
      if (!ctx.out.has_event_room() || ctx.out.space().size() < m->data.size()) {
        ++ctx.counters.drop_output_full;
        return;
      }
      std::copy(m->data.begin(), m->data.end(), ctx.out.space().begin());
      Event e;
      e.kind = EventKind::echo_reply;
      e.identifier = m->identifier;
      e.sequence = m->sequence;
      e.data = ctx.out.commit_data(m->data.size());
      e.authenticated = true;
      event(ctx, e);
      return;
    }
    case Type::handshake:
      if (opened->which != RecordLayer::Which::current || plain.empty()) {
        ++ctx.counters.drop_rekey_stale;
        return;
      }
      if (base::load_u8(plain.data()) == handshake::kClientHello) return on_rekey_client_hello(ctx, plain);
      if (base::load_u8(plain.data()) == handshake::kServerHello) return on_rekey_server_hello(ctx, plain);
      ++ctx.counters.drop_malformed;
      return;
    default: ++ctx.counters.drop_malformed; return;
  }
}

bool Session::on_error(Context& ctx, const Error& e) noexcept {
  const base::Bytes q = e.quoted;
  if (state_ == State::client_handshake) {
    // It must quote our Client Hello: HANDSHAKE, Subtype 0x01 and our nonce, either
    // reassembled (body at 24) or as the first fragment (body after the 8-byte header).
    if (q.size() < kHeaderLen) return false;
    const base::u8 flags = base::load_u8(q.data() + field::kFlags);
    const std::size_t body = kHeaderLen + ((flags & flag::kF) != 0 ? kFragmentHeaderLen : 0);
    if ((base::load_u8(q.data()) & 0x0f) != static_cast<base::u8>(Type::handshake) || q.size() < body + 36 ||
        base::load_u8(q.data() + body) != handshake::kClientHello || !same(q.subspan(body + 4, 32), client_nonce_)) {
      return false;
    }
    ++ctx.counters.errors_received;
    finish(ctx, EventKind::handshake_failed, CloseReason::peer_error, e.code);
    return true;
  }
  // Established: advisory. Only MTU_EXCEEDED changes state, and only downwards, never
  // below the 1280-byte minimum (an unauthenticated ERROR cannot do more harm).
  if (e.code == static_cast<base::u8>(ErrorCode::mtu_exceeded) && e.info >= kMinPathMtu) {
    max_packet_ = std::min<std::size_t>(max_packet_, e.info - kModeCOverhead);
  }
  ++ctx.counters.errors_received;
  Event ev;
  ev.kind = EventKind::error_received;
  ev.error_code = e.code;
  ev.info = e.info;
  if (ctx.out.space().size() >= q.size()) {
    std::copy(q.begin(), q.end(), ctx.out.space().begin());
    ev.data = ctx.out.commit_data(q.size());
  }
  event(ctx, ev);
  return true;
}

// --- sending ------------------------------------------------------------------------------

Expected<void, SessionError> Session::send_data(Context& ctx, base::u8 next_header, base::Bytes plaintext) noexcept {
  if (state_ != State::established) return nextip::unexpected(SessionError::not_established);
  auto r = send_protected(ctx, Type::data, next_header, plaintext, false);
  if (r) ++ctx.counters.tx_data;
  maybe_rekey(ctx);
  return r;
}

Expected<void, SessionError> Session::send_echo(Context& ctx, base::u16 identifier, base::u32 sequence,
                                                base::Bytes data) noexcept {
  if (state_ != State::established) return nextip::unexpected(SessionError::not_established);
  const Echo m{1, identifier, sequence, data};
  if (m.buffer_len() > ctx.scratch.size()) return nextip::unexpected(SessionError::too_large);
  m.emit(ctx.scratch);
  return send_protected(ctx, Type::echo, ext::kNoNextHeader, base::Bytes(ctx.scratch).first(m.buffer_len()), false);
}

// --- rekey ----------------------------------------------------------------------------------

std::optional<base::Instant> Session::rekey_time(const SessionConfig& cfg) const noexcept {
  if (!record_) return std::nullopt;
  base::Instant t = record_->current_installed() + cfg.limits.rekey_after_time;
  if (role_ == Role::server) t += cfg.server_rekey_delay;
  if (auto p = record_->previous_expiry(); p && *p > t) t = *p;
  return t;
}

void Session::maybe_rekey(Context& ctx) noexcept {
  if (state_ != State::established || rekey_out_ || rekey_in_ || record_->has_next()) return;
  const bool by_packets = record_->rekey_due_by_packets();
  const auto t = rekey_time(ctx.cfg);
  if (by_packets || (t && ctx.now >= *t)) start_rekey(ctx);
}

Expected<void, SessionError> Session::rekey(Context& ctx) noexcept {
  if (state_ != State::established) return nextip::unexpected(SessionError::not_established);
  if (!rekey_out_ && !rekey_in_ && !record_->has_next()) start_rekey(ctx);
  return {};
}

void Session::start_rekey(Context& ctx) noexcept {
  auto share = InitiatorShare::generate(ctx.rng, ctx.kem);
  if (!share) return;
  std::vector<std::byte> body = rekey_client_hello(**share, suite_, identity_);
  rekey_out_ = RekeyOut{std::move(*share), std::move(body), ctx.now + ctx.cfg.handshake_rto, 1};
  ++ctx.counters.rekeys_started;
  (void)send_protected(ctx, Type::handshake, ext::kNoNextHeader, rekey_out_->body, true);
}

void Session::on_rekey_client_hello(Context& ctx, base::Bytes body) noexcept {
  auto ch = ClientHello::parse(body);
  if (!ch || ch->suites[0] != suite_) {
    ++ctx.counters.drop_malformed;
    return;
  }
  if (same(ch->nonce, last_rekey_nonce_)) {
    ++ctx.counters.drop_rekey_stale;
    return;
  }
  if (rekey_in_ && same(ch->nonce, rekey_in_->initiator_nonce)) {  // our Server Hello was lost
    (void)send_protected(ctx, Type::handshake, ext::kNoNextHeader, rekey_in_->body, true);
    return;
  }
  if (rekey_out_) {  // both started: the session's client wins (docs/wire/ipv45.md "Rekey")
    ++ctx.counters.rekey_collisions;
    if (role_ == Role::client) return;
    rekey_out_.reset();
  }
  auto share = respond(ctx.rng, ctx.kem, ch->x25519, ch->mlkem_ek, ch->nonce, record_->chain());
  if (!share) {
    ++ctx.counters.drop_key_exchange;
    return;
  }
  std::vector<std::byte> sh = rekey_server_hello(*share, suite_, session_id_);
  if (!record_->install_next(std::move(share->secrets), ctx.now)) {
    ++ctx.counters.drop_key_exchange;
    return;
  }
  std::array<std::byte, handshake::kNonceLen> nonce{};
  std::copy(ch->nonce.begin(), ch->nonce.end(), nonce.begin());
  rekey_in_ = RekeyIn{nonce, std::move(sh)};
  (void)send_protected(ctx, Type::handshake, ext::kNoNextHeader, rekey_in_->body, true);
}

void Session::on_rekey_server_hello(Context& ctx, base::Bytes body) noexcept {
  if (!rekey_out_) {
    ++ctx.counters.drop_rekey_stale;
    return;
  }
  auto sh = ServerHello::parse(body);
  if (!sh) {
    ++ctx.counters.drop_malformed;
    return;
  }
  if (sh->selected != suite_ || sh->session_id != session_id_) {
    ++ctx.counters.drop_key_exchange;
    return;
  }
  auto s = rekey_out_->share->finish(ctx.kem, sh->x25519, sh->mlkem_ct, sh->nonce, record_->chain());
  if (!s || !record_->install_and_switch(std::move(*s), ctx.now)) {
    ++ctx.counters.drop_key_exchange;
    return;
  }
  rekey_out_.reset();
  ++ctx.counters.rekeys_completed;
  Event e;
  e.kind = EventKind::rekeyed;
  e.epoch = record_->current_epoch();
  event(ctx, e);
  send_keepalive(ctx, 0);  // the first packet under the new epoch confirms it to the responder
}

// --- timers ---------------------------------------------------------------------------------

void Session::on_timer(Context& ctx) noexcept {
  const base::Instant now = ctx.now;
  const SessionConfig& cfg = ctx.cfg;
  switch (state_) {
    case State::client_handshake:
      if (now < hs_next_) return;
      if (hs_sent_ >= cfg.handshake_attempts) {
        ++ctx.counters.handshake_timeouts;
        finish(ctx, EventKind::handshake_failed, CloseReason::handshake_timeout);
        return;
      }
      ++ctx.counters.hs_retransmits;
      send_client_hello(ctx);
      return;
    case State::half_open:
      if (now - created_ >= cfg.half_open_timeout) {
        ++ctx.counters.half_open_expired;
        close();
      }
      return;
    case State::established: break;
  }
  if (now - last_rx_ >= cfg.idle_timeout) {
    ++ctx.counters.sessions_closed_idle;
    finish(ctx, EventKind::closed, CloseReason::idle_timeout);
    return;
  }
  if (now - record_->current_installed() >= cfg.rekey_give_up) {
    ++ctx.counters.sessions_rekey_failed;
    finish(ctx, EventKind::closed, CloseReason::rekey_timeout);
    return;
  }
  if (auto p = record_->previous_expiry(); p && now >= *p) {
    record_->retire_previous();
    ++ctx.counters.epochs_retired;
  }
  if (rekey_out_ && now >= rekey_out_->next) {
    ++ctx.counters.rekey_retransmits;
    ++rekey_out_->sent;
    rekey_out_->next = now + std::min(cfg.handshake_rto * (1 << std::min(rekey_out_->sent - 1, 16)), cfg.rekey_rto_max);
    (void)send_protected(ctx, Type::handshake, ext::kNoNextHeader, rekey_out_->body, true);
  }
  maybe_rekey(ctx);
  if (cfg.keepalive_interval > base::Duration::zero()) {
    base::u8 flags = 0;
    bool due = now - last_tx_ >= cfg.keepalive_interval;
    if (now - last_rx_ >= cfg.keepalive_interval && now - last_ka_request_ >= cfg.keepalive_interval) {
      due = true;
      flags = kKaReplyRequested;
    }
    if (due) send_keepalive(ctx, flags);
  }
}

std::optional<base::Instant> Session::poll_at(const SessionConfig& cfg) const noexcept {
  if (finished_) return std::nullopt;
  switch (state_) {
    case State::client_handshake: return hs_next_;
    case State::half_open: return created_ + cfg.half_open_timeout;
    case State::established: break;
  }
  base::Instant t = last_rx_ + cfg.idle_timeout;
  const auto consider = [&t](base::Instant x) {
    if (x < t) t = x;
  };
  consider(record_->current_installed() + cfg.rekey_give_up);
  if (auto p = record_->previous_expiry()) consider(*p);
  if (rekey_out_) {
    consider(rekey_out_->next);
  } else if (!rekey_in_ && !record_->has_next()) {
    if (auto r = rekey_time(cfg)) consider(*r);
  }
  if (cfg.keepalive_interval > base::Duration::zero()) {
    consider(last_tx_ + cfg.keepalive_interval);
    consider(std::max(last_rx_, last_ka_request_) + cfg.keepalive_interval);
  }
  return t;
}

}  // namespace nextip::ipv45

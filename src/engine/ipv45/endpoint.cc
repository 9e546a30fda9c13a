#include "engine/ipv45/endpoint.h"

#include <algorithm>

#include "engine/ipv45/fragment.h"

namespace nextip::ipv45 {

namespace {

constexpr std::size_t kErrorQuoteLen = kHeaderLen + 36;  // header, Subtype … Client Random Nonce
constexpr std::size_t kTimerRoom = 8 * 1024;             // Output room on_timeout() keeps per session

bool valid_config(const EndpointConfig& c) noexcept {
  const RecordLimits& l = c.session.limits;
  return c.path_mtu >= kMinPathMtu && c.path_mtu <= 0xffff && c.reassembly.slots > 0 &&
         c.reassembly.max_packet >= 2048 && c.reassembly.max_packet <= kHeaderLen + 0xffff &&
         l.max_sequence <= 0xffff'ffffULL && l.control_reserve < l.max_sequence &&
         l.rekey_after_packets < l.max_sequence - l.control_reserve && l.rekey_after_time < l.reject_after_time &&
         l.reject_after_time <= c.session.rekey_give_up && c.session.handshake_attempts > 0 &&
         c.handshakes_per_second > 0 && c.handshake_burst > 0 && c.suites[0] != CipherSuite::none;
}

bool suite_known(CipherSuite s) noexcept {
  return s == CipherSuite::aes256gcm || s == CipherSuite::chacha20poly1305;
}

}  // namespace

// --- construction and configuration -------------------------------------------------------

Endpoint::Endpoint(const EndpointConfig& cfg, crypto::Rng& rng, base::Instant now, std::unique_ptr<crypto::Kem> kem)
    : cfg_(cfg),
      rng_(rng),
      kem_(std::move(kem)),
      reasm_(cfg.reassembly),
      limiter_(cfg.handshakes_per_second, cfg.handshake_burst, now),
      jar_(cfg.cookie_rotation, cfg.cookie_lifetime),
      scratch_(cfg.reassembly.max_packet) {
  cfg_.session.max_packet = cfg.path_mtu - kModeCOverhead;
  cfg_.session.max_reassembled = cfg.reassembly.max_packet;
}

Expected<std::unique_ptr<Endpoint>, SessionError> Endpoint::create(const EndpointConfig& cfg, crypto::Rng& rng,
                                                                   base::Instant now,
                                                                   std::unique_ptr<crypto::Kem> kem) {
  if (!valid_config(cfg)) return nextip::unexpected(SessionError::bad_config);
  for (CipherSuite s : cfg.suites) {
    if (s != CipherSuite::none && !suite_known(s)) return nextip::unexpected(SessionError::bad_config);
  }
  if (!kem) {
    auto k = crypto::make_mlkem768();
    if (!k) return nextip::unexpected(SessionError::crypto);
    kem = std::move(*k);
  }
  const crypto::Kem::Sizes sz = kem->sizes();
  if (sz.ek != handshake::kMlkemEkLen || sz.ct != handshake::kMlkemCtLen || sz.dk != kMlkemDkLen || sz.ss != 32) {
    return nextip::unexpected(SessionError::bad_config);
  }
  std::unique_ptr<Endpoint> e(new Endpoint(cfg, rng, now, std::move(kem)));
  std::array<std::byte, 4> ident{};
  if (!rng.fill(ident)) return nextip::unexpected(SessionError::crypto);
  e->next_ident_ = base::load_be32(ident.data());
  return e;
}

Expected<void, SessionError> Endpoint::add_psk(base::Bytes identity, std::span<const std::byte, 32> key) {
  if (identity.empty() || identity.size() > 255) return nextip::unexpected(SessionError::bad_config);
  Psk p{std::vector<std::byte>(identity.begin(), identity.end()), crypto::SecretBytes<32>::copy_of(key)};
  if (const Psk* old = find_psk(identity)) {
    auto it = psks_.begin() + (old - psks_.data());
    *it = std::move(p);
  } else {
    psks_.push_back(std::move(p));
  }
  return {};
}

const Endpoint::Psk* Endpoint::find_psk(base::Bytes identity) const noexcept {
  for (const Psk& p : psks_) {
    if (std::equal(p.identity.begin(), p.identity.end(), identity.begin(), identity.end())) return &p;
  }
  return nullptr;
}

Context Endpoint::context(base::Instant now, Output& out) noexcept {
  return Context{now, rng_, *kem_, out, c_, cfg_.session, next_ident_, scratch_};
}

// --- the session table ---------------------------------------------------------------------

Session* Endpoint::find(SessionHandle h) const noexcept {
  if (!h.valid() || h.slot >= entries_.size()) return nullptr;
  const Entry& e = entries_[h.slot];
  return e.generation == h.generation ? e.session.get() : nullptr;
}

std::optional<base::u32> Endpoint::alloc_slot() noexcept {
  if (live_ >= cfg_.max_sessions) return std::nullopt;
  base::u32 slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<base::u32>(entries_.size());
    entries_.emplace_back();
  }
  ++entries_[slot].generation;
  if (entries_[slot].generation == 0) entries_[slot].generation = 1;
  return slot;
}

void Endpoint::reap(base::u32 slot) noexcept {
  Entry& e = entries_[slot];
  if (!e.session) return;
  const Session& s = *e.session;
  if (s.role() == Role::client) {
    by_enid_.erase(s.addressing().local_eid);
  } else {
    if (auto it = by_sid_.find(s.session_id()); it != by_sid_.end() && it->second == slot) by_sid_.erase(it);
    if (auto it = by_client_eid_.find(s.addressing().peer_eid); it != by_client_eid_.end() && it->second == slot) {
      by_client_eid_.erase(it);
    }
  }
  e.session.reset();
  ++e.generation;
  if (e.generation == 0) e.generation = 1;
  free_.push_back(slot);
  --live_;
}

void Endpoint::close(SessionHandle h) noexcept {
  if (Session* s = find(h)) {
    s->close();
    reap(h.slot);
  }
}

bool Endpoint::is_listen_address(base::u16 site, base::u64 eid) const noexcept {
  return cfg_.listen_eid && *cfg_.listen_eid == eid && site == cfg_.local_site;
}

std::optional<base::u32> Endpoint::session_for(base::u16 dst_site, base::u64 dst_eid) const noexcept {
  if (dst_site != cfg_.local_site) return std::nullopt;
  if (auto it = by_enid_.find(dst_eid); it != by_enid_.end()) return it->second;
  return std::nullopt;
}

base::u16 Endpoint::random16() noexcept {
  std::array<std::byte, 2> b{};
  if (!rng_.fill(b)) return 0;
  return base::load_be16(b.data());
}

std::optional<base::u64> Endpoint::fresh_enid() noexcept {
  // 003 enid: from the CSPRNG, never reused across sessions to distinct destinations.
  // nextip never reuses one at all within enid_history sessions.
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::array<std::byte, 8> b{};
    if (!rng_.fill(b)) return std::nullopt;
    const base::u64 eid = base::load_be64(b.data()) & kEidMask;
    if (eid == 0 || eid == kEidMask || (cfg_.listen_eid && eid == *cfg_.listen_eid) || enid_used_.contains(eid)) {
      continue;
    }
    enid_used_.insert(eid);
    enid_order_.push_back(eid);
    if (enid_order_.size() > cfg_.enid_history) {
      enid_used_.erase(enid_order_.front());
      enid_order_.pop_front();
    }
    return eid;
  }
  return std::nullopt;
}

std::optional<base::u16> Endpoint::fresh_session_id() noexcept {
  for (int attempt = 0; attempt < 8; ++attempt) {
    const base::u16 id = random16();
    if (id != 0 && !by_sid_.contains(id)) return id;
  }
  for (base::u32 id = 1; id <= 0xffff; ++id) {
    if (!by_sid_.contains(static_cast<base::u16>(id))) return static_cast<base::u16>(id);
  }
  return std::nullopt;
}

// --- calls from the application ----------------------------------------------------------------

Expected<SessionHandle, SessionError> Endpoint::connect(base::Instant now, const ConnectParams& p,
                                                        Output& out) noexcept {
  ClientHandshake::Params hp;
  hp.identity = p.identity;
  hp.suites = cfg_.suites;
  if (p.identity == IdentityType::x509 || p.identity == IdentityType::did) {
    return nextip::unexpected(SessionError::identity_unsupported);
  }
  if (p.identity == IdentityType::psk) {
    const Psk* k = find_psk(p.psk_identity);
    if (k == nullptr) return nextip::unexpected(SessionError::psk_unknown);
    hp.psk_identity = k->identity;
    hp.psk = crypto::SecretBytes<32>::copy_of(k->key.span());
  }
  const auto eid = fresh_enid();
  if (!eid) return nextip::unexpected(SessionError::crypto);
  const auto slot = alloc_slot();
  if (!slot) return nextip::unexpected(SessionError::session_limit);
  const SessionHandle h{*slot, entries_[*slot].generation};
  const Addressing a{p.peer, cfg_.local_site, *eid, p.peer_site, p.peer_eid, random16()};
  Context ctx = context(now, out);
  auto s = Session::connect(ctx, h, a, std::move(hp));
  if (!s) {
    ++entries_[*slot].generation;
    free_.push_back(*slot);
    return nextip::unexpected(s.error());
  }
  entries_[*slot].session = std::move(*s);
  ++live_;
  by_enid_[*eid] = *slot;
  return h;
}

Expected<void, SessionError> Endpoint::send(base::Instant now, SessionHandle h, base::u8 next_header,
                                            base::Bytes plaintext, Output& out) noexcept {
  Session* s = find(h);
  if (s == nullptr) return nextip::unexpected(SessionError::unknown_session);
  Context ctx = context(now, out);
  return s->send_data(ctx, next_header, plaintext);
}

Expected<void, SessionError> Endpoint::echo(base::Instant now, SessionHandle h, base::u16 identifier,
                                            base::u32 sequence, base::Bytes data, Output& out) noexcept {
  Session* s = find(h);
  if (s == nullptr) return nextip::unexpected(SessionError::unknown_session);
  Context ctx = context(now, out);
  return s->send_echo(ctx, identifier, sequence, data);
}

Expected<void, SessionError> Endpoint::rekey(base::Instant now, SessionHandle h, Output& out) noexcept {
  Session* s = find(h);
  if (s == nullptr) return nextip::unexpected(SessionError::unknown_session);
  Context ctx = context(now, out);
  return s->rekey(ctx);
}

std::optional<SessionInfo> Endpoint::info(SessionHandle h) const noexcept {
  const Session* s = find(h);
  if (s == nullptr) return std::nullopt;
  SessionInfo i;
  i.role = s->role();
  i.state = s->state();
  i.suite = s->suite();
  i.session_id = s->session_id();
  i.rekey_in_progress = s->rekey_in_progress();
  i.addressing = s->addressing();
  i.max_packet = s->max_packet();
  if (const RecordLayer* r = s->record(); r != nullptr && r->established()) {
    i.epoch = r->current_epoch();
    i.tx_sequence = r->tx_sequence();
    i.has_previous_epoch = r->has_previous();
    i.has_next_epoch = r->has_next();
  }
  return i;
}

// --- timers ------------------------------------------------------------------------------------

void Endpoint::on_timeout(base::Instant now, Output& out) noexcept {
  reasm_.expire(now, c_);
  Context ctx = context(now, out);
  for (base::u32 slot = 0; slot < entries_.size(); ++slot) {
    Session* s = entries_[slot].session.get();
    if (s == nullptr) continue;
    const auto at = s->poll_at(cfg_.session);
    if (!at || *at > now) continue;
    if (out.space().size() < kTimerRoom || !out.has_transmit_room(4) || !out.has_event_room()) return;
    s->on_timer(ctx);
    if (s->finished()) reap(slot);
  }
}

std::optional<base::Instant> Endpoint::poll_at() const noexcept {
  std::optional<base::Instant> at = reasm_.poll_at();
  for (const Entry& e : entries_) {
    if (!e.session) continue;
    if (auto t = e.session->poll_at(cfg_.session); t && (!at || *t < *at)) at = t;
  }
  return at;
}

// --- receive -------------------------------------------------------------------------------------

void Endpoint::receive(base::Instant now, PeerAddr from, base::Bytes packet, Output& out) noexcept {
  ++c_.rx_packets;
  auto h = HeaderView<base::Bytes>::checked(packet);
  if (!h || !HeaderRepr::parse(*h)) {
    ++c_.drop_malformed;
    return;
  }
  auto chain = walk_chain(*h);
  if (!chain) {
    ++c_.drop_malformed;
    return;
  }
  Context ctx = context(now, out);
  if (chain->fragment) {
    if (chain->count != 1) {
      ++c_.drop_ext_unsupported;
      return;
    }
    ++c_.rx_fragments;
    const auto whole = reasm_.add(now, from, *h, *chain->fragment, c_);
    if (!whole) return;
    auto wh = HeaderView<base::Bytes>::checked(*whole);
    const auto wchain = wh ? walk_chain(*wh) : WireResult<Chain>(nextip::unexpected(base::WireError{}));
    if (!wh || !HeaderRepr::parse(*wh) || !wchain || wchain->count != 0) {
      ++c_.drop_malformed;
      return;
    }
    return dispatch(ctx, from, wh->bytes());
  }
  if (chain->count != 0) {
    ++c_.drop_ext_unsupported;
    return;
  }
  dispatch(ctx, from, h->bytes());
}

void Endpoint::dispatch(Context& ctx, PeerAddr from, base::Bytes packet) noexcept {
  const auto h = HeaderView<base::Bytes>::unchecked(packet);
  if ((h.flags() & flag::kE) != 0) return on_protected(ctx, from, h);
  const auto type = static_cast<Type>(h.type());
  if (type == Type::data || type == Type::keepalive) {
    ++c_.drop_unprotected;
    return;
  }
  if (type == Type::control) {
    ++c_.drop_control;
    return;
  }
  // Unprotected messages carry no upper layer and no flags (F and M are gone after
  // reassembly): nothing else would notice these two bytes changed in flight.
  if (h.flags() != 0 || h.next_header() != ext::kNoNextHeader) {
    ++c_.drop_malformed;
    return;
  }
  switch (type) {
    case Type::data:
    case Type::keepalive:
    case Type::control: return;
    case Type::handshake: return on_handshake(ctx, from, h);
    case Type::echo: return on_plain_echo(ctx, from, h);
    case Type::error: return on_error(ctx, h);
  }
}

void Endpoint::on_protected(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept {
  const auto type = static_cast<Type>(h.type());
  auto p = Protected::parse(h.payload());
  if (!p || type == Type::error || type == Type::control) {
    ++c_.drop_malformed;
    return;
  }
  std::optional<base::u32> slot;
  if (is_listen_address(h.dst_site(), h.dst_eid())) {
    if (auto it = by_sid_.find(p->session_id); it != by_sid_.end()) slot = it->second;
  } else {
    slot = session_for(h.dst_site(), h.dst_eid());
  }
  Session* s = slot ? entries_[*slot].session.get() : nullptr;
  if (s == nullptr || s->session_id() != p->session_id) {
    ++c_.drop_unknown_session;
    return;
  }
  if (s->addressing().peer_site != h.src_site() || s->addressing().peer_eid != h.src_eid()) {
    ++c_.drop_wrong_peer;
    return;
  }
  s->on_protected(ctx, from, h.bytes());
  if (s->finished()) reap(*slot);
}

void Endpoint::on_handshake(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept {
  const base::Bytes body = h.payload();
  if (body.empty()) {
    ++c_.drop_malformed;
    return;
  }
  const base::u8 subtype = base::load_u8(body.data());
  if (subtype == handshake::kClientHello) return on_client_hello(ctx, from, h);
  if (subtype != handshake::kServerHello && subtype != handshake::kCookieChallenge) {
    ++c_.drop_malformed;
    return;
  }
  const auto slot = session_for(h.dst_site(), h.dst_eid());
  if (!slot) {
    ++c_.drop_hs_unexpected;
    return;
  }
  Session& s = *entries_[*slot].session;
  if (subtype == handshake::kServerHello) {
    s.on_server_hello(ctx, from, h.bytes());
  } else {
    s.on_cookie_challenge(ctx, h.bytes());
  }
}

void Endpoint::on_client_hello(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept {
  ++c_.rx_client_hello;
  if (!is_listen_address(h.dst_site(), h.dst_eid())) {
    ++c_.drop_not_for_us;
    return;
  }
  auto parts = inspect_client_hello(h.payload());
  if (!parts) {
    ++c_.drop_malformed;
    return;
  }
  const ClientHello& ch = parts->hello;
  const HeaderIdentity ch_header = header_identity(h.bytes());

  // A retransmission of a Client Hello we answered: the cached Server Hello, no new work.
  if (auto it = by_client_eid_.find(h.src_eid()); it != by_client_eid_.end()) {
    Session& s = *entries_[it->second].session;
    if (s.addressing().peer_site == h.src_site() &&
        std::equal(ch.nonce.begin(), ch.nonce.end(), s.client_nonce().begin())) {
      if (s.state() == Session::State::half_open) {
        s.resend_server_hello(ctx);
      } else {
        ++c_.drop_hs_unexpected;
      }
      return;
    }
  }

  // Under load, a Client Hello must prove its return address (docs/wire/ipv45.md
  // "Cookie challenge"): one HMAC, no state, no key exchange.
  const bool need_cookie = cfg_.cookie_mode == CookieMode::always || (cfg_.cookie_mode == CookieMode::automatic &&
                                                                      limiter_.load(ctx.now) >= cfg_.cookie_threshold);
  if (need_cookie) {
    const CookieBinding b{from, h.src_site(), h.src_eid(), h.dst_site(), h.dst_eid(), ch.nonce};
    if (parts->cookie.empty() || !jar_.verify(ctx.now, b, parts->cookie)) {
      if (!parts->cookie.empty()) ++c_.drop_cookie_invalid;
      std::array<std::byte, cookie::kLen> value{};
      if (!jar_.mint(ctx.now, rng_, b, value)) return;
      const CookieChallenge challenge{ch.nonce, value};
      std::array<std::byte, cookie::kChallengeFixedLen + cookie::kLen> body{};
      challenge.emit(body);
      ++c_.cookie_challenges_sent;
      return reply(ctx, from, h, Type::handshake, body);
    }
  }

  // Identity (003 identity-plane).
  base::Bytes psk;
  switch (ch.identity_type) {
    case IdentityType::anonymous: break;
    case IdentityType::x509:
    case IdentityType::did:  // not implemented yet (decision IPV45-23)
      ++c_.drop_identity_unsupported;
      return send_error(ctx, from, h, ErrorCode::auth_failed);
    case IdentityType::psk: {
      const Psk* k = find_psk(parts->psk_identity);
      if (k == nullptr) {
        ++c_.drop_psk_unknown;
        return send_error(ctx, from, h, ErrorCode::auth_failed);
      }
      if (!verify_client_mac(k->key.span(), *parts, ch_header)) {
        ++c_.drop_psk_mac;
        return send_error(ctx, from, h, ErrorCode::auth_failed);
      }
      psk = k->key.span();
      break;
    }
  }

  // The client's preference among the suites we accept (003 crypto-ciphers).
  CipherSuite selected = CipherSuite::none;
  for (CipherSuite s : ch.suites) {
    if (s != CipherSuite::none && (s == cfg_.suites[0] || s == cfg_.suites[1])) {
      selected = s;
      break;
    }
  }
  if (selected == CipherSuite::none) {
    ++c_.drop_no_common_suite;
    return send_error(ctx, from, h, ErrorCode::unspecified);
  }
  if (live_ >= cfg_.max_sessions) {
    ++c_.drop_session_limit;
    return;
  }
  if (!limiter_.take(ctx.now)) {  // 003 sec-dos: at most handshakes_per_second key exchanges
    ++c_.drop_hs_rate_limited;
    return;
  }
  const auto sid = fresh_session_id();
  if (!sid) {
    ++c_.drop_session_limit;
    return;
  }
  const Addressing a{from, cfg_.local_site, *cfg_.listen_eid, h.src_site(), h.src_eid(), random16()};
  std::array<std::byte, kHeaderLen> sh_hdr{};
  HeaderRepr r;
  r.type = Type::handshake;
  r.flow_label = a.flow_label;
  r.src_site = a.local_site;
  r.src_eid = a.local_eid;
  r.dst_site = a.peer_site;
  r.dst_eid = a.peer_eid;
  r.emit(sh_hdr);
  auto sh = answer_client_hello(ctx.rng, ctx.kem, *parts, ch_header, header_identity(sh_hdr), selected, *sid, psk);
  if (!sh) {
    ++c_.drop_key_exchange;
    return;
  }
  const auto slot = alloc_slot();
  if (!slot) {
    ++c_.drop_session_limit;
    return;
  }
  const SessionHandle handle{*slot, entries_[*slot].generation};
  auto s = Session::accept(ctx, handle, a, ch.identity_type, selected, *sid, std::move(sh->secrets),
                           std::move(sh->body), ch.nonce);
  if (!s) {
    ++entries_[*slot].generation;
    free_.push_back(*slot);
    ++c_.drop_key_exchange;
    return;
  }
  entries_[*slot].session = std::move(*s);
  ++live_;
  by_sid_[*sid] = *slot;
  by_client_eid_[h.src_eid()] = *slot;
}

void Endpoint::on_plain_echo(Context& ctx, PeerAddr from, const HeaderView<base::Bytes>& h) noexcept {
  auto m = Echo::parse(h.payload());
  if (!m) {
    ++c_.drop_malformed;
    return;
  }
  const auto slot = session_for(h.dst_site(), h.dst_eid());
  if (!slot && !is_listen_address(h.dst_site(), h.dst_eid())) {
    ++c_.drop_not_for_us;
    return;
  }
  if (m->subtype == 1) {
    if (!cfg_.answer_unprotected_echo) return;
    // The reply is exactly as long as the request: no amplification.
    if (h.payload().size() > scratch_.size()) return;
    std::copy(h.payload().begin(), h.payload().end(), scratch_.begin());
    base::store_u8(scratch_.data(), 2);
    ++c_.echo_replies_sent;
    return reply(ctx, from, h, Type::echo, base::Bytes(scratch_).first(h.payload().size()));
  }
  if (!ctx.out.has_event_room() || ctx.out.space().size() < m->data.size()) {
    ++c_.drop_output_full;
    return;
  }
  std::copy(m->data.begin(), m->data.end(), ctx.out.space().begin());
  Event e;
  e.kind = EventKind::echo_reply;
  if (slot) e.session = entries_[*slot].session->handle();
  e.peer = from;
  e.identifier = m->identifier;
  e.sequence = m->sequence;
  e.data = ctx.out.commit_data(m->data.size());
  e.authenticated = false;
  ctx.out.push_event(e);
}

void Endpoint::on_error(Context& ctx, const HeaderView<base::Bytes>& h) noexcept {
  auto e = Error::parse(h.payload());
  if (!e) {
    ++c_.drop_malformed;
    return;
  }
  // The quoted packet must be one we sent: its source is us, its destination the peer.
  if (e->quoted.size() < kHeaderLen) {
    ++c_.drop_error_unmatched;
    return;
  }
  const auto q = HeaderView<base::Bytes>::unchecked(e->quoted);
  std::optional<base::u32> slot;
  if (is_listen_address(h.dst_site(), h.dst_eid())) {
    if (auto it = by_client_eid_.find(q.dst_eid()); it != by_client_eid_.end()) slot = it->second;
  } else {
    slot = session_for(h.dst_site(), h.dst_eid());
  }
  Session* s = slot ? entries_[*slot].session.get() : nullptr;
  if (s == nullptr) {
    ++c_.drop_not_for_us;
    return;
  }
  const Addressing& a = s->addressing();
  if (q.src_site() != a.local_site || q.src_eid() != a.local_eid || q.dst_site() != a.peer_site ||
      q.dst_eid() != a.peer_eid || !s->on_error(ctx, *e)) {
    ++c_.drop_error_unmatched;
    return;
  }
  if (s->finished()) reap(*slot);
}

// --- replies without a session -------------------------------------------------------------------

void Endpoint::reply(Context& ctx, PeerAddr to, const HeaderView<base::Bytes>& h, Type t, base::Bytes body) noexcept {
  const std::size_t len = kHeaderLen + body.size();
  if (len > cfg_.session.max_packet || ctx.out.space().size() < len) {
    ++c_.drop_output_full;
    return;
  }
  HeaderRepr r;
  r.type = t;
  r.payload_len = static_cast<base::u16>(body.size());
  r.flow_label = h.flow_label();
  r.src_site = h.dst_site();
  r.src_eid = h.dst_eid();
  r.dst_site = h.src_site();
  r.dst_eid = h.src_eid();
  r.emit(ctx.out.space());
  std::copy(body.begin(), body.end(), ctx.out.space().begin() + kHeaderLen);
  (void)transmit(ctx.out, c_, to, len, cfg_.session.max_packet, next_ident_);
}

void Endpoint::send_error(Context& ctx, PeerAddr to, const HeaderView<base::Bytes>& h, ErrorCode code) noexcept {
  // The quote is cut to the header and the Client Hello up to its nonce: enough to match
  // it, and far smaller than the request (no amplification).
  const base::Bytes quoted = h.bytes().first(std::min(h.bytes().size(), kErrorQuoteLen));
  const Error e{static_cast<base::u8>(code), h.type(), 0, quoted};
  std::array<std::byte, 8 + kErrorQuoteLen> body{};
  e.emit(body);
  ++c_.errors_sent;
  reply(ctx, to, h, Type::error, base::Bytes(body).first(e.buffer_len()));
}

}  // namespace nextip::ipv45

#include "engine/ipv45/handshake.h"

#include <algorithm>

namespace nextip::ipv45 {

namespace {

constexpr std::size_t kMacLen = 32;
constexpr std::size_t kTlvHeader = 3;

HsFail fail_of(crypto::Error e) noexcept {
  switch (e) {
    case crypto::Error::x25519_all_zero:
    case crypto::Error::mlkem_ek_modulus:
    case crypto::Error::mlkem_dk_hash:
    case crypto::Error::bad_length: return HsFail::key_exchange;
    default: return HsFail::crypto;
  }
}

void append(std::vector<std::byte>& v, base::Bytes b) {
  v.insert(v.end(), b.begin(), b.end());
}

void append_tlv(std::vector<std::byte>& v, base::u8 type, base::Bytes value) {
  const std::size_t at = v.size();
  v.resize(at + kTlvHeader + value.size());
  (void)emit_tlv(v, at, type, value);
}

crypto::x25519::PublicKey public_key_of(base::Bytes b) noexcept {
  crypto::x25519::PublicKey k{};
  std::copy_n(b.begin(), k.size(), k.begin());
  return k;
}

// HMAC over the concatenation of `parts` (handshake path: one allocation is fine).
Expected<keys::Mac, crypto::Error> mac_of(base::Bytes key, std::initializer_list<base::Bytes> parts) {
  std::vector<std::byte> msg;
  for (base::Bytes p : parts) append(msg, p);
  return keys::hmac(key, msg);
}

}  // namespace

HeaderIdentity header_identity(base::Bytes header) noexcept {
  HeaderIdentity h{};
  std::copy_n(header.begin() + kHeaderIdentityOffset, kHeaderIdentityLen, h.begin());
  return h;
}

// --- key shares ---------------------------------------------------------------------

Expected<std::unique_ptr<InitiatorShare>, SessionError> InitiatorShare::generate(crypto::Rng& rng,
                                                                                 crypto::Kem& kem) noexcept {
  auto x = crypto::x25519::KeyPair::generate(rng);
  if (!x) return nextip::unexpected(SessionError::crypto);
  auto s = std::make_unique<InitiatorShare>(std::move(*x));
  if (!rng.fill(s->nonce_) || !kem.keygen(rng, s->ek_, s->dk_.mut_span())) {
    return nextip::unexpected(SessionError::crypto);
  }
  return s;
}

Expected<keys::EpochSecrets, HsFail> InitiatorShare::finish(crypto::Kem& kem, base::Bytes peer_x25519, base::Bytes ct,
                                                            base::Bytes responder_nonce,
                                                            base::Bytes extra) const noexcept {
  if (peer_x25519.size() != crypto::x25519::kKeySize) return nextip::unexpected(HsFail::key_exchange);
  auto x = x_.shared_secret(public_key_of(peer_x25519));  // X25519
  if (!x) return nextip::unexpected(fail_of(x.error()));
  crypto::SecretBytes<32> k;
  if (auto r = kem.decaps(dk_.span(), ct, k.mut_span()); !r) return nextip::unexpected(fail_of(r.error()));  // ML-KEM
  auto s = keys::derive(x->span(), k.span(), extra, nonce_, responder_nonce);
  if (!s) return nextip::unexpected(fail_of(s.error()));
  return std::move(*s);
}

Expected<ResponderShare, HsFail> respond(crypto::Rng& rng, crypto::Kem& kem, base::Bytes peer_x25519, base::Bytes ek,
                                         base::Bytes initiator_nonce, base::Bytes extra) noexcept {
  if (peer_x25519.size() != crypto::x25519::kKeySize) return nextip::unexpected(HsFail::key_exchange);
  ResponderShare r;
  auto x = crypto::x25519::KeyPair::generate(rng);
  if (!x) return nextip::unexpected(HsFail::crypto);
  r.x25519 = x->public_key();
  auto xs = x->shared_secret(public_key_of(peer_x25519));  // X25519
  if (!xs) return nextip::unexpected(fail_of(xs.error()));
  crypto::SecretBytes<32> k;
  if (auto e = kem.encaps(rng, ek, r.ct, k.mut_span()); !e) return nextip::unexpected(fail_of(e.error()));  // ML-KEM
  if (!rng.fill(r.nonce)) return nextip::unexpected(HsFail::crypto);
  auto s = keys::derive(xs->span(), k.span(), extra, initiator_nonce, r.nonce);
  if (!s) return nextip::unexpected(fail_of(s.error()));
  r.secrets = std::move(*s);
  return r;
}

// --- parsing ------------------------------------------------------------------------

WireResult<ClientHelloParts> inspect_client_hello(base::Bytes body) noexcept {
  auto ch = ClientHello::parse(body);
  if (!ch) return nextip::unexpected(ch.error());
  ClientHelloParts p{*ch, body, {}, {}, {}};
  TlvWalker w(ch->identity, "ipv45.hs.identity", handshake::kClientHelloLen);
  std::size_t signed_end = body.size();
  for (;;) {
    auto t = w.next();
    if (!t) return nextip::unexpected(t.error());
    if (!*t) break;
    const Tlv& tlv = **t;
    const std::size_t at = handshake::kClientHelloLen + tlv.offset;
    // After a cookie nothing may follow; after the MAC only the cookie.
    if (!p.cookie.empty() || (!p.mac.empty() && tlv.type != tlv::kCookie)) {
      return base::wire_fail(base::WireErrc::bad_value, "ipv45.hs.tlv_order", at);
    }
    switch (tlv.type) {
      case tlv::kPskIdentity:
        if (!p.psk_identity.empty() || tlv.value.empty()) {
          return base::wire_fail(base::WireErrc::bad_value, "ipv45.hs.psk_identity", at);
        }
        p.psk_identity = tlv.value;
        break;
      case tlv::kSignature:
        if (tlv.value.size() != kMacLen) return base::wire_fail(base::WireErrc::bad_length, "ipv45.hs.mac", at);
        p.mac = tlv.value;
        signed_end = std::min(signed_end, at);
        break;
      case tlv::kCookie:
        if (tlv.value.empty() || tlv.value.size() > 64) {
          return base::wire_fail(base::WireErrc::bad_length, "ipv45.hs.cookie", at);
        }
        p.cookie = tlv.value;
        signed_end = std::min(signed_end, at);
        break;
      default: break;  // padding, certificate, DID, unknown non-critical: signed, not used
    }
  }
  p.signed_part = body.first(signed_end);
  return p;
}

WireResult<ServerHelloParts> inspect_server_hello(base::Bytes body) noexcept {
  auto sh = ServerHello::parse(body);
  if (!sh) return nextip::unexpected(sh.error());
  ServerHelloParts p{*sh, {}, {}};
  TlvWalker w(sh->identity, "ipv45.hs.identity", handshake::kServerHelloLen);
  std::size_t mac_at = 0;
  for (;;) {
    auto t = w.next();
    if (!t) return nextip::unexpected(t.error());
    if (!*t) break;
    const Tlv& tlv = **t;
    const std::size_t at = handshake::kServerHelloLen + tlv.offset;
    if (!p.mac.empty()) return base::wire_fail(base::WireErrc::bad_value, "ipv45.hs.tlv_order", at);
    if (tlv.type == tlv::kCookie) return base::wire_fail(base::WireErrc::bad_value, "ipv45.hs.tlv_order", at);
    if (tlv.type == tlv::kSignature) {
      if (tlv.value.size() != kMacLen) return base::wire_fail(base::WireErrc::bad_length, "ipv45.hs.mac", at);
      p.mac = tlv.value;
      mac_at = at;
    }
  }
  if (p.mac.empty()) return base::wire_fail(base::WireErrc::truncated, "ipv45.hs.mac", body.size());
  p.signed_part = body.first(mac_at);
  return p;
}

// --- initiator ------------------------------------------------------------------------

Expected<std::unique_ptr<ClientHandshake>, SessionError> ClientHandshake::start(crypto::Rng& rng, crypto::Kem& kem,
                                                                                Params p) noexcept {
  if (p.identity == IdentityType::x509 || p.identity == IdentityType::did) {
    return nextip::unexpected(SessionError::identity_unsupported);
  }
  if (p.identity == IdentityType::psk && (!p.psk || p.psk_identity.empty())) {
    return nextip::unexpected(SessionError::psk_unknown);
  }
  auto share = InitiatorShare::generate(rng, kem);
  if (!share) return nextip::unexpected(share.error());
  std::unique_ptr<ClientHandshake> h(new ClientHandshake(std::move(*share), std::move(p)));
  std::vector<std::byte> tlvs;
  if (h->p_.identity == IdentityType::psk) append_tlv(tlvs, tlv::kPskIdentity, h->p_.psk_identity);
  ClientHello ch;
  ch.identity_type = h->p_.identity;
  ch.suites[0] = h->p_.suites[0];
  ch.suites[1] = h->p_.suites[1];
  ch.nonce = h->share_->nonce();
  ch.x25519 = std::span<const std::byte, handshake::kX25519Len>(h->share_->x25519());
  ch.mlkem_ek = h->share_->ek();
  ch.identity = tlvs;
  h->body_.resize(ch.buffer_len());
  ch.emit(h->body_);
  h->signed_len_ = h->body_.size();
  if (h->p_.identity == IdentityType::psk) {
    auto key = keys::psk_mac_key(h->p_.psk->span());
    if (!key) return nextip::unexpected(SessionError::crypto);
    auto mac = mac_of(key->span(), {h->p_.header, h->body_});
    if (!mac) return nextip::unexpected(SessionError::crypto);
    append_tlv(h->body_, tlv::kSignature, *mac);
    h->mac_len_ = kTlvHeader + kMacLen;
  }
  return h;
}

void ClientHandshake::set_cookie(base::Bytes cookie) {
  body_.resize(signed_len_ + mac_len_);
  append_tlv(body_, tlv::kCookie, cookie);
}

Expected<ClientHandshake::Result, HsFail> ClientHandshake::finish(crypto::Kem& kem, const ServerHelloParts& sh,
                                                                  const HeaderIdentity& sh_header) const noexcept {
  const CipherSuite sel = sh.hello.selected;
  if (sel == CipherSuite::none || (sel != p_.suites[0] && sel != p_.suites[1])) {
    return nextip::unexpected(HsFail::suite);
  }
  if (sh.hello.session_id == 0) return nextip::unexpected(HsFail::malformed);
  const base::Bytes extra = p_.psk ? p_.psk->span() : base::Bytes{};
  auto s = share_->finish(kem, sh.hello.x25519, sh.hello.mlkem_ct, sh.hello.nonce, extra);
  if (!s) return nextip::unexpected(s.error());
  auto mac = mac_of(s->confirm.span(), {p_.header, base::Bytes(body_).first(signed_len_), sh_header, sh.signed_part});
  if (!mac) return nextip::unexpected(HsFail::crypto);
  if (!crypto::ct_equal(*mac, sh.mac)) return nextip::unexpected(HsFail::transcript_mac);
  return Result{std::move(*s), sel, sh.hello.session_id};
}

// --- responder ------------------------------------------------------------------------

Expected<ServerHelloOut, HsFail> answer_client_hello(crypto::Rng& rng, crypto::Kem& kem, const ClientHelloParts& ch,
                                                     const HeaderIdentity& ch_header, const HeaderIdentity& sh_header,
                                                     CipherSuite selected, base::u16 session_id,
                                                     base::Bytes psk) noexcept {
  auto share = respond(rng, kem, ch.hello.x25519, ch.hello.mlkem_ek, ch.hello.nonce, psk);
  if (!share) return nextip::unexpected(share.error());
  ServerHelloOut out;
  ServerHello sh;
  sh.selected = selected;
  sh.session_id = session_id;
  sh.nonce = share->nonce;
  sh.x25519 = share->x25519;
  sh.mlkem_ct = share->ct;
  out.body.resize(sh.buffer_len());
  sh.emit(out.body);
  auto mac = mac_of(share->secrets.confirm.span(), {ch_header, ch.signed_part, sh_header, out.body});
  if (!mac) return nextip::unexpected(HsFail::crypto);
  append_tlv(out.body, tlv::kSignature, *mac);
  out.secrets = std::move(share->secrets);
  return out;
}

bool verify_client_mac(base::Bytes psk, const ClientHelloParts& ch, const HeaderIdentity& ch_header) noexcept {
  if (ch.mac.empty()) return false;
  auto key = keys::psk_mac_key(psk);
  if (!key) return false;
  auto mac = mac_of(key->span(), {ch_header, ch.signed_part});
  return mac && crypto::ct_equal(*mac, ch.mac);
}

std::vector<std::byte> rekey_client_hello(const InitiatorShare& s, CipherSuite suite, IdentityType identity) {
  ClientHello ch;
  ch.identity_type = identity;
  ch.suites[0] = suite;
  ch.suites[1] = CipherSuite::none;
  ch.nonce = s.nonce();
  ch.x25519 = std::span<const std::byte, handshake::kX25519Len>(s.x25519());
  ch.mlkem_ek = s.ek();
  std::vector<std::byte> body(ch.buffer_len());
  ch.emit(body);
  return body;
}

std::vector<std::byte> rekey_server_hello(const ResponderShare& s, CipherSuite suite, base::u16 session_id) {
  ServerHello sh;
  sh.selected = suite;
  sh.session_id = session_id;
  sh.nonce = s.nonce;
  sh.x25519 = s.x25519;
  sh.mlkem_ct = s.ct;
  std::vector<std::byte> body(sh.buffer_len());
  sh.emit(body);
  return body;
}

}  // namespace nextip::ipv45

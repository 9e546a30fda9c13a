#include "wire/ipv45/messages.h"

#include <algorithm>

namespace nextip::ipv45 {

namespace {

void copy_to(std::byte* dst, Bytes src) noexcept {
  std::copy(src.begin(), src.end(), dst);
}

template <std::size_t N>
std::span<const std::byte, N> fixed(Bytes b, std::size_t at) noexcept {
  return std::span<const std::byte, N>(b.data() + at, N);
}

}  // namespace

std::string_view name(IdentityType t) noexcept {
  switch (t) {
    case IdentityType::anonymous: return "anonymous";
    case IdentityType::x509: return "x509";
    case IdentityType::did: return "did";
    case IdentityType::psk: return "psk";
  }
  return "?";
}

std::string_view name(CipherSuite s) noexcept {
  switch (s) {
    case CipherSuite::none: return "none";
    case CipherSuite::aes256gcm: return "AES-256-GCM";
    case CipherSuite::chacha20poly1305: return "ChaCha20-Poly1305";
  }
  return "?";
}

std::string_view name(ErrorCode c) noexcept {
  switch (c) {
    case ErrorCode::unspecified: return "UNSPECIFIED";
    case ErrorCode::hop_limit_exceeded: return "HOP_LIMIT_EXCEEDED";
    case ErrorCode::mtu_exceeded: return "MTU_EXCEEDED";
    case ErrorCode::unreachable: return "UNREACHABLE";
    case ErrorCode::auth_failed: return "AUTH_FAILED";
    case ErrorCode::policy_denied: return "POLICY_DENIED";
  }
  return "?";
}

WireResult<std::optional<Tlv>> TlvWalker::next() noexcept {
  if (pos_ >= a_.size()) return std::optional<Tlv>{};
  if (pos_ + 3 > a_.size()) return base::wire_fail(WireErrc::truncated, name_, base_ + pos_);
  const std::size_t len = base::load_be16(a_.data() + pos_ + 1);
  if (pos_ + 3 + len > a_.size()) return base::wire_fail(WireErrc::truncated, name_, base_ + pos_ + 1);
  Tlv t{base::load_u8(a_.data() + pos_), a_.subspan(pos_ + 3, len), pos_};
  pos_ += 3 + len;
  return std::optional<Tlv>{t};
}

WireResult<int> TlvWalker::validate(Bytes area, std::string_view field_name, std::size_t base_offset) noexcept {
  TlvWalker w(area, field_name, base_offset);
  int n = 0;
  for (;;) {
    auto t = w.next();
    if (!t) return nextip::unexpected(t.error());
    if (!*t) return n;
    // docs/wire/ipv45.md: no TLV type defined so far is critical, so every critical
    // type is unknown and the message is refused.
    if (((*t)->type & tlv::kCritical) != 0) {
      return base::wire_fail(WireErrc::unknown_critical, field_name, base_offset + (*t)->offset);
    }
    ++n;
  }
}

std::size_t emit_tlv(MutBytes buf, std::size_t at, u8 type, Bytes value) noexcept {
  base::store_u8(buf.data() + at, type);
  base::store_be16(buf.data() + at + 1, static_cast<u16>(value.size()));
  copy_to(buf.data() + at + 3, value);
  return at + 3 + value.size();
}

// --- handshake ------------------------------------------------------------------

namespace {
constexpr base::FieldSpan kClientHelloLayout[] = {{"ipv45.hs.subtype", 0, 1},  {"ipv45.hs.identity_type", 1, 1},
                                                  {"ipv45.hs.suites", 2, 2},   {"ipv45.hs.nonce", 4, 32},
                                                  {"ipv45.hs.x25519", 36, 32}, {"ipv45.hs.mlkem_ek", 68, 1184}};
constexpr base::FieldSpan kServerHelloLayout[] = {{"ipv45.hs.subtype", 0, 1},    {"ipv45.hs.selected_suite", 1, 1},
                                                  {"ipv45.hs.session_id", 2, 2}, {"ipv45.hs.nonce", 4, 32},
                                                  {"ipv45.hs.x25519", 36, 32},   {"ipv45.hs.mlkem_ct", 68, 1088}};
}  // namespace

WireResult<ClientHello> ClientHello::parse(Bytes body) noexcept {
  if (body.size() < handshake::kClientHelloLen) {
    return nextip::unexpected(base::first_missing(kClientHelloLayout, body.size()));
  }
  if (base::load_u8(body.data()) != handshake::kClientHello) {
    return base::wire_fail(WireErrc::bad_value, "ipv45.hs.subtype", 0);
  }
  const u8 id = base::load_u8(body.data() + 1);
  if (id > 3) return base::wire_fail(WireErrc::bad_value, "ipv45.hs.identity_type", 1);
  ClientHello c{static_cast<IdentityType>(id),
                {static_cast<CipherSuite>(base::load_u8(body.data() + 2)),
                 static_cast<CipherSuite>(base::load_u8(body.data() + 3))},
                fixed<handshake::kNonceLen>(body, 4),
                fixed<handshake::kX25519Len>(body, 36),
                fixed<handshake::kMlkemEkLen>(body, 68),
                body.subspan(handshake::kClientHelloLen)};
  if (auto v = TlvWalker::validate(c.identity, "ipv45.hs.identity", handshake::kClientHelloLen); !v) {
    return nextip::unexpected(v.error());
  }
  return c;
}

void ClientHello::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, handshake::kClientHello);
  base::store_u8(p + 1, static_cast<u8>(identity_type));
  base::store_u8(p + 2, static_cast<u8>(suites[0]));
  base::store_u8(p + 3, static_cast<u8>(suites[1]));
  copy_to(p + 4, nonce);
  copy_to(p + 36, x25519);
  copy_to(p + 68, mlkem_ek);
  copy_to(p + handshake::kClientHelloLen, identity);
}

WireResult<ServerHello> ServerHello::parse(Bytes body) noexcept {
  if (body.size() < handshake::kServerHelloLen) {
    return nextip::unexpected(base::first_missing(kServerHelloLayout, body.size()));
  }
  if (base::load_u8(body.data()) != handshake::kServerHello) {
    return base::wire_fail(WireErrc::bad_value, "ipv45.hs.subtype", 0);
  }
  ServerHello s{static_cast<CipherSuite>(base::load_u8(body.data() + 1)),
                base::load_be16(body.data() + 2),
                fixed<handshake::kNonceLen>(body, 4),
                fixed<handshake::kX25519Len>(body, 36),
                fixed<handshake::kMlkemCtLen>(body, 68),
                body.subspan(handshake::kServerHelloLen)};
  if (auto v = TlvWalker::validate(s.identity, "ipv45.hs.identity", handshake::kServerHelloLen); !v) {
    return nextip::unexpected(v.error());
  }
  return s;
}

void ServerHello::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, handshake::kServerHello);
  base::store_u8(p + 1, static_cast<u8>(selected));
  base::store_be16(p + 2, session_id);
  copy_to(p + 4, nonce);
  copy_to(p + 36, x25519);
  copy_to(p + 68, mlkem_ct);
  copy_to(p + handshake::kServerHelloLen, identity);
}

// --- CONTROL, ECHO, ERROR, KEEPALIVE, protected DATA -------------------------------

WireResult<Control> Control::parse(Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {
      {"ipv45.ctl.subtype", 0, 1}, {"ipv45.ctl.flags", 1, 1}, {"ipv45.ctl.length", 2, 2}};
  if (body.size() < 4) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  const std::size_t len = base::load_be16(body.data() + 2);
  if (4 + len > body.size()) return base::wire_fail(WireErrc::truncated, "ipv45.ctl.tlvs", 4);
  Control c{base::load_u8(body.data()), base::load_u8(body.data() + 1), body.subspan(4, len)};
  if (auto v = TlvWalker::validate(c.tlvs, "ipv45.ctl.tlv", 4); !v) return nextip::unexpected(v.error());
  return c;
}

void Control::emit(MutBytes buf) const noexcept {
  base::store_u8(buf.data(), subtype);
  base::store_u8(buf.data() + 1, flags);
  base::store_be16(buf.data() + 2, static_cast<u16>(tlvs.size()));
  copy_to(buf.data() + 4, tlvs);
}

WireResult<Echo> Echo::parse(Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {
      {"ipv45.echo.subtype", 0, 1}, {"ipv45.echo.reserved", 1, 1}, {"ipv45.echo.id", 2, 2}, {"ipv45.echo.seq", 4, 4}};
  if (body.size() < 8) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  const u8 sub = base::load_u8(body.data());
  if (sub != 1 && sub != 2) return base::wire_fail(WireErrc::bad_value, "ipv45.echo.subtype", 0);
  return Echo{sub, base::load_be16(body.data() + 2), base::load_be32(body.data() + 4), body.subspan(8)};
}

void Echo::emit(MutBytes buf) const noexcept {
  base::store_u8(buf.data(), subtype);
  base::store_u8(buf.data() + 1, 0);
  base::store_be16(buf.data() + 2, identifier);
  base::store_be32(buf.data() + 4, sequence);
  copy_to(buf.data() + 8, data);
}

WireResult<Error> Error::parse(Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {
      {"ipv45.err.code", 0, 1}, {"ipv45.err.type", 1, 1}, {"ipv45.err.info", 2, 2}, {"ipv45.err.reserved", 4, 4}};
  if (body.size() < 8) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  return Error{base::load_u8(body.data()), base::load_u8(body.data() + 1), base::load_be16(body.data() + 2),
               body.subspan(8)};
}

void Error::emit(MutBytes buf) const noexcept {
  base::store_u8(buf.data(), code);
  base::store_u8(buf.data() + 1, offending_type);
  base::store_be16(buf.data() + 2, info);
  base::store_be32(buf.data() + 4, 0);
  copy_to(buf.data() + 8, quoted);
}

WireResult<Keepalive> Keepalive::parse(Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {
      {"ipv45.ka.flags", 0, 1}, {"ipv45.ka.reserved", 1, 1}, {"ipv45.ka.interval", 2, 2}, {"ipv45.ka.seq", 4, 4}};
  if (body.size() < 8) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  return Keepalive{base::load_u8(body.data()), base::load_be16(body.data() + 2), base::load_be32(body.data() + 4)};
}

void Keepalive::emit(MutBytes buf) const noexcept {
  base::store_u8(buf.data(), flags);
  base::store_u8(buf.data() + 1, 0);
  base::store_be16(buf.data() + 2, interval);
  base::store_be32(buf.data() + 4, sequence);
}

WireResult<Protected> Protected::parse(Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {{"ipv45.data.session_id", 0, 2},
                                         {"ipv45.data.reserved", 2, 2},
                                         {"ipv45.data.seq", 4, 8},
                                         {"ipv45.data.tag", 12, 16}};
  if (body.size() < kHeader + kTag) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  return Protected{base::load_be16(body.data()), base::load_be64(body.data() + 4), body.subspan(kHeader)};
}

void Protected::emit(MutBytes buf) const noexcept {
  base::store_be16(buf.data(), session_id);
  base::store_be16(buf.data() + 2, 0);
  base::store_be64(buf.data() + 4, sequence);
  copy_to(buf.data() + kHeader, sealed);
}

}  // namespace nextip::ipv45

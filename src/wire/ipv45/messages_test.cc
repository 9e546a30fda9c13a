// IPv4.5 message bodies (docs/wire/ipv45.md): Client Hello (1252 bytes before identity)
// and Server Hello (1156) from the vectors of tests/vectors/packets.tsv, the TLV areas
// (identity material, CONTROL) with the critical-type rule, ECHO, ERROR, KEEPALIVE and
// the protected DATA container; truncation sweeps and randomized round trips.
#include "wire/ipv45/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace nextip::ipv45 {
namespace {

using Buf = std::vector<std::byte>;
using base::u16;
using base::u32;
using base::u64;

Buf hex(std::string_view h) {
  Buf out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::byte>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}
Bytes bs(const Buf& b, std::size_t n) {
  return Bytes(b.data(), n);
}
Bytes bs(const Buf& b) {
  return Bytes(b.data(), b.size());
}
Buf slice(const Buf& b, std::size_t from, std::size_t n) {
  return Buf(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
}
Buf plus(Buf a, const Buf& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
template <class S>
Buf of(S s) {
  return Buf(s.begin(), s.end());
}
template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}
template <class F>
std::string sweep(std::size_t from, std::size_t to, F f) {
  std::string out;
  int bad = 0;
  for (std::size_t n = from; n < to; ++n) {
    const auto [got, want] = f(n);
    if (got == want) continue;
    if (++bad <= 3) out += "len " + std::to_string(n) + ": got " + got + ", want " + want + "; ";
  }
  if (bad > 3) out += "(" + std::to_string(bad) + " lengths in all)";
  return out;
}
struct Field {
  std::size_t below;
  const char* name;
  std::size_t offset;
};
// Every prefix shorter than the last bound fails as truncated at the field it cuts.
template <class Parse>
std::string layout_sweep(const Buf& msg, std::initializer_list<Field> fields, Parse parse) {
  const std::vector<Field> f(fields);
  return sweep(0, f.back().below, [&](std::size_t n) {
    const Field* b = &*std::find_if(f.begin(), f.end(), [&](const Field& x) { return n < x.below; });
    return std::pair{err(parse(bs(msg, n))), expect(WireErrc::truncated, b->name, b->offset)};
  });
}

// packets.tsv "ipv45-client-hello": the fixed header, then subtype 1, identity 0, suites
// 0x01 0x02, nonce 0x11…, X25519 0x22…, ML-KEM-768 ek byte i = 7i mod 256 (generated).
constexpr std::string_view kHelloHeader = "114004e4ff0000011234deadbeef00010100000000000042";
Buf client_hello() {
  Buf b = hex("01000102");
  b.insert(b.end(), 32, std::byte{0x11});
  b.insert(b.end(), 32, std::byte{0x22});
  for (std::size_t i = 0; i < 1184; ++i) b.push_back(static_cast<std::byte>((7 * i) & 0xff));
  return b;
}
// packets.tsv "ipv45-server-hello": subtype 2, suite 0x01, session 0xBEEF, nonce 0x11…,
// X25519 0x22…, ML-KEM-768 ciphertext byte i = 13i mod 256 (generated).
constexpr std::string_view kServerHeader = "11400484ff00000101000000000000421234deadbeef0001";
Buf server_hello() {
  Buf b = hex("0201beef");
  b.insert(b.end(), 32, std::byte{0x11});
  b.insert(b.end(), 32, std::byte{0x22});
  for (std::size_t i = 0; i < 1088; ++i) b.push_back(static_cast<std::byte>((13 * i) & 0xff));
  return b;
}
// The ECHO body of packets.tsv "ipv45-modec-echo": request, id 7, seq 1, "ping".
const Buf kEcho =
    hex("0100000700000001"
        "70696e67");
// CONTROL Map-Request: TLVs EID deadbeef0001, Site 0x1234, nonce 0102…08 (25 bytes).
const Buf kControl =
    hex("01000019"
        "010006deadbeef0001"
        "0200021234"
        "0700080102030405060708");
// ERROR MTU_EXCEEDED for a Type 0 packet, path MTU 1400, quoting 8 bytes.
const Buf kError =
    hex("0200057800000000"
        "1040000c11001234");
// KEEPALIVE: reply requested, interval 25 s, sequence 7.
const Buf kKeepalive = hex("8000001900000007");
// Protected DATA: session 0xBEEF, sequence 1, 5 bytes of ciphertext, 16-byte tag.
const Buf kProtected =
    hex("beef00000000000000000001"
        "0a0b0c0d0e"
        "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

TEST(Ipv45ClientHello, DeconstructVector) {
  const Buf body = client_hello();
  ASSERT_EQ(body.size(), 1252u);
  EXPECT_EQ(handshake::kClientHelloLen, 1252u);
  auto c = ClientHello::parse(bs(body));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->identity_type, IdentityType::anonymous);
  EXPECT_EQ(c->suites[0], CipherSuite::aes256gcm);
  EXPECT_EQ(c->suites[1], CipherSuite::chacha20poly1305);
  EXPECT_TRUE(std::all_of(c->nonce.begin(), c->nonce.end(), [](std::byte b) { return b == std::byte{0x11}; }));
  EXPECT_TRUE(std::all_of(c->x25519.begin(), c->x25519.end(), [](std::byte b) { return b == std::byte{0x22}; }));
  EXPECT_EQ(c->mlkem_ek.size(), 1184u);
  EXPECT_EQ(c->mlkem_ek[1], std::byte{7});
  EXPECT_EQ(c->mlkem_ek[1183], std::byte{static_cast<u8>((7 * 1183) & 0xff)});
  EXPECT_TRUE(c->identity.empty());
  EXPECT_EQ(c->buffer_len(), 1252u);
  // It is what the vector's fixed header carries.
  const Buf pkt = plus(hex(kHelloHeader), body);
  auto h = HeaderView<Bytes>::checked(bs(pkt));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type(), 1);
  EXPECT_EQ(h->payload_length(), 1252);
  EXPECT_TRUE(ClientHello::parse(h->payload()));
}

TEST(Ipv45ClientHello, EmitWritesExactlyTheVector) {
  const Buf body = client_hello();
  ClientHello c;
  c.identity_type = IdentityType::anonymous;
  c.suites[0] = CipherSuite::aes256gcm;
  c.suites[1] = CipherSuite::chacha20poly1305;
  c.nonce = std::span<const std::byte, 32>(body.data() + 4, 32);
  c.x25519 = std::span<const std::byte, 32>(body.data() + 36, 32);
  c.mlkem_ek = std::span<const std::byte, 1184>(body.data() + 68, 1184);
  Buf out(1260, std::byte{0x5a});
  c.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 1252), body);
  EXPECT_EQ(out[1252], std::byte{0x5a});
}

TEST(Ipv45ClientHello, EveryShorterBodyIsTruncatedAtTheFieldItCuts) {
  const Buf body = client_hello();
  EXPECT_EQ(layout_sweep(body,
                         {{1, "ipv45.hs.subtype", 0},
                          {2, "ipv45.hs.identity_type", 1},
                          {4, "ipv45.hs.suites", 2},
                          {36, "ipv45.hs.nonce", 4},
                          {68, "ipv45.hs.x25519", 36},
                          {1252, "ipv45.hs.mlkem_ek", 68}},
                         [](Bytes b) { return ClientHello::parse(b); }),
            "");
  EXPECT_EQ(err(ClientHello::parse(bs(body, 1251))), expect(WireErrc::truncated, "ipv45.hs.mlkem_ek", 68));
}

TEST(Ipv45ClientHello, SubtypeAndIdentityTypeAreChecked) {
  for (int s : {0, 2, 3, 0x81}) {
    Buf b = client_hello();
    b[0] = static_cast<std::byte>(s);
    EXPECT_EQ(err(ClientHello::parse(bs(b))), expect(WireErrc::bad_value, "ipv45.hs.subtype", 0)) << s;
  }
  for (int t = 0; t <= 3; ++t) {
    Buf b = client_hello();
    b[1] = static_cast<std::byte>(t);
    auto c = ClientHello::parse(bs(b));
    ASSERT_TRUE(c) << t;
    EXPECT_EQ(static_cast<int>(c->identity_type), t);
  }
  for (int t : {4, 5, 0x80, 0xff}) {
    Buf b = client_hello();
    b[1] = static_cast<std::byte>(t);
    EXPECT_EQ(err(ClientHello::parse(bs(b))), expect(WireErrc::bad_value, "ipv45.hs.identity_type", 1)) << t;
  }
  Buf none = client_hello();
  none[3] = std::byte{0};  // 0x00 = no second suite
  auto c = ClientHello::parse(bs(none));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->suites[1], CipherSuite::none);
}

TEST(Ipv45ClientHello, IdentityTlvs) {
  const Buf ids =
      hex("010005616c696365"
          "060003000000");  // PSK identity "alice", padding
  const Buf body = plus(client_hello(), ids);
  auto c = ClientHello::parse(bs(body));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->identity.size(), 14u);
  EXPECT_EQ(c->buffer_len(), 1266u);
  TlvWalker w(c->identity, "ipv45.hs.identity", 1252);
  auto t1 = w.next();
  ASSERT_TRUE(t1 && *t1);
  EXPECT_EQ((*t1)->type, tlv::kPskIdentity);
  EXPECT_EQ(of((*t1)->value), hex("616c696365"));
  EXPECT_EQ((*t1)->offset, 0u);
  auto t2 = w.next();
  ASSERT_TRUE(t2 && *t2);
  EXPECT_EQ((*t2)->type, tlv::kPadding);
  EXPECT_EQ((*t2)->value.size(), 3u);
  EXPECT_EQ((*t2)->offset, 8u);
  auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  auto n = TlvWalker::validate(c->identity, "ipv45.hs.identity", 1252);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  // Emit puts them back after the fixed part.
  Buf out(body.size());
  c->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, body);
}

TEST(Ipv45ClientHello, TlvRunningPastTheEndIsTruncated) {
  const Buf ch = client_hello();
  // Length 9, five bytes present: the length field (at 1253) says too much.
  EXPECT_EQ(err(ClientHello::parse(bs(plus(ch, hex("010009616c696365"))))),
            expect(WireErrc::truncated, "ipv45.hs.identity", 1253));
  // A second TLV, at 1255, cut in its header.
  EXPECT_EQ(err(ClientHello::parse(bs(plus(ch, hex("060000"
                                                   "0500"))))),
            expect(WireErrc::truncated, "ipv45.hs.identity", 1255));
  // Every cut of a TLV area fails, naming the area.
  const Buf full = plus(ch, hex("010005616c696365"));
  for (std::size_t n = 1253; n < full.size(); ++n) {
    auto c = ClientHello::parse(bs(full, n));
    ASSERT_FALSE(c) << n;
    EXPECT_EQ(c.error().code, WireErrc::truncated) << n;
    EXPECT_EQ(c.error().field, "ipv45.hs.identity") << n;
  }
}

// docs/wire/ipv45.md: "Types with the top bit set are critical: a receiver that does not
// know one rejects the message; other unknown types are skipped."
TEST(Ipv45ClientHello, UnknownCriticalTlvIsRejected) {
  const Buf ch = client_hello();
  EXPECT_TRUE(ClientHello::parse(bs(plus(ch, hex("45000100")))));  // unknown, not critical: skipped
  auto c = ClientHello::parse(bs(plus(ch, hex("010001aa"
                                              "85000100"))));
  ASSERT_FALSE(c) << "an unknown critical TLV (0x85) was accepted";
  EXPECT_EQ(c.error().field, "ipv45.hs.identity");
  EXPECT_EQ(c.error().offset, 1256);
}

TEST(Ipv45ServerHello, DeconstructAndEmitVector) {
  const Buf body = server_hello();
  ASSERT_EQ(body.size(), 1156u);
  EXPECT_EQ(handshake::kServerHelloLen, 1156u);
  auto s = ServerHello::parse(bs(body));
  ASSERT_TRUE(s) << err(s);
  EXPECT_EQ(s->selected, CipherSuite::aes256gcm);
  EXPECT_EQ(s->session_id, 48879);  // packets.tsv ipv45.hs.session_id
  EXPECT_EQ(s->nonce[31], std::byte{0x11});
  EXPECT_EQ(s->x25519[0], std::byte{0x22});
  EXPECT_EQ(s->mlkem_ct.size(), 1088u);
  EXPECT_EQ(s->mlkem_ct[2], std::byte{26});
  EXPECT_TRUE(s->identity.empty());
  const Buf pkt = plus(hex(kServerHeader), body);
  auto h = HeaderView<Bytes>::checked(bs(pkt));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->payload_length(), 1156);
  ServerHello e;
  e.selected = CipherSuite::aes256gcm;
  e.session_id = 0xbeef;
  e.nonce = std::span<const std::byte, 32>(body.data() + 4, 32);
  e.x25519 = std::span<const std::byte, 32>(body.data() + 36, 32);
  e.mlkem_ct = std::span<const std::byte, 1088>(body.data() + 68, 1088);
  Buf out(1156);
  e.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, body);
}

TEST(Ipv45ServerHello, EveryShorterBodyIsTruncatedAtTheFieldItCuts) {
  EXPECT_EQ(layout_sweep(server_hello(),
                         {{1, "ipv45.hs.subtype", 0},
                          {2, "ipv45.hs.selected_suite", 1},
                          {4, "ipv45.hs.session_id", 2},
                          {36, "ipv45.hs.nonce", 4},
                          {68, "ipv45.hs.x25519", 36},
                          {1156, "ipv45.hs.mlkem_ct", 68}},
                         [](Bytes b) { return ServerHello::parse(b); }),
            "");
}

TEST(Ipv45ServerHello, SubtypeSignatureAndBadTlv) {
  Buf wrong = server_hello();
  wrong[0] = std::byte{1};
  EXPECT_EQ(err(ServerHello::parse(bs(wrong))), expect(WireErrc::bad_value, "ipv45.hs.subtype", 0));
  Buf sig = hex("050040");
  sig.insert(sig.end(), 64, std::byte{0x5e});
  auto s = ServerHello::parse(bs(plus(server_hello(), sig)));
  ASSERT_TRUE(s) << err(s);
  EXPECT_EQ(s->identity.size(), 67u);
  EXPECT_EQ(s->buffer_len(), 1223u);
  Buf cut = plus(server_hello(), sig);
  cut.pop_back();
  EXPECT_EQ(err(ServerHello::parse(bs(cut))), expect(WireErrc::truncated, "ipv45.hs.identity", 1157));
}

TEST(Ipv45ServerHello, UnknownCriticalTlvIsRejected) {
  EXPECT_TRUE(ServerHello::parse(bs(plus(server_hello(), hex("7f0000")))));  // unknown, not critical
  auto c = ServerHello::parse(bs(plus(server_hello(), hex("ff0000"))));
  ASSERT_FALSE(c) << "an unknown critical TLV (0xff) was accepted";
  EXPECT_EQ(c.error().field, "ipv45.hs.identity");
  EXPECT_EQ(c.error().offset, 1156);
}

TEST(Ipv45Tlv, EmitTlv) {
  Buf out(12, std::byte{0});
  const Buf v = hex("deadbeef0001");
  const std::size_t end = emit_tlv(MutBytes(out.data(), out.size()), 2, control::kTlvEid, bs(v));
  EXPECT_EQ(end, 11u);
  EXPECT_EQ(out, hex("0000"
                     "010006deadbeef0001"
                     "00"));
  EXPECT_EQ(emit_tlv(MutBytes(out.data(), out.size()), 0, tlv::kPadding, Bytes{}), 3u);
  EXPECT_EQ(slice(out, 0, 3), hex("060000"));
}

TEST(Ipv45Control, DeconstructAndEmit) {
  auto c = Control::parse(bs(kControl));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->subtype, control::kMapRequest);
  EXPECT_EQ(c->flags, 0);
  EXPECT_EQ(c->tlvs.size(), 25u);
  EXPECT_EQ(c->buffer_len(), 29u);
  TlvWalker w(c->tlvs, "ipv45.ctl.tlv", 4);
  const u8 types[] = {control::kTlvEid, control::kTlvSite, control::kTlvNonce};
  const std::size_t lens[] = {6, 2, 8};
  for (std::size_t i = 0; i < 3; ++i) {
    auto t = w.next();
    ASSERT_TRUE(t && *t) << i;
    EXPECT_EQ((*t)->type, types[i]);
    EXPECT_EQ((*t)->value.size(), lens[i]);
  }
  Buf out(29);
  c->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kControl);
  // Bytes after the TLV area are ignored by receivers.
  auto t = Control::parse(bs(plus(kControl, hex("ffff"))));
  ASSERT_TRUE(t) << err(t);
  EXPECT_EQ(t->tlvs.size(), 25u);
}

TEST(Ipv45Control, TruncationSweep) {
  EXPECT_EQ(layout_sweep(kControl,
                         {{1, "ipv45.ctl.subtype", 0},
                          {2, "ipv45.ctl.flags", 1},
                          {4, "ipv45.ctl.length", 2},
                          {29, "ipv45.ctl.tlvs", 4}},
                         [](Bytes b) { return Control::parse(b); }),
            "");
}

TEST(Ipv45Control, LengthFieldPastTheEnd) {
  Buf b = kControl;
  b[3] = std::byte{26};
  EXPECT_EQ(err(Control::parse(bs(b))), expect(WireErrc::truncated, "ipv45.ctl.tlvs", 4));
  b[2] = std::byte{0xff};
  EXPECT_EQ(err(Control::parse(bs(b))), expect(WireErrc::truncated, "ipv45.ctl.tlvs", 4));
}

TEST(Ipv45Control, TlvPastTheEndOfTheArea) {
  // Area of 9 bytes whose one TLV claims 7 bytes of value (6 present).
  const Buf b =
      hex("02000009"
          "010007deadbeef0001"
          "ff");
  EXPECT_EQ(err(Control::parse(bs(b))), expect(WireErrc::truncated, "ipv45.ctl.tlv", 5));
  // The second TLV (at area offset 9) cut after its type byte.
  const Buf c =
      hex("0200000b"
          "010006deadbeef0001"
          "0500");
  EXPECT_EQ(err(Control::parse(bs(c))), expect(WireErrc::truncated, "ipv45.ctl.tlv", 13));
}

TEST(Ipv45Control, UnknownCriticalTlvIsRejected) {
  EXPECT_TRUE(
      Control::parse(bs(hex("03000004"
                            "40000100"))));  // unknown, not critical
  auto c =
      Control::parse(bs(hex("03000004"
                            "88000100")));
  ASSERT_FALSE(c) << "an unknown critical TLV (0x88) was accepted";
  EXPECT_EQ(c.error().field, "ipv45.ctl.tlv");
  EXPECT_EQ(c.error().offset, 4);
}

TEST(Ipv45Echo, DeconstructAndEmit) {
  auto e = Echo::parse(bs(kEcho));
  ASSERT_TRUE(e) << err(e);
  EXPECT_EQ(e->subtype, 1);
  EXPECT_EQ(e->identifier, 7);
  EXPECT_EQ(e->sequence, 1u);
  EXPECT_EQ(of(e->data), hex("70696e67"));
  EXPECT_EQ(e->buffer_len(), 12u);
  Buf out(12);
  e->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kEcho);
  // The reply echoes the data unchanged.
  Echo r = *e;
  r.subtype = 2;
  r.emit(MutBytes(out.data(), out.size()));
  auto back = Echo::parse(bs(out));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->subtype, 2);
  EXPECT_EQ(of(back->data), hex("70696e67"));
  // Reserved byte sent as zero.
  Buf dirty = kEcho;
  dirty[1] = std::byte{0xff};
  auto d = Echo::parse(bs(dirty));
  ASSERT_TRUE(d);
  d->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kEcho);
}

TEST(Ipv45Echo, SubtypeOtherThanRequestOrReplyIsRefused) {
  for (int s : {0, 3, 0x81, 0xff}) {
    Buf b = kEcho;
    b[0] = static_cast<std::byte>(s);
    EXPECT_EQ(err(Echo::parse(bs(b))), expect(WireErrc::bad_value, "ipv45.echo.subtype", 0)) << s;
  }
}

TEST(Ipv45Echo, TruncationSweep) {
  EXPECT_EQ(layout_sweep(kEcho,
                         {{1, "ipv45.echo.subtype", 0},
                          {2, "ipv45.echo.reserved", 1},
                          {4, "ipv45.echo.id", 2},
                          {8, "ipv45.echo.seq", 4}},
                         [](Bytes b) { return Echo::parse(b); }),
            "");
  EXPECT_TRUE(Echo::parse(bs(kEcho, 8)));
}

TEST(Ipv45Error, DeconstructAndEmit) {
  auto e = Error::parse(bs(kError));
  ASSERT_TRUE(e) << err(e);
  EXPECT_EQ(e->code, static_cast<u8>(ErrorCode::mtu_exceeded));
  EXPECT_EQ(e->offending_type, 0);
  EXPECT_EQ(e->info, 1400);
  EXPECT_EQ(e->quoted.size(), 8u);
  Buf out(16);
  e->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kError);
  // Unassigned codes 6-255 are carried.
  Buf b = kError;
  b[0] = std::byte{200};
  auto u = Error::parse(bs(b));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->code, 200);
  EXPECT_EQ(name(ErrorCode::unspecified), "UNSPECIFIED");
  EXPECT_EQ(name(ErrorCode::hop_limit_exceeded), "HOP_LIMIT_EXCEEDED");
  EXPECT_EQ(name(ErrorCode::mtu_exceeded), "MTU_EXCEEDED");
  EXPECT_EQ(name(ErrorCode::unreachable), "UNREACHABLE");
  EXPECT_EQ(name(ErrorCode::auth_failed), "AUTH_FAILED");
  EXPECT_EQ(name(ErrorCode::policy_denied), "POLICY_DENIED");
}

TEST(Ipv45Error, TruncationSweep) {
  EXPECT_EQ(
      layout_sweep(
          kError,
          {{1, "ipv45.err.code", 0}, {2, "ipv45.err.type", 1}, {4, "ipv45.err.info", 2}, {8, "ipv45.err.reserved", 4}},
          [](Bytes b) { return Error::parse(b); }),
      "");
}

TEST(Ipv45Keepalive, DeconstructAndEmit) {
  auto k = Keepalive::parse(bs(kKeepalive));
  ASSERT_TRUE(k) << err(k);
  EXPECT_EQ(k->flags, 0x80);
  EXPECT_EQ(k->interval, 25);
  EXPECT_EQ(k->sequence, 7u);
  EXPECT_EQ(Keepalive::buffer_len(), 8u);
  Buf out(8);
  k->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kKeepalive);
  auto longer = Keepalive::parse(bs(plus(kKeepalive, hex("01020304"))));  // room for later TLVs
  ASSERT_TRUE(longer);
  EXPECT_EQ(longer->sequence, 7u);
}

TEST(Ipv45Keepalive, TruncationSweep) {
  EXPECT_EQ(
      layout_sweep(
          kKeepalive,
          {{1, "ipv45.ka.flags", 0}, {2, "ipv45.ka.reserved", 1}, {4, "ipv45.ka.interval", 2}, {8, "ipv45.ka.seq", 4}},
          [](Bytes b) { return Keepalive::parse(b); }),
      "");
}

TEST(Ipv45Protected, DeconstructAndEmit) {
  auto p = Protected::parse(bs(kProtected));
  ASSERT_TRUE(p) << err(p);
  EXPECT_EQ(p->session_id, 0xbeef);
  EXPECT_EQ(p->sequence, 1u);
  EXPECT_EQ(p->sealed.size(), 21u);
  EXPECT_EQ(p->buffer_len(), 33u);
  Buf out(33);
  p->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kProtected);
  // Empty ciphertext: exactly 12 + 16 bytes.
  auto e = Protected::parse(bs(kProtected, 28));
  ASSERT_TRUE(e) << err(e);
  EXPECT_EQ(e->sealed.size(), 16u);
}

TEST(Ipv45Protected, ShorterThanHeaderAndTagIsTruncated) {
  EXPECT_EQ(layout_sweep(kProtected,
                         {{2, "ipv45.data.session_id", 0},
                          {4, "ipv45.data.reserved", 2},
                          {12, "ipv45.data.seq", 4},
                          {28, "ipv45.data.tag", 12}},
                         [](Bytes b) { return Protected::parse(b); }),
            "");
}

// "reserved fields are sent as zero" (docs/wire/ipv45.md), whatever was received.
TEST(Ipv45Messages, ReservedFieldsAreSentAsZero) {
  Buf e = kError;
  std::fill_n(e.begin() + 4, 4, std::byte{0xff});
  auto er = Error::parse(bs(e));
  ASSERT_TRUE(er);
  Buf out(er->buffer_len());
  er->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, kError);
  Buf k = kKeepalive;
  k[1] = std::byte{0xff};
  auto ka = Keepalive::parse(bs(k));
  ASSERT_TRUE(ka);
  Buf ko(8);
  ka->emit(MutBytes(ko.data(), ko.size()));
  EXPECT_EQ(ko, kKeepalive);
  Buf p = kProtected;
  p[2] = p[3] = std::byte{0xff};
  auto pr = Protected::parse(bs(p));
  ASSERT_TRUE(pr);
  Buf po(pr->buffer_len());
  pr->emit(MutBytes(po.data(), po.size()));
  EXPECT_EQ(po, kProtected);
}

TEST(Ipv45Names, IdentityAndSuites) {
  EXPECT_EQ(name(IdentityType::anonymous), "anonymous");
  EXPECT_EQ(name(IdentityType::x509), "x509");
  EXPECT_EQ(name(IdentityType::did), "did");
  EXPECT_EQ(name(IdentityType::psk), "psk");
  EXPECT_EQ(name(CipherSuite::none), "none");
  EXPECT_EQ(name(CipherSuite::aes256gcm), "AES-256-GCM");
  EXPECT_EQ(name(CipherSuite::chacha20poly1305), "ChaCha20-Poly1305");
}

Buf random_tlvs(std::mt19937_64& rng) {
  Buf t;
  const int n = static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    const std::size_t len = rng() % 20;
    t.push_back(static_cast<std::byte>(1 + rng() % 6));  // known types only
    t.push_back(static_cast<std::byte>(len >> 8));
    t.push_back(static_cast<std::byte>(len & 0xff));
    for (std::size_t k = 0; k < len; ++k) t.push_back(static_cast<std::byte>(rng()));
  }
  return t;
}
Buf random_bytes(std::mt19937_64& rng, std::size_t n) {
  Buf b(n);
  for (auto& x : b) x = static_cast<std::byte>(rng());
  return b;
}

TEST(Ipv45Messages, RandomizedRoundTrips) {
  std::mt19937_64 rng(1252);
  for (int i = 0; i < 2000; ++i) {
    const Buf keys = random_bytes(rng, 32 + 32 + 1184);
    const Buf ids = random_tlvs(rng);
    ClientHello c;
    c.identity_type = static_cast<IdentityType>(rng() % 4);
    c.suites[0] = static_cast<CipherSuite>(rng() % 3);
    c.suites[1] = static_cast<CipherSuite>(rng() % 3);
    c.nonce = std::span<const std::byte, 32>(keys.data(), 32);
    c.x25519 = std::span<const std::byte, 32>(keys.data() + 32, 32);
    c.mlkem_ek = std::span<const std::byte, 1184>(keys.data() + 64, 1184);
    c.identity = bs(ids);
    Buf out(c.buffer_len());
    c.emit(MutBytes(out.data(), out.size()));
    auto p = ClientHello::parse(bs(out));
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(p->identity_type, c.identity_type);
    EXPECT_EQ(p->suites[0], c.suites[0]);
    EXPECT_EQ(p->suites[1], c.suites[1]);
    EXPECT_TRUE(std::ranges::equal(p->nonce, c.nonce));
    EXPECT_TRUE(std::ranges::equal(p->x25519, c.x25519));
    EXPECT_TRUE(std::ranges::equal(p->mlkem_ek, c.mlkem_ek));
    EXPECT_TRUE(std::ranges::equal(p->identity, c.identity));

    ServerHello s;
    s.selected = static_cast<CipherSuite>(rng() % 3);
    s.session_id = static_cast<u16>(rng());
    s.nonce = std::span<const std::byte, 32>(keys.data(), 32);
    s.x25519 = std::span<const std::byte, 32>(keys.data() + 32, 32);
    s.mlkem_ct = std::span<const std::byte, 1088>(keys.data() + 64, 1088);
    s.identity = bs(ids);
    Buf so(s.buffer_len());
    s.emit(MutBytes(so.data(), so.size()));
    auto sp = ServerHello::parse(bs(so));
    ASSERT_TRUE(sp) << err(sp);
    EXPECT_EQ(sp->selected, s.selected);
    EXPECT_EQ(sp->session_id, s.session_id);
    EXPECT_TRUE(std::ranges::equal(sp->mlkem_ct, s.mlkem_ct));
    EXPECT_TRUE(std::ranges::equal(sp->identity, s.identity));

    const Control ctl{static_cast<u8>(1 + rng() % 6), 0, bs(ids)};
    Buf co(ctl.buffer_len());
    ctl.emit(MutBytes(co.data(), co.size()));
    auto cp = Control::parse(bs(co));
    ASSERT_TRUE(cp) << err(cp);
    EXPECT_EQ(cp->subtype, ctl.subtype);
    EXPECT_TRUE(std::ranges::equal(cp->tlvs, ctl.tlvs));

    const Buf data = random_bytes(rng, rng() % 40);
    const Echo echo{static_cast<u8>(1 + rng() % 2), static_cast<u16>(rng()), static_cast<u32>(rng()), bs(data)};
    Buf eo(echo.buffer_len());
    echo.emit(MutBytes(eo.data(), eo.size()));
    auto ep = Echo::parse(bs(eo));
    ASSERT_TRUE(ep) << err(ep);
    EXPECT_EQ(ep->subtype, echo.subtype);
    EXPECT_EQ(ep->identifier, echo.identifier);
    EXPECT_EQ(ep->sequence, echo.sequence);
    EXPECT_TRUE(std::ranges::equal(ep->data, echo.data));

    const Error er{static_cast<u8>(rng()), static_cast<u8>(rng() % 6), static_cast<u16>(rng()), bs(data)};
    Buf ro(er.buffer_len());
    er.emit(MutBytes(ro.data(), ro.size()));
    auto rp = Error::parse(bs(ro));
    ASSERT_TRUE(rp);
    EXPECT_EQ(rp->code, er.code);
    EXPECT_EQ(rp->offending_type, er.offending_type);
    EXPECT_EQ(rp->info, er.info);
    EXPECT_TRUE(std::ranges::equal(rp->quoted, er.quoted));

    const Keepalive ka{static_cast<u8>(rng() & 0xc0), static_cast<u16>(rng()), static_cast<u32>(rng())};
    Buf ko(8);
    ka.emit(MutBytes(ko.data(), ko.size()));
    auto kp = Keepalive::parse(bs(ko));
    ASSERT_TRUE(kp);
    EXPECT_EQ(kp->flags, ka.flags);
    EXPECT_EQ(kp->interval, ka.interval);
    EXPECT_EQ(kp->sequence, ka.sequence);

    const Buf sealed = random_bytes(rng, 16 + rng() % 40);
    const Protected pr{static_cast<u16>(rng()), rng(), bs(sealed)};
    Buf po(pr.buffer_len());
    pr.emit(MutBytes(po.data(), po.size()));
    auto pp = Protected::parse(bs(po));
    ASSERT_TRUE(pp);
    EXPECT_EQ(pp->session_id, pr.session_id);
    EXPECT_EQ(pp->sequence, pr.sequence);
    EXPECT_TRUE(std::ranges::equal(pp->sealed, pr.sealed));
  }
}

}  // namespace
}  // namespace nextip::ipv45

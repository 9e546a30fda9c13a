// Two Endpoints over an in-memory link with a fake clock: the handshake (fragmented
// Client Hello, cookie, PSK, identities, retransmission), DATA, KEEPALIVE, ECHO, ERROR,
// rekey (by time, by packets, collisions), limits, eNIDs and timeouts.
#include "engine/ipv45/endpoint.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/ipv45/cookie.h"
#include "engine/ipv45/test_support.h"

namespace nextip::ipv45 {
namespace {

using base::seconds;
using testing::Buf;
using testing::bytes_of;
using testing::kAddrA;
using testing::kAddrB;
using testing::kEidB;
using testing::kSiteB;
using testing::OwnedEvent;
using testing::Pair;
using testing::WirePacket;

const std::array<std::byte, 32> kPsk = [] {
  std::array<std::byte, 32> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::byte>(0x40 + i);
  return k;
}();

ConnectParams to(PeerAddr peer, base::u16 site, base::u64 eid) {
  ConnectParams c;
  c.peer = peer;
  c.peer_site = site;
  c.peer_eid = eid;
  return c;
}

base::u8 type_of(const Buf& p) {
  return static_cast<base::u8>(p[0]) & 0x0f;
}
base::u8 flags_of(const Buf& p) {
  return static_cast<base::u8>(p[field::kFlags]);
}

std::vector<Buf> delivered(const std::vector<OwnedEvent>& ev) {
  std::vector<Buf> out;
  for (const OwnedEvent& e : ev) {
    if (e.kind == EventKind::delivered) out.push_back(e.data);
  }
  return out;
}

TEST(Endpoint, HandshakeFragmentsTheClientHelloAndDataFlows) {
  Pair p;
  const SessionHandle ha = p.connect();
  // The anonymous Client Hello (1252 bytes) travels in two fragments of a 1280 path.
  ASSERT_EQ(p.wire.size(), 2u);
  EXPECT_EQ(p.wire[0].bytes.size(), 24u + 8 + 1216);
  EXPECT_EQ(p.wire[1].bytes.size(), 24u + 8 + 36);
  for (const WirePacket& w : p.wire) {
    EXPECT_EQ(type_of(w.bytes), 1);
    EXPECT_NE(flags_of(w.bytes) & flag::kF, 0);
    EXPECT_LE(w.bytes.size() + 28, kMinPathMtu);
  }
  EXPECT_EQ(flags_of(p.wire[0].bytes) & flag::kM, flag::kM);
  EXPECT_EQ(flags_of(p.wire[1].bytes) & flag::kM, 0);
  const Buf ch0 = p.wire[0].bytes;

  // Deliver the Client Hello; the Server Hello (1156 + 35 bytes) needs no fragmentation.
  p.deliver(p.wire[0]);
  p.deliver(p.wire[1]);
  p.wire.pop_front();
  p.wire.pop_front();
  ASSERT_EQ(p.wire.size(), 1u);
  EXPECT_EQ(p.wire[0].bytes.size(), 24u + 1156 + 35);
  EXPECT_EQ(flags_of(p.wire[0].bytes), 0);
  p.run();

  ASSERT_EQ(p.count(kAddrA, EventKind::established), 1u);
  ASSERT_EQ(p.count(kAddrB, EventKind::established), 1u);
  SessionHandle hb;
  for (const OwnedEvent& e : p.events_b) {
    if (e.kind == EventKind::established) hb = e.session;
  }
  const auto ia = p.a->info(ha);
  const auto ib = p.b->info(hb);
  ASSERT_TRUE(ia && ib);
  EXPECT_EQ(ia->suite, CipherSuite::aes256gcm);
  EXPECT_EQ(ia->session_id, ib->session_id);
  EXPECT_NE(ia->session_id, 0);
  EXPECT_EQ(ia->addressing.local_eid, ib->addressing.peer_eid);
  EXPECT_EQ(ia->addressing.local_eid, base::load_be64(ch0.data() + field::kSrcSite) & kEidMask);
  EXPECT_EQ(ib->addressing.local_eid, kEidB);

  // DATA both ways, with the Next Header carried.
  for (int i = 0; i < 50; ++i) {
    const Buf msg = bytes_of("ping " + std::to_string(i));
    ASSERT_TRUE(p.a->send(p.now, ha, 17, msg, p.out()));
    p.collect(kAddrA);
    ASSERT_TRUE(p.b->send(p.now, hb, 6, bytes_of("pong " + std::to_string(i)), p.out()));
    p.collect(kAddrB);
  }
  for (const WirePacket& w : p.wire) {
    EXPECT_EQ(type_of(w.bytes), 0);
    EXPECT_EQ(flags_of(w.bytes), flag::kE);
  }
  p.run();
  const auto got_b = delivered(p.events_b), got_a = delivered(p.events_a);
  ASSERT_EQ(got_b.size(), 50u);
  ASSERT_EQ(got_a.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(got_b[static_cast<std::size_t>(i)], bytes_of("ping " + std::to_string(i)));
    EXPECT_EQ(got_a[static_cast<std::size_t>(i)], bytes_of("pong " + std::to_string(i)));
  }
  for (const OwnedEvent& e : p.events_b) {
    if (e.kind == EventKind::delivered) {
      EXPECT_EQ(e.next_header, 17);
    }
  }
  EXPECT_EQ(total_drops(p.a->counters()), 0u);
  EXPECT_EQ(total_drops(p.b->counters()), 0u);
}

TEST(Endpoint, SuiteNegotiation) {
  auto ca = testing::client_config();
  ca.suites = {CipherSuite::chacha20poly1305, CipherSuite::aes256gcm};
  Pair p(ca);
  const auto [ha, hb] = p.establish();
  EXPECT_EQ(p.a->info(ha)->suite, CipherSuite::chacha20poly1305);
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("x"), p.out()));
  p.collect(kAddrA);
  p.run();
  EXPECT_EQ(delivered(p.events_b).size(), 1u);

  // No suite in common: ERROR UNSPECIFIED, and the client's handshake fails with it.
  auto only_chacha = testing::client_config();
  only_chacha.suites = {CipherSuite::chacha20poly1305, CipherSuite::none};
  auto only_aes = testing::server_config();
  only_aes.suites = {CipherSuite::aes256gcm, CipherSuite::none};
  Pair q(only_chacha, only_aes);
  q.connect();
  q.run();
  EXPECT_EQ(q.b->counters().drop_no_common_suite, 1u);
  ASSERT_EQ(q.count(kAddrA, EventKind::handshake_failed), 1u);
  EXPECT_EQ(q.events_a.back().reason, CloseReason::peer_error);
  EXPECT_EQ(q.events_a.back().error_code, static_cast<base::u8>(ErrorCode::unspecified));
  EXPECT_EQ(q.a->session_count(), 0u);
}

TEST(Endpoint, PskModeSucceedsWithTheRightKey) {
  Pair p;
  ASSERT_TRUE(p.a->add_psk(bytes_of("site-7"), kPsk));
  ASSERT_TRUE(p.b->add_psk(bytes_of("site-7"), kPsk));
  const Buf id = bytes_of("site-7");
  const auto [ha, hb] = p.establish(ConnectParams{{}, 0, 0, IdentityType::psk, id});
  ASSERT_TRUE(p.a->info(ha));
  EXPECT_EQ(p.a->info(ha)->state, Session::State::established);
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("psk data"), p.out()));
  p.collect(kAddrA);
  p.run();
  ASSERT_EQ(delivered(p.events_b).size(), 1u);
}

TEST(Endpoint, WrongPskFailsWithAuthFailed) {
  Pair p;
  auto wrong = kPsk;
  wrong[5] ^= std::byte{1};
  ASSERT_TRUE(p.a->add_psk(bytes_of("site-7"), wrong));
  ASSERT_TRUE(p.b->add_psk(bytes_of("site-7"), kPsk));
  const Buf id = bytes_of("site-7");
  p.connect(ConnectParams{{}, 0, 0, IdentityType::psk, id});
  p.run();
  EXPECT_EQ(p.b->counters().drop_psk_mac, 1u);
  EXPECT_EQ(p.b->counters().errors_sent, 1u);
  EXPECT_EQ(p.b->session_count(), 0u);
  ASSERT_EQ(p.count(kAddrA, EventKind::handshake_failed), 1u);
  EXPECT_EQ(p.events_a.back().reason, CloseReason::peer_error);
  EXPECT_EQ(p.events_a.back().error_code, static_cast<base::u8>(ErrorCode::auth_failed));

  // An identity the responder does not know: AUTH_FAILED as well.
  Pair q;
  ASSERT_TRUE(q.a->add_psk(bytes_of("nobody"), kPsk));
  const Buf nobody = bytes_of("nobody");
  q.connect(ConnectParams{{}, 0, 0, IdentityType::psk, nobody});
  q.run();
  EXPECT_EQ(q.b->counters().drop_psk_unknown, 1u);
  EXPECT_EQ(q.events_a.back().error_code, static_cast<base::u8>(ErrorCode::auth_failed));
  // And locally: no key under that identity.
  const Buf none = bytes_of("missing");
  EXPECT_EQ(q.a->connect(q.now, ConnectParams{kAddrB, kSiteB, kEidB, IdentityType::psk, none}, q.out()).error(),
            SessionError::psk_unknown);
}

TEST(Endpoint, X509AndDidAreRefused) {
  Pair p;
  EXPECT_EQ(p.a->connect(p.now, ConnectParams{kAddrB, kSiteB, kEidB, IdentityType::x509, {}}, p.out()).error(),
            SessionError::identity_unsupported);
  EXPECT_EQ(p.a->connect(p.now, ConnectParams{kAddrB, kSiteB, kEidB, IdentityType::did, {}}, p.out()).error(),
            SessionError::identity_unsupported);
  // A peer that asks for them gets ERROR AUTH_FAILED (identity type patched in flight).
  p.connect();
  ASSERT_EQ(p.wire.size(), 2u);
  p.wire[0].bytes[24 + 8 + 1] = std::byte{static_cast<base::u8>(IdentityType::did)};
  p.run();
  EXPECT_EQ(p.b->counters().drop_identity_unsupported, 1u);
  ASSERT_EQ(p.count(kAddrA, EventKind::handshake_failed), 1u);
  EXPECT_EQ(p.events_a.back().error_code, static_cast<base::u8>(ErrorCode::auth_failed));
}

TEST(Endpoint, BothKeyExchangesMustSucceed) {
  // Client Hello with an all-zero X25519 key (a low-order point): no session, no reply.
  Pair p;
  p.connect();
  for (std::size_t i = 0; i < 32; ++i) p.wire[0].bytes[24 + 8 + 36 + i] = std::byte{0};
  p.run();
  EXPECT_EQ(p.b->counters().drop_key_exchange, 1u);
  EXPECT_EQ(p.b->session_count(), 0u);
  // Client Hello whose ML-KEM key fails the modulus check (a coefficient of 4095 >= q).
  Pair q;
  q.connect();
  q.wire[0].bytes[24 + 8 + 68] = std::byte{0xff};
  q.wire[0].bytes[24 + 8 + 69] = std::byte{0x0f};
  q.run();
  EXPECT_EQ(q.b->counters().drop_key_exchange, 1u);
  EXPECT_EQ(q.b->session_count(), 0u);
  // Server Hello with an all-zero X25519 key: the client derives nothing and keeps waiting.
  Pair r;
  r.connect();
  r.deliver(r.wire[0]);
  r.deliver(r.wire[1]);
  r.wire.erase(r.wire.begin(), r.wire.begin() + 2);
  Buf sh = r.wire[0].bytes;
  for (std::size_t i = 0; i < 32; ++i) sh[24 + 36 + i] = std::byte{0};
  r.a->receive(r.now, kAddrB, sh, r.out());
  r.collect(kAddrA);
  EXPECT_EQ(r.a->counters().drop_key_exchange, 1u);
  EXPECT_EQ(r.count(kAddrA, EventKind::established), 0u);
  r.run();  // the genuine one still works
  EXPECT_EQ(r.count(kAddrA, EventKind::established), 1u);
}

TEST(Endpoint, LostServerHelloIsRepairedWithoutNewKeyExchange) {
  int encaps = 0;
  Pair p(testing::client_config(), testing::server_config(), nullptr, std::make_unique<testing::CountingKem>(&encaps));
  p.connect();
  int dropped = 0;
  p.run([&](WirePacket& w) { return !(w.from == kAddrB && dropped++ == 0); });
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 0u);
  p.advance(seconds(2), base::milliseconds(100));
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 1u);
  EXPECT_EQ(p.a->counters().hs_retransmits, 1u);
  EXPECT_EQ(p.b->counters().hs_duplicate, 1u);
  EXPECT_EQ(encaps, 1);
}

TEST(Endpoint, HandshakeGivesUpAfterTheLastRetransmission) {
  Pair p;
  const SessionHandle h = p.connect();
  for (int i = 0; i < 40; ++i) {
    p.now += seconds(1);
    p.timers();
    p.wire.clear();  // the responder is unreachable
  }
  EXPECT_EQ(p.a->counters().hs_retransmits, 4u);  // 5 Client Hellos: t = 0, 1, 3, 7, 15; give up at 31
  EXPECT_EQ(p.a->counters().handshake_timeouts, 1u);
  ASSERT_EQ(p.count(kAddrA, EventKind::handshake_failed), 1u);
  EXPECT_EQ(p.events_a.back().reason, CloseReason::handshake_timeout);
  EXPECT_FALSE(p.a->info(h));
  EXPECT_EQ(p.a->send(p.now, h, 17, bytes_of("x"), p.out()).error(), SessionError::unknown_session);
}

TEST(Endpoint, CookieExchangeWhenDemanded) {
  int encaps = 0;
  auto cb = testing::server_config();
  cb.cookie_mode = CookieMode::always;
  Pair p(testing::client_config(), cb, nullptr, std::make_unique<testing::CountingKem>(&encaps));
  p.connect();
  p.deliver(p.wire[0]);
  p.deliver(p.wire[1]);
  p.wire.erase(p.wire.begin(), p.wire.begin() + 2);
  // The challenge is small (no amplification) and cost no key exchange.
  ASSERT_EQ(p.wire.size(), 1u);
  EXPECT_EQ(p.wire[0].bytes.size(), 24u + 36 + cookie::kLen);
  EXPECT_EQ(encaps, 0);
  EXPECT_EQ(p.b->session_count(), 0u);
  p.run();
  EXPECT_EQ(p.b->counters().cookie_challenges_sent, 1u);
  EXPECT_EQ(p.a->counters().cookies_received, 1u);
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 1u);
  EXPECT_EQ(encaps, 1);
}

TEST(Endpoint, SpoofedFloodCostsNoKeyExchangeUnderLoad) {
  int encaps = 0;
  auto cb = testing::server_config();
  cb.cookie_threshold = 10;
  Pair p(testing::client_config(), cb, nullptr, std::make_unique<testing::CountingKem>(&encaps));
  // A flood source: real Client Hellos (fresh eNIDs and nonces) from spoofed Locators;
  // the replies go nowhere.
  auto flood_rng = testing::make_rng("flood");
  auto flood = Endpoint::create(testing::client_config(), flood_rng, p.now);
  ASSERT_TRUE(flood);
  OutputStorage<64 * 1024, 16, 16> st;
  for (base::u32 i = 0; i < 200; ++i) {
    ASSERT_TRUE((*flood)->connect(p.now, to(kAddrB, kSiteB, kEidB), st.output));
    const PeerAddr spoofed{0x0a000000 + i, 4242};
    for (const Transmit& t : st.output.transmits()) p.b->receive(p.now, spoofed, t.packet, p.out());
    st.output.clear();
    p.out().clear();
  }
  EXPECT_EQ(encaps, 10);  // until the load reached the threshold; then only challenges
  EXPECT_EQ(p.b->counters().cookie_challenges_sent, 190u);
  EXPECT_EQ(p.b->counters().rx_client_hello, 200u);
  // A genuine client still gets through, with a cookie.
  p.connect();
  p.run();
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 1u);
  EXPECT_EQ(encaps, 11);
  EXPECT_EQ(p.a->counters().cookies_received, 1u);
  // A replayed cookie from another address does not verify.
  EXPECT_EQ(p.b->counters().drop_cookie_invalid, 0u);
}

TEST(Endpoint, NewSessionsAreRateLimited) {
  int encaps = 0;
  auto cb = testing::server_config();
  cb.cookie_mode = CookieMode::never;
  cb.handshakes_per_second = 5;
  cb.handshake_burst = 5;
  Pair p(testing::client_config(), cb, nullptr, std::make_unique<testing::CountingKem>(&encaps));
  for (int i = 0; i < 20; ++i) p.connect();
  p.run();
  EXPECT_EQ(encaps, 5);
  EXPECT_EQ(p.b->counters().drop_hs_rate_limited, 15u);
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 5u);
  // One second later the retransmissions get the refilled tokens.
  p.advance(seconds(1), base::milliseconds(100));
  EXPECT_EQ(encaps, 10);
  EXPECT_EQ(p.count(kAddrA, EventKind::established), 10u);
}

TEST(Endpoint, KeepalivesAndIdleTimeout) {
  Pair p;
  const auto [ha, hb] = p.establish();
  const auto ka_before = p.a->counters().keepalives_sent;
  p.advance(seconds(100));
  EXPECT_GT(p.a->counters().keepalives_sent, ka_before + 2);
  EXPECT_GT(p.b->counters().keepalives_received, 2u);
  EXPECT_TRUE(p.a->info(ha) && p.b->info(hb));
  // Cut the link: both sides close after idle_timeout (180 s) without authenticated input.
  for (int i = 0; i < 200; ++i) {
    p.now += seconds(1);
    p.timers();
    p.wire.clear();
  }
  EXPECT_FALSE(p.a->info(ha));
  EXPECT_FALSE(p.b->info(hb));
  EXPECT_EQ(p.count(kAddrA, EventKind::closed), 1u);
  EXPECT_EQ(p.events_a.back().reason, CloseReason::idle_timeout);
}

TEST(Endpoint, HalfOpenSessionsExpire) {
  Pair p;
  p.connect();
  p.run([](WirePacket& w) { return w.from == kAddrA ? type_of(w.bytes) == 1 : true; });  // drop A's confirmation
  EXPECT_EQ(p.b->session_count(), 1u);
  p.now += seconds(31);
  p.b->on_timeout(p.now, p.out());
  p.out().clear();
  EXPECT_EQ(p.b->session_count(), 0u);
  EXPECT_EQ(p.b->counters().half_open_expired, 1u);
}

TEST(Endpoint, EchoProtectedAndPlain) {
  Pair p;
  const auto [ha, hb] = p.establish();
  ASSERT_TRUE(p.a->echo(p.now, ha, 7, 99, bytes_of("are you there"), p.out()));
  p.collect(kAddrA);
  EXPECT_EQ(flags_of(p.wire.back().bytes), flag::kE);
  p.run();
  ASSERT_EQ(p.count(kAddrA, EventKind::echo_reply), 1u);
  const OwnedEvent& r = p.events_a.back();
  EXPECT_TRUE(r.authenticated);
  EXPECT_EQ(r.identifier, 7);
  EXPECT_EQ(r.sequence, 99u);
  EXPECT_EQ(r.data, bytes_of("are you there"));

  // A plain ECHO request to the listening EID gets a reply of the same size.
  Buf req(24 + 8 + 4);
  HeaderRepr h;
  h.type = Type::echo;
  h.payload_len = 12;
  h.src_site = 0x0a0a;
  h.src_eid = 0x1234;
  h.dst_site = kSiteB;
  h.dst_eid = kEidB;
  h.emit(req);
  Echo{1, 5, 6, bytes_of("abcd")}.emit(base::MutBytes(req).subspan(24));
  p.b->receive(p.now, kAddrA, req, p.out());
  ASSERT_EQ(p.out().transmits().size(), 1u);
  EXPECT_EQ(p.out().transmits()[0].packet.size(), req.size());
  auto rep = Echo::parse(p.out().transmits()[0].packet.subspan(24));
  ASSERT_TRUE(rep);
  EXPECT_EQ(rep->subtype, 2);
  p.out().clear();
}

TEST(Endpoint, ErrorMtuExceededLowersThePathMtuOnly) {
  auto ca = testing::client_config();
  ca.path_mtu = 1500;
  Pair p(ca);
  const auto [ha, hb] = p.establish();
  EXPECT_EQ(p.a->info(ha)->max_packet, 1472u);
  ASSERT_TRUE(p.a->send(p.now, ha, 17, Buf(1400, std::byte{1}), p.out()));
  p.collect(kAddrA);
  const Buf sent = p.wire.back().bytes;
  p.wire.clear();
  EXPECT_EQ(sent.size(), 24u + 12 + 1400 + 16);  // fits 1472: not fragmented

  const auto error_to_a = [&](base::u16 info, const Buf& quoted) {
    Buf body(8 + quoted.size());
    Error{static_cast<base::u8>(ErrorCode::mtu_exceeded), 0, info, quoted}.emit(body);
    Buf pkt(24 + body.size());
    HeaderRepr h;
    h.type = Type::error;
    h.payload_len = static_cast<base::u16>(body.size());
    h.src_site = 0x7777;  // an anchor on the path
    h.src_eid = 0x1;
    h.dst_site = p.a->info(ha)->addressing.local_site;
    h.dst_eid = p.a->info(ha)->addressing.local_eid;
    h.emit(pkt);
    std::copy(body.begin(), body.end(), pkt.begin() + 24);
    p.a->receive(p.now, PeerAddr{0x0a0a0a0a, 4242}, pkt, p.out());
    p.collect(kAddrA);
  };
  error_to_a(500, Buf(sent.begin(), sent.begin() + 64));  // below 1280: no effect
  EXPECT_EQ(p.a->info(ha)->max_packet, 1472u);
  error_to_a(1300, Buf(sent.begin(), sent.begin() + 64));
  EXPECT_EQ(p.a->info(ha)->max_packet, 1272u);
  EXPECT_EQ(p.count(kAddrA, EventKind::error_received), 2u);
  EXPECT_FALSE(p.events_a.back().authenticated);
  Buf other(sent.begin(), sent.begin() + 64);
  other[field::kDstEid + 5] ^= std::byte{1};  // not a packet of ours
  error_to_a(1280, other);
  EXPECT_EQ(p.a->counters().drop_error_unmatched, 1u);
  EXPECT_EQ(p.a->info(ha)->max_packet, 1272u);
  // The same DATA now goes in two fragments and still arrives.
  ASSERT_TRUE(p.a->send(p.now, ha, 17, Buf(1400, std::byte{2}), p.out()));
  p.collect(kAddrA);
  EXPECT_EQ(p.wire.size(), 2u);
  p.run();
  EXPECT_EQ(delivered(p.events_b).size(), 1u);
  // ERRORs never close an established session.
  EXPECT_TRUE(p.a->info(ha));
}

TEST(Endpoint, RekeyByTime) {
  Pair p;
  const auto [ha, hb] = p.establish();
  p.advance(seconds(3599));
  EXPECT_EQ(p.a->info(ha)->epoch, 0u);
  p.advance(seconds(2));
  EXPECT_EQ(p.a->info(ha)->epoch, 1u);
  EXPECT_EQ(p.b->info(hb)->epoch, 1u);
  EXPECT_EQ(p.count(kAddrA, EventKind::rekeyed), 1u);
  EXPECT_EQ(p.count(kAddrB, EventKind::rekeyed), 1u);
  EXPECT_EQ(p.a->counters().rekeys_started, 1u);  // the client drove it
  EXPECT_EQ(p.b->counters().rekeys_started, 0u);
  EXPECT_TRUE(p.a->info(ha)->has_previous_epoch);
  p.advance(seconds(31));
  EXPECT_FALSE(p.a->info(ha)->has_previous_epoch);
  EXPECT_FALSE(p.b->info(hb)->has_previous_epoch);
  ASSERT_TRUE(p.b->send(p.now, hb, 17, bytes_of("after rekey"), p.out()));
  p.collect(kAddrB);
  p.run();
  EXPECT_EQ(delivered(p.events_a).back(), bytes_of("after rekey"));
  p.advance(seconds(3600));
  EXPECT_EQ(p.a->info(ha)->epoch, 2u);
  EXPECT_EQ(p.b->info(hb)->epoch, 2u);
}

TEST(Endpoint, RekeyByPacketCountFromEitherSide) {
  auto ca = testing::client_config(), cb = testing::server_config();
  for (EndpointConfig* c : {&ca, &cb}) {
    c->session.limits.max_sequence = 1000;
    c->session.limits.control_reserve = 10;
    c->session.limits.rekey_after_packets = 100;
  }
  Pair p(ca, cb);
  const auto [ha, hb] = p.establish();
  for (int i = 0; i < 150; ++i) {
    ASSERT_TRUE(p.b->send(p.now, hb, 17, bytes_of("s" + std::to_string(i)), p.out())) << i;
    p.collect(kAddrB);
    p.run();
  }
  EXPECT_EQ(p.b->counters().rekeys_started, 1u);  // the server hit its count first
  EXPECT_EQ(p.a->info(ha)->epoch, 1u);
  EXPECT_EQ(p.b->info(hb)->epoch, 1u);
  EXPECT_EQ(delivered(p.events_a).size(), 150u);
  EXPECT_LT(p.b->info(hb)->tx_sequence, 100u);
}

TEST(Endpoint, SimultaneousRekeysResolveToOne) {
  Pair p;
  const auto [ha, hb] = p.establish();
  ASSERT_TRUE(p.a->rekey(p.now, ha, p.out()));
  p.collect(kAddrA);
  ASSERT_TRUE(p.b->rekey(p.now, hb, p.out()));
  p.collect(kAddrB);
  p.run();
  EXPECT_EQ(p.a->counters().rekey_collisions, 1u);
  EXPECT_EQ(p.b->counters().rekey_collisions, 1u);
  EXPECT_EQ(p.a->info(ha)->epoch, 1u);
  EXPECT_EQ(p.b->info(hb)->epoch, 1u);
  EXPECT_FALSE(p.a->info(ha)->rekey_in_progress);
  EXPECT_FALSE(p.b->info(hb)->rekey_in_progress);
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("one"), p.out()));
  p.collect(kAddrA);
  ASSERT_TRUE(p.b->send(p.now, hb, 17, bytes_of("two"), p.out()));
  p.collect(kAddrB);
  p.run();
  EXPECT_EQ(delivered(p.events_b).back(), bytes_of("one"));
  EXPECT_EQ(delivered(p.events_a).back(), bytes_of("two"));
}

TEST(Endpoint, SequenceExhaustionRefusesUntilTheRekeyCompletes) {
  auto ca = testing::client_config();
  ca.session.limits.max_sequence = 60;
  ca.session.limits.control_reserve = 10;
  ca.session.limits.rekey_after_packets = 30;
  Pair p(ca);
  const auto [ha, hb] = p.establish();
  // The responder never sees the rekey: every protected HANDSHAKE from A is lost.
  const auto block_rekey = [](WirePacket& w) { return !(w.from == kAddrA && type_of(w.bytes) == 1); };
  std::set<base::u64> seqs;
  int sent = 0;
  for (int i = 0; i < 100; ++i) {
    auto r = p.a->send(p.now, ha, 17, bytes_of("d"), p.out());
    for (const Transmit& t : p.out().transmits()) {
      if (type_of(Buf(t.packet.begin(), t.packet.end())) == 0) {
        EXPECT_TRUE(seqs.insert(base::load_be64(t.packet.data() + 24 + 4)).second) << "sequence reused";
      }
    }
    p.collect(kAddrA);
    p.run(block_rekey);
    if (!r) {
      EXPECT_EQ(r.error(), SessionError::sequence_exhausted);
      break;
    }
    ++sent;
  }
  EXPECT_EQ(p.a->info(ha)->epoch, 0u);
  EXPECT_LE(p.a->info(ha)->tx_sequence, 60u);
  // Sequence 1 was the confirmation KEEPALIVE and 31 the rekey Client Hello, so DATA had
  // 2..30 and 32..50; 51..60 stay reserved for rekey and keepalive.
  EXPECT_EQ(sent, 48);
  // Let the rekey through: the retransmission completes it and DATA flows again, with
  // sequence numbers starting over under the new key.
  p.advance(seconds(2), base::milliseconds(100));
  EXPECT_EQ(p.a->info(ha)->epoch, 1u);
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("again"), p.out()));
  p.collect(kAddrA);
  p.run();
  EXPECT_EQ(delivered(p.events_b).back(), bytes_of("again"));
  EXPECT_LT(p.a->info(ha)->tx_sequence, 10u);
}

TEST(Endpoint, EnidsAreFreshPerSession) {
  Pair p;
  std::set<base::u64> eids;
  for (int i = 0; i < 200; ++i) {
    const SessionHandle h =
        p.a->connect(p.now,
                     to(PeerAddr{0xcb007100 + static_cast<base::u32>(i), 4242}, 1, 0x100 + static_cast<base::u64>(i)),
                     p.out())
            .value();
    p.out().clear();
    const base::u64 eid = p.a->info(h)->addressing.local_eid;
    EXPECT_NE(eid, 0u);
    EXPECT_LE(eid, kEidMask);
    EXPECT_TRUE(eids.insert(eid).second);
    p.a->close(h);
  }
  // Closed sessions' eNIDs are not handed out again either (within enid_history).
  for (int i = 0; i < 200; ++i) {
    const SessionHandle h = p.a->connect(p.now, to(kAddrB, kSiteB, kEidB), p.out()).value();
    p.out().clear();
    EXPECT_TRUE(eids.insert(p.a->info(h)->addressing.local_eid).second);
    p.a->close(h);
  }
}

TEST(Endpoint, PeerRoamsToANewLocator) {
  Pair p;
  const auto [ha, hb] = p.establish();
  const PeerAddr moved{0xc0000263, 50000};
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("from new place"), p.out()));
  for (const Transmit& t : p.out().transmits()) p.b->receive(p.now, moved, t.packet, p.out());
  p.out().clear();
  EXPECT_EQ(p.b->info(hb)->addressing.peer, moved);
  ASSERT_TRUE(p.b->send(p.now, hb, 17, bytes_of("reply"), p.out()));
  EXPECT_EQ(p.out().transmits()[0].to, moved);
  p.out().clear();
}

TEST(Endpoint, StaleHandlesAndUnknownSessions) {
  Pair p;
  const auto [ha, hb] = p.establish();
  p.a->close(ha);
  EXPECT_EQ(p.a->send(p.now, ha, 17, bytes_of("x"), p.out()).error(), SessionError::unknown_session);
  // The server's packets for the closed session are dropped as unknown.
  ASSERT_TRUE(p.b->send(p.now, hb, 17, bytes_of("y"), p.out()));
  p.collect(kAddrB);
  p.run();
  EXPECT_EQ(p.a->counters().drop_unknown_session, 1u);
  // A new session does not get the old handle.
  const SessionHandle h2 = p.connect();
  EXPECT_NE(h2, ha);
}

TEST(Endpoint, ConfigIsValidated) {
  auto rng = testing::make_rng("cfg");
  auto c = testing::server_config();
  c.path_mtu = 1000;
  EXPECT_EQ(Endpoint::create(c, rng, base::Instant::origin()).error(), SessionError::bad_config);
  c = testing::server_config();
  c.session.limits.max_sequence = 0x1'0000'0000ULL;  // beyond 2^32 - 1
  EXPECT_EQ(Endpoint::create(c, rng, base::Instant::origin()).error(), SessionError::bad_config);
  c = testing::server_config();
  c.suites = {CipherSuite::none, CipherSuite::none};
  EXPECT_EQ(Endpoint::create(c, rng, base::Instant::origin()).error(), SessionError::bad_config);
}

}  // namespace
}  // namespace nextip::ipv45

// Tamper sweeps: every byte of every message type, changed in flight, is rejected
// (docs/wire/ipv45.md "AEAD associated data"). The one exception is the Hop Limit, which
// routers change; it is checked to be *accepted*. Fragmented messages get a fresh
// Identification per variant so that variants never reassemble with each other.
// ERROR is unauthenticated by design (it may come from any anchor): its sweep checks that
// no variant that misquotes our packet is acted on, and that none harms a session.
#include <gtest/gtest.h>

#include "engine/ipv45/endpoint.h"
#include "engine/ipv45/test_support.h"

namespace nextip::ipv45 {
namespace {

using base::seconds;
using testing::Buf;
using testing::bytes_of;
using testing::kAddrA;
using testing::kAddrB;
using testing::Pair;
using testing::WirePacket;

std::vector<Buf> take_wire(Pair& p) {
  std::vector<Buf> out;
  for (const WirePacket& w : p.wire) out.push_back(w.bytes);
  p.wire.clear();
  return out;
}

// msg with packet k's byte i XORed with `mask`. Fragments carry Identification n ‖ n
// (n = the low 16 bits of `ident`): a variant that flips a bit of the Identification
// itself can never turn into another variant's Identification, which would pair an
// untouched fragment with an untouched partner (a faithful copy of the original).
std::vector<Buf> variant(std::vector<Buf> msg, std::size_t k, std::size_t i, base::u8 mask, base::u32 ident) {
  const base::u32 n = ident & 0xffff;
  for (Buf& f : msg) {
    if ((static_cast<base::u8>(f[field::kFlags]) & flag::kF) != 0) {
      base::store_be32(f.data() + kHeaderLen + 4, (n << 16) | n);
    }
  }
  msg[k][i] ^= static_cast<std::byte>(mask);
  return msg;
}

// Feeds a message to `to`; returns whether it produced any transmit (an answer).
bool feed(Pair& p, Endpoint& to, PeerAddr from, const std::vector<Buf>& msg, std::vector<Buf>* answers = nullptr) {
  bool any = false;
  for (const Buf& b : msg) to.receive(p.now, from, b, p.out());
  for (const Transmit& t : p.out().transmits()) {
    any = true;
    if (answers != nullptr) answers->emplace_back(t.packet.begin(), t.packet.end());
  }
  p.out().clear();
  return any;
}

TEST(Tamper, ProtectedDataEveryBitOfEveryByte) {
  Pair p;
  const auto [ha, hb] = p.establish();
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("the quick brown fox"), p.out()));
  p.collect(kAddrA);
  const std::vector<Buf> msg = take_wire(p);
  ASSERT_EQ(msg.size(), 1u);
  const auto delivered_before = p.b->counters().rx_data;
  for (std::size_t i = 0; i < msg[0].size(); ++i) {
    if (i == field::kHopLimit) continue;
    for (int bit = 0; bit < 8; ++bit) {
      (void)feed(p, *p.b, kAddrA, variant(msg, 0, i, static_cast<base::u8>(1 << bit), 0));
      ASSERT_EQ(p.b->counters().rx_data, delivered_before) << "byte " << i << " bit " << bit << " was accepted";
    }
  }
  // Hop Limit: routers decrement it; it is outside the AAD and accepted (once).
  (void)feed(p, *p.b, kAddrA, variant(msg, 0, field::kHopLimit, 0x01, 0));
  EXPECT_EQ(p.b->counters().rx_data, delivered_before + 1);
  (void)feed(p, *p.b, kAddrA, msg);  // the original is now a replay
  EXPECT_EQ(p.b->counters().rx_data, delivered_before + 1);
  EXPECT_GE(p.b->counters().drop_replay, 1u);
  EXPECT_GT(p.b->counters().drop_aead, 100u);
  // The session is unharmed.
  ASSERT_TRUE(p.a->send(p.now, ha, 17, bytes_of("still fine"), p.out()));
  p.collect(kAddrA);
  p.run();
  EXPECT_EQ(p.b->counters().rx_data, delivered_before + 2);
}

TEST(Tamper, ProtectedKeepaliveAndEcho) {
  Pair p;
  const auto [ha, hb] = p.establish();
  p.now += seconds(25);
  p.a->on_timeout(p.now, p.out());
  p.collect(kAddrA);
  const std::vector<Buf> ka = take_wire(p);
  ASSERT_EQ(ka.size(), 1u);
  ASSERT_EQ(static_cast<base::u8>(ka[0][0]) & 0x0f, static_cast<base::u8>(Type::keepalive));
  const auto received = p.b->counters().keepalives_received;
  for (std::size_t i = 0; i < ka[0].size(); ++i) {
    if (i == field::kHopLimit) continue;
    for (int bit = 0; bit < 8; ++bit) {
      (void)feed(p, *p.b, kAddrA, variant(ka, 0, i, static_cast<base::u8>(1 << bit), 0));
      ASSERT_EQ(p.b->counters().keepalives_received, received) << "byte " << i << " bit " << bit;
    }
  }
  (void)feed(p, *p.b, kAddrA, ka);
  EXPECT_EQ(p.b->counters().keepalives_received, received + 1);

  ASSERT_TRUE(p.a->echo(p.now, ha, 1, 2, bytes_of("echo me"), p.out()));
  p.collect(kAddrA);
  const std::vector<Buf> echo = take_wire(p);
  for (std::size_t i = 0; i < echo[0].size(); ++i) {
    if (i == field::kHopLimit) continue;
    for (int bit = 0; bit < 8; ++bit) {
      ASSERT_FALSE(feed(p, *p.b, kAddrA, variant(echo, 0, i, static_cast<base::u8>(1 << bit), 0)))
          << "byte " << i << " bit " << bit << " got an echo reply";
    }
  }
  EXPECT_TRUE(feed(p, *p.b, kAddrA, echo));
}

TEST(Tamper, RekeyClientHelloAndServerHello) {
  Pair p;
  const auto [ha, hb] = p.establish();
  ASSERT_TRUE(p.a->rekey(p.now, ha, p.out()));
  p.collect(kAddrA);
  const std::vector<Buf> ch = take_wire(p);
  ASSERT_EQ(ch.size(), 2u);  // 24 + 12 + 1252 + 16 bytes: fragmented
  base::u32 ident = 1000;
  for (std::size_t k = 0; k < ch.size(); ++k) {
    for (std::size_t i = 0; i < ch[k].size(); ++i) {
      if (i == field::kHopLimit) continue;
      ASSERT_FALSE(feed(p, *p.b, kAddrA, variant(ch, k, i, static_cast<base::u8>(1 << (i % 8)), ++ident)))
          << "fragment " << k << " byte " << i << " was answered";
      ASSERT_FALSE(p.b->info(hb)->has_next_epoch) << "fragment " << k << " byte " << i;
    }
  }
  // Hop Limit of either fragment: accepted; the responder answers with its Server Hello.
  std::vector<Buf> sh;
  ASSERT_TRUE(feed(p, *p.b, kAddrA, variant(ch, 1, field::kHopLimit, 0x01, ++ident), &sh));
  ASSERT_TRUE(p.b->info(hb)->has_next_epoch);
  ASSERT_EQ(sh.size(), 1u);

  for (std::size_t i = 0; i < sh[0].size(); ++i) {
    if (i == field::kHopLimit) continue;
    for (int bit = 0; bit < 8; bit += 3) {
      (void)feed(p, *p.a, kAddrB, variant(sh, 0, i, static_cast<base::u8>(1 << bit), 0));
      ASSERT_EQ(p.a->info(ha)->epoch, 0u) << "byte " << i << " bit " << bit << " switched keys";
    }
  }
  ASSERT_TRUE(p.a->info(ha)->rekey_in_progress);
  (void)feed(p, *p.a, kAddrB, sh);
  EXPECT_EQ(p.a->info(ha)->epoch, 1u);
}

TEST(Tamper, InitialClientHello) {
  // Each variant goes to a fresh responder (a tampered hello may create a half-open
  // session there); whatever it answers goes to the client, which must not establish.
  Pair p;
  p.connect();
  const std::vector<Buf> ch = take_wire(p);
  ASSERT_EQ(ch.size(), 2u);
  int answered = 0;
  base::u32 ident = 0;
  const auto try_variant = [&](const std::vector<Buf>& v) {
    auto rng = testing::make_rng("B");
    auto b = Endpoint::create(testing::server_config(), rng, p.now);
    if (!b) std::abort();
    std::vector<Buf> answers;
    (void)feed(p, **b, kAddrA, v, &answers);
    for (const Buf& a : answers) {
      if ((static_cast<base::u8>(a[0]) & 0x0f) != static_cast<base::u8>(Type::handshake)) continue;  // ERRORs aside
      ++answered;
      (void)feed(p, *p.a, kAddrB, {a});
    }
  };
  for (std::size_t k = 0; k < ch.size(); ++k) {
    for (std::size_t i = 0; i < ch[k].size(); ++i) {
      if (i == field::kHopLimit) continue;
      try_variant(variant(ch, k, i, static_cast<base::u8>(1 << (i % 8)), ++ident));
      ASSERT_EQ(p.a->counters().sessions_established, 0u) << "fragment " << k << " byte " << i << " was accepted";
    }
  }
  EXPECT_GT(answered, 1000);                              // most variants cost the responder a key exchange…
  EXPECT_GT(p.a->counters().drop_transcript_mac, 1000u);  // …and fail the transcript MAC
  try_variant(variant(ch, 0, field::kHopLimit, 0x01, ++ident));
  EXPECT_EQ(p.a->counters().sessions_established, 1u);
}

TEST(Tamper, InitialServerHello) {
  Pair p;
  p.connect();
  p.deliver(p.wire[0]);
  p.deliver(p.wire[1]);
  p.wire.erase(p.wire.begin(), p.wire.begin() + 2);
  const std::vector<Buf> sh = take_wire(p);
  ASSERT_EQ(sh.size(), 1u);
  for (std::size_t i = 0; i < sh[0].size(); ++i) {
    if (i == field::kHopLimit) continue;
    for (int bit = 0; bit < 8; bit += 2) {
      (void)feed(p, *p.a, kAddrB, variant(sh, 0, i, static_cast<base::u8>(1 << bit), 0));
      ASSERT_EQ(p.a->counters().sessions_established, 0u) << "byte " << i << " bit " << bit;
    }
  }
  (void)feed(p, *p.a, kAddrB, variant(sh, 0, field::kHopLimit, 0x01, 0));
  EXPECT_EQ(p.a->counters().sessions_established, 1u);
}

TEST(Tamper, CookieChallenge) {
  auto cb = testing::server_config();
  cb.cookie_mode = CookieMode::always;
  std::size_t len = 0;
  for (std::size_t i = 0;; ++i) {
    Pair p(testing::client_config(), cb);
    p.connect();
    std::vector<Buf> challenge;
    (void)feed(p, *p.b, kAddrA, take_wire(p), &challenge);
    ASSERT_EQ(challenge.size(), 1u);
    len = challenge[0].size();
    if (i >= len) break;
    if (i == field::kHopLimit) continue;
    std::vector<Buf> retry;
    (void)feed(p, *p.a, kAddrB, variant(challenge, 0, i, static_cast<base::u8>(1 << (i % 8)), 0), &retry);
    (void)feed(p, *p.b, kAddrA, retry);
    EXPECT_EQ(p.b->session_count(), 0u) << "byte " << i;
    EXPECT_EQ(p.b->counters().cookie_challenges_sent, retry.empty() ? 1u : 2u) << "byte " << i;
  }
  EXPECT_EQ(len, 24u + 36 + 20);
}

TEST(Tamper, ErrorMustQuoteOurHelloAndNeverHurtsASession) {
  Pair p;
  std::array<std::byte, 32> k1{}, k2{};
  k2[0] = std::byte{1};
  ASSERT_TRUE(p.a->add_psk(bytes_of("id"), k1));
  ASSERT_TRUE(p.b->add_psk(bytes_of("id"), k2));
  const Buf id = bytes_of("id");
  ConnectParams cp;
  cp.peer = kAddrB;
  cp.peer_site = testing::kSiteB;
  cp.peer_eid = testing::kEidB;
  cp.identity = IdentityType::psk;
  cp.psk_identity = id;
  ASSERT_TRUE(p.a->connect(p.now, cp, p.out()));
  p.collect(kAddrA);
  std::vector<Buf> err;
  (void)feed(p, *p.b, kAddrA, take_wire(p), &err);
  ASSERT_EQ(err.size(), 1u);  // ERROR AUTH_FAILED
  // The quote (header + Subtype … Client Random Nonce) must match: every variant of the
  // quoted Type, Subtype, nonce and addresses is ignored.
  const std::size_t quote = kHeaderLen + 8;
  std::vector<std::size_t> checked{quote};                                          // quoted Type
  for (std::size_t i = quote + 8; i < quote + 24; ++i) checked.push_back(i);        // quoted addresses
  checked.push_back(quote + 24);                                                    // Subtype
  for (std::size_t i = quote + 28; i < quote + 60; ++i) checked.push_back(i);       // nonce
  for (std::size_t i = field::kDstSite; i < kHeaderLen; ++i) checked.push_back(i);  // to us
  checked.push_back(0);                                                             // Type ERROR
  for (std::size_t i : checked) {
    (void)feed(p, *p.a, kAddrB, variant(err, 0, i, 0x01, 0));
    ASSERT_EQ(p.count(kAddrA, EventKind::handshake_failed), 0u) << "byte " << i;
    p.collect(kAddrA);
  }
  ASSERT_EQ(p.a->session_count(), 1u);
  (void)feed(p, *p.a, kAddrB, err);
  p.out().clear();
  EXPECT_EQ(p.a->session_count(), 0u);

  // No ERROR, whatever its bytes, closes an established session.
  Pair q;
  const auto [ha, hb] = q.establish();
  ASSERT_TRUE(q.a->send(q.now, ha, 17, bytes_of("x"), q.out()));
  q.collect(kAddrA);
  const Buf data = take_wire(q)[0];
  Buf body(8 + 64);
  Error{static_cast<base::u8>(ErrorCode::auth_failed), 0, 0,
        base::Bytes(data).first(std::min<std::size_t>(data.size(), 64))}
      .emit(body);
  Buf e(kHeaderLen + body.size());
  HeaderRepr h;
  h.type = Type::error;
  h.payload_len = static_cast<base::u16>(body.size());
  h.dst_site = testing::kSiteA;
  h.dst_eid = q.a->info(ha)->addressing.local_eid;
  h.emit(e);
  std::copy(body.begin(), body.end(), e.begin() + kHeaderLen);
  for (std::size_t i = 0; i < e.size(); ++i) {
    (void)feed(q, *q.a, kAddrB, variant({e}, 0, i, static_cast<base::u8>(1 << (i % 8)), 0));
  }
  EXPECT_TRUE(q.a->info(ha));
  ASSERT_TRUE(q.a->send(q.now, ha, 17, bytes_of("alive"), q.out()));
  q.collect(kAddrA);
  q.run();
  EXPECT_EQ(q.b->counters().rx_data, 1u);
}

}  // namespace
}  // namespace nextip::ipv45

// The record layer: nonce and AAD layout, what the AAD covers (every header byte but the
// Hop Limit), replay, key phases across a rekey, and the limits that make nonce reuse
// impossible.
#include "engine/ipv45/record.h"

#include <gtest/gtest.h>

#include <set>
#include <type_traits>

#include "engine/ipv45/test_support.h"

namespace nextip::ipv45 {
namespace {

using base::Instant;
using base::seconds;
using testing::Buf;

static_assert(!std::is_copy_constructible_v<RecordLayer> && !std::is_copy_assignable_v<RecordLayer>,
              "a copy of a record layer would reuse its nonces");

keys::EpochSecrets secrets(std::byte seed) {
  std::vector<std::byte> x(32, seed), k(32, std::byte{2}), n1(32, std::byte{3}), n2(32, std::byte{4});
  auto s = keys::derive(x, k, {}, n1, n2);
  if (!s) std::abort();
  return std::move(*s);
}

struct Two {
  explicit Two(RecordLimits lim = {})
      : c(Role::client, 0x4242, CipherSuite::aes256gcm, lim), s(Role::server, 0x4242, CipherSuite::aes256gcm, lim) {
    EXPECT_TRUE(c.install_initial(secrets(std::byte{1}), t0));
    EXPECT_TRUE(s.install_initial(secrets(std::byte{1}), t0));
  }
  Buf seal(RecordLayer& from, std::string_view text, bool control = false, Instant now = Instant::origin()) {
    HeaderRepr h;
    h.type = Type::data;
    h.flags = flag::kE;
    h.next_header = 17;
    h.payload_len = static_cast<base::u16>(kContainerLen + text.size() + kTagLen);
    h.flow_label = 0xbeef;
    h.src_eid = 1;
    h.dst_eid = 2;
    Buf p(kProtectedOverhead + text.size());
    h.emit(p);
    std::transform(text.begin(), text.end(), p.begin() + kAadLen, [](char ch) { return static_cast<std::byte>(ch); });
    auto r = from.seal(now, p, control);
    if (!r) return {};
    return p;
  }
  std::optional<std::string> open(RecordLayer& to, const Buf& p) {
    Buf out(p.size() - kProtectedOverhead);
    auto o = to.open(p, out, counters);
    if (!o) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(out.data()), out.size());
  }
  Instant t0 = Instant::origin();
  RecordLayer c, s;
  Counters counters;
};

TEST(Record, NonceAndAadLayout) {
  const auto n = RecordLayer::nonce(0xabcd, 0x0102030405060708ULL);
  const Buf want{std::byte{0xab}, std::byte{0xcd}, std::byte{0}, std::byte{0}, std::byte{1}, std::byte{2},
                 std::byte{3},    std::byte{4},    std::byte{5}, std::byte{6}, std::byte{7}, std::byte{8}};
  EXPECT_TRUE(std::equal(n.begin(), n.end(), want.begin(), want.end()));
  Two t;
  const Buf p = t.seal(t.c, "hello");
  ASSERT_FALSE(p.empty());
  // Container: Session ID, key phase 0, reserved 0, sequence 1.
  EXPECT_EQ(base::load_be16(p.data() + kHeaderLen), 0x4242);
  EXPECT_EQ(p[kHeaderLen + 2], std::byte{0});
  EXPECT_EQ(p[kHeaderLen + 3], std::byte{0});
  EXPECT_EQ(base::load_be64(p.data() + kHeaderLen + 4), 1u);
  const auto a = RecordLayer::aad(p);
  for (std::size_t i = 0; i < kAadLen; ++i) EXPECT_EQ(a[i], i == 1 ? std::byte{0} : p[i]) << i;
}

TEST(Record, RoundTripBothDirections) {
  Two t;
  EXPECT_EQ(t.open(t.s, t.seal(t.c, "to server")), "to server");
  EXPECT_EQ(t.open(t.c, t.seal(t.s, "to client")), "to client");
  // A client packet does not open at the client (other direction's key).
  EXPECT_FALSE(t.open(t.c, t.seal(t.c, "self")));
  EXPECT_EQ(t.counters.drop_aead, 1u);
}

TEST(Record, HopLimitIsTheOnlyByteLeftOut) {
  Two t;
  const Buf p = t.seal(t.c, "payload bytes");
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Buf q = p;
      q[i] ^= static_cast<std::byte>(1 << bit);
      RecordLayer fresh(Role::server, 0x4242, CipherSuite::aes256gcm, {});
      ASSERT_TRUE(fresh.install_initial(secrets(std::byte{1}), t.t0));
      Counters c;
      Buf out(q.size() - kProtectedOverhead);
      const bool ok = fresh.open(q, out, c).has_value();
      EXPECT_EQ(ok, i == field::kHopLimit) << "byte " << i << " bit " << bit;
    }
  }
}

TEST(Record, ReplayAndReorder) {
  Two t;
  std::vector<Buf> ps;
  for (int i = 0; i < 10; ++i) ps.push_back(t.seal(t.c, "p" + std::to_string(i)));
  for (std::size_t i : {3u, 1u, 2u, 0u, 9u, 4u, 8u, 5u, 7u, 6u}) EXPECT_EQ(t.open(t.s, ps[i]), "p" + std::to_string(i));
  for (const Buf& p : ps) EXPECT_FALSE(t.open(t.s, p));
  EXPECT_EQ(t.counters.drop_replay, 10u);
  // A forged packet does not move the window: the genuine one still opens.
  Buf next = t.seal(t.c, "next");
  Buf forged = next;
  forged.back() ^= std::byte{1};
  EXPECT_FALSE(t.open(t.s, forged));
  EXPECT_EQ(t.open(t.s, next), "next");
}

TEST(Record, SealRefusesAtTheSequenceLimit) {
  RecordLimits lim;
  lim.max_sequence = 20;
  lim.control_reserve = 5;
  lim.rekey_after_packets = 10;
  Two t(lim);
  std::set<base::u64> seqs;
  for (int i = 0; i < 15; ++i) {
    const Buf p = t.seal(t.c, "d");
    ASSERT_FALSE(p.empty()) << i;
    seqs.insert(base::load_be64(p.data() + kHeaderLen + 4));
  }
  EXPECT_TRUE(t.c.rekey_due_by_packets());
  Buf p(kProtectedOverhead + 1);
  EXPECT_EQ(t.c.seal(t.t0, p, false).error(), SessionError::sequence_exhausted);
  for (int i = 0; i < 5; ++i) {
    const Buf q = t.seal(t.c, "c", true);
    ASSERT_FALSE(q.empty());
    seqs.insert(base::load_be64(q.data() + kHeaderLen + 4));
  }
  EXPECT_EQ(t.c.seal(t.t0, p, true).error(), SessionError::sequence_exhausted);
  EXPECT_EQ(t.c.seal(t.t0, p, false).error(), SessionError::sequence_exhausted);
  EXPECT_EQ(seqs.size(), 20u);  // 1..20, each once
  EXPECT_EQ(*seqs.begin(), 1u);
  EXPECT_EQ(*seqs.rbegin(), 20u);
}

TEST(Record, DataRefusedUnderAnExpiredKeyControlStillAllowed) {
  Two t;
  EXPECT_FALSE(t.seal(t.c, "late", false, t.t0 + seconds(3600 + 180)).size() > 0);
  EXPECT_FALSE(t.seal(t.c, "ok", false, t.t0 + seconds(3600 + 179)).empty());
  EXPECT_FALSE(t.seal(t.c, "rekey", true, t.t0 + seconds(7200)).empty());
}

TEST(Record, KeyPhasesAcrossARekey) {
  Two t;
  const Buf old_from_s = t.seal(t.s, "in flight from server");
  const Buf old_from_c = t.seal(t.c, "in flight from client");
  // Initiator (client) switches at once; responder installs next.
  ASSERT_TRUE(t.s.install_next(secrets(std::byte{9}), t.t0));
  ASSERT_TRUE(t.c.install_and_switch(secrets(std::byte{9}), t.t0));
  EXPECT_EQ(t.c.current_epoch(), 1u);
  EXPECT_EQ(t.c.tx_sequence(), 0u);  // sequence numbers restart per epoch
  const Buf new_from_c = t.seal(t.c, "epoch 1");
  EXPECT_EQ(new_from_c[kHeaderLen + 2], std::byte{1});
  // The server still sends under epoch 0; the client opens it with `previous`.
  EXPECT_EQ(t.open(t.c, old_from_s), "in flight from server");
  EXPECT_EQ(t.open(t.c, t.seal(t.s, "still epoch 0")), "still epoch 0");
  // The server opens the old packet (current) and the new one (next), which promotes.
  EXPECT_EQ(t.open(t.s, old_from_c), "in flight from client");
  Buf out(new_from_c.size() - kProtectedOverhead);
  auto o = t.s.open(new_from_c, out, t.counters);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->which, RecordLayer::Which::next);
  t.s.promote_next(t.t0);
  EXPECT_EQ(t.s.current_epoch(), 1u);
  EXPECT_EQ(t.open(t.c, t.seal(t.s, "epoch 1 back")), "epoch 1 back");
  // After the grace time the previous epoch is wiped: its packets no longer open.
  t.c.retire_previous();
  EXPECT_FALSE(t.c.has_previous());
  RecordLayer s0(Role::server, 0x4242, CipherSuite::aes256gcm, {});
  ASSERT_TRUE(s0.install_initial(secrets(std::byte{1}), t.t0));
  EXPECT_FALSE(t.open(t.c, t.seal(s0, "old epoch after retirement")));
  EXPECT_EQ(t.counters.drop_no_key, 1u);
}

TEST(Record, ChaChaSuiteWorks) {
  RecordLayer c(Role::client, 7, CipherSuite::chacha20poly1305, {}),
      s(Role::server, 7, CipherSuite::chacha20poly1305, {});
  ASSERT_TRUE(c.install_initial(secrets(std::byte{5}), Instant::origin()));
  ASSERT_TRUE(s.install_initial(secrets(std::byte{5}), Instant::origin()));
  Buf p(kProtectedOverhead + 3);
  HeaderRepr h;
  h.flags = flag::kE;
  h.payload_len = static_cast<base::u16>(p.size() - kHeaderLen);
  h.emit(p);
  ASSERT_TRUE(c.seal(Instant::origin(), p, false));
  Buf out(3);
  Counters cnt;
  EXPECT_TRUE(s.open(p, out, cnt));
}

}  // namespace
}  // namespace nextip::ipv45

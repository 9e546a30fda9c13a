// Source fragmentation and reassembly: sizes, order, duplicates, overlaps, the 60 s
// timeout and the memory bound.
#include "engine/ipv45/reassembly.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/ipv45/fragment.h"
#include "engine/ipv45/test_support.h"

namespace nextip::ipv45 {
namespace {

using base::Instant;
using base::seconds;
using testing::Buf;

constexpr std::size_t kMax = 1252;  // 1280 - 28
constexpr PeerAddr kFrom{0xc0000201, 4242};

Buf packet(std::size_t body_len, base::u8 seed = 1) {
  HeaderRepr h;
  h.type = Type::handshake;
  h.payload_len = static_cast<base::u16>(body_len);
  h.flow_label = 0x1234;
  h.src_site = 1;
  h.src_eid = 0xaabbccddeeffULL;
  h.dst_site = 2;
  h.dst_eid = 0x112233445566ULL;
  Buf p(kHeaderLen + body_len);
  h.emit(p);
  for (std::size_t i = 0; i < body_len; ++i) p[kHeaderLen + i] = static_cast<std::byte>((i * 7 + seed) & 0xff);
  return p;
}

std::vector<Buf> fragments(const Buf& p, base::u32 ident = 77) {
  OutputStorage<64 * 1024, 64, 4> st;
  EXPECT_TRUE(send_copy(st.output, kFrom, p, kMax, ident));
  std::vector<Buf> out;
  for (const Transmit& t : st.output.transmits()) out.emplace_back(t.packet.begin(), t.packet.end());
  return out;
}

struct Feeder {
  Reassembler r{ReassemblyLimits{}};
  Counters c;
  std::optional<Buf> add(const Buf& frag, Instant now = Instant::origin(), PeerAddr from = kFrom) {
    auto h = HeaderView<base::Bytes>::checked(frag);
    EXPECT_TRUE(h);
    auto chain = walk_chain(*h);
    EXPECT_TRUE(chain && chain->fragment);
    auto whole = r.add(now, from, *h, *chain->fragment, c);
    if (!whole) return std::nullopt;
    return Buf(whole->begin(), whole->end());
  }
};

TEST(Fragment, ClientHelloSizedPacketBecomesTwoFragments) {
  const Buf p = packet(1252 + 35);  // a PSK Client Hello
  const auto f = fragments(p);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(fragment_chunk(kMax), 1216u);
  EXPECT_EQ(f[0].size(), kHeaderLen + 8 + 1216);
  EXPECT_EQ(f[1].size(), kHeaderLen + 8 + (1287 - 1216));
  for (std::size_t i = 0; i < f.size(); ++i) {
    auto h = HeaderView<base::Bytes>::checked(f[i]);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->next_header(), ext::kFragmentation);
    EXPECT_EQ((h->flags() & flag::kF) != 0, true);
    EXPECT_EQ((h->flags() & flag::kM) != 0, i == 0);
    auto chain = walk_chain(*h);
    ASSERT_TRUE(chain);
    EXPECT_EQ(chain->fragment->next_header, ext::kNoNextHeader);
    EXPECT_EQ(chain->fragment->identification, 77u);
    EXPECT_EQ(chain->fragment->fragment_offset, i == 0 ? 0 : 152);
  }
}

TEST(Fragment, SmallPacketIsNotFragmented) {
  const Buf p = packet(1228);
  const auto f = fragments(p);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0], p);
}

TEST(Reassembly, AnyOrderGivesTheOriginalBack) {
  const Buf p = packet(3000);
  auto f = fragments(p);
  ASSERT_EQ(f.size(), 3u);
  std::vector<std::size_t> order{0, 1, 2};
  do {
    Feeder fd;
    std::optional<Buf> got;
    for (std::size_t i : order) {
      EXPECT_FALSE(got);
      got = fd.add(f[i]);
    }
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, p);
    EXPECT_EQ(fd.c.reassembled, 1u);
    EXPECT_EQ(fd.r.in_use(), 0u);
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(Reassembly, DuplicatesAreIgnoredOverlapsDiscardTheSet) {
  const Buf p = packet(3000);
  auto f = fragments(p);
  Feeder fd;
  EXPECT_FALSE(fd.add(f[0]));
  EXPECT_FALSE(fd.add(f[0]));  // exact duplicate
  EXPECT_FALSE(fd.add(f[2]));
  auto got = fd.add(f[1]);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, p);

  // An overlapping fragment (offset moved back by 8) throws the whole set away.
  Feeder fo;
  EXPECT_FALSE(fo.add(f[0]));
  Buf shifted = f[1];
  base::store_be16(shifted.data() + kHeaderLen + 2, static_cast<base::u16>(((152 - 1) << 3) | 1));
  EXPECT_FALSE(fo.add(shifted));
  EXPECT_EQ(fo.c.drop_frag_overlap, 1u);
  EXPECT_EQ(fo.r.in_use(), 0u);
  EXPECT_FALSE(fo.add(f[1]));
  EXPECT_FALSE(fo.add(f[2]));  // f[0] is gone: never completes
  EXPECT_EQ(fo.c.reassembled, 0u);
}

TEST(Reassembly, MalformedFragments) {
  const Buf p = packet(3000);
  auto f = fragments(p);
  Feeder fd;
  // Non-last fragment whose length is not a multiple of 8.
  Buf odd = f[0];
  odd.pop_back();
  base::store_be16(odd.data() + field::kPayloadLength, static_cast<base::u16>(odd.size() - kHeaderLen));
  EXPECT_FALSE(fd.add(odd));
  EXPECT_EQ(fd.c.drop_frag_malformed, 1u);
  // Beyond the size limit (offset near 64 KiB).
  Buf far = f[2];
  base::store_be16(far.data() + kHeaderLen + 2, static_cast<base::u16>(8000 << 3));
  EXPECT_FALSE(fd.add(far));
  EXPECT_EQ(fd.c.drop_frag_malformed, 2u);
  // A fragment that disagrees with its set (flow label) discards it.
  EXPECT_FALSE(fd.add(f[0]));
  Buf other = f[1];
  base::store_be16(other.data() + field::kFlowLabel, 0x9999);
  EXPECT_FALSE(fd.add(other));
  EXPECT_EQ(fd.c.drop_frag_malformed, 3u);
  // Two different last fragments.
  Feeder fl;
  EXPECT_FALSE(fl.add(f[2]));
  Buf short_last = f[2];
  short_last.resize(short_last.size() - 8);
  base::store_be16(short_last.data() + field::kPayloadLength, static_cast<base::u16>(short_last.size() - kHeaderLen));
  EXPECT_FALSE(fl.add(short_last));
  EXPECT_EQ(fl.c.drop_frag_malformed, 1u);
}

TEST(Reassembly, TimesOutAfterSixtySeconds) {
  const Buf p = packet(2000);
  auto f = fragments(p);
  Feeder fd;
  const Instant t0 = Instant::origin() + seconds(5);
  EXPECT_FALSE(fd.add(f[0], t0));
  ASSERT_TRUE(fd.r.poll_at());
  EXPECT_EQ(*fd.r.poll_at(), t0 + seconds(60));
  fd.r.expire(t0 + seconds(59), fd.c);
  EXPECT_EQ(fd.r.in_use(), 1u);
  auto done = fd.add(f[1], t0 + seconds(59));
  ASSERT_TRUE(done);  // just in time

  EXPECT_FALSE(fd.add(f[0], t0 + seconds(100)));
  fd.r.expire(t0 + seconds(160), fd.c);
  EXPECT_EQ(fd.r.in_use(), 0u);
  EXPECT_EQ(fd.c.reassembly_timeout, 1u);
  EXPECT_FALSE(fd.add(f[1], t0 + seconds(160)));  // its partner is gone
}

TEST(Reassembly, MemoryIsBoundedByEvictingTheOldest) {
  ReassemblyLimits lim;
  lim.slots = 4;
  Feeder fd;
  fd.r = Reassembler(lim);
  const Instant t0 = Instant::origin();
  // A flood of first fragments from many identifications.
  for (base::u32 id = 0; id < 100; ++id) {
    auto f = fragments(packet(2000), id);
    EXPECT_FALSE(fd.add(f[0], t0 + base::milliseconds(id)));
    EXPECT_LE(fd.r.in_use(), 4u);
  }
  EXPECT_EQ(fd.c.reassembly_evicted, 96u);
  // The newest sets are still there and complete.
  auto f = fragments(packet(2000), 99);
  EXPECT_TRUE(fd.add(f[1], t0 + seconds(1)));
}

TEST(Reassembly, RandomFragmentStreamsNeverCorrupt) {
  std::mt19937 g(7);
  for (int round = 0; round < 200; ++round) {
    const Buf p = packet(1300 + g() % 2700, static_cast<base::u8>(round));
    auto f = fragments(p, static_cast<base::u32>(round));
    std::vector<Buf> stream;
    for (const Buf& x : f) {
      stream.push_back(x);
      if (g() % 3 == 0) stream.push_back(x);
    }
    std::shuffle(stream.begin(), stream.end(), g);
    Feeder fd;
    int complete = 0;
    for (const Buf& x : stream) {
      if (auto got = fd.add(x)) {
        ++complete;
        EXPECT_EQ(*got, p);
      }
    }
    EXPECT_GE(complete, 1) << round;  // a duplicated whole set may complete twice
  }
}

}  // namespace
}  // namespace nextip::ipv45

// LocatorTable: the contract case by case, a randomized comparison against a naive
// reference (std::map + std::list), and the §14.15 flood: a million short flows against
// a 100'000-entry table keep memory flat (no allocation at all) and keep the established
// flows.
//
// This binary replaces the global operator new/delete with counting ones that forward to
// malloc/free, so that a test can prove a run allocates nothing. Nothing else changes.
#include "engine/translate/locator_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <list>
#include <map>
#include <new>
#include <optional>
#include <ostream>
#include <tuple>

#include "engine/translate/test_alloc.h"

namespace {

std::atomic<std::size_t> g_allocations{0};

void* counted_new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

void* counted_new(std::size_t n, std::align_val_t align) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = nullptr;
  const std::size_t a = std::max(static_cast<std::size_t>(align), sizeof(void*));
  if (posix_memalign(&p, a, n == 0 ? 1 : n) == 0) return p;
  throw std::bad_alloc();
}

}  // namespace

std::size_t nextip::engine::translate::testing::allocation_count() noexcept {
  return g_allocations.load(std::memory_order_relaxed);
}

// NOLINTBEGIN(misc-new-delete-overloads)
void* operator new(std::size_t n) {
  return counted_new(n);
}
void* operator new[](std::size_t n) {
  return counted_new(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return counted_new(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return counted_new(n, a);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_new(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept {
  return operator new(n, t);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return counted_new(n, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t& t) noexcept {
  return operator new(n, a, t);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
// NOLINTEND(misc-new-delete-overloads)

namespace nextip::base {
// Readable failures: an Instant prints as seconds since the test clock's origin.
void PrintTo(Instant t, std::ostream* os) {
  *os << static_cast<double>(t.ns()) / 1e9 << " s";
}
}  // namespace nextip::base

namespace {

using namespace nextip::engine::translate;
using nextip::base::seconds;

constexpr HashKey kKey{0x0123456789abcdefULL, 0xfedcba9876543210ULL};

Instant at(double s) {
  return Instant::from_ns(static_cast<std::int64_t>(s * 1e9));
}

FlowKey udp(u32 local, u32 remote, u16 local_port, u16 remote_port) {
  return {local, remote, 17, local_port, remote_port};
}
FlowKey tcp(u32 local, u32 remote, u16 local_port, u16 remote_port) {
  return {local, remote, 6, local_port, remote_port};
}
FlowKey echo(u32 local, u32 remote, u16 identifier) {
  return {local, remote, 1, identifier, 0};
}

constexpr u32 kH = 0xc0000201;             // 192.0.2.1, the translator-owned h
constexpr u32 kD4 = 0xc6336401;            // 198.51.100.1
constexpr Locator kLoc{0x00003b41, 0, 0};  // 0.0.59.65 (§12.7 notation)

LocatorTableConfig with_capacity(std::size_t capacity) {
  LocatorTableConfig c;
  c.capacity = capacity;
  return c;
}

auto tie(const LocatorTable::Stats& s) {
  return std::tie(s.inserts, s.refreshes, s.hits, s.misses, s.any_hits, s.any_misses, s.expired, s.evicted);
}

// A cheap deterministic generator (no allocation, unlike a distribution object).
struct SplitMix {
  u64 state;
  u64 next() noexcept {
    u64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  u32 below(u32 n) noexcept { return static_cast<u32>(next() % n); }
};

TEST(SipHash, ReferenceVectors) {
  // SipHash-2-4 paper / reference vectors: key 00..0f; messages "" and 00..0e.
  const HashKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  EXPECT_EQ((detail::siphash<2, 4>(key, {}, 0)), 0x726fdb47dd0e0e31ULL);
  const u64 words[1] = {0x0706050403020100ULL};
  EXPECT_EQ((detail::siphash<2, 4>(key, words, 0x0f0e0d0c0b0a0908ULL)), 0xa129ca6149be45e5ULL);
}

TEST(LocatorTable, InsertLookupRefresh) {
  LocatorTable t(with_capacity(16), kKey);
  EXPECT_EQ(t.capacity(), 16U);
  EXPECT_FALSE(t.lookup(at(0), udp(kH, kD4, 5000, 53)));
  t.upsert(at(0), udp(kH, kD4, 5000, 53), kLoc, FlowClass::udp);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_EQ(t.lookup(at(1), udp(kH, kD4, 5000, 53)), kLoc);
  // Every field of the key counts.
  EXPECT_FALSE(t.lookup(at(1), udp(kH + 1, kD4, 5000, 53)));
  EXPECT_FALSE(t.lookup(at(1), udp(kH, kD4 + 1, 5000, 53)));
  EXPECT_FALSE(t.lookup(at(1), tcp(kH, kD4, 5000, 53)));
  EXPECT_FALSE(t.lookup(at(1), udp(kH, kD4, 5001, 53)));
  EXPECT_FALSE(t.lookup(at(1), udp(kH, kD4, 5000, 54)));
  // A refresh replaces the locator (the host moved) without adding an entry.
  const Locator moved{0x00003b42, 7, 9};
  t.upsert(at(2), udp(kH, kD4, 5000, 53), moved, FlowClass::udp);
  EXPECT_EQ(t.size(), 1U);
  EXPECT_EQ(t.lookup(at(3), udp(kH, kD4, 5000, 53)), moved);
  const auto& s = t.stats();
  EXPECT_EQ(tie(s), std::make_tuple(1U, 1U, 2U, 6U, 0U, 0U, 0U, 0U));
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, EchoExpiresSixtySecondsAfterTheLastForwardRequest) {
  LocatorTable t(with_capacity(16), kKey);
  t.upsert(at(0), echo(kH, kD4, 77), kLoc, FlowClass::echo);
  EXPECT_EQ(t.poll_at(), at(60));
  EXPECT_EQ(t.lookup(at(30), echo(kH, kD4, 77)), kLoc);  // replies do not refresh (§12.7.2)
  EXPECT_EQ(t.poll_at(), at(60));
  EXPECT_EQ(t.lookup(at(59.999), echo(kH, kD4, 77)), kLoc);
  EXPECT_FALSE(t.lookup(at(60), echo(kH, kD4, 77)));
  EXPECT_EQ(t.size(), 0U);  // met expired, removed
  EXPECT_EQ(t.stats().expired, 1U);

  // Forward requests do refresh.
  t.upsert(at(100), echo(kH, kD4, 78), kLoc, FlowClass::echo);
  t.upsert(at(130), echo(kH, kD4, 78), kLoc, FlowClass::echo);
  EXPECT_EQ(t.lookup(at(189), echo(kH, kD4, 78)), kLoc);
  EXPECT_FALSE(t.lookup(at(190), echo(kH, kD4, 78)));
}

TEST(LocatorTable, UdpTcpOtherLookupsRefresh) {
  LocatorTable t(with_capacity(16), kKey);
  t.upsert(at(0), udp(kH, kD4, 1, 2), kLoc, FlowClass::udp);
  t.upsert(at(0), tcp(kH, kD4, 1, 2), kLoc, FlowClass::tcp);
  t.upsert(at(0), FlowKey{kH, kD4, 47, 0, 0}, kLoc, FlowClass::other);
  EXPECT_EQ(t.poll_at(), at(300));
  EXPECT_EQ(t.lookup(at(299), udp(kH, kD4, 1, 2)), kLoc);  // now expires at 599
  EXPECT_EQ(t.poll_at(), at(300));                         // the "other" entry
  EXPECT_FALSE(t.lookup(at(300), FlowKey{kH, kD4, 47, 0, 0}));
  EXPECT_EQ(t.poll_at(), at(599));
  EXPECT_EQ(t.lookup(at(598), udp(kH, kD4, 1, 2)), kLoc);
  EXPECT_FALSE(t.lookup(at(898), udp(kH, kD4, 1, 2)));
  EXPECT_EQ(t.lookup(at(7439), tcp(kH, kD4, 1, 2)), kLoc);  // §14.15: TCP-scale default
  EXPECT_EQ(t.poll_at(), at(7439 + 7440));
  EXPECT_FALSE(t.lookup(at(7439 + 7440), tcp(kH, kD4, 1, 2)));
  EXPECT_EQ(t.size(), 0U);
  EXPECT_EQ(t.poll_at(), std::nullopt);
}

TEST(LocatorTable, UpsertCanChangeTheClass) {
  LocatorTable t(with_capacity(4), kKey);
  const FlowKey k{kH, kD4, 1, 9, 0};
  t.upsert(at(0), k, kLoc, FlowClass::echo);
  t.upsert(at(1), k, kLoc, FlowClass::other);
  EXPECT_EQ(t.poll_at(), at(301));
  EXPECT_EQ(t.lookup(at(200), k), kLoc);  // "other" is refreshed by lookups
  EXPECT_EQ(t.poll_at(), at(500));
  t.upsert(at(201), k, kLoc, FlowClass::echo);
  EXPECT_EQ(t.poll_at(), at(261));
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, EvictsTheLeastRecentlyUsedUnderPressure) {
  LocatorTable t(with_capacity(3), kKey);
  t.upsert(at(0), udp(kH, kD4, 1, 1), kLoc, FlowClass::udp);
  t.upsert(at(1), udp(kH, kD4, 2, 2), kLoc, FlowClass::udp);
  t.upsert(at(2), udp(kH, kD4, 3, 3), kLoc, FlowClass::udp);
  EXPECT_TRUE(t.lookup(at(3), udp(kH, kD4, 1, 1)));  // 1 is now the most recent
  t.upsert(at(4), udp(kH, kD4, 4, 4), kLoc, FlowClass::udp);
  EXPECT_EQ(t.stats().evicted, 1U);
  EXPECT_EQ(t.last_pressure(), at(4));
  EXPECT_FALSE(t.lookup(at(5), udp(kH, kD4, 2, 2)));
  t.upsert(at(6), udp(kH, kD4, 5, 5), kLoc, FlowClass::udp);  // evicts 3
  EXPECT_FALSE(t.lookup(at(7), udp(kH, kD4, 3, 3)));
  EXPECT_TRUE(t.lookup(at(7), udp(kH, kD4, 1, 1)));
  EXPECT_TRUE(t.lookup(at(7), udp(kH, kD4, 4, 4)));
  EXPECT_TRUE(t.lookup(at(7), udp(kH, kD4, 5, 5)));
  EXPECT_EQ(t.size(), 3U);
  EXPECT_EQ(t.stats().evicted, 2U);
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, EchoRepliesDoNotRefreshTheLruPositionEither) {
  LocatorTable t(with_capacity(2), kKey);
  t.upsert(at(0), echo(kH, kD4, 1), kLoc, FlowClass::echo);
  t.upsert(at(1), udp(kH, kD4, 2, 2), kLoc, FlowClass::udp);
  EXPECT_TRUE(t.lookup(at(2), echo(kH, kD4, 1)));
  t.upsert(at(3), udp(kH, kD4, 3, 3), kLoc, FlowClass::udp);
  EXPECT_FALSE(t.lookup(at(4), echo(kH, kD4, 1)));
  EXPECT_TRUE(t.lookup(at(4), udp(kH, kD4, 2, 2)));
}

TEST(LocatorTable, AFullTableReclaimsAnExpiredEntryBeforeEvicting) {
  LocatorTable t(with_capacity(2), kKey);
  t.upsert(at(0), udp(kH, kD4, 1, 1), kLoc, FlowClass::udp);
  t.upsert(at(10), echo(kH, kD4, 2), kLoc, FlowClass::echo);  // expires at 70, after the udp's LRU slot
  t.upsert(at(71), udp(kH, kD4, 3, 3), kLoc, FlowClass::udp);
  EXPECT_EQ(t.stats().evicted, 0U);  // no pressure: the echo entry was dead already
  EXPECT_EQ(t.stats().expired, 1U);
  EXPECT_EQ(t.last_pressure(), std::nullopt);
  EXPECT_TRUE(t.lookup(at(72), udp(kH, kD4, 1, 1)));
}

TEST(LocatorTable, LookupAnyFindsTheMostRecentLiveFlowOfThePair) {
  LocatorTable t(with_capacity(64), kKey);
  const Locator a{1, 0, 0}, b{2, 0, 0}, c{3, 0, 0}, other{4, 0, 0};
  t.upsert(at(0), udp(kH, kD4, 1000, 53), a, FlowClass::udp);
  t.upsert(at(1), tcp(kH, kD4, 1001, 443), b, FlowClass::tcp);
  t.upsert(at(1), udp(kH, kD4 + 1, 1000, 53), other, FlowClass::udp);
  t.upsert(at(1), udp(kH + 1, kD4, 1000, 53), other, FlowClass::udp);
  EXPECT_EQ(t.lookup_any(at(2), kH, kD4), b);
  EXPECT_TRUE(t.lookup(at(3), udp(kH, kD4, 1000, 53)));
  EXPECT_EQ(t.lookup_any(at(4), kH, kD4), a);
  EXPECT_EQ(t.lookup_any(at(4), kD4, kH), std::nullopt);  // direction matters
  EXPECT_EQ(t.lookup_any(at(4), kH, kD4 + 2), std::nullopt);
  // An echo flow is the most recent, then expires: it is skipped and removed.
  t.upsert(at(5), echo(kH, kD4, 9), c, FlowClass::echo);
  EXPECT_EQ(t.lookup_any(at(6), kH, kD4), c);
  EXPECT_EQ(t.size(), 5U);
  EXPECT_EQ(t.lookup_any(at(65), kH, kD4), a);
  EXPECT_EQ(t.size(), 4U);
  // lookup_any refreshes nothing: the udp flow still expires 300 s after its last use.
  EXPECT_EQ(t.lookup_any(at(302), kH, kD4), a);
  EXPECT_EQ(t.lookup_any(at(303), kH, kD4), b);
  const auto& s = t.stats();
  EXPECT_EQ(s.any_hits, 6U);
  EXPECT_EQ(s.any_misses, 2U);
  EXPECT_EQ(s.expired, 2U);
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, LookupAnyWithManyFlowsPerPair) {
  LocatorTable t(with_capacity(5000), kKey);
  for (u16 p = 0; p < 4000; ++p) t.upsert(at(p * 0.001), udp(kH, kD4, p, 53), Locator{p, 0, 0}, FlowClass::udp);
  EXPECT_EQ(t.lookup_any(at(5), kH, kD4), (Locator{3999, 0, 0}));
  EXPECT_TRUE(t.lookup(at(5), udp(kH, kD4, 17, 53)));
  EXPECT_EQ(t.lookup_any(at(5), kH, kD4), (Locator{17, 0, 0}));
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, ExpireDoesBoundedWorkEarliestFirst) {
  LocatorTable t(with_capacity(1000), kKey);
  t.upsert(at(0), tcp(kH, kD4, 1, 1), kLoc, FlowClass::tcp);
  for (u16 i = 0; i < 100; ++i) t.upsert(at(i * 0.1), echo(kH, kD4, i), kLoc, FlowClass::echo);  // expire 60..69.9
  EXPECT_EQ(t.expire(at(59), 1000), 0U);
  EXPECT_EQ(t.expire(at(1000), 10), 10U);
  EXPECT_EQ(t.size(), 91U);
  EXPECT_EQ(t.poll_at(), at(61));  // identifiers 0..9 went first
  EXPECT_EQ(t.expire(at(1000), 0), 0U);
  std::size_t rounds = 0;
  while (t.expire(at(1000), 16) != 0) ++rounds;
  EXPECT_EQ(rounds, 6U);  // 90 entries, 16 per call
  EXPECT_EQ(t.size(), 1U);
  EXPECT_EQ(t.poll_at(), at(7440));
  EXPECT_EQ(t.stats().expired, 100U);
  EXPECT_TRUE(t.check_invariants());
}

TEST(LocatorTable, PollAtFollowsTheEarliestExpiryAcrossClasses) {
  LocatorTable t(with_capacity(16), kKey);
  EXPECT_EQ(t.poll_at(), std::nullopt);
  t.upsert(at(5), tcp(kH, kD4, 1, 1), kLoc, FlowClass::tcp);
  EXPECT_EQ(t.poll_at(), at(7445));
  t.upsert(at(6), udp(kH, kD4, 1, 1), kLoc, FlowClass::udp);
  EXPECT_EQ(t.poll_at(), at(306));
  t.upsert(at(7), echo(kH, kD4, 1), kLoc, FlowClass::echo);
  EXPECT_EQ(t.poll_at(), at(67));
  EXPECT_EQ(t.expire(at(67), 100), 1U);
  EXPECT_EQ(t.poll_at(), at(306));
  EXPECT_TRUE(t.lookup(at(100), udp(kH, kD4, 1, 1)));
  EXPECT_EQ(t.poll_at(), at(400));
  EXPECT_EQ(t.expire(at(400), 100), 1U);
  EXPECT_EQ(t.poll_at(), at(7445));
}

TEST(LocatorTable, TimeDoesNotGoBackwards) {
  LocatorTable t(with_capacity(16), kKey);
  t.upsert(at(100), udp(kH, kD4, 1, 1), kLoc, FlowClass::udp);
  t.upsert(at(50), udp(kH, kD4, 2, 2), kLoc, FlowClass::udp);  // treated as at(100)
  EXPECT_EQ(t.poll_at(), at(400));
  EXPECT_EQ(t.expire(at(399), 10), 0U);
  EXPECT_EQ(t.expire(at(400), 10), 2U);
}

TEST(LocatorTable, CapacityAndMemory) {
  EXPECT_EQ(LocatorTable(with_capacity(0), kKey).capacity(), 1U);
  LocatorTable one(with_capacity(1), kKey);
  one.upsert(at(0), udp(kH, kD4, 1, 1), kLoc, FlowClass::udp);
  one.upsert(at(0), udp(kH, kD4, 2, 2), kLoc, FlowClass::udp);
  EXPECT_EQ(one.size(), 1U);
  EXPECT_TRUE(one.lookup(at(0), udp(kH, kD4, 2, 2)));
  // 100'000 entries: 64 B each + 2^18 slots of 8 B + 2^17 pair buckets of 4 B.
  EXPECT_EQ(LocatorTable::memory_bytes(100'000), 100'000U * 64 + (1U << 18) * 8 + (1U << 17) * 4);
}

// ---------------------------------------------------------------------------------
// The naive reference: a map of flows and a list in recency order (front = least
// recently used). Every rule of the header, written the obvious way.
class Reference {
 public:
  explicit Reference(const LocatorTableConfig& c)
      : capacity_(std::max<std::size_t>(c.capacity, 1)),
        timeout_{c.echo_timeout, c.udp_timeout, c.tcp_timeout, c.other_timeout} {}

  LocatorTable::Stats stats{};
  std::optional<Instant> last_pressure;

  std::size_t size() const { return map_.size(); }

  void upsert(Instant now, const FlowKey& k, const Locator& loc, FlowClass fc) {
    now = advance(now);
    if (auto it = map_.find(tuple(k)); it != map_.end()) {
      if (it->second.expires <= now) {
        ++stats.expired;
        ++stats.inserts;
      } else {
        ++stats.refreshes;
      }
      it->second.loc = loc;
      it->second.cls = fc;
      it->second.expires = now + timeout(fc);
      order_.splice(order_.end(), order_, it->second.pos);
      return;
    }
    if (map_.size() == capacity_) {
      if (const auto e = earliest(); e->second.expires <= now) {
        erase(e);
        ++stats.expired;
      } else {
        erase(map_.find(order_.front()));
        ++stats.evicted;
        last_pressure = now;
      }
    }
    order_.push_back(tuple(k));
    map_.emplace(tuple(k), E{loc, fc, now + timeout(fc), std::prev(order_.end())});
    ++stats.inserts;
  }

  std::optional<Locator> lookup(Instant now, const FlowKey& k) {
    now = advance(now);
    const auto it = map_.find(tuple(k));
    if (it == map_.end()) {
      ++stats.misses;
      return std::nullopt;
    }
    if (it->second.expires <= now) {
      erase(it);
      ++stats.expired;
      ++stats.misses;
      return std::nullopt;
    }
    ++stats.hits;
    if (it->second.cls != FlowClass::echo) {
      it->second.expires = now + timeout(it->second.cls);
      order_.splice(order_.end(), order_, it->second.pos);
    }
    return it->second.loc;
  }

  std::optional<Locator> lookup_any(Instant now, u32 local, u32 remote) {
    now = advance(now);
    for (auto pos = order_.end(); pos != order_.begin();) {
      --pos;
      if (std::get<0>(*pos) != local || std::get<1>(*pos) != remote) continue;
      const auto it = map_.find(*pos);
      if (it->second.expires > now) {
        ++stats.any_hits;
        return it->second.loc;
      }
      ++pos;  // the next more recent one; erase() invalidates only the erased node
      erase(it);
      ++stats.expired;
    }
    ++stats.any_misses;
    return std::nullopt;
  }

  std::size_t expire(Instant now, std::size_t max) {
    now = advance(now);
    std::size_t n = 0;
    for (; n < max && !map_.empty(); ++n) {
      const auto e = earliest();
      if (e->second.expires > now) break;
      erase(e);
    }
    stats.expired += n;
    return n;
  }

  std::optional<Instant> poll_at() {
    if (map_.empty()) return std::nullopt;
    return earliest()->second.expires;
  }

 private:
  using Tuple = std::tuple<u32, u32, u8, u16, u16>;
  struct E {
    Locator loc;
    FlowClass cls;
    Instant expires;
    std::list<Tuple>::iterator pos;
  };
  using Map = std::map<Tuple, E>;

  static Tuple tuple(const FlowKey& k) { return {k.local_v4, k.remote_v4, k.protocol, k.local_port, k.remote_port}; }
  Duration timeout(FlowClass c) const { return timeout_[static_cast<std::size_t>(c)]; }
  Instant advance(Instant now) { return now_ = std::max(now_, now); }

  // Earliest expiry; among equal ones the least recently used.
  Map::iterator earliest() {
    auto best = map_.end();
    for (const Tuple& t : order_) {
      const auto it = map_.find(t);
      if (best == map_.end() || it->second.expires < best->second.expires) best = it;
    }
    return best;
  }

  void erase(Map::iterator it) {
    order_.erase(it->second.pos);
    map_.erase(it);
  }

  std::size_t capacity_;
  std::array<Duration, kFlowClassCount> timeout_;
  Map map_;
  std::list<Tuple> order_;
  Instant now_{};
};

struct RandomCase {
  std::size_t capacity;
  HashKey key;
  u64 seed;
};

class LocatorTableRandom : public ::testing::TestWithParam<RandomCase> {};

// A small key space, so that hits, refreshes, class changes, shared pairs, eviction and
// expiry all happen often; time mostly creeps, sometimes jumps, rarely steps back.
TEST_P(LocatorTableRandom, MatchesTheReference) {
  const RandomCase& rc = GetParam();
  LocatorTableConfig config = with_capacity(rc.capacity);
  LocatorTable table(config, rc.key);
  Reference ref(config);
  SplitMix rng{rc.seed};
  static constexpr u8 kProtocols[] = {1, 6, 17, 47};
  static constexpr FlowClass kClasses[] = {FlowClass::echo, FlowClass::tcp, FlowClass::udp, FlowClass::other};
  Instant now = at(1000);
  constexpr int kOps = 80'000;
  for (int op = 0; op < kOps; ++op) {
    const u32 dice = rng.below(1000);
    if (dice < 5) {
      now = now - seconds(rng.below(5));
    } else if (dice < 10) {
      now += seconds(rng.below(3000));
    } else {
      now += Duration(rng.below(2'000'000'000));
    }
    const u32 local = 0x0a000000 + rng.below(3);
    const u32 remote = 0xc6336400 + rng.below(3);
    const u32 p = rng.below(4);
    const FlowKey key{local, remote, kProtocols[p], static_cast<u16>(rng.below(16)),
                      static_cast<u16>(kProtocols[p] == 1 ? 0 : rng.below(4))};
    const u32 what = rng.below(100);
    if (what < 40) {
      const FlowClass fc = rng.below(20) == 0 ? kClasses[rng.below(4)] : kClasses[p];
      const Locator loc{rng.below(100), rng.below(3), static_cast<u32>(op)};
      table.upsert(now, key, loc, fc);
      ref.upsert(now, key, loc, fc);
    } else if (what < 80) {
      ASSERT_EQ(table.lookup(now, key), ref.lookup(now, key)) << "op " << op;
    } else if (what < 92) {
      ASSERT_EQ(table.lookup_any(now, local, remote), ref.lookup_any(now, local, remote)) << "op " << op;
    } else {
      const std::size_t max = rng.below(6);
      ASSERT_EQ(table.expire(now, max), ref.expire(now, max)) << "op " << op;
    }
    ASSERT_EQ(table.size(), ref.size()) << "op " << op;
    ASSERT_LE(table.size(), table.capacity());
    ASSERT_EQ(tie(table.stats()), tie(ref.stats)) << "op " << op;
    if (op % 16 == 0) {
      ASSERT_EQ(table.poll_at(), ref.poll_at()) << "op " << op;
    }
    if (op % 4096 == 0) {
      ASSERT_TRUE(table.check_invariants()) << "op " << op;
    }
  }
  EXPECT_EQ(table.last_pressure(), ref.last_pressure);
  EXPECT_TRUE(table.check_invariants());
  if (rc.capacity < 1000) {
    EXPECT_GT(table.stats().evicted, 0U);
  }
  EXPECT_GT(table.stats().expired, 0U);
  EXPECT_GT(table.stats().any_hits, 0U);
}

INSTANTIATE_TEST_SUITE_P(Capacities, LocatorTableRandom,
                         ::testing::Values(RandomCase{1, kKey, 1}, RandomCase{5, kKey, 2}, RandomCase{64, kKey, 3},
                                           RandomCase{300, HashKey{1, 2}, 4}, RandomCase{4096, HashKey{3, 4}, 5}));

// ---------------------------------------------------------------------------------
// No allocation after construction: a million mixed operations on a full-size table.
TEST(LocatorTable, AMillionOperationsAllocateNothing) {
  LocatorTable t(LocatorTableConfig{}, kKey);
  SplitMix rng{42};
  Instant now = at(0);
  std::size_t found = 0;
  const std::size_t before = g_allocations.load();
  for (int op = 0; op < 1'000'000; ++op) {
    now += nextip::base::microseconds(100);             // 100 s in all: echo entries expire
    const u32 remote = 0xc6000000 + rng.below(25'000);  // with 4 locals: 100'000 udp flows
    const FlowKey key{kH + rng.below(4), remote, 17, static_cast<u16>(remote), 443};
    switch (rng.below(8)) {
      case 0:
      case 1:
      case 2: t.upsert(now, key, kLoc, FlowClass::udp); break;
      case 3: t.upsert(now, FlowKey{key.local_v4, remote, 1, 7, 0}, kLoc, FlowClass::echo); break;
      case 4:
      case 5: found += t.lookup(now, key).has_value() ? 1U : 0U; break;
      case 6: found += t.lookup_any(now, key.local_v4, remote).has_value() ? 1U : 0U; break;
      default:
        if (const auto when = t.poll_at(); when && *when <= now) t.expire(now, 64);
    }
  }
  const std::size_t allocations = g_allocations.load() - before;
  EXPECT_EQ(allocations, 0U);
  EXPECT_GT(found, 100'000U);
  EXPECT_GT(t.stats().evicted, 0U);
  EXPECT_LE(t.size(), t.capacity());
  EXPECT_TRUE(t.check_invariants());
}

// §14.15 "memory exhaustion via ICMP flood": 1'000'000 short flows (one packet each)
// against a 100'000-entry table, while 1'000 established TCP flows keep talking: each
// sees a packet (alternately forward and reply) every 5'000 flood packets. The flood
// evicts only flood entries, memory stays flat (no allocation at all) and size() never
// exceeds capacity().
TEST(LocatorTable, AFloodOfShortFlowsKeepsTheEstablishedOnes) {
  constexpr u32 kEstablished = 1'000;
  constexpr u32 kFlood = 1'000'000;
  constexpr u32 kFloodPerTouch = 5;  // one established packet per 5 flood packets
  LocatorTable t(LocatorTableConfig{}, kKey);
  auto established = [](u32 i) { return tcp(kH + (i % 8), 0xcb007100 + i, static_cast<u16>(40000 + i), 443); };
  auto locator = [](u32 i) { return Locator{64512 + i, i % 3, i % 5}; };
  Instant now = at(0);
  for (u32 i = 0; i < kEstablished; ++i) t.upsert(now, established(i), locator(i), FlowClass::tcp);

  SplitMix rng{7};
  std::size_t max_size = 0, reply_misses = 0, wrong = 0, forward = 0, replies = 0;
  const std::size_t before = g_allocations.load();
  for (u32 i = 0; i < kFlood; ++i) {
    now += nextip::base::microseconds(10);  // 100'000 packets per second, 10 s in all
    const u32 remote = 0x64000000 + i;      // every flood flow is new
    if (i % 2 == 0) {
      t.upsert(now, echo(kH + rng.below(8), remote, static_cast<u16>(rng.next())), Locator{666, 0, 0}, FlowClass::echo);
    } else {
      t.upsert(now, udp(kH + rng.below(8), remote, static_cast<u16>(rng.next()), 53), Locator{666, 0, 0},
               FlowClass::udp);
    }
    if (i % kFloodPerTouch == 0) {
      const u32 e = (i / kFloodPerTouch) % kEstablished;
      if ((i / kFloodPerTouch / kEstablished) % 2 == 0) {
        t.upsert(now, established(e), locator(e), FlowClass::tcp);
        ++forward;
      } else {
        const auto got = t.lookup(now, established(e));
        reply_misses += got ? 0U : 1U;
        wrong += got && *got != locator(e) ? 1U : 0U;
        ++replies;
      }
    }
    max_size = std::max(max_size, t.size());
  }
  const std::size_t allocations = g_allocations.load() - before;

  EXPECT_EQ(allocations, 0U);
  EXPECT_EQ(max_size, t.capacity());
  EXPECT_EQ(reply_misses, 0U);
  EXPECT_EQ(wrong, 0U);
  const auto& s = t.stats();
  EXPECT_EQ(s.refreshes, forward);  // every forward packet of an established flow found it
  EXPECT_EQ(s.hits, replies);
  EXPECT_EQ(s.inserts, kEstablished + kFlood);
  EXPECT_EQ(s.evicted, kEstablished + kFlood - t.capacity());
  EXPECT_EQ(t.last_pressure(), now);
  for (u32 i = 0; i < kEstablished; ++i) EXPECT_EQ(t.lookup(now, established(i)), locator(i)) << i;
  EXPECT_TRUE(t.check_invariants());
}

}  // namespace

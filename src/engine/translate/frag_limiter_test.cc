// FragLimiter, the fragmented-flow threshold of 001 §12.7.5 ("MUST rate-limit the number
// of distinct fragmented flows translated concurrently, or MUST refuse to translate
// fragments above a configured flow-count threshold"), on a fake clock.
#include "engine/translate/frag_limiter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace nextip::engine::translate {
namespace {

using base::Instant;
using base::seconds;
using base::u32;
using base::u64;

const Instant kT0 = Instant::from_ns(1'000'000'000'000);  // any origin works

// Distinct keys that are not simply consecutive (the limiter hashes them anyway).
u64 key(u64 i) {
  return i * 0x9e3779b97f4a7c15ULL + 0x1234;
}

// How many of keys [first, first + n) are admitted at `now`.
u32 admit_range(FragLimiter& f, u64 first, u64 n, Instant now) {
  u32 admitted = 0;
  for (u64 i = first; i < first + n; ++i) admitted += f.admit(key(i), now) ? 1u : 0u;
  return admitted;
}

// max_flows 0 means no limit, and so does a default-constructed limiter.
TEST(FragLimiter, ZeroFlowsMeansUnlimited) {
  FragLimiter unlimited(0, seconds(30));
  EXPECT_EQ(unlimited.capacity(), 0u);
  EXPECT_EQ(admit_range(unlimited, 0, 100'000, kT0), 100'000u);

  FragLimiter defaulted;
  EXPECT_EQ(defaulted.capacity(), 0u);
  EXPECT_EQ(admit_range(defaulted, 0, 10'000, kT0), 10'000u);
}

TEST(FragLimiter, CapacityIsMaxFlows) {
  EXPECT_EQ(FragLimiter(1, seconds(1)).capacity(), 1u);
  EXPECT_EQ(FragLimiter(4096, seconds(30)).capacity(), 4096u);
}

// With room for one flow: the live flow keeps being admitted, a second is refused until
// the first has been quiet for a whole window, and every fragment refreshes the window.
TEST(FragLimiter, ALiveKeyIsReadmittedAndItsWindowRefreshed) {
  FragLimiter f(1, seconds(10));
  EXPECT_TRUE(f.admit(key(1), kT0));
  EXPECT_FALSE(f.admit(key(2), kT0)) << "the table holds one flow";
  EXPECT_TRUE(f.admit(key(1), kT0 + seconds(5))) << "a live flow is re-admitted";
  // Without the refresh key 1 would have expired at 10 s; with it, it lives until 15 s.
  EXPECT_FALSE(f.admit(key(2), kT0 + seconds(12))) << "the window was not refreshed";
  EXPECT_TRUE(f.admit(key(1), kT0 + seconds(14)));  // refreshed again: lives until 24 s
  EXPECT_FALSE(f.admit(key(2), kT0 + seconds(23)));
  EXPECT_TRUE(f.admit(key(2), kT0 + seconds(25))) << "key 1 expired at 24 s";
  EXPECT_FALSE(f.admit(key(1), kT0 + seconds(26))) << "key 2 now holds the only slot";
}

// The threshold itself: never more than max_flows distinct live keys at once, whatever
// the number of keys offered; refusals start only near a full table (about 90 % load).
TEST(FragLimiter, NeverMoreThanMaxFlowsLiveKeys) {
  for (u32 max_flows : {1u, 2u, 3u, 7u, 8u, 9u, 100u, 1000u, 4096u}) {
    FragLimiter f(max_flows, seconds(30));
    const u32 admitted = admit_range(f, 0, 20u * max_flows + 100, kT0);
    EXPECT_LE(admitted, max_flows) << "max_flows " << max_flows;
    EXPECT_GE(admitted, max_flows >= 100 ? max_flows * 3 / 4 : 1u) << "max_flows " << max_flows;
    // With 8 probes a table of up to 8 slots is searched whole, so it fills completely.
    if (max_flows <= 8) {
      EXPECT_EQ(admitted, max_flows);
    }
    // Later in the same window, more new keys: the total stays within max_flows.
    const u32 more = admit_range(f, 1'000'000, 10u * max_flows, kT0 + seconds(29));
    EXPECT_LE(admitted + more, max_flows) << "max_flows " << max_flows;
  }
}

// Every admitted key stays admitted for its window even when the table is full, and the
// refused ones stay refused: a flow is either translated entirely or not at all.
TEST(FragLimiter, AdmittedKeysStayAdmittedWhileTheTableIsFull) {
  FragLimiter f(500, seconds(30));
  std::vector<bool> first(5000);
  for (u64 i = 0; i < first.size(); ++i) first[i] = f.admit(key(i), kT0);
  for (int round = 1; round <= 3; ++round) {
    const Instant now = kT0 + seconds(round * 5);
    for (u64 i = 0; i < first.size(); ++i) {
      ASSERT_EQ(f.admit(key(i), now), first[i]) << "key " << i << " at +" << round * 5 << " s";
    }
  }
}

// After the window every flow has expired and new keys are admitted again, up to the
// same limit.
TEST(FragLimiter, KeysExpireAfterTheWindow) {
  FragLimiter f(1000, seconds(30));
  const u32 first = admit_range(f, 0, 5000, kT0);
  const u32 top_up = admit_range(f, 10'000, 5000, kT0 + seconds(29));
  EXPECT_LE(first + top_up, 1000u);
  EXPECT_GE(first + top_up, 750u);
  // At 31 s the first batch has expired (the top-up is still live until 59 s).
  const u32 later = admit_range(f, 20'000, 5000, kT0 + seconds(31));
  EXPECT_LE(top_up + later, 1000u);
  EXPECT_GE(top_up + later, 750u) << "the slots of the first batch were not freed";
  // At 62 s everything has expired (the batch of 31 s lived until 61 s): a whole table is free again.
  const u32 again = admit_range(f, 30'000, 5000, kT0 + seconds(62));
  EXPECT_LE(again, 1000u);
  EXPECT_GE(again, 750u);
}

// Only live flows count: a steady trickle of short flows, each seen once, keeps being
// admitted long after max_flows distinct keys have gone through, because expired slots
// are reused.
TEST(FragLimiter, ExpiredSlotsAreReused) {
  FragLimiter f(64, seconds(1));
  u64 next = 0;
  for (int round = 0; round < 200; ++round) {
    const Instant now = kT0 + seconds(2 * round);  // everything from before has expired
    EXPECT_EQ(admit_range(f, next, 16, now), 16u) << "at " << 2 * round << " s";
    next += 16;
  }
}

// Same inputs, same answers: the limiter depends on nothing but its arguments.
TEST(FragLimiter, DeterministicWithAFakeClock) {
  FragLimiter a(256, seconds(10));
  FragLimiter b(256, seconds(10));
  for (u64 i = 0; i < 20'000; ++i) {
    const Instant now = kT0 + base::milliseconds(static_cast<std::int64_t>(i));
    const u64 k = key(i % 700);
    ASSERT_EQ(a.admit(k, now), b.admit(k, now)) << "step " << i;
  }
}

}  // namespace
}  // namespace nextip::engine::translate

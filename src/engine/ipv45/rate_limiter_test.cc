#include "engine/ipv45/rate_limiter.h"

#include <gtest/gtest.h>

namespace nextip::ipv45 {
namespace {

using base::Instant;
using base::milliseconds;
using base::seconds;

TEST(RateLimiter, BurstThenRate) {
  const Instant t0 = Instant::origin() + seconds(10);
  RateLimiter r(1000, 1000, t0);
  EXPECT_EQ(r.load(t0), 0u);
  int taken = 0;
  while (r.take(t0)) ++taken;
  EXPECT_EQ(taken, 1000);
  EXPECT_EQ(r.load(t0), 1000u);
  // 1000 per second: 10 more after 10 ms, none in between.
  EXPECT_FALSE(r.take(t0 + base::microseconds(999)));
  EXPECT_TRUE(r.take(t0 + milliseconds(1)));
  taken = 0;
  while (r.take(t0 + milliseconds(11))) ++taken;
  EXPECT_EQ(taken, 10);
}

TEST(RateLimiter, OneSecondOfFloodGetsAtMostBurstPlusRate) {
  const Instant t0 = Instant::origin();
  RateLimiter r(1000, 1000, t0);
  int taken = 0;
  for (int us = 0; us < 1'000'000; us += 10) taken += r.take(t0 + base::microseconds(us));
  EXPECT_LE(taken, 2000);
  EXPECT_GE(taken, 1999);
}

TEST(RateLimiter, RefillsToBurstNotBeyond) {
  const Instant t0 = Instant::origin();
  RateLimiter r(10, 5, t0);
  while (r.take(t0)) {
  }
  EXPECT_EQ(r.load(t0), 5u);
  EXPECT_EQ(r.load(t0 + seconds(3600)), 0u);
  int taken = 0;
  while (r.take(t0 + seconds(3600))) ++taken;
  EXPECT_EQ(taken, 5);
}

TEST(RateLimiter, ClockGoingBackwardsGrantsNothing) {
  const Instant t0 = Instant::origin() + seconds(100);
  RateLimiter r(1, 1, t0);
  EXPECT_TRUE(r.take(t0));
  EXPECT_FALSE(r.take(t0 - seconds(50)));
  EXPECT_FALSE(r.take(t0 + milliseconds(500)));
  EXPECT_TRUE(r.take(t0 + seconds(1)));
}

}  // namespace
}  // namespace nextip::ipv45

// The RFC 6479 replay window against a naive reference (a set of every accepted
// sequence number plus the same window rule), on random and adversarial sequences.
#include "engine/ipv45/replay_window.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace nextip::ipv45 {
namespace {

using V = ReplayWindow::Verdict;

class Naive {
 public:
  V update(std::uint64_t seq) {
    if (seq == 0) return V::too_old;
    if (seq <= top_ && top_ - seq >= ReplayWindow::kSize) return V::too_old;
    if (seen_.contains(seq)) return V::replay;
    seen_.insert(seq);
    top_ = std::max(top_, seq);
    return V::ok;
  }

 private:
  std::set<std::uint64_t> seen_;
  std::uint64_t top_ = 0;
};

TEST(ReplayWindow, Basics) {
  ReplayWindow w;
  EXPECT_EQ(w.check(0), V::too_old);
  EXPECT_EQ(w.update(1), V::ok);
  EXPECT_EQ(w.update(1), V::replay);
  EXPECT_EQ(w.update(3), V::ok);
  EXPECT_EQ(w.update(2), V::ok);
  EXPECT_EQ(w.update(2), V::replay);
  EXPECT_EQ(w.max_seen(), 3u);
  // check() never changes anything.
  EXPECT_EQ(w.check(5), V::ok);
  EXPECT_EQ(w.check(5), V::ok);
  EXPECT_EQ(w.max_seen(), 3u);
}

TEST(ReplayWindow, EdgeOfTheWindow) {
  ReplayWindow w;
  const std::uint64_t top = 100'000;
  ASSERT_EQ(w.update(top), V::ok);
  EXPECT_EQ(w.update(top - ReplayWindow::kSize + 1), V::ok);  // the oldest still inside
  EXPECT_EQ(w.update(top - ReplayWindow::kSize), V::too_old);
  EXPECT_EQ(w.update(top - ReplayWindow::kSize + 1), V::replay);
  // A jump of more than the whole ring clears it.
  ASSERT_EQ(w.update(top + 10 * ReplayWindow::kSize), V::ok);
  EXPECT_EQ(w.update(top + 10 * ReplayWindow::kSize - 1), V::ok);
  EXPECT_EQ(w.update(top), V::too_old);
}

TEST(ReplayWindow, EveryPositionInTheWindowIsTrackedSeparately) {
  ReplayWindow w;
  const std::uint64_t top = 5 * ReplayWindow::kSize + 17;
  ASSERT_EQ(w.update(top), V::ok);
  for (std::uint64_t s = top - ReplayWindow::kSize + 1; s < top; s += 2) ASSERT_EQ(w.update(s), V::ok) << s;
  for (std::uint64_t s = top - ReplayWindow::kSize + 1; s < top; ++s) {
    ASSERT_EQ(w.check(s), (s - (top - ReplayWindow::kSize + 1)) % 2 == 0 ? V::replay : V::ok) << s;
  }
}

TEST(ReplayWindow, RandomizedAgainstNaiveReference) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 g(seed);
    ReplayWindow w;
    Naive n;
    std::uint64_t base = 1;
    for (int i = 0; i < 20000; ++i) {
      std::uint64_t seq = 0;
      switch (g() % 6) {
        case 0: seq = base + g() % 8; break;                                // near the front
        case 1: seq = base > 5000 ? base - g() % 5000 : g() % 5000; break;  // behind, across the edge
        case 2: seq = base + g() % (3 * ReplayWindow::kSize); break;        // jumps
        default: seq = base + g() % 64; break;
      }
      base = std::max(base, seq);
      ASSERT_EQ(w.update(seq), n.update(seq)) << "seed " << seed << " i " << i << " seq " << seq;
    }
  }
}

}  // namespace
}  // namespace nextip::ipv45

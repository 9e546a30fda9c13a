// The translator's locator table (src/engine/translate/locator_table.h) beside
// std::unordered_map with the same key and value, in the same binary: upsert and lookup,
// hit and miss, at 10'000 and 100'000 entries. Keys are random flows visited in random
// order, so both tables pay their cache misses the way a busy translator would.
//  - lookup hit / miss: the reverse direction; a hit refreshes (udp).
//  - upsert hit: refresh of a present flow. upsert miss: a new flow into a full table,
//    which evicts the least recently used one; the anchor does the same work without
//    LRU (emplace the new key, erase the one inserted `n` keys earlier).
// The hit - miss difference of lookup is the residual timing signal of §14.14.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "base/hash.h"
#include "engine/translate/locator_table.h"

namespace {

using namespace nextip::engine::translate;
using nextip::base::mix64;

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const noexcept {
    const u64 a = (u64{k.local_v4} << 32) | k.remote_v4;
    const u64 b = (u64{k.protocol} << 32) | (u64{k.local_port} << 16) | k.remote_port;
    return static_cast<std::size_t>(mix64(a ^ mix64(b)));
  }
};
using Anchor = std::unordered_map<FlowKey, Locator, FlowKeyHash>;

constexpr HashKey kKey{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL};

// keys[0, n) are inserted first, keys[n, 2n) are absent then; `order` visits n of them
// in random order. Random UDP flows from a few translator-owned addresses.
struct Fixture {
  explicit Fixture(std::size_t n) : order(n) {
    std::mt19937_64 rng(n);
    keys.reserve(2 * n);
    while (keys.size() < 2 * n) {
      const auto r = rng();
      keys.push_back(
          FlowKey{0xc0000200 + static_cast<u32>(r % 16), static_cast<u32>(r >> 32), 17, static_cast<u16>(r >> 4), 443});
    }
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<u32>(i);
    std::shuffle(order.begin(), order.end(), rng);
  }
  std::vector<FlowKey> keys;
  std::vector<u32> order;
};

LocatorTableConfig config(std::size_t n) {
  LocatorTableConfig c;
  c.capacity = n;
  return c;
}

Instant tick(Instant& now) {
  now += Duration(100);
  return now;
}

void BM_Table_Lookup(benchmark::State& state, bool hit) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Fixture f(n);
  LocatorTable t(config(n), kKey);
  Instant now;
  for (std::size_t i = 0; i < n; ++i) t.upsert(tick(now), f.keys[i], Locator{1, 2, 3}, FlowClass::udp);
  const std::size_t base = hit ? 0 : n;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t.lookup(tick(now), f.keys[base + f.order[i]]));
    if (++i == n) i = 0;
  }
  state.counters["hit_ratio"] = static_cast<double>(t.stats().hits) / static_cast<double>(state.iterations());
}

void BM_Anchor_Lookup(benchmark::State& state, bool hit) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Fixture f(n);
  Anchor m;
  m.reserve(n);
  for (std::size_t i = 0; i < n; ++i) m.emplace(f.keys[i], Locator{1, 2, 3});
  const std::size_t base = hit ? 0 : n;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto it = m.find(f.keys[base + f.order[i]]);
    benchmark::DoNotOptimize(it == m.end() ? std::optional<Locator>() : std::optional<Locator>(it->second));
    if (++i == n) i = 0;
  }
}

void BM_Table_Upsert(benchmark::State& state, bool hit) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Fixture f(n);
  LocatorTable t(config(n), kKey);
  Instant now;
  for (std::size_t i = 0; i < n; ++i) t.upsert(tick(now), f.keys[i], Locator{1, 2, 3}, FlowClass::udp);
  std::size_t i = 0;
  if (hit) {
    for (auto _ : state) {
      t.upsert(tick(now), f.keys[f.order[i]], Locator{4, 5, 6}, FlowClass::udp);
      if (++i == n) i = 0;
    }
  } else {
    // Step i inserts keys[(n + i) mod 2n], inserted 2n steps ago and evicted n steps ago.
    for (auto _ : state) {
      t.upsert(tick(now), f.keys[(n + i) % (2 * n)], Locator{4, 5, 6}, FlowClass::udp);
      if (++i == 2 * n) i = 0;
    }
  }
  benchmark::DoNotOptimize(t.size());
  state.counters["evict_ratio"] = static_cast<double>(t.stats().evicted) / static_cast<double>(state.iterations());
}

void BM_Anchor_Upsert(benchmark::State& state, bool hit) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Fixture f(n);
  Anchor m;
  m.reserve(n + 1);
  for (std::size_t i = 0; i < n; ++i) m.emplace(f.keys[i], Locator{1, 2, 3});
  std::size_t i = 0;
  if (hit) {
    for (auto _ : state) {
      m[f.keys[f.order[i]]] = Locator{4, 5, 6};
      if (++i == n) i = 0;
    }
  } else {
    for (auto _ : state) {
      m.emplace(f.keys[(n + i) % (2 * n)], Locator{4, 5, 6});
      m.erase(f.keys[i]);
      if (++i == 2 * n) i = 0;
    }
  }
  benchmark::DoNotOptimize(m.size());
}

BENCHMARK_CAPTURE(BM_Table_Lookup, hit, true)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Anchor_Lookup, hit, true)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Table_Lookup, miss, false)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Anchor_Lookup, miss, false)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Table_Upsert, hit, true)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Anchor_Upsert, hit, true)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Table_Upsert, miss, false)->Arg(10'000)->Arg(100'000);
BENCHMARK_CAPTURE(BM_Anchor_Upsert, miss, false)->Arg(10'000)->Arg(100'000);

}  // namespace

BENCHMARK_MAIN();

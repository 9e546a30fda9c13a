// Layout (see the header for the contract):
//  - entries_: capacity 64-byte entries; the unused ones form a free list.
//  - slots_: linear-probing index of the flow key, 2^k >= 2 * capacity slots (load <= 1/2),
//    deletion by backward shift (no tombstones, so probe clusters never silt up).
//  - lists_: one doubly linked list per FlowClass in recency order. A class has one
//    timeout, so recency order is also expiry order: the head with the earliest expiry is
//    the next to expire (poll_at, expire), the head with the smallest seq is the least
//    recently used entry overall (eviction). Echo entries move only on upsert(), which is
//    exactly when their expiry moves (§12.7.2).
//  - pair_heads_: chained index of (local, remote) for lookup_any(), each chain kept
//    most-recently-used first by moving an entry to the front whenever it is touched.
#include "engine/translate/locator_table.h"

#include <algorithm>

namespace nextip::engine::translate {

namespace {

constexpr u32 kNil = 0xffff'ffffU;
constexpr int kClassShift = 48;
constexpr u64 kKeyMask = (u64{1} << 40) - 1;  // the key's bits of Entry::rest

[[nodiscard]] constexpr u64 pack_addrs(u32 local, u32 remote) noexcept {
  return (u64{local} << 32) | remote;
}

[[nodiscard]] constexpr u64 pack_rest(const FlowKey& key) noexcept {
  return (u64{key.protocol} << 32) | (u64{key.local_port} << 16) | key.remote_port;
}

[[nodiscard]] constexpr std::size_t index_of(FlowClass c) noexcept {
  return static_cast<std::size_t>(c);
}

[[nodiscard]] constexpr FlowClass class_of(u64 rest) noexcept {
  return static_cast<FlowClass>((rest >> kClassShift) & 0xff);
}

[[nodiscard]] constexpr u64 class_bits(FlowClass c) noexcept {
  return u64{static_cast<u8>(c)} << kClassShift;
}

// Hides a value from the optimiser, so that mask arithmetic is not turned back into a
// branch on the tag compare (§14.14 note in the header).
template <class T>
[[nodiscard]] inline T opaque(T v) noexcept {
  __asm__("" : "+r"(v));
  return v;
}

// 0xffffffff when a == b, else 0; no branch.
[[nodiscard]] constexpr u32 eq_mask(u32 a, u32 b) noexcept {
  return static_cast<u32>((static_cast<u64>(a ^ b) - 1) >> 32);
}

// Zero exactly when the two keys are equal (the class bits of `rest` do not count).
[[nodiscard]] constexpr u64 key_diff(u64 addrs_a, u64 rest_a, u64 addrs_b, u64 rest_b) noexcept {
  return (addrs_a ^ addrs_b) | ((rest_a ^ rest_b) & kKeyMask);
}

[[nodiscard]] Duration clamp_timeout(Duration d) noexcept {
  return std::clamp(d, Duration::zero(), LocatorTable::kMaxTimeout);
}

struct Geometry {
  std::size_t capacity;
  int slot_bits;
  int pair_bits;
};

[[nodiscard]] Geometry geometry(std::size_t requested) noexcept {
  const std::size_t capacity = std::clamp<std::size_t>(requested, 1, LocatorTable::kMaxCapacity);
  return {capacity, static_cast<int>(std::bit_width(2 * capacity - 1)),
          std::max(1, static_cast<int>(std::bit_width(capacity - 1)))};
}

}  // namespace

LocatorTable::LocatorTable(const LocatorTableConfig& config, const HashKey& hash_key)
    : capacity_(geometry(config.capacity).capacity),
      timeout_{clamp_timeout(config.echo_timeout), clamp_timeout(config.udp_timeout), clamp_timeout(config.tcp_timeout),
               clamp_timeout(config.other_timeout)},
      key_(hash_key),
      pair_key_{detail::siphash<1, 3>(hash_key, {}, 1), detail::siphash<1, 3>(hash_key, {}, 2)} {
  const Geometry g = geometry(capacity_);
  const std::size_t slots = std::size_t{1} << g.slot_bits;
  const std::size_t buckets = std::size_t{1} << g.pair_bits;
  slot_shift_ = 64 - g.slot_bits;
  slot_mask_ = slots - 1;
  pair_shift_ = 64 - g.pair_bits;
  // Allocate and write every byte now, so the pages are resident before the first packet.
  entries_ = std::make_unique<Entry[]>(capacity_);
  slots_ = std::make_unique<Slot[]>(slots);
  pair_heads_ = std::make_unique<u32[]>(buckets);
  for (std::size_t i = 0; i < capacity_; ++i) entries_[i].next = i + 1 < capacity_ ? static_cast<u32>(i + 1) : kNil;
  free_head_ = 0;
  std::fill_n(slots_.get(), slots, Slot{0, kNil});
  std::fill_n(pair_heads_.get(), buckets, kNil);
  lists_.fill(List{kNil, kNil});
}

std::size_t LocatorTable::memory_bytes(std::size_t capacity) noexcept {
  const Geometry g = geometry(capacity);
  return g.capacity * sizeof(Entry) + (std::size_t{1} << g.slot_bits) * sizeof(Slot) +
         (std::size_t{1} << g.pair_bits) * sizeof(u32);
}

Instant LocatorTable::advance(Instant now) noexcept {
  now_ = std::max(now_, now);
  return now_;
}

u64 LocatorTable::key_hash(u64 addrs, u64 rest) const noexcept {
  const u64 words[2] = {addrs, rest};
  return detail::siphash<1, 3>(key_, words, u64{16} << 56);
}

std::size_t LocatorTable::pair_bucket(u64 addrs) const noexcept {
  const u64 words[1] = {addrs};
  return static_cast<std::size_t>(detail::siphash<1, 3>(pair_key_, words, u64{8} << 56) >> pair_shift_);
}

// §14.14: the whole probe cluster is walked, a match neither stops the walk nor takes a
// branch; only after the walk does the outcome (hit or miss) decide what happens.
u32 LocatorTable::find(u64 hash, u64 addrs, u64 rest) const noexcept {
  const u32 tag = static_cast<u32>(hash);
  u32 candidate = kNil;
  u32 matches = 0;
  for (auto i = static_cast<std::size_t>(hash >> slot_shift_);; i = (i + 1) & slot_mask_) {
    const Slot s = slots_[i];
    if (s.idx == kNil) break;
    const u32 m = opaque(eq_mask(s.tag, tag));
    candidate = (s.idx & m) | (candidate & ~m);
    matches += m & 1U;
  }
  if (matches == 0) return kNil;
  const Entry& e = entries_[candidate];
  if (matches == 1 && key_diff(e.addrs, e.rest, addrs, rest) == 0) return candidate;
  return find_slow(hash, addrs, rest);  // a 32-bit tag collision in the cluster: rare
}

u32 LocatorTable::find_slow(u64 hash, u64 addrs, u64 rest) const noexcept {
  const u32 tag = static_cast<u32>(hash);
  for (auto i = static_cast<std::size_t>(hash >> slot_shift_); slots_[i].idx != kNil; i = (i + 1) & slot_mask_) {
    const Entry& e = entries_[slots_[i].idx];
    if (slots_[i].tag == tag && key_diff(e.addrs, e.rest, addrs, rest) == 0) return slots_[i].idx;
  }
  return kNil;
}

void LocatorTable::slot_insert(u64 hash, u32 idx) noexcept {
  const auto home = static_cast<std::size_t>(hash >> slot_shift_);
  std::size_t i = home;
  while (slots_[i].idx != kNil) i = (i + 1) & slot_mask_;
  slots_[i] = Slot{static_cast<u32>(hash), idx};
  entries_[idx].home = static_cast<u32>(home);
}

// Backward-shift deletion: later members of the cluster move back into the hole unless
// that would put them before their home slot.
void LocatorTable::slot_erase(u32 idx) noexcept {
  std::size_t hole = entries_[idx].home;
  while (slots_[hole].idx != idx) hole = (hole + 1) & slot_mask_;
  for (std::size_t j = (hole + 1) & slot_mask_; slots_[j].idx != kNil; j = (j + 1) & slot_mask_) {
    const std::size_t home = entries_[slots_[j].idx].home;
    if (((j - home) & slot_mask_) < ((j - hole) & slot_mask_)) continue;  // home in (hole, j]
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole] = Slot{0, kNil};
}

void LocatorTable::list_push_back(u32 idx) noexcept {
  Entry& e = entries_[idx];
  List& l = lists_[index_of(class_of(e.rest))];
  e.prev = l.tail;
  e.next = kNil;
  (l.tail != kNil ? entries_[l.tail].next : l.head) = idx;
  l.tail = idx;
}

void LocatorTable::list_unlink(u32 idx) noexcept {
  const Entry& e = entries_[idx];
  List& l = lists_[index_of(class_of(e.rest))];
  (e.prev != kNil ? entries_[e.prev].next : l.head) = e.next;
  (e.next != kNil ? entries_[e.next].prev : l.tail) = e.prev;
}

void LocatorTable::pair_push_front(u32 idx, std::size_t bucket) noexcept {
  Entry& e = entries_[idx];
  e.pair_prev = kNil;
  e.pair_next = pair_heads_[bucket];
  if (e.pair_next != kNil) entries_[e.pair_next].pair_prev = idx;
  pair_heads_[bucket] = idx;
}

void LocatorTable::pair_unlink(u32 idx) noexcept {
  const Entry& e = entries_[idx];
  (e.pair_prev != kNil ? entries_[e.pair_prev].pair_next : pair_heads_[pair_bucket(e.addrs)]) = e.pair_next;
  if (e.pair_next != kNil) entries_[e.pair_next].pair_prev = e.pair_prev;
}

// Makes `idx` the most recently used entry and restarts its timeout.
void LocatorTable::touch(u32 idx, FlowClass flow_class, Instant now) noexcept {
  Entry& e = entries_[idx];
  list_unlink(idx);
  e.rest = (e.rest & kKeyMask) | class_bits(flow_class);
  e.expires = now + timeout_[index_of(flow_class)];
  e.seq = ++seq_;
  list_push_back(idx);
  if (e.pair_prev != kNil) {  // not already at the front of its pair chain
    pair_unlink(idx);
    pair_push_front(idx, pair_bucket(e.addrs));
  }
}

// The class head with the earliest (expires, seq): the next entry to expire.
u32 LocatorTable::earliest_expiry() const noexcept {
  u32 best = kNil;
  for (const List& l : lists_) {
    if (l.head == kNil) continue;
    const Entry& e = entries_[l.head];
    if (best == kNil || e.expires < entries_[best].expires ||
        (e.expires == entries_[best].expires && e.seq < entries_[best].seq))
      best = l.head;
  }
  return best;
}

// The class head with the smallest seq: the least recently used entry.
u32 LocatorTable::least_recent() const noexcept {
  u32 best = kNil;
  for (const List& l : lists_) {
    if (l.head != kNil && (best == kNil || entries_[l.head].seq < entries_[best].seq)) best = l.head;
  }
  return best;
}

// §14.15: bounded state with LRU eviction. An expired entry is not state worth keeping,
// so it goes first and is no pressure event.
void LocatorTable::make_room(Instant now) noexcept {
  if (const u32 e = earliest_expiry(); e != kNil && entries_[e].expires <= now) {
    remove(e);
    ++stats_.expired;
    return;
  }
  remove(least_recent());
  ++stats_.evicted;
  last_pressure_ = now;
}

void LocatorTable::remove(u32 idx) noexcept {
  list_unlink(idx);
  pair_unlink(idx);
  slot_erase(idx);
  entries_[idx].next = free_head_;
  free_head_ = idx;
  --size_;
}

void LocatorTable::upsert(Instant now, const FlowKey& key, const Locator& locator, FlowClass flow_class) noexcept {
  now = advance(now);
  if (index_of(flow_class) >= kFlowClassCount) flow_class = FlowClass::other;
  const u64 addrs = pack_addrs(key.local_v4, key.remote_v4);
  const u64 rest = pack_rest(key);
  const u64 hash = key_hash(addrs, rest);
  if (const u32 idx = find(hash, addrs, rest); idx != kNil) {
    if (entries_[idx].expires <= now) {  // absent: a new entry that reuses the old one's place
      ++stats_.expired;
      ++stats_.inserts;
    } else {
      ++stats_.refreshes;
    }
    entries_[idx].locator = locator;
    touch(idx, flow_class, now);
    return;
  }
  if (size_ == capacity_) make_room(now);
  const u32 idx = free_head_;
  Entry& e = entries_[idx];
  free_head_ = e.next;
  e.addrs = addrs;
  e.rest = rest | class_bits(flow_class);
  e.locator = locator;
  e.expires = now + timeout_[index_of(flow_class)];
  e.seq = ++seq_;
  list_push_back(idx);
  pair_push_front(idx, pair_bucket(addrs));
  slot_insert(hash, idx);
  ++size_;
  ++stats_.inserts;
}

std::optional<Locator> LocatorTable::lookup(Instant now, const FlowKey& key) noexcept {
  now = advance(now);
  const u64 addrs = pack_addrs(key.local_v4, key.remote_v4);
  const u64 rest = pack_rest(key);
  const u32 idx = find(key_hash(addrs, rest), addrs, rest);
  if (idx == kNil) {
    ++stats_.misses;
    return std::nullopt;
  }
  const Entry& e = entries_[idx];
  if (e.expires <= now) {
    remove(idx);
    ++stats_.expired;
    ++stats_.misses;
    return std::nullopt;
  }
  ++stats_.hits;
  if (const FlowClass c = class_of(e.rest); c != FlowClass::echo) touch(idx, c, now);
  return e.locator;
}

std::optional<Locator> LocatorTable::lookup_any(Instant now, u32 local_v4, u32 remote_v4) noexcept {
  now = advance(now);
  const u64 addrs = pack_addrs(local_v4, remote_v4);
  for (u32 idx = pair_heads_[pair_bucket(addrs)]; idx != kNil;) {
    const Entry& e = entries_[idx];
    const u32 next = e.pair_next;
    if (e.addrs == addrs) {
      if (e.expires > now) {
        ++stats_.any_hits;
        return e.locator;
      }
      remove(idx);
      ++stats_.expired;
    }
    idx = next;
  }
  ++stats_.any_misses;
  return std::nullopt;
}

std::size_t LocatorTable::expire(Instant now, std::size_t max_entries) noexcept {
  now = advance(now);
  std::size_t n = 0;
  for (; n < max_entries; ++n) {
    const u32 idx = earliest_expiry();
    if (idx == kNil || entries_[idx].expires > now) break;
    remove(idx);
  }
  stats_.expired += n;
  return n;
}

std::optional<Instant> LocatorTable::poll_at() const noexcept {
  const u32 idx = earliest_expiry();
  if (idx == kNil) return std::nullopt;
  return entries_[idx].expires;
}

bool LocatorTable::check_invariants() const noexcept {
  // Class lists: linked both ways, recency and expiry order, the right class.
  std::size_t listed = 0;
  for (std::size_t c = 0; c < kFlowClassCount; ++c) {
    u32 prev = kNil;
    for (u32 idx = lists_[c].head; idx != kNil; prev = idx, idx = entries_[idx].next) {
      if (idx >= capacity_ || ++listed > size_) return false;
      const Entry& e = entries_[idx];
      if (e.prev != prev || index_of(class_of(e.rest)) != c) return false;
      if (prev != kNil && (e.seq <= entries_[prev].seq || e.expires < entries_[prev].expires)) return false;
      // Indexed: reachable from its home slot, home and tag right, chained in its pair bucket.
      const u64 hash = key_hash(e.addrs, e.rest & kKeyMask);
      if (e.home != (hash >> slot_shift_) || find_slow(hash, e.addrs, e.rest & kKeyMask) != idx) return false;
      u32 p = pair_heads_[pair_bucket(e.addrs)];
      for (std::size_t steps = 0; p != idx && p != kNil && steps <= size_; ++steps) p = entries_[p].pair_next;
      if (p != idx) return false;
    }
    if (lists_[c].tail != prev) return false;
  }
  if (listed != size_) return false;
  // Slots: exactly size_ occupied, each one's cluster unbroken from its home.
  std::size_t occupied = 0;
  for (std::size_t i = 0; i <= slot_mask_; ++i) {
    if (slots_[i].idx == kNil) continue;
    ++occupied;
    for (std::size_t j = entries_[slots_[i].idx].home; j != i; j = (j + 1) & slot_mask_) {
      if (slots_[j].idx == kNil) return false;
    }
  }
  if (occupied != size_) return false;
  // Pair chains: size_ members in all, doubly linked.
  std::size_t chained = 0;
  for (std::size_t b = 0; b < (std::size_t{1} << (64 - pair_shift_)); ++b) {
    u32 prev = kNil;
    for (u32 idx = pair_heads_[b]; idx != kNil; prev = idx, idx = entries_[idx].pair_next) {
      if (++chained > size_ || entries_[idx].pair_prev != prev) return false;
    }
  }
  if (chained != size_) return false;
  // Free list: the rest.
  std::size_t free = 0;
  for (u32 idx = free_head_; idx != kNil; idx = entries_[idx].next) {
    if (++free > capacity_ - size_) return false;
  }
  return free == capacity_ - size_;
}

}  // namespace nextip::engine::translate

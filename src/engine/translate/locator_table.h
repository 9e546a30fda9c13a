// The translator's source-locator state (§12.2, §12.7.1-§12.7.3, §14.15).
//
// An ASIP source S8 = r:z:s:h leaves the translator as the IPv4 source h, so the
// locator (r, z, s) is lost on the IPv4 side. Replies to h (§12.7.1, §12.7.2) and ICMPv4
// errors quoting a packet from h (§12.7.3) need it back: this table remembers it per
// flow. It is the "per-flow ingress state" of §12.7.3 (i), bounded as §14.15 asks:
// fixed capacity, LRU eviction with a pressure signal, per-class timeouts with the short
// Echo timeout of §12.7.2, and no memory allocated after construction.
//
// Semantics (what the translator can rely on):
//  - upsert() is the forward direction (ASIP -> IPv4): insert or refresh, always the
//    most recently used afterwards. A full table first reclaims one expired entry if
//    there is one (counted as expired); otherwise it evicts the least recently used
//    live entry (counted as evicted: a §14.15 "pressure" event, see last_pressure()).
//  - lookup() is the reverse direction (IPv4 -> ASIP). Hits refresh the timeout and the
//    LRU position of udp/tcp/other flows; Echo entries are refreshed only by upsert()
//    (the §12.7.2 timeout runs "from the last forward Echo Request").
//  - lookup_any() serves ICMP errors whose quoted packet has no usable ports: the most
//    recently used live entry for (local, remote). It refreshes nothing: an ICMP error
//    is easy to forge and must not keep state alive (§14.15).
//  - An entry whose expiry instant is <= now is absent for every call; calls that meet
//    one remove it. size() counts the entries stored, expired or not, until then.
//  - `now` must not go backwards; an earlier `now` is treated as the latest one seen.
//
// Timing (§14.14 "translator state as a timing oracle", §14.15): every index position
// comes from SipHash-1-3 keyed with the constructor's HashKey, so an attacker can
// neither aim collisions (hash flooding) nor know which slots or chains a flow shares.
// lookup() and upsert() walk the key's whole probe cluster with branch-free tag
// compares and no early exit on a match, so the probe work depends on the cluster
// (which the attacker cannot see) and not on where, or whether, the key sits in it. What
// remains is inherent: a hit reads and relinks its entry, a miss does not (tens of ns;
// see bench/locator_table_bench.cc). A translator that must hide even that pads its
// external response latency, as §14.14 allows.
//
// Memory: 64-byte entries (one cache line) + 8-byte open-addressing slots at load
// <= 1/2 + 4-byte pair buckets at load <= 1: ~90 bytes per entry at capacity 100'000
// (memory_bytes()). Single-threaded, like every engine (STYLE.md rule 3).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>

#include "base/bytes.h"
#include "base/time.h"

namespace nextip::engine::translate {

using base::Duration;
using base::Instant;
using base::u16;
using base::u32;
using base::u64;
using base::u8;

// One translated flow as seen on the IPv4 side. local_v4 is the translator-owned h
// (the IPv4 source of the forward direction, the destination of replies).
struct FlowKey {
  u32 local_v4 = 0;
  u32 remote_v4 = 0;
  u8 protocol = 0;      // IPv4 protocol number: 1 (ICMP), 6 (TCP), 17 (UDP), ...
  u16 local_port = 0;   // ICMP Echo: the identifier
  u16 remote_port = 0;  // ICMP Echo: 0
  friend constexpr bool operator==(const FlowKey&, const FlowKey&) noexcept = default;
};

// The part of S8 = r:z:s:h that the IPv4 side cannot carry.
struct Locator {
  u32 r = 0;
  u32 z = 0;
  u32 s = 0;
  friend constexpr bool operator==(const Locator&, const Locator&) noexcept = default;
};

// Which timeout a flow ages with (§12.7.2, §14.15 "short-flow state lifetime").
enum class FlowClass : u8 { echo, udp, tcp, other };
inline constexpr std::size_t kFlowClassCount = 4;

struct LocatorTableConfig {
  std::size_t capacity = 100'000;              // clamped to [1, kMaxCapacity]
  Duration echo_timeout = base::seconds(60);   // §12.7.2 RECOMMENDED
  Duration udp_timeout = base::seconds(300);   // RFC 4787 REQ-5 style
  Duration tcp_timeout = base::seconds(7440);  // RFC 5382 REQ-5 (2 h 4 min)
  Duration other_timeout = base::seconds(300);
};

// The 128-bit SipHash key. Take it from a CSPRNG in production (it is what keeps the
// index positions secret); tests inject a fixed one.
struct HashKey {
  u64 k0 = 0;
  u64 k1 = 0;
};

namespace detail {

// SipHash-C-D (Aumasson & Bernstein) over whole 64-bit little-endian message words;
// `last` is the final block: (message length mod 256) << 56 | the 0-7 tail bytes.
template <int C, int D>
[[nodiscard]] constexpr u64 siphash(const HashKey& key, std::span<const u64> words, u64 last) noexcept {
  u64 v0 = key.k0 ^ 0x736f6d6570736575ULL;
  u64 v1 = key.k1 ^ 0x646f72616e646f6dULL;
  u64 v2 = key.k0 ^ 0x6c7967656e657261ULL;
  u64 v3 = key.k1 ^ 0x7465646279746573ULL;
  auto round = [&] {
    v0 += v1, v1 = std::rotl(v1, 13), v1 ^= v0, v0 = std::rotl(v0, 32);
    v2 += v3, v3 = std::rotl(v3, 16), v3 ^= v2;
    v0 += v3, v3 = std::rotl(v3, 21), v3 ^= v0;
    v2 += v1, v1 = std::rotl(v1, 17), v1 ^= v2, v2 = std::rotl(v2, 32);
  };
  auto compress = [&](u64 m) {
    v3 ^= m;
    for (int i = 0; i < C; ++i) round();
    v0 ^= m;
  };
  for (const u64 m : words) compress(m);
  compress(last);
  v2 ^= 0xff;
  for (int i = 0; i < D; ++i) round();
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace detail

class LocatorTable {
 public:
  struct Stats {
    u64 inserts = 0;     // new entries (including a re-insert over an expired one)
    u64 refreshes = 0;   // upsert() of a live entry
    u64 hits = 0;        // lookup() found a live entry
    u64 misses = 0;      // lookup() found nothing live
    u64 any_hits = 0;    // lookup_any() found a live entry
    u64 any_misses = 0;  // lookup_any() found nothing live (feeds §14.15's counter)
    u64 expired = 0;     // entries removed because their timeout passed
    u64 evicted = 0;     // live entries evicted for room: §14.15 pressure events
  };

  static constexpr std::size_t kMaxCapacity = std::size_t{1} << 28;
  static constexpr Duration kMaxTimeout = base::hours(24 * 365);  // timeouts clamp to [0, this]

  // Allocates (and touches) all the table's memory; nothing allocates afterwards.
  LocatorTable(const LocatorTableConfig& config, const HashKey& hash_key);
  LocatorTable(LocatorTable&&) noexcept = default;
  LocatorTable& operator=(LocatorTable&&) noexcept = default;
  LocatorTable(const LocatorTable&) = delete;
  LocatorTable& operator=(const LocatorTable&) = delete;
  ~LocatorTable() = default;

  // Forward direction: remember `locator` for `key`, aged as `flow_class`.
  void upsert(Instant now, const FlowKey& key, const Locator& locator, FlowClass flow_class) noexcept;

  // Reverse direction: the locator of a live entry, or nullopt.
  [[nodiscard]] std::optional<Locator> lookup(Instant now, const FlowKey& key) noexcept;

  // ICMP errors without ports: the most recently used live entry for (local, remote).
  // O(1) expected: a keyed chained index on the address pair, kept in recency order;
  // expired entries met before the answer are removed (each at most once, amortised).
  [[nodiscard]] std::optional<Locator> lookup_any(Instant now, u32 local_v4, u32 remote_v4) noexcept;

  // Removes up to `max_entries` expired entries, earliest expiry first; O(max_entries).
  std::size_t expire(Instant now, std::size_t max_entries) noexcept;

  // When the earliest entry expires (call expire() then), or nullopt when empty.
  [[nodiscard]] std::optional<Instant> poll_at() const noexcept;

  // When the last live entry was evicted for room, or nullopt if never. With
  // stats().evicted this lets the engine log pressure once per interval.
  [[nodiscard]] std::optional<Instant> last_pressure() const noexcept { return last_pressure_; }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }

  // Bytes allocated by a table of this capacity (after clamping).
  [[nodiscard]] static std::size_t memory_bytes(std::size_t capacity) noexcept;

  // Walks every structure and checks it against the others; O(capacity). For tests.
  [[nodiscard]] bool check_invariants() const noexcept;

 private:
  // One flow; exactly one cache line. Unused entries sit on the free list (`next`).
  struct alignas(64) Entry {
    u64 addrs;                 // local_v4 << 32 | remote_v4
    u64 rest;                  // protocol << 32 | local_port << 16 | remote_port; FlowClass in bits 48-55
    Locator locator;           //
    u32 home;                  // home slot of the key in slots_ (saves a rehash on removal)
    Instant expires;           // absent from this instant on
    u64 seq;                   // recency: larger is more recent (global, so classes compare)
    u32 prev, next;            // class list: recency order == expiry order within one class
    u32 pair_prev, pair_next;  // pair chain of lookup_any(), most recent first
  };
  static_assert(sizeof(Entry) == 64);

  struct Slot {
    u32 tag;  // low 32 bits of the key's hash
    u32 idx;  // entry index, kNil when empty
  };

  struct List {
    u32 head, tail;
  };

  [[nodiscard]] Instant advance(Instant now) noexcept;
  [[nodiscard]] u64 key_hash(u64 addrs, u64 rest) const noexcept;
  [[nodiscard]] std::size_t pair_bucket(u64 addrs) const noexcept;
  [[nodiscard]] u32 find(u64 hash, u64 addrs, u64 rest) const noexcept;
  [[nodiscard]] u32 find_slow(u64 hash, u64 addrs, u64 rest) const noexcept;
  [[nodiscard]] u32 earliest_expiry() const noexcept;
  [[nodiscard]] u32 least_recent() const noexcept;
  void slot_insert(u64 hash, u32 idx) noexcept;
  void slot_erase(u32 idx) noexcept;
  void list_push_back(u32 idx) noexcept;
  void list_unlink(u32 idx) noexcept;
  void pair_push_front(u32 idx, std::size_t bucket) noexcept;
  void pair_unlink(u32 idx) noexcept;
  void touch(u32 idx, FlowClass flow_class, Instant now) noexcept;
  void make_room(Instant now) noexcept;
  void remove(u32 idx) noexcept;

  std::size_t capacity_;
  std::size_t size_ = 0;
  std::array<Duration, kFlowClassCount> timeout_{};
  HashKey key_;          // for the flow index
  HashKey pair_key_;     // for the pair index, derived from key_
  int slot_shift_ = 63;  // home slot = hash >> slot_shift_
  std::size_t slot_mask_ = 0;
  int pair_shift_ = 63;  // pair bucket = pair hash >> pair_shift_
  std::unique_ptr<Entry[]> entries_;
  std::unique_ptr<Slot[]> slots_;
  std::unique_ptr<u32[]> pair_heads_;
  std::array<List, kFlowClassCount> lists_{};
  u32 free_head_ = 0;
  u64 seq_ = 0;
  Instant now_{};
  std::optional<Instant> last_pressure_;
  Stats stats_{};
};

}  // namespace nextip::engine::translate

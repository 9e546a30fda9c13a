// The stateless translator (issue 4): one core for SIIT (IPv6 <-> IPv4, RFC 7915) and
// for ASIP <-> IPv4 (001 §12.2, §12.7, which "follows SIIT adapted"). The 128-bit side
// is called "v6" throughout: IPv6 in SIIT mode, ASIP (version 8, ICMP-ASIP next header
// 143) in ASIP mode. The two share the 40-byte header layout and the ICMPv6 numbering,
// so one code path serves both and only addressing differs:
//
//   SIIT  RFC 6052 prefix (pool6), EAM table (RFC 7757), RFC 6791 error sources,
//         hairpinning (RFC 7757 §4).
//   ASIP  IPv4-mapped addresses (r=z=s=0, 001 §3.3); the translator owns pool4 and
//         drops IPv4 traffic for anything else (§12.2); the source locator r:z:s of
//         ASIP hosts is restored on replies and ICMP errors from per-flow state or a
//         static mapping (§12.7.1-§12.7.3, §14.15).
//
// Sans-IO (STYLE.md): a packet and the time in, an Outcome out. Output packets live in
// an arena owned by the translator and stay valid until the next call; nothing is
// allocated per packet (the arena and the state table are sized at construction).
#pragma once

#include <array>
#include <memory>
#include <span>

#include "base/bytes.h"
#include "base/checksum.h"
#include "base/offload.h"
#include "base/time.h"
#include "engine/translate/config.h"
#include "engine/translate/counters.h"
#include "engine/translate/frag_limiter.h"
#include "engine/translate/locator_table.h"

namespace nextip::engine::translate {

using base::Bytes;
using base::Instant;
using base::MutBytes;

enum class Side : u8 { v4, v6 };

enum class Verdict : u8 {
  translated,  // one packet, or several fragments, on the other side
  hairpinned,  // came back out on the side it entered (RFC 7757 §4, ASIP pool4 loops)
  icmp_error,  // dropped; the translator answered with an ICMP error to the sender
  dropped,     // dropped silently (reason says why)
};
[[nodiscard]] std::string_view name(Verdict v) noexcept;

struct Emitted {
  Side side = Side::v4;
  Bytes packet;
  base::Offload offload;  // the input's offload metadata, carried over (csum_start moved, gso family changed)
};

struct Outcome {
  Verdict verdict = Verdict::dropped;
  DropReason reason = DropReason::none;  // set for icmp_error and dropped
  std::span<const Emitted> packets;      // valid until the next call
};

class Translator {
 public:
  // The configuration must have passed Config::validate().
  explicit Translator(Config config);
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  // A packet received on the IPv4 side (starts at the IPv4 header). `offload` is what the
  // kernel said about it (a TUN's virtio header): a partial TCP/UDP checksum stays
  // partial (its pseudo-header part updated), a GSO super-packet stays one (checked
  // against the MTU per segment, never fragmented). Anything else with offload
  // metadata is dropped as offload_unsupported.
  Outcome from_v4(Bytes packet, Instant now, const base::Offload& offload = {}) noexcept;
  // A packet received on the IPv6 / ASIP side (starts at the 40-byte header).
  Outcome from_v6(Bytes packet, Instant now, const base::Offload& offload = {}) noexcept;

  // Ages the locator state: call at poll_at() (or periodically); removes at most
  // `max_entries` expired entries.
  std::size_t expire(Instant now, std::size_t max_entries = 1024) noexcept {
    return locators_->expire(now, max_entries);
  }
  [[nodiscard]] std::optional<Instant> poll_at() const noexcept { return locators_->poll_at(); }

  [[nodiscard]] const Stats& stats() const noexcept { return stats_; }
  [[nodiscard]] const Config& config() const noexcept { return cfg_; }
  [[nodiscard]] LocatorTable& locators() noexcept { return *locators_; }
  [[nodiscard]] const LocatorTable& locators() const noexcept { return *locators_; }

  // The largest number of packets one call can emit.
  static constexpr std::size_t kMaxOutputs = 64;
  // Arena bytes: a 64 KiB packet built once, then cut into fragments, twice over for a
  // hairpin (first pass, second pass).
  static constexpr std::size_t kArenaSize = 320 * 1024;

  struct Pass;  // per-call flags (hairpin second pass…), defined in translator.cc
  class Impl;   // the translation routines, friends of this class

 private:
  friend class Impl;

  Config cfg_;
  Stats stats_;
  std::unique_ptr<LocatorTable> locators_;
  FragLimiter frag_limiter_;
  std::unique_ptr<std::byte[]> arena_;  // output packets (and a hairpin's first pass)
  std::size_t arena_used_ = 0;
  std::array<Emitted, kMaxOutputs> out_{};
  std::size_t n_out_ = 0;
  // ICMP error token bucket.
  double tokens_ = 0;
  Instant last_refill_{};
  bool refilled_once_ = false;
  base::u64 id_counter_ = 0;
};

}  // namespace nextip::engine::translate

// Fragment reassembly (003 "Fragmentation Extension Header": "Fragment reassembly MUST
// time out after 60 seconds. Incomplete fragment sets MUST be silently discarded").
//
// Memory is bounded up front: `slots` sets of at most `max_packet` bytes each, allocated
// once at construction; nothing is allocated per fragment. When every slot is busy the
// oldest incomplete set is evicted (a flood of spoofed first fragments can delay a
// handshake, which its retransmission repairs, but cannot grow memory).
//
// Rules (docs/wire/ipv45.md "Reassembly"): a set is keyed by outer source Locator,
// Type, source and destination Site/EID and Identification; every fragment but the last
// carries a non-zero multiple of 8 bytes; a fragment that overlaps another (other than an
// exact duplicate, which is ignored) discards the whole set (as RFC 5722 for IPv6);
// fragments of a set must agree on the flags other than F/M, the Flow Label and the
// Fragmentation header's Next Header. The result is the unfragmented packet: the first
// fragment's fixed header with F and M cleared, Next Header from the Fragmentation
// header and Payload Length of the whole body.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "base/time.h"
#include "engine/ipv45/counters.h"
#include "engine/ipv45/output.h"
#include "wire/ipv45/packet.h"

namespace nextip::ipv45 {

struct ReassemblyLimits {
  std::size_t slots = 64;         // concurrent incomplete sets
  std::size_t max_packet = 4096;  // largest unfragmented packet, fixed header included
  base::Duration timeout = base::seconds(60);
};

class Reassembler {
 public:
  static constexpr std::size_t kMaxFragments = 16;

  explicit Reassembler(const ReassemblyLimits& limits);

  // One fragment: `h` is its checked fixed header, `fh` its Fragmentation header, which
  // must directly follow the fixed header (fh.offset == 0). Returns the unfragmented
  // packet when this fragment completes its set; the bytes stay valid until the next
  // call of add(). Drops are counted in `c`.
  [[nodiscard]] std::optional<base::Bytes> add(base::Instant now, PeerAddr from, const HeaderView<base::Bytes>& h,
                                               const FragmentHeader& fh, Counters& c) noexcept;

  // Discards sets older than the timeout.
  void expire(base::Instant now, Counters& c) noexcept;
  // When the oldest set times out.
  [[nodiscard]] std::optional<base::Instant> poll_at() const noexcept;
  [[nodiscard]] std::size_t in_use() const noexcept;
  [[nodiscard]] const ReassemblyLimits& limits() const noexcept { return limits_; }

 private:
  struct Key {
    base::u32 locator = 0;
    base::u8 type = 0;
    base::u16 src_site = 0, dst_site = 0;
    base::u64 src_eid = 0, dst_eid = 0;
    base::u32 ident = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct Range {
    base::u32 begin = 0, end = 0;
  };
  struct Slot {
    bool used = false;
    Key key;
    base::Instant started;
    base::u8 flags = 0;  // without F and M
    base::u8 next_header = 0;
    base::u16 flow_label = 0;
    bool have_header = false;  // the offset-0 fragment arrived
    std::size_t total = 0;     // body length, known once the last fragment arrived
    std::size_t received = 0;
    std::size_t n = 0;
    std::array<Range, kMaxFragments> ranges{};
  };

  [[nodiscard]] base::MutBytes buffer(std::size_t slot) noexcept;
  [[nodiscard]] std::size_t find_or_claim(base::Instant now, const Key& k, Counters& c) noexcept;

  ReassemblyLimits limits_;
  std::vector<Slot> slots_;
  std::vector<std::byte> pool_;
};

}  // namespace nextip::ipv45

// 001 §12.7.5: a translator that truncates 32-bit fragment IDs to 16 bits "MUST
// rate-limit the number of distinct fragmented flows translated concurrently, or MUST
// refuse to translate fragments above a configured flow-count threshold". FragLimiter
// is that threshold: a fixed table of at most `max_flows` (source, destination,
// Identification) keys, each live for `window` after its last fragment. A new key is
// admitted into a free or expired slot among the 8 its hash points at; when none is
// free the fragment is refused. So the number of live flows never exceeds max_flows,
// and refusals begin a little before the table is completely full (at about 90 % load
// with random keys). No allocation after construction.
#pragma once

#include <memory>

#include "base/bytes.h"
#include "base/time.h"

namespace nextip::engine::translate {

class FragLimiter {
 public:
  FragLimiter() = default;
  FragLimiter(base::u32 max_flows, base::Duration window);

  // True if the fragment of flow `key` may be translated (0 flows = no limit).
  [[nodiscard]] bool admit(base::u64 key, base::Instant now) noexcept;
  [[nodiscard]] base::u32 capacity() const noexcept { return n_; }

 private:
  struct Slot {
    base::u64 key = 0;
    std::int64_t expires_ns = 0;
    bool used = false;
  };
  std::unique_ptr<Slot[]> slots_;
  base::u32 n_ = 0;
  base::Duration window_{};
};

}  // namespace nextip::engine::translate

// Token bucket for new sessions (003 "Denial-of-Service Considerations": "no more than
// 1000 new sessions per second per anchor"). One token pays for one responder key
// exchange (X25519 + ML-KEM encapsulation). Integer arithmetic in nanoseconds: the
// bucket holds up to burst * cost ns of credit, refilled at 1 ns per ns.
//
// load() — how many tokens were spent recently and not yet refilled — is what turns on
// the stateless cookie exchange (docs/wire/ipv45.md "Cookie challenge").
#pragma once

#include <cstdint>

#include "base/time.h"

namespace nextip::ipv45 {

class RateLimiter {
 public:
  // rate_per_second >= 1, burst >= 1. Starts full.
  RateLimiter(std::uint32_t rate_per_second, std::uint32_t burst, base::Instant now) noexcept;

  // Takes one token if there is one.
  [[nodiscard]] bool take(base::Instant now) noexcept;
  // Tokens spent and not yet refilled (0 … burst).
  [[nodiscard]] std::uint32_t load(base::Instant now) const noexcept;
  [[nodiscard]] std::uint32_t burst() const noexcept { return burst_; }

 private:
  [[nodiscard]] std::int64_t credit_at(base::Instant now) const noexcept;
  std::int64_t cost_ns_;  // one token
  std::int64_t cap_ns_;   // burst tokens
  std::uint32_t burst_;
  std::int64_t credit_ns_;
  base::Instant last_;
};

}  // namespace nextip::ipv45

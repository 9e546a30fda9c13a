#include "engine/ipv45/rate_limiter.h"

#include <algorithm>

namespace nextip::ipv45 {

RateLimiter::RateLimiter(std::uint32_t rate_per_second, std::uint32_t burst, base::Instant now) noexcept
    : cost_ns_(1'000'000'000 / std::max<std::int64_t>(rate_per_second, 1)),
      cap_ns_(cost_ns_ * std::max<std::int64_t>(burst, 1)),
      burst_(std::max<std::uint32_t>(burst, 1)),
      credit_ns_(cap_ns_),
      last_(now) {}

std::int64_t RateLimiter::credit_at(base::Instant now) const noexcept {
  const std::int64_t elapsed = std::max<std::int64_t>((now - last_).count(), 0);
  // elapsed can be huge (an idle hour): compare before adding.
  if (elapsed >= cap_ns_ - credit_ns_) return cap_ns_;
  return credit_ns_ + elapsed;
}

bool RateLimiter::take(base::Instant now) noexcept {
  credit_ns_ = credit_at(now);
  if (now > last_) last_ = now;
  if (credit_ns_ < cost_ns_) return false;
  credit_ns_ -= cost_ns_;
  return true;
}

std::uint32_t RateLimiter::load(base::Instant now) const noexcept {
  const std::int64_t missing = cap_ns_ - credit_at(now);
  return static_cast<std::uint32_t>(missing / cost_ns_);
}

}  // namespace nextip::ipv45

// The node daemon's logging (docs/node.md): spdlog to standard error, as text or one
// JSON object per line, and a limiter that keeps drop lines to a rate.
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>

#include "base/time.h"
#include "control/node_config.h"

namespace nextip::control {

// A logger named after the node, in its configured format and level.
[[nodiscard]] std::shared_ptr<spdlog::logger> make_logger(const NodeConfig& c);

inline constexpr double kLogLinesPerSecond = 20;

// At most kLogLinesPerSecond drop lines; the rest are counted and summarised.
class LogLimiter {
 public:
  bool allow(base::Instant now) noexcept {
    const double dt = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    tokens_ = std::min(kLogLinesPerSecond, tokens_ + dt * kLogLinesPerSecond);
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return true;
    }
    ++suppressed_;
    return false;
  }
  std::uint64_t take_suppressed() noexcept { return std::exchange(suppressed_, 0); }

 private:
  base::Instant last_{};
  double tokens_ = kLogLinesPerSecond;
  std::uint64_t suppressed_ = 0;
};

}  // namespace nextip::control

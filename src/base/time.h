// Time for sans-IO engines (STYLE.md rule 3): an engine never reads a clock; every
// entry point takes `now`. Instant is a point on a monotonic time line whose origin
// the caller chooses (CLOCK_MONOTONIC in the daemons, zero in tests with a fake clock).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>

namespace nextip::base {

using Duration = std::chrono::nanoseconds;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class Instant {
 public:
  constexpr Instant() noexcept = default;
  [[nodiscard]] static constexpr Instant from_ns(std::int64_t ns) noexcept { return Instant(Duration(ns)); }
  [[nodiscard]] static constexpr Instant origin() noexcept { return Instant(); }
  [[nodiscard]] constexpr Duration since_origin() const noexcept { return d_; }
  [[nodiscard]] constexpr std::int64_t ns() const noexcept { return d_.count(); }

  constexpr Instant& operator+=(Duration d) noexcept {
    d_ += d;
    return *this;
  }
  friend constexpr Instant operator+(Instant a, Duration d) noexcept { return Instant(a.d_ + d); }
  friend constexpr Instant operator-(Instant a, Duration d) noexcept { return Instant(a.d_ - d); }
  friend constexpr Duration operator-(Instant a, Instant b) noexcept { return a.d_ - b.d_; }
  friend constexpr auto operator<=>(Instant, Instant) noexcept = default;
  friend constexpr bool operator==(Instant, Instant) noexcept = default;

 private:
  constexpr explicit Instant(Duration d) noexcept : d_(d) {}
  Duration d_{0};
};

}  // namespace nextip::base

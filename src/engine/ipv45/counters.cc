#include "engine/ipv45/counters.h"

namespace nextip::ipv45 {

std::uint64_t total_drops(const Counters& c) noexcept {
  std::uint64_t n = 0;
  for (const CounterInfo& i : kCounterInfo) {
    if (i.name.starts_with("drop_")) n += c.*(i.field);
  }
  return n;
}

}  // namespace nextip::ipv45

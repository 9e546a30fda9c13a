#include "engine/translate/frag_limiter.h"

#include "base/hash.h"

namespace nextip::engine::translate {

FragLimiter::FragLimiter(base::u32 max_flows, base::Duration window)
    : slots_(max_flows == 0 ? nullptr : std::make_unique<Slot[]>(max_flows)), n_(max_flows), window_(window) {}

bool FragLimiter::admit(base::u64 key, base::Instant now) noexcept {
  if (n_ == 0) return true;
  constexpr base::u32 kProbes = 8;
  const base::u64 h = base::mix64(key);
  Slot* free_slot = nullptr;
  for (base::u32 i = 0; i < kProbes && i < n_; ++i) {
    Slot& s = slots_[static_cast<std::size_t>((h + i) % n_)];
    const bool live = s.used && s.expires_ns > now.ns();
    if (live && s.key == key) {
      s.expires_ns = (now + window_).ns();
      return true;
    }
    if (!live && free_slot == nullptr) free_slot = &s;
  }
  if (free_slot == nullptr) return false;
  *free_slot = Slot{key, (now + window_).ns(), true};
  return true;
}

}  // namespace nextip::engine::translate

#include "engine/ipv45/replay_window.h"

namespace nextip::ipv45 {

namespace {
constexpr std::size_t block_of(std::uint64_t seq) noexcept {
  return static_cast<std::size_t>((seq / ReplayWindow::kBlockBits) % ReplayWindow::kBlocks);
}
constexpr std::uint64_t bit_of(std::uint64_t seq) noexcept {
  return std::uint64_t{1} << (seq % ReplayWindow::kBlockBits);
}
}  // namespace

ReplayWindow::Verdict ReplayWindow::check(std::uint64_t seq) const noexcept {
  if (seq == 0) return Verdict::too_old;
  if (seq > top_) return Verdict::ok;
  if (top_ - seq >= kSize) return Verdict::too_old;
  return (bits_[block_of(seq)] & bit_of(seq)) != 0 ? Verdict::replay : Verdict::ok;
}

ReplayWindow::Verdict ReplayWindow::update(std::uint64_t seq) noexcept {
  const Verdict v = check(seq);
  if (v != Verdict::ok) return v;
  if (seq > top_) {
    // RFC 6479 §2: clear every block the window slides over (at most all of them).
    const std::uint64_t cur = top_ / kBlockBits;
    const std::uint64_t next = seq / kBlockBits;
    std::uint64_t steps = next - cur;
    if (steps > kBlocks) steps = kBlocks;
    for (std::uint64_t i = 1; i <= steps; ++i) bits_[block_of((cur + i) * kBlockBits)] = 0;
    top_ = seq;
  }
  bits_[block_of(seq)] |= bit_of(seq);
  return Verdict::ok;
}

}  // namespace nextip::ipv45

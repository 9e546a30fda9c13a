// Anti-replay sliding window, RFC 6479 style: a ring of 64-bit blocks, so advancing the
// window clears whole blocks instead of shifting a bitmap. One window per key epoch and
// direction (sequence numbers restart at 1 in every epoch, docs/wire/ipv45.md "Rekey").
//
// check() is the cheap test done before AEAD work; update() marks a sequence number as
// received and must be called only after the packet authenticated, so forged packets
// cannot move the window. Sequence 0 is never valid (003 crypto-nonce: "start at 1").
#pragma once

#include <array>
#include <cstdint>

namespace nextip::ipv45 {

class ReplayWindow {
 public:
  static constexpr std::size_t kBlocks = 64;  // 4096 bits, 512 bytes
  static constexpr std::uint64_t kBlockBits = 64;
  static constexpr std::uint64_t kSize = (kBlocks - 1) * kBlockBits;  // 4032 packets guaranteed

  enum class Verdict : std::uint8_t { ok, replay, too_old };

  // Whether `seq` may be accepted (0 counts as too old).
  [[nodiscard]] Verdict check(std::uint64_t seq) const noexcept;
  // Marks `seq` as received; returns check()'s verdict (and changes nothing unless ok).
  Verdict update(std::uint64_t seq) noexcept;

  // Highest sequence number received so far (0: none).
  [[nodiscard]] std::uint64_t max_seen() const noexcept { return top_; }

 private:
  std::array<std::uint64_t, kBlocks> bits_{};
  std::uint64_t top_ = 0;
};

}  // namespace nextip::ipv45

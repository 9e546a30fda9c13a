// Shared body of the translator fuzz targets: the first input byte picks the direction
// (bit 0: 0 = the packet arrives on the IPv4 side, 1 = on the 128-bit side) and one of
// two configurations (bit 1); the rest is the packet. Translators live across inputs so
// state (locators, fragment limiter, ICMP token bucket) is exercised too. Every output
// is checked: well-formed outer header, length fields equal to the bytes, valid IPv4
// header checksum, at most kMaxOutputs packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/checksum.h"
#include "engine/translate/translator.h"

namespace nextip::fuzz {

inline void check_outputs(const engine::translate::Outcome& o, std::uint8_t version6) {
  using engine::translate::Side;
  if (o.packets.size() > engine::translate::Translator::kMaxOutputs) __builtin_trap();
  for (const auto& e : o.packets) {
    const auto* p = e.packet.data();
    const std::size_t n = e.packet.size();
    if (e.side == Side::v4) {
      if (n < 20 || (static_cast<unsigned>(p[0]) >> 4) != 4) __builtin_trap();
      if (base::load_be16(p + 2) != n) __builtin_trap();
      const std::size_t hl = (static_cast<unsigned>(p[0]) & 0xf) * 4u;
      if (base::checksum::internet_checksum(base::Bytes(p, hl)) != 0) __builtin_trap();
    } else {
      if (n < 40 || (static_cast<unsigned>(p[0]) >> 4) != version6) __builtin_trap();
      if (std::size_t{base::load_be16(p + 4)} + 40 != n) __builtin_trap();
    }
  }
}

inline int run_translate(engine::translate::Translator* t[2], std::uint8_t version6, const std::uint8_t* data,
                         std::size_t size, std::int64_t& clock_ns) {
  if (size < 1) return 0;
  engine::translate::Translator& x = *t[(data[0] >> 1) & 1];
  const base::Bytes pkt(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  clock_ns += 1'000'000;  // 1 ms per input: state ages during a run
  const auto now = base::Instant::from_ns(clock_ns);
  const auto o = (data[0] & 1) ? x.from_v6(pkt, now) : x.from_v4(pkt, now);
  check_outputs(o, version6);
  return 0;
}

}  // namespace nextip::fuzz

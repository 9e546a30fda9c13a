#include "base/checksum.h"

#include <bit>
#include <cstring>

namespace nextip::base::checksum {

namespace {

// Sums 16-bit big-endian words of an even-offset buffer, 8 bytes at a time: the
// one's-complement sum is byte-order independent (RFC 1071 §2(B)), so native 64-bit
// loads are added with end-around carry and the result is byte-swapped once at the end.
u64 sum_words(const std::byte* p, std::size_t n) noexcept {
  u64 acc = 0;
  auto add = [&acc](u64 v) {
    acc += v;
    acc += (acc < v);  // end-around carry
  };
  while (n >= 32) {
    u64 a, b, c, d;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    std::memcpy(&c, p + 16, 8);
    std::memcpy(&d, p + 24, 8);
    add(a);
    add(b);
    add(c);
    add(d);
    p += 32;
    n -= 32;
  }
  while (n >= 8) {
    u64 a;
    std::memcpy(&a, p, 8);
    add(a);
    p += 8;
    n -= 8;
  }
  u64 tail = 0;
  std::memcpy(&tail, p, n);  // the remaining 0..7 bytes, zero padded
  add(tail);
  // Fold 64 -> 16 bits in native order, then convert to big-endian word value.
  u64 s = (acc & 0xffffffff) + (acc >> 32);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  s = (s & 0xffff) + (s >> 16);
  const auto native = static_cast<u16>(s);
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<u16>((native >> 8) | (native << 8));
  } else {
    return native;
  }
}

}  // namespace

Sum& Sum::add(Bytes data) noexcept {
  acc_ += sum_words(data.data(), data.size());
  return *this;
}

u16 internet_checksum(Bytes data) noexcept {
  return Sum().add(data).finish();
}

Sum ipv6_pseudo_header(std::span<const std::byte, 16> src, std::span<const std::byte, 16> dst, u8 next_header,
                       u32 length) noexcept {
  Sum s;
  s.add(src).add(dst).add32(length).add16(next_header);
  return s;
}

u16 reference_checksum(Bytes data) noexcept {
  u32 sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) {
    const u32 hi = static_cast<u32>(data[i]);
    const u32 lo = i + 1 < data.size() ? static_cast<u32>(data[i + 1]) : 0;
    sum += (hi << 8) | lo;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<u16>(~sum);
}

}  // namespace nextip::base::checksum

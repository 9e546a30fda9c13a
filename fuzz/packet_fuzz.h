// Shared helpers of the packet fuzz targets: a Repr that parses must emit into exactly
// buffer_len() bytes and parse back to itself (parse -> emit -> parse).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "base/bytes.h"

namespace nextip::fuzz {

inline base::Bytes as_bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

inline void require(bool ok) {
  if (!ok) std::abort();
}

// Keeps emitted bytes alive while a re-parse looks at them.
inline std::vector<std::byte>& scratch(std::size_t n) {
  static std::vector<std::byte> buf;
  buf.assign(n, std::byte{0});
  return buf;
}

}  // namespace nextip::fuzz

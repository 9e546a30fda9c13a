// Hex for keys and secrets, in constant time per character (no table lookups or
// branches on the data), so that printing or reading a key does not leak it through
// timing. Lower-case output; input accepts both cases.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace nextip::crypto {

// Writes 2 * in.size() characters into out (out.size() must be exactly that).
void hex_encode(base::Bytes in, std::span<char> out) noexcept;
[[nodiscard]] std::string to_hex(base::Bytes in);

struct HexError {
  enum class Kind : std::uint8_t { odd_length, bad_digit, wrong_length } kind;
  std::size_t pos = 0;  // bad_digit: offset of the offending character
};

// Decodes text into out; text.size() must be 2 * out.size(). On error out is wiped.
// The position of a bad digit is reported (a parse error is not secret).
[[nodiscard]] std::optional<HexError> hex_decode(std::string_view text, base::MutBytes out) noexcept;

}  // namespace nextip::crypto

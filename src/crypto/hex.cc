#include "crypto/hex.h"

#include "crypto/secure.h"

namespace nextip::crypto {

namespace {

// 0..15 -> '0'..'9','a'..'f' without a branch: add 39 more when n > 9.
char hex_digit(unsigned n) noexcept {
  const unsigned above9 = (9U - n) >> 8;  // all ones when n > 9 (n < 16)
  return static_cast<char>('0' + n + (above9 & 39U));
}

// One character -> its value in the low bits, and bit 8 set when it is not a hex digit.
unsigned hex_value(unsigned char c) noexcept {
  const unsigned x = c;
  // Masks are all ones when x lies in the range [lo, hi]: (lo - 1 - x) and (x - hi - 1)
  // are both negative, i.e. have the high bit set.
  auto in_range = [x](unsigned lo, unsigned hi) { return 0U - (((lo - 1U - x) & (x - hi - 1U)) >> 31); };
  const unsigned digit = in_range('0', '9');
  const unsigned upper = in_range('A', 'F');
  const unsigned lower = in_range('a', 'f');
  const unsigned v = (digit & (x - '0')) | (upper & (x - 'A' + 10U)) | (lower & (x - 'a' + 10U));
  const unsigned bad = ~(digit | upper | lower) & 0x100U;
  return (v & 0xfU) | bad;
}

}  // namespace

void hex_encode(base::Bytes in, std::span<char> out) noexcept {
  for (std::size_t i = 0; i < in.size() && 2 * i + 1 < out.size(); ++i) {
    const auto b = static_cast<unsigned>(in[i]);
    out[2 * i] = hex_digit(b >> 4);
    out[2 * i + 1] = hex_digit(b & 0xfU);
  }
}

std::string to_hex(base::Bytes in) {
  std::string s(2 * in.size(), '\0');
  hex_encode(in, s);
  return s;
}

std::optional<HexError> hex_decode(std::string_view text, base::MutBytes out) noexcept {
  if (text.size() % 2 != 0) return HexError{HexError::Kind::odd_length, text.size()};
  if (text.size() != 2 * out.size()) return HexError{HexError::Kind::wrong_length, text.size() / 2};
  unsigned bad_any = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const unsigned hi = hex_value(static_cast<unsigned char>(text[2 * i]));
    const unsigned lo = hex_value(static_cast<unsigned char>(text[2 * i + 1]));
    bad_any |= hi | lo;
    out[i] = static_cast<std::byte>(((hi & 0xfU) << 4) | (lo & 0xfU));
  }
  if ((bad_any & 0x100U) == 0) return std::nullopt;
  // Only on the error path: find where (the text is not a valid secret anyway).
  wipe(out);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (hex_value(static_cast<unsigned char>(text[i])) & 0x100U) return HexError{HexError::Kind::bad_digit, i};
  }
  return HexError{HexError::Kind::bad_digit, 0};
}

}  // namespace nextip::crypto

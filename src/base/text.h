// Lexical helpers shared by the address parsers and formatters of every family.
// Scanners take the text and an index, advance the index on success and return
// AddrErrc::ok, or return the error with the index left at the offending character.
// Nothing here allocates or throws.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/addr_error.h"
#include "base/bytes.h"
#include "base/inline_string.h"

namespace nextip::base::text {

[[nodiscard]] constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

[[nodiscard]] constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An unsigned decimal at s[i]: no sign, no leading zeros ("0" alone is fine), at most
// `max`. Errors: expected_digit and leading_zero at the offending character; `range_err`
// at the first digit of the number.
[[nodiscard]] constexpr AddrErrc scan_decimal(std::string_view s, std::size_t& i, u64 max, AddrErrc range_err,
                                              u64& out) noexcept {
  const std::size_t start = i;
  if (i >= s.size() || !is_digit(s[i])) return AddrErrc::expected_digit;
  if (s[i] == '0' && i + 1 < s.size() && is_digit(s[i + 1])) return AddrErrc::leading_zero;
  u64 v = 0;
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) {
    const u64 d = static_cast<u64>(s[j] - '0');
    if (v > max / 10 || (v == max / 10 && d > max % 10)) {  // v * 10 + d > max, without overflow
      i = start;
      return range_err;
    }
    v = v * 10 + d;
    ++j;
  }
  i = j;
  out = v;
  return AddrErrc::ok;
}

// One octet 0..255 (the same rules as scan_decimal, unrolled: it is the inner loop of
// every dotted-quad parser).
[[nodiscard]] constexpr AddrErrc scan_octet(std::string_view s, std::size_t& i, u8& out) noexcept {
  const std::size_t n = s.size();
  std::size_t j = i;
  if (j >= n || !is_digit(s[j])) return AddrErrc::expected_digit;
  unsigned v = static_cast<unsigned>(s[j++] - '0');
  if (j < n && is_digit(s[j])) {
    if (v == 0) return AddrErrc::leading_zero;
    v = v * 10 + static_cast<unsigned>(s[j++] - '0');
    if (j < n && is_digit(s[j])) {
      v = v * 10 + static_cast<unsigned>(s[j++] - '0');
      if (v > 255 || (j < n && is_digit(s[j]))) return AddrErrc::octet_range;
    }
  }
  i = j;
  out = static_cast<u8>(v);
  return AddrErrc::ok;
}

// a.b.c.d at s[i] (exactly four octets; what follows is the caller's business).
[[nodiscard]] constexpr AddrErrc scan_dotted_quad(std::string_view s, std::size_t& i, u32& out) noexcept {
  u32 v = 0;
  for (int k = 0; k < 4; ++k) {
    if (k > 0) {
      if (i >= s.size() || s[i] != '.') return AddrErrc::expected_dot;
      ++i;
    }
    u8 o = 0;
    if (const AddrErrc e = scan_octet(s, i, o); e != AddrErrc::ok) return e;
    v = (v << 8) | o;
  }
  out = v;
  return AddrErrc::ok;
}

// 1..4 hex digits, either case.
[[nodiscard]] constexpr AddrErrc scan_hex16(std::string_view s, std::size_t& i, u16& out) noexcept {
  u32 v = 0;
  std::size_t n = 0;
  while (i < s.size() && hex_value(s[i]) >= 0) {
    if (n == 4) return AddrErrc::hex_group_too_long;
    v = (v << 4) | static_cast<u32>(hex_value(s[i]));
    ++i;
    ++n;
  }
  if (n == 0) return AddrErrc::expected_hex_digit;
  out = static_cast<u16>(v);
  return AddrErrc::ok;
}

// --- formatting -------------------------------------------------------------------

namespace detail {
struct OctetText {
  char len;
  char c[3];
};
consteval std::array<OctetText, 256> make_octet_table() {
  std::array<OctetText, 256> t{};
  for (int v = 0; v < 256; ++v) {
    if (v >= 100) {
      t[static_cast<std::size_t>(v)] = {3, {char('0' + v / 100), char('0' + v / 10 % 10), char('0' + v % 10)}};
    } else if (v >= 10) {
      t[static_cast<std::size_t>(v)] = {2, {char('0' + v / 10), char('0' + v % 10), 0}};
    } else {
      t[static_cast<std::size_t>(v)] = {1, {char('0' + v), 0, 0}};
    }
  }
  return t;
}
inline constexpr std::array<OctetText, 256> kOctetText = make_octet_table();
}  // namespace detail

template <std::size_t N>
constexpr void append_octet(InlineString<N>& out, u8 v) noexcept {
  const detail::OctetText& t = detail::kOctetText[v];
  for (int k = 0; k < t.len; ++k) out.push_back(t.c[k]);
}

template <std::size_t N>
constexpr void append_dotted_quad(InlineString<N>& out, u32 v) noexcept {
  append_octet(out, static_cast<u8>(v >> 24));
  out.push_back('.');
  append_octet(out, static_cast<u8>(v >> 16));
  out.push_back('.');
  append_octet(out, static_cast<u8>(v >> 8));
  out.push_back('.');
  append_octet(out, static_cast<u8>(v));
}

template <std::size_t N>
constexpr void append_decimal(InlineString<N>& out, u64 v) noexcept {
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(tmp[--n]);
}

// `v` in hex, at least `min_digits` digits (zero padded), upper or lower case.
template <std::size_t N>
constexpr void append_hex(InlineString<N>& out, u64 v, int min_digits, bool upper) noexcept {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[16];
  int n = 0;
  do {
    tmp[n++] = digits[v & 0xf];
    v >>= 4;
  } while (v != 0);
  while (n < min_digits && n < 16) tmp[n++] = '0';
  while (n > 0) out.push_back(tmp[--n]);
}

}  // namespace nextip::base::text

namespace nextip::base::text {
// 2^k in decimal (k in 0..128), for "this prefix holds N addresses".
[[nodiscard]] std::string decimal_pow2(int k);
}  // namespace nextip::base::text

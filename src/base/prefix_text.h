// Parsing "ADDRESS/LENGTH" for any family: the address part goes to the family's
// parser (so its error positions carry over), the length to a length parser.
#pragma once

#include <string_view>

#include "base/addr_error.h"
#include "base/expected.h"
#include "base/prefix.h"
#include "base/text.h"

namespace nextip::base {

// The default length syntax: an unsigned decimal 0..bits.
struct UnsignedLength {
  int bits;
  [[nodiscard]] constexpr AddrErrc operator()(std::string_view s, std::size_t& i, int& len) const noexcept {
    u64 v = 0;
    const AddrErrc e = text::scan_decimal(s, i, static_cast<u64>(bits), AddrErrc::prefix_length_range, v);
    if (e == AddrErrc::ok) len = static_cast<int>(v);
    return e;
  }
};

// `parse_addr(std::string_view) -> Expected<A, ParseError>`;
// `parse_len(text, index&, int& len) -> AddrErrc` (len in 0..A::kBits on success).
// strict: refuse host bits beyond the length; otherwise mask them off.
template <class A, class ParseAddr, class ParseLen>
[[nodiscard]] Expected<Prefix<A>, ParseError> parse_prefix_text(std::string_view s, Family fam, bool strict,
                                                                ParseAddr parse_addr, ParseLen parse_len) noexcept {
  auto fail = [fam](AddrErrc c, std::size_t pos) {
    return nextip::unexpected(ParseError{fam, c, static_cast<std::uint16_t>(pos)});
  };
  // No family's prefix text comes near this; refusing here keeps every position honest.
  constexpr std::size_t kMaxPrefixText = 256;
  if (s.size() > kMaxPrefixText) return fail(AddrErrc::too_long, kMaxPrefixText);
  const std::size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return fail(AddrErrc::prefix_missing_length, s.size());
  auto a = parse_addr(s.substr(0, slash));
  if (!a) return nextip::unexpected(a.error());
  std::size_t i = slash + 1;
  int len = 0;
  if (const AddrErrc e = parse_len(s, i, len); e != AddrErrc::ok) return fail(e, i);
  if (i != s.size()) return fail(AddrErrc::trailing_text, i);
  if (!strict) return Prefix<A>::containing(*a, len);
  auto p = Prefix<A>::exact(*a, len);
  if (!p) return fail(AddrErrc::prefix_host_bits_set, slash);
  return *p;
}

}  // namespace nextip::base

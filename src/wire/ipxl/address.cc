#include "wire/ipxl/address.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/prefix_text.h"
#include "base/text.h"

namespace nextip::ipxl {

using base::AddrErrc;
using base::Family;
using base::ParseError;
namespace text = base::text;

namespace {

auto fail(AddrErrc c, std::size_t pos) noexcept {
  return nextip::unexpected(ParseError{Family::ipxl, c, static_cast<std::uint16_t>(pos)});
}

// "/n" (0..32, low word) or "/-n" (1..32, high word), as a 64-bit length.
struct SignedLength {
  [[nodiscard]] AddrErrc operator()(std::string_view s, std::size_t& i, int& len) const noexcept {
    const bool negative = i < s.size() && s[i] == '-';
    if (negative) ++i;
    base::u64 v = 0;
    const std::size_t start = i;
    if (const AddrErrc e = text::scan_decimal(s, i, 32, AddrErrc::prefix_length_range, v); e != AddrErrc::ok) {
      return e;
    }
    if (negative && v == 0) {
      i = start - 1;
      return AddrErrc::ipxl_prefix_negative_zero;
    }
    len = negative ? 32 - static_cast<int>(v) : 32 + static_cast<int>(v);
    return AddrErrc::ok;
  }
};

}  // namespace

Expected<Address, ParseError> Address::parse(std::string_view s) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxTextLength) return fail(AddrErrc::too_long, kMaxTextLength);
  base::u8 parts[8] = {};
  int n = 0;
  std::size_t i = 0;
  for (;;) {
    if (n == 8) return fail(AddrErrc::ipxl_part_count, i - 1);
    if (const AddrErrc e = text::scan_octet(s, i, parts[n]); e != AddrErrc::ok) return fail(e, i);
    ++n;
    if (i == s.size()) break;
    if (s[i] != '.') return fail(AddrErrc::unexpected_char, i);
    ++i;
  }
  if (n < 5) return fail(AddrErrc::ipxl_part_count, s.size());
  // The missing numbers are leading zeros of the high word.
  u64 v = 0;
  for (int k = 0; k < n; ++k) v = (v << 8) | parts[k];
  return Address::from_uint(v);
}

Address::Text Address::format(Form form) const noexcept {
  Text t;
  int first = 0;  // first high octet written
  if (form == Form::shorthand) {
    while (first < 3 && ((high() >> (24 - 8 * first)) & 0xff) == 0) ++first;
  }
  for (int k = first; k < 4; ++k) {
    text::append_octet(t, static_cast<base::u8>(high() >> (24 - 8 * k)));
    t.push_back('.');
  }
  text::append_dotted_quad(t, low());
  return t;
}

std::string_view name(Address::Form f) noexcept {
  switch (f) {
    case Address::Form::full: return "full";
    case Address::Form::shorthand: return "shorthand";
  }
  return "?";
}

Expected<Prefix, ParseError> parse_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Address>(s, Family::ipxl, strict, &Address::parse, SignedLength{});
}

std::string format_prefix(const Prefix& p, Address::Form form) {
  return fmt::format("{}/{}", p.address().format(form).view(), signed_length(p.length()));
}

Class classify(const Address& a) noexcept {
  if (a.high() == 0) return Class::high_zero;
  if (a.high() == kIpv4High) return Class::ipv4;
  if (a.high() <= 16) {
    return inet::is_public_unicast(inet::classify(inet::Ipv4Address(a.low()))) ? Class::mirrored_prefix
                                                                               : Class::early_allocation;
  }
  return Class::future;
}

std::string_view name(Class c) noexcept {
  switch (c) {
    case Class::high_zero: return "high-word-zero";
    case Class::ipv4: return "ipv4";
    case Class::mirrored_prefix: return "mirrored-dfz-prefix";
    case Class::early_allocation: return "early-allocation";
    case Class::future: return "future";
  }
  return "?";
}

bool legacy_routable(const Address& a) noexcept {
  const Class c = classify(a);
  return c == Class::ipv4 || c == Class::mirrored_prefix;
}

}  // namespace nextip::ipxl

std::size_t std::hash<nextip::ipxl::Address>::operator()(const nextip::ipxl::Address& a) const noexcept {
  return static_cast<std::size_t>(nextip::base::mix64(a.to_uint()));
}

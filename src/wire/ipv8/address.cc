#include "wire/ipv8/address.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/prefix_text.h"
#include "base/text.h"

namespace nextip::ipv8 {

using base::AddrErrc;
using base::Family;
using base::ParseError;
namespace text = base::text;

namespace {

auto fail(AddrErrc c, std::size_t pos) noexcept {
  return nextip::unexpected(ParseError{Family::ipv8, c, static_cast<std::uint16_t>(pos)});
}

// "r.r.r.r:h.h.h.h"
Expected<Address, ParseError> parse_colon(std::string_view s) noexcept {
  std::size_t i = 0;
  u32 r = 0;
  u32 h = 0;
  if (const AddrErrc e = text::scan_dotted_quad(s, i, r); e != AddrErrc::ok) {
    return fail(e == AddrErrc::expected_dot ? AddrErrc::ipv8_colon_form : e, i);
  }
  if (i >= s.size() || s[i] != ':') return fail(AddrErrc::ipv8_colon_form, i);
  ++i;
  if (const AddrErrc e = text::scan_dotted_quad(s, i, h); e != AddrErrc::ok) {
    return fail(e == AddrErrc::expected_dot ? AddrErrc::ipv8_colon_form : e, i);
  }
  if (i != s.size()) return fail(s[i] == '.' ? AddrErrc::ipv8_colon_form : AddrErrc::trailing_text, i);
  return Address(r, h);
}

// Eight octets, or an ASN integer followed by four octets.
Expected<Address, ParseError> parse_dotted(std::string_view s) noexcept {
  base::u64 parts[8] = {};
  std::size_t starts[8] = {};
  int n = 0;
  std::size_t i = 0;
  for (;;) {
    if (n == 8) return fail(AddrErrc::ipv8_part_count, i - 1);
    starts[n] = i;
    const base::u64 max = n == 0 ? 0xffffffffULL : 255;
    if (const AddrErrc e =
            text::scan_decimal(s, i, max, n == 0 ? AddrErrc::asn_range : AddrErrc::octet_range, parts[n]);
        e != AddrErrc::ok) {
      return fail(e, i);
    }
    ++n;
    if (i == s.size()) break;
    if (s[i] != '.') return fail(AddrErrc::unexpected_char, i);
    ++i;
  }
  if (n == 5) {
    return Address(static_cast<u32>(parts[0]),
                   static_cast<u32>((parts[1] << 24) | (parts[2] << 16) | (parts[3] << 8) | parts[4]));
  }
  if (n != 8) return fail(AddrErrc::ipv8_part_count, s.size());
  if (parts[0] > 255) return fail(AddrErrc::octet_range, starts[0]);
  base::u64 v = 0;
  for (int k = 0; k < 8; ++k) v = (v << 8) | parts[k];
  return Address::from_uint(v);
}

}  // namespace

Expected<Address, ParseError> Address::parse(std::string_view s) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxTextLength) return fail(AddrErrc::too_long, kMaxTextLength);
  if (s.find(':') != std::string_view::npos) return parse_colon(s);
  return parse_dotted(s);
}

Address::Text Address::format(Form form) const noexcept {
  Text t;
  switch (form) {
    case Form::canonical:
      text::append_dotted_quad(t, r());
      t.push_back(':');
      text::append_dotted_quad(t, h());
      break;
    case Form::dotted:
      text::append_dotted_quad(t, r());
      t.push_back('.');
      text::append_dotted_quad(t, h());
      break;
    case Form::asn_dot:
      text::append_decimal(t, r());
      t.push_back('.');
      text::append_dotted_quad(t, h());
      break;
  }
  return t;
}

std::string_view name(Address::Form f) noexcept {
  switch (f) {
    case Address::Form::canonical: return "canonical";
    case Address::Form::dotted: return "dotted";
    case Address::Form::asn_dot: return "asn-dot";
  }
  return "?";
}

Expected<Prefix, ParseError> parse_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Address>(s, Family::ipv8, strict, &Address::parse, base::UnsignedLength{64});
}

std::string format_prefix(const Prefix& p, Address::Form form) {
  return fmt::format("{}/{}", p.address().format(form).view(), p.length());
}

}  // namespace nextip::ipv8

std::size_t std::hash<nextip::ipv8::Address>::operator()(const nextip::ipv8::Address& a) const noexcept {
  return static_cast<std::size_t>(nextip::base::mix64(a.to_uint()));
}

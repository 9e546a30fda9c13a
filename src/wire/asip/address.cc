#include "wire/asip/address.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/prefix_text.h"
#include "base/text.h"
#include "wire/asip/address_class.h"

namespace nextip::asip {

using base::AddrErrc;
using base::Family;
using base::ParseError;
using base::u64;
namespace text = base::text;

namespace {

auto fail(AddrErrc c, std::size_t pos) noexcept {
  return nextip::unexpected(ParseError{Family::asip, c, static_cast<std::uint16_t>(pos)});
}

// Inputs longer than this cannot be an ASIP address in any form (the longest is 63).
constexpr std::size_t kMaxInput = Address::kMaxTextLength;

// §6.6: sixteen dotted octets.
Expected<Address, ParseError> parse_flat(std::string_view s) noexcept {
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    return fail(AddrErrc::asip_too_few_fields, s.size());  // a lone ASN integer
  }
  u32 f[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (int k = 0; k < 16; ++k) {
    if (k > 0) {
      if (i >= s.size()) return fail(AddrErrc::asip_flat_octet_count, i);
      if (s[i] != '.') return fail(AddrErrc::unexpected_char, i);
      ++i;
    }
    base::u8 o = 0;
    if (const AddrErrc e = text::scan_octet(s, i, o); e != AddrErrc::ok) return fail(e, i);
    f[k / 4] = (f[k / 4] << 8) | o;
  }
  if (i != s.size()) {
    return fail(s[i] == '.' ? AddrErrc::asip_flat_octet_count : AddrErrc::unexpected_char, i);
  }
  return Address(f[0], f[1], f[2], f[3]);
}

// The colon forms of §6.1-§6.5. `prefix_context`: '::' may absorb a zero host field,
// as in the §6.7 prefix examples ("15169::/32").
Expected<Address, ParseError> parse_colon(std::string_view s, bool prefix_context) noexcept {
  u32 vals[4] = {0, 0, 0, 0};
  int n = 0;     // explicit fields seen
  int gap = -1;  // index in vals where '::' stands, -1 when absent
  std::size_t gap_pos = 0;
  std::size_t i = 0;

  if (s[0] == ':') {
    if (s.size() < 2 || s[1] != ':') return fail(AddrErrc::unexpected_char, 0);
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    if (n == 4) return fail(AddrErrc::asip_too_many_fields, i);
    const std::size_t field_start = i;
    u64 first = 0;
    if (const AddrErrc e = text::scan_decimal(s, i, 0xffffffffULL, AddrErrc::asn_range, first); e != AddrErrc::ok) {
      return fail(e, i);
    }
    if (i < s.size() && s[i] == '.') {
      // A dotted quad: the first number was its first octet.
      if (first > 255) return fail(AddrErrc::octet_range, field_start);
      u32 v = static_cast<u32>(first);
      for (int k = 1; k < 4; ++k) {
        if (i >= s.size() || s[i] != '.') return fail(AddrErrc::asip_field_octet_count, i);
        ++i;
        base::u8 o = 0;
        if (const AddrErrc e = text::scan_octet(s, i, o); e != AddrErrc::ok) return fail(e, i);
        v = (v << 8) | o;
      }
      if (i < s.size() && s[i] == '.') return fail(AddrErrc::asip_field_octet_count, i);
      vals[n] = v;
    } else {
      // An ASN integer: only r.r.r.r may be written so (§6.2), and the host never.
      if (i == s.size()) return fail(AddrErrc::asip_host_not_dotted, field_start);
      if (n != 0 || gap == 0) return fail(AddrErrc::asip_integer_not_first, field_start);
      vals[n] = static_cast<u32>(first);
    }
    ++n;
    if (i == s.size()) break;
    if (s[i] != ':') return fail(AddrErrc::unexpected_char, i);
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return fail(AddrErrc::asip_double_compression, i - 1);
      gap = n;
      gap_pos = i - 1;
      ++i;
      if (i == s.size()) {
        if (prefix_context) break;
        return fail(AddrErrc::asip_host_compressed, i);
      }
    } else if (i == s.size()) {
      return fail(AddrErrc::expected_digit, i);
    }
  }
  if (i == s.size() && gap == 0 && n == 0 && !prefix_context) {
    return fail(AddrErrc::asip_host_compressed, i);  // "::" alone
  }
  if (gap < 0) {
    if (n != 4) return fail(AddrErrc::asip_too_few_fields, s.size());
    return Address(vals[0], vals[1], vals[2], vals[3]);
  }
  if (n == 4) return fail(AddrErrc::asip_compression_empty, gap_pos);
  // §6.5: the explicit fields right of '::' go to the end, zeros fill the gap.
  u32 f[4] = {0, 0, 0, 0};
  for (int k = 0; k < gap; ++k) f[k] = vals[k];
  const int right = n - gap;  // 0 when '::' ends a prefix ("15169::/32")
  for (int k = 0; k < right; ++k) f[4 - right + k] = vals[gap + k];
  return Address(f[0], f[1], f[2], f[3]);
}

Expected<Address, ParseError> parse_impl(std::string_view s, bool prefix_context) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxInput) return fail(AddrErrc::too_long, kMaxInput);
  // Colon forms first (the common case); a text without any ':' is the flat form,
  // which the colon parser always refuses, so only that failure pays for the search.
  auto r = parse_colon(s, prefix_context);
  if (!r && s.find(':') == std::string_view::npos) return parse_flat(s);
  return r;
}

// Longest run of zero fields, leftmost on ties (§6.3 rule 3). Fields 0..2 may be
// compressed in an address (rule 5); in a prefix the host may join the run as long as
// one field stays explicit.
struct Run {
  int start = -1;
  int len = 0;
};
Run zero_run(const Address& a, bool prefix_context) noexcept {
  const int limit = (prefix_context && a.h() == 0 && !(a.r() == 0 && a.z() == 0 && a.s() == 0)) ? 4 : 3;
  Run best;
  for (int i = 0; i < limit;) {
    if (a.field(i) != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < limit && a.field(j) == 0) ++j;
    if (j - i > best.len) best = {i, j - i};
    i = j;
  }
  return best;
}

void format_colon(Address::Text& t, const Address& a, Address::Form form, bool prefix_context) noexcept {
  using Form = Address::Form;
  const bool compress = form == Form::compressed || form == Form::dotted_compressed || form == Form::integer;
  const bool integer_r =
      form == Form::integer || ((form == Form::compressed || form == Form::uncompressed) && prefers_asn_integer(a.r()));
  const Run run = compress ? zero_run(a, prefix_context) : Run{};
  auto put = [&](int idx) {
    if (idx == 0 && integer_r) {
      text::append_decimal(t, a.r());
    } else {
      text::append_dotted_quad(t, a.field(idx));
    }
  };
  if (run.len == 0) {
    for (int idx = 0; idx < 4; ++idx) {
      if (idx > 0) t.push_back(':');
      put(idx);
    }
    return;
  }
  for (int idx = 0; idx < run.start; ++idx) {
    if (idx > 0) t.push_back(':');
    put(idx);
  }
  t.append("::");
  for (int idx = run.start + run.len; idx < 4; ++idx) {
    if (idx > run.start + run.len) t.push_back(':');
    put(idx);
  }
}

}  // namespace

Address Address::from_bytes(std::span<const std::byte, 16> b) noexcept {
  return Address(base::load_be32(b.data()), base::load_be32(b.data() + 4), base::load_be32(b.data() + 8),
                 base::load_be32(b.data() + 12));
}

void Address::to_bytes(std::span<std::byte, 16> b) const noexcept {
  for (std::size_t i = 0; i < 4; ++i) base::store_be32(b.data() + 4 * i, f_[i]);
}

Expected<Address, ParseError> Address::parse(std::string_view s) noexcept {
  return parse_impl(s, false);
}

Address::Text Address::format(Form form) const noexcept {
  Text t;
  if (form == Form::flat) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (i > 0) t.push_back('.');
      text::append_dotted_quad(t, f_[i]);
    }
    return t;
  }
  format_colon(t, *this, form, false);
  return t;
}

std::string_view name(Address::Form f) noexcept {
  switch (f) {
    case Address::Form::compressed: return "compressed";
    case Address::Form::uncompressed: return "uncompressed";
    case Address::Form::dotted: return "dotted";
    case Address::Form::dotted_compressed: return "dotted-compressed";
    case Address::Form::integer: return "integer";
    case Address::Form::flat: return "flat";
  }
  return "?";
}

Expected<UrlHost, ParseError> parse_url_host(std::string_view s) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxInput + 8) return fail(AddrErrc::too_long, kMaxInput + 8);  // "[" addr "]:65535"
  if (s[0] != '[') return fail(AddrErrc::unexpected_char, 0);
  const std::size_t close = s.find(']');
  if (close == std::string_view::npos) return fail(AddrErrc::url_missing_close_bracket, s.size());
  auto a = Address::parse(s.substr(1, close - 1));
  if (!a) {
    ParseError e = a.error();
    e.pos = static_cast<std::uint16_t>(e.pos + 1);
    return nextip::unexpected(e);
  }
  UrlHost u{*a, std::nullopt};
  std::size_t i = close + 1;
  if (i == s.size()) return u;
  if (s[i] != ':') return fail(AddrErrc::url_expected_port, i);
  ++i;
  u64 port = 0;
  if (const AddrErrc e = text::scan_decimal(s, i, 65535, AddrErrc::url_port_range, port); e != AddrErrc::ok) {
    return fail(e, i);
  }
  if (i != s.size()) return fail(AddrErrc::trailing_text, i);
  u.port = static_cast<std::uint16_t>(port);
  return u;
}

Address::Text format_url_host(const UrlHost& u) noexcept {
  Address::Text t;
  t.push_back('[');
  t.append(u.address.format(Address::Form::compressed));
  t.push_back(']');
  if (u.port) {
    t.push_back(':');
    text::append_decimal(t, *u.port);
  }
  return t;
}

Expected<Prefix, ParseError> parse_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Address>(
      s, Family::asip, strict, [](std::string_view a) { return parse_impl(a, true); }, base::UnsignedLength{128});
}

std::string format_prefix(const Prefix& p, Address::Form form) {
  Address::Text t;
  if (form == Address::Form::flat) {
    t = p.address().format(form);
  } else {
    format_colon(t, p.address(), form, true);
  }
  return fmt::format("{}/{}", t.view(), p.length());
}

}  // namespace nextip::asip

std::size_t std::hash<nextip::asip::Address>::operator()(const nextip::asip::Address& a) const noexcept {
  return nextip::base::hash_u128(a.to_uint());
}

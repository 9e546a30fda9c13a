#include "wire/ipv45/address.h"

#include <fmt/format.h>

#include <array>

#include "base/hash.h"
#include "base/prefix_text.h"
#include "base/text.h"

namespace nextip::ipv45 {

using base::AddrErrc;
using base::Family;
using base::ParseError;
namespace text = base::text;

namespace {

auto fail(AddrErrc c, std::size_t pos) noexcept {
  return nextip::unexpected(ParseError{Family::ipv45, c, static_cast<std::uint16_t>(pos)});
}

// Positions of the non-overlapping "::" separators, left to right (at most 3 kept).
struct Separators {
  std::size_t pos[3] = {0, 0, 0};
  int count = 0;
};
Separators find_separators(std::string_view s) noexcept {
  Separators sep;
  for (std::size_t i = 0; i + 1 < s.size();) {
    if (s[i] == ':' && s[i + 1] == ':') {
      if (sep.count < 3) sep.pos[sep.count] = i;
      ++sep.count;
      i += 2;
    } else {
      ++i;
    }
  }
  return sep;
}

}  // namespace

Address Address::from_bytes(std::span<const std::byte, 12> b) noexcept {
  const u64 lo = base::load_be64(b.data() + 4);
  return Address(base::load_be32(b.data()), static_cast<u16>(lo >> 48), lo & kEidMask);
}

void Address::to_bytes(std::span<std::byte, 12> b) const noexcept {
  base::store_be32(b.data(), loc_);
  base::store_be64(b.data() + 4, (u64{site_} << 48) | eid_);
}

Expected<Address, ParseError> Address::parse(std::string_view s) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxTextLength) return fail(AddrErrc::too_long, kMaxTextLength);
  const Separators sep = find_separators(s);
  if (sep.count != 2) {
    return fail(AddrErrc::ipv45_separator_count, sep.count > 2 ? sep.pos[2] : s.size());
  }
  std::size_t i = 0;
  u32 loc = 0;
  if (const AddrErrc e = text::scan_dotted_quad(s, i, loc); e != AddrErrc::ok) return fail(e, i);
  if (i != sep.pos[0]) return fail(AddrErrc::unexpected_char, i);
  i += 2;
  u16 site = 0;
  if (i == sep.pos[1]) return fail(AddrErrc::ipv45_site_empty, i);
  if (const AddrErrc e = text::scan_hex16(s, i, site); e != AddrErrc::ok) return fail(e, i);
  if (i != sep.pos[1]) return fail(AddrErrc::unexpected_char, i);
  i += 2;
  u64 eid = 0;
  for (int g = 0; g < 3; ++g) {
    if (g > 0) {
      if (i == s.size()) return fail(AddrErrc::ipv45_eid_group_count, i);
      if (s[i] != ':') return fail(AddrErrc::unexpected_char, i);
      ++i;
    }
    u16 v = 0;
    if (const AddrErrc e = text::scan_hex16(s, i, v); e != AddrErrc::ok) return fail(e, i);
    eid = (eid << 16) | v;
  }
  if (i != s.size()) {
    return fail(s[i] == ':' ? AddrErrc::ipv45_eid_group_count : AddrErrc::unexpected_char, i);
  }
  return Address(loc, site, eid);
}

Address::Text Address::format(Form form) const noexcept {
  const int digits = form == Form::canonical ? 4 : 1;
  Text t;
  text::append_dotted_quad(t, loc_);
  t.append("::");
  text::append_hex(t, site_, digits, true);
  t.append("::");
  for (int g = 0; g < 3; ++g) {
    if (g > 0) t.push_back(':');
    text::append_hex(t, (eid_ >> (32 - 16 * g)) & 0xffff, digits, true);
  }
  return t;
}

std::string_view name(Address::Form f) noexcept {
  switch (f) {
    case Address::Form::canonical: return "canonical";
    case Address::Form::compact: return "compact";
  }
  return "?";
}

Expected<Prefix, ParseError> parse_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Address>(s, Family::ipv45, strict, &Address::parse, base::UnsignedLength{96});
}

std::string format_prefix(const Prefix& p, Address::Form form) {
  return fmt::format("{}/{}", p.address().format(form).view(), p.length());
}

namespace {

// A reserved row: value/mask over the 96 bits and how many bits the mask fixes.
struct Row {
  Class cls;
  u128 value;
  u128 mask;
  int fixed_bits;
};

constexpr u128 field_mask(int shift, int width) {
  return ((u128{1} << width) - 1) << shift;
}

constexpr Row row(Class cls, u128 value, int shift, int width) {
  return Row{cls, value, field_mask(shift, width), width};
}

// Table order of 003 "IPv4.5 Reserved Addresses". Each mask is one contiguous field.
constexpr std::array<Row, 6> kRows = {{
    row(Class::unspecified, 0, 0, 96),
    row(Class::loopback, u128{0x7f000001} << 64, 64, 32),
    row(Class::multicast, u128{0xe0000000} << 64, 92, 4),
    row(Class::site_local, u128{0xffff} << 48, 48, 16),
    row(Class::link_local, u128{0xfffe} << 48, 48, 16),
    row(Class::ipv4_embedded, (u128{0xffff} << 48) | (u128{0xffff} << 32), 32, 32),
}};

}  // namespace

Class primary_class(const Address& a) noexcept {
  const u128 v = a.to_uint();
  Class cls = Class::unicast;
  int best_bits = 0;
  for (const Row& r : kRows) {
    if ((v & r.mask) == r.value && r.fixed_bits > best_bits) {
      cls = r.cls;
      best_bits = r.fixed_bits;
    }
  }
  return cls;
}

Classification classify(const Address& a) {
  Classification c{primary_class(a), {}};
  const u128 v = a.to_uint();
  for (const Row& r : kRows) {
    if ((v & r.mask) == r.value && r.cls != c.cls) c.also.push_back(r.cls);
  }
  return c;
}

std::string_view name(Class c) noexcept {
  switch (c) {
    case Class::unicast: return "unicast";
    case Class::unspecified: return "unspecified";
    case Class::loopback: return "loopback";
    case Class::multicast: return "multicast-locator";
    case Class::site_local: return "site-local";
    case Class::link_local: return "link-local";
    case Class::ipv4_embedded: return "ipv4-embedded";
  }
  return "?";
}

std::string_view pattern(Class c) noexcept {
  switch (c) {
    case Class::unicast: return "";
    case Class::unspecified: return "0.0.0.0::0::0:0:0";
    case Class::loopback: return "127.0.0.1::*::*";
    case Class::multicast: return "224.0.0.0/4::*::*";
    case Class::site_local: return "LOCATOR::FFFF::*";
    case Class::link_local: return "LOCATOR::FFFE::*";
    case Class::ipv4_embedded: return "LOCATOR::FFFF::FFFF:*";
  }
  return "";
}

}  // namespace nextip::ipv45

std::size_t std::hash<nextip::ipv45::Address>::operator()(const nextip::ipv45::Address& a) const noexcept {
  return nextip::base::hash_u128(a.to_uint());
}

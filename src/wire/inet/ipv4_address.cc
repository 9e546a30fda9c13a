#include "wire/inet/ipv4_address.h"

#include <fmt/format.h>

#include "base/hash.h"
#include "base/prefix_text.h"
#include "base/text.h"

namespace nextip::inet {

using base::AddrErrc;
using base::Family;
using base::ParseError;

namespace {
constexpr std::size_t kMaxText = 15;  // "255.255.255.255"

auto fail(AddrErrc c, std::size_t pos) noexcept {
  return nextip::unexpected(ParseError{Family::ipv4, c, static_cast<std::uint16_t>(pos)});
}
}  // namespace

Expected<Ipv4Address, ParseError> Ipv4Address::parse(std::string_view s) noexcept {
  if (s.empty()) return fail(AddrErrc::empty, 0);
  if (s.size() > kMaxText) {
    // Say why precisely when it is simply too many octets.
    std::size_t i = 0;
    u32 v = 0;
    if (base::text::scan_dotted_quad(s, i, v) == AddrErrc::ok && i < s.size() && s[i] == '.') {
      return fail(AddrErrc::ipv4_octet_count, i);
    }
    return fail(AddrErrc::too_long, kMaxText);
  }
  std::size_t i = 0;
  u32 v = 0;
  if (const AddrErrc e = base::text::scan_dotted_quad(s, i, v); e != AddrErrc::ok) {
    return fail(e == AddrErrc::expected_dot ? AddrErrc::ipv4_octet_count : e, i);
  }
  if (i != s.size()) {
    return fail(s[i] == '.' ? AddrErrc::ipv4_octet_count : AddrErrc::trailing_text, i);
  }
  return Ipv4Address(v);
}

Ipv4Address::Text Ipv4Address::format() const noexcept {
  Text t;
  base::text::append_dotted_quad(t, v_);
  return t;
}

Expected<Ipv4Prefix, ParseError> parse_ipv4_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Ipv4Address>(s, Family::ipv4, strict, &Ipv4Address::parse, base::UnsignedLength{32});
}

std::string format_prefix(const Ipv4Prefix& p) {
  return fmt::format("{}/{}", p.address().format().view(), p.length());
}

Ipv4Class classify(Ipv4Address a) noexcept {
  const u32 v = a.value();
  auto in = [v](u32 net, int len) { return (v & base::high_mask<u32>(len, 32)) == net; };
  if (v == 0) return Ipv4Class::unspecified;
  if (v == 0xffffffffU) return Ipv4Class::broadcast;
  if (in(0x00000000, 8)) return Ipv4Class::this_network;
  if (in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16)) return Ipv4Class::private_use;
  if (in(0x64400000, 10)) return Ipv4Class::shared;
  if (in(0x7f000000, 8)) return Ipv4Class::loopback;
  if (in(0xa9fe0000, 16)) return Ipv4Class::link_local;
  if (in(0xc0000000, 24)) return Ipv4Class::ietf_protocol;
  if (in(0xc0000200, 24) || in(0xc6336400, 24) || in(0xcb007100, 24)) return Ipv4Class::documentation;
  if (in(0xc0586300, 24)) return Ipv4Class::relay_6to4;
  if (in(0xc6120000, 15)) return Ipv4Class::benchmarking;
  if (in(0xe0000000, 4)) return Ipv4Class::multicast;
  if (in(0xf0000000, 4)) return Ipv4Class::reserved;
  return Ipv4Class::global;
}

std::string_view name(Ipv4Class c) noexcept {
  switch (c) {
    case Ipv4Class::unspecified: return "unspecified";
    case Ipv4Class::this_network: return "this-network";
    case Ipv4Class::private_use: return "private-use";
    case Ipv4Class::shared: return "shared-address-space";
    case Ipv4Class::loopback: return "loopback";
    case Ipv4Class::link_local: return "link-local";
    case Ipv4Class::ietf_protocol: return "ietf-protocol-assignments";
    case Ipv4Class::documentation: return "documentation";
    case Ipv4Class::relay_6to4: return "6to4-relay-anycast";
    case Ipv4Class::benchmarking: return "benchmarking";
    case Ipv4Class::multicast: return "multicast";
    case Ipv4Class::reserved: return "reserved";
    case Ipv4Class::broadcast: return "limited-broadcast";
    case Ipv4Class::global: return "global-unicast";
  }
  return "?";
}

}  // namespace nextip::inet

std::size_t std::hash<nextip::inet::Ipv4Address>::operator()(const nextip::inet::Ipv4Address& a) const noexcept {
  return static_cast<std::size_t>(nextip::base::mix64(a.value()));
}

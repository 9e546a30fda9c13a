#include "wire/inet/ipv6_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include "base/hash.h"
#include "base/prefix_text.h"

namespace nextip::inet {

using base::AddrErrc;
using base::Family;
using base::ParseError;

Ipv6Address Ipv6Address::from_bytes(std::span<const std::byte, 16> b) noexcept {
  const base::u128 hi = base::load_be64(b.data());
  const base::u128 lo = base::load_be64(b.data() + 8);
  return from_uint((hi << 64) | lo);
}

void Ipv6Address::to_bytes(std::span<std::byte, 16> b) const noexcept {
  base::store_be64(b.data(), static_cast<base::u64>(v_ >> 64));
  base::store_be64(b.data() + 8, static_cast<base::u64>(v_));
}

std::array<std::byte, 16> Ipv6Address::bytes() const noexcept {
  std::array<std::byte, 16> b{};
  to_bytes(b);
  return b;
}

Expected<Ipv6Address, ParseError> Ipv6Address::parse(std::string_view s) noexcept {
  auto fail = [](AddrErrc c, std::size_t pos) {
    return nextip::unexpected(ParseError{Family::ipv6, c, static_cast<std::uint16_t>(pos)});
  };
  if (s.empty()) return fail(AddrErrc::empty, 0);
  char buf[64];
  if (s.size() >= sizeof buf) return fail(AddrErrc::too_long, sizeof buf - 1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\0') return fail(AddrErrc::unexpected_char, i);
    buf[i] = s[i];
  }
  buf[s.size()] = '\0';
  std::array<std::byte, 16> b{};
  if (inet_pton(AF_INET6, buf, b.data()) != 1) return fail(AddrErrc::ipv6_syntax, 0);
  return from_bytes(b);
}

Ipv6Address::Text Ipv6Address::format() const noexcept {
  const auto b = bytes();
  char buf[INET6_ADDRSTRLEN];
  Text t;
  if (inet_ntop(AF_INET6, b.data(), buf, sizeof buf) != nullptr) t.append(buf);
  return t;
}

Expected<Ipv6Prefix, ParseError> parse_ipv6_prefix(std::string_view s, bool strict) noexcept {
  return base::parse_prefix_text<Ipv6Address>(s, Family::ipv6, strict, &Ipv6Address::parse, base::UnsignedLength{128});
}

std::string format_prefix(const Ipv6Prefix& p) {
  return fmt::format("{}/{}", p.address().format().view(), p.length());
}

}  // namespace nextip::inet

std::size_t std::hash<nextip::inet::Ipv6Address>::operator()(const nextip::inet::Ipv6Address& a) const noexcept {
  return nextip::base::hash_u128(a.to_uint());
}

#include "io/socket_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace nextip::io {
namespace {

std::optional<std::uint32_t> parse_number(std::string_view s, std::uint32_t max) noexcept {
  std::uint32_t v = 0;
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

}  // namespace

SocketAddress SocketAddress::v4(inet::Ipv4Address a, std::uint16_t port) noexcept {
  SocketAddress s;
  s.u_.in4.sin_family = AF_INET;
  s.u_.in4.sin_port = htons(port);
  s.u_.in4.sin_addr.s_addr = htonl(a.value());
  return s;
}

SocketAddress SocketAddress::v6(inet::Ipv6Address a, std::uint16_t port, std::uint32_t scope_id) noexcept {
  SocketAddress s;
  s.u_.in6.sin6_family = AF_INET6;
  s.u_.in6.sin6_port = htons(port);
  s.u_.in6.sin6_scope_id = scope_id;
  const auto b = a.bytes();
  std::memcpy(s.u_.in6.sin6_addr.s6_addr, b.data(), b.size());
  return s;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view text) noexcept {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto port = parse_number(text.substr(colon + 1), 65535);
  if (!port) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    std::uint32_t scope = 0;
    if (const auto pct = host.find('%'); pct != std::string_view::npos) {
      const auto s = parse_number(host.substr(pct + 1), 0xffffffffu);
      if (!s) return std::nullopt;
      scope = *s;
      host = host.substr(0, pct);
    }
    auto a = inet::Ipv6Address::parse(host);
    if (!a) return std::nullopt;
    return v6(*a, static_cast<std::uint16_t>(*port), scope);
  }
  auto a = inet::Ipv4Address::parse(host);
  if (!a) return std::nullopt;
  return v4(*a, static_cast<std::uint16_t>(*port));
}

std::optional<SocketAddress> SocketAddress::from_sockaddr(const sockaddr* sa, socklen_t len) noexcept {
  SocketAddress s;
  if (sa == nullptr || len < sizeof(sa_family_t)) return std::nullopt;
  if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    std::memcpy(&s.u_.in4, sa, sizeof(sockaddr_in));
    return s;
  }
  if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    std::memcpy(&s.u_.in6, sa, sizeof(sockaddr_in6));
    return s;
  }
  return std::nullopt;
}

std::uint16_t SocketAddress::port() const noexcept {
  if (is_v4()) return ntohs(u_.in4.sin_port);
  if (is_v6()) return ntohs(u_.in6.sin6_port);
  return 0;
}

inet::Ipv4Address SocketAddress::ipv4() const noexcept {
  return inet::Ipv4Address(ntohl(u_.in4.sin_addr.s_addr));
}

inet::Ipv6Address SocketAddress::ipv6() const noexcept {
  std::array<std::byte, 16> b{};
  std::memcpy(b.data(), u_.in6.sin6_addr.s6_addr, b.size());
  return inet::Ipv6Address::from_bytes(b);
}

socklen_t SocketAddress::sockaddr_len() const noexcept {
  if (is_v4()) return sizeof(sockaddr_in);
  if (is_v6()) return sizeof(sockaddr_in6);
  return 0;
}

SocketAddress::Text SocketAddress::format() const noexcept {
  Text t;
  char port[8] = {};
  auto [end, ec] = std::to_chars(port, port + sizeof port, this->port());
  (void)ec;
  if (is_v4()) {
    t.append(ipv4().format().view());
  } else if (is_v6()) {
    t.push_back('[');
    t.append(ipv6().format().view());
    if (u_.in6.sin6_scope_id != 0) {
      char scope[12] = {};
      auto [e2, ec2] = std::to_chars(scope, scope + sizeof scope, u_.in6.sin6_scope_id);
      (void)ec2;
      t.push_back('%');
      t.append(std::string_view(scope, static_cast<std::size_t>(e2 - scope)));
    }
    t.push_back(']');
  } else {
    return t;
  }
  t.push_back(':');
  t.append(std::string_view(port, static_cast<std::size_t>(end - port)));
  return t;
}

bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept {
  if (a.family() != b.family()) return false;
  if (a.is_v4()) return a.u_.in4.sin_port == b.u_.in4.sin_port && a.u_.in4.sin_addr.s_addr == b.u_.in4.sin_addr.s_addr;
  if (a.is_v6()) {
    return a.u_.in6.sin6_port == b.u_.in6.sin6_port && a.u_.in6.sin6_scope_id == b.u_.in6.sin6_scope_id &&
           std::memcmp(&a.u_.in6.sin6_addr, &b.u_.in6.sin6_addr, sizeof(in6_addr)) == 0;
  }
  return true;
}

}  // namespace nextip::io

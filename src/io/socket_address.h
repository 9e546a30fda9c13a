// SocketAddress: an IPv4 or IPv6 address with a port, stored as the sockaddr the
// kernel takes (sockaddr_in / sockaddr_in6), so that the data path hands it to
// sendmmsg and gets it back from recvmmsg without conversion. Trivially copyable,
// 28 bytes; the default value is empty (AF_UNSPEC).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
#include <string_view>

#include "base/inline_string.h"
#include "wire/inet/ipv4_address.h"
#include "wire/inet/ipv6_address.h"

namespace nextip::io {

class SocketAddress {
 public:
  using Text = base::InlineString<64>;  // "[" 45 "%" 10 "]:" 5

  constexpr SocketAddress() noexcept = default;
  [[nodiscard]] static SocketAddress v4(inet::Ipv4Address a, std::uint16_t port) noexcept;
  [[nodiscard]] static SocketAddress v6(inet::Ipv6Address a, std::uint16_t port, std::uint32_t scope_id = 0) noexcept;
  // "192.0.2.1:4242", "[2001:db8::1]:4242", "[fe80::1%3]:4242" (a numeric scope).
  [[nodiscard]] static std::optional<SocketAddress> parse(std::string_view text) noexcept;
  // From what the kernel wrote (recvmsg's msg_name, getsockname); nullopt for other
  // families or a short length.
  [[nodiscard]] static std::optional<SocketAddress> from_sockaddr(const sockaddr* sa, socklen_t len) noexcept;

  [[nodiscard]] int family() const noexcept { return u_.sa.sa_family; }
  [[nodiscard]] bool is_v4() const noexcept { return family() == AF_INET; }
  [[nodiscard]] bool is_v6() const noexcept { return family() == AF_INET6; }
  [[nodiscard]] bool empty() const noexcept { return family() == AF_UNSPEC; }
  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] inet::Ipv4Address ipv4() const noexcept;  // precondition: is_v4()
  [[nodiscard]] inet::Ipv6Address ipv6() const noexcept;  // precondition: is_v6()

  [[nodiscard]] const sockaddr* sockaddr_ptr() const noexcept { return &u_.sa; }
  [[nodiscard]] socklen_t sockaddr_len() const noexcept;

  [[nodiscard]] Text format() const noexcept;  // as parse() reads; "" when empty
  [[nodiscard]] std::string to_string() const { return format().str(); }

  friend bool operator==(const SocketAddress& a, const SocketAddress& b) noexcept;

 private:
  union Storage {
    sockaddr sa;
    sockaddr_in in4;
    sockaddr_in6 in6;
  };
  Storage u_{.in6 = {}};
};

}  // namespace nextip::io

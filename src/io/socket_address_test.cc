#include "io/socket_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/un.h>

#include <cstring>
#include <type_traits>

namespace nextip::io {
namespace {

static_assert(std::is_trivially_copyable_v<SocketAddress>);
static_assert(sizeof(SocketAddress) == sizeof(sockaddr_in6));

TEST(SocketAddress, DefaultIsEmpty) {
  const SocketAddress a;
  EXPECT_TRUE(a.empty());
  EXPECT_FALSE(a.is_v4());
  EXPECT_FALSE(a.is_v6());
  EXPECT_EQ(a.port(), 0);
  EXPECT_EQ(a.sockaddr_len(), 0u);
  EXPECT_EQ(a.format(), "");
  EXPECT_EQ(a, SocketAddress());
}

TEST(SocketAddress, V4IsASockaddrInInNetworkOrder) {
  const auto a = SocketAddress::v4(inet::Ipv4Address(192, 0, 2, 1), 4242);
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.family(), AF_INET);
  EXPECT_EQ(a.port(), 4242);
  EXPECT_EQ(a.ipv4(), inet::Ipv4Address(192, 0, 2, 1));
  ASSERT_EQ(a.sockaddr_len(), sizeof(sockaddr_in));
  sockaddr_in in{};
  std::memcpy(&in, a.sockaddr_ptr(), sizeof in);
  EXPECT_EQ(in.sin_port, htons(4242));
  EXPECT_EQ(in.sin_addr.s_addr, htonl(0xc0000201));
  EXPECT_EQ(a.to_string(), "192.0.2.1:4242");
}

TEST(SocketAddress, V6IsASockaddrIn6WithScope) {
  const auto ip = inet::Ipv6Address::parse("fe80::1").value();
  const auto a = SocketAddress::v6(ip, 53, 7);
  EXPECT_TRUE(a.is_v6());
  EXPECT_EQ(a.port(), 53);
  EXPECT_EQ(a.ipv6(), ip);
  ASSERT_EQ(a.sockaddr_len(), sizeof(sockaddr_in6));
  sockaddr_in6 in6{};
  std::memcpy(&in6, a.sockaddr_ptr(), sizeof in6);
  EXPECT_EQ(in6.sin6_port, htons(53));
  EXPECT_EQ(in6.sin6_scope_id, 7u);
  EXPECT_EQ(in6.sin6_addr.s6_addr[0], 0xfe);
  EXPECT_EQ(in6.sin6_addr.s6_addr[15], 0x01);
  EXPECT_EQ(a.to_string(), "[fe80::1%7]:53");
}

TEST(SocketAddress, ParseFormatRoundTrips) {
  for (const char* text :
       {"192.0.2.1:4242", "0.0.0.0:0", "255.255.255.255:65535", "[2001:db8::1]:4242", "[::]:0", "[::1]:1",
        "[fe80::1%3]:4242", "[::ffff:192.0.2.1]:53", "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535"}) {
    const auto a = SocketAddress::parse(text);
    ASSERT_TRUE(a.has_value()) << text;
    EXPECT_EQ(a->format(), text);
    EXPECT_EQ(SocketAddress::parse(a->format().view()), a) << text;
  }
}

TEST(SocketAddress, ParseCanonicalisesTheAddress) {
  EXPECT_EQ(SocketAddress::parse("[2001:DB8:0:0:0:0:0:1]:80")->to_string(), "[2001:db8::1]:80");
  EXPECT_EQ(SocketAddress::parse("[fe80::1%0]:80")->to_string(), "[fe80::1]:80") << "scope 0 is no scope";
}

TEST(SocketAddress, ParseRejects) {
  for (const char* text : {"",
                           ":",
                           "192.0.2.1",
                           "192.0.2.1:",
                           "192.0.2.1:65536",
                           "192.0.2.1:080",
                           "192.0.2.1:-1",
                           "192.0.2.1:+1",
                           "192.0.2.1:1x",
                           "192.0.2.1: 1",
                           " 192.0.2.1:1",
                           "192.0.2:1",
                           "192.0.2.01:1",
                           "::1:80",
                           "[::1]",
                           "[::1]80",
                           "[::1:80",
                           "::1]:80",
                           "[]:80",
                           "[192.0.2.1]:80",
                           "[fe80::1%]:1",
                           "[fe80::1%eth0]:1",
                           "[fe80::1%4294967296]:1",
                           "[fe80::1%3%4]:1",
                           "[fe80::1%03]:1",
                           "[2001:db8::g]:1",
                           "localhost:80"}) {
    EXPECT_EQ(SocketAddress::parse(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(SocketAddress, FromSockaddr) {
  const auto v4 = SocketAddress::parse("198.51.100.7:9").value();
  const auto v6 = SocketAddress::parse("[2001:db8::7%2]:10").value();
  EXPECT_EQ(SocketAddress::from_sockaddr(v4.sockaddr_ptr(), v4.sockaddr_len()), v4);
  EXPECT_EQ(SocketAddress::from_sockaddr(v6.sockaddr_ptr(), v6.sockaddr_len()), v6);
  EXPECT_EQ(SocketAddress::from_sockaddr(v4.sockaddr_ptr(), v4.sockaddr_len() - 1), std::nullopt);
  EXPECT_EQ(SocketAddress::from_sockaddr(v6.sockaddr_ptr(), sizeof(sockaddr_in)), std::nullopt);
  EXPECT_EQ(SocketAddress::from_sockaddr(nullptr, 28), std::nullopt);
  EXPECT_EQ(SocketAddress::from_sockaddr(v4.sockaddr_ptr(), 1), std::nullopt);

  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  EXPECT_EQ(SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&un), sizeof un), std::nullopt);

  // What the kernel writes for IPv4 may carry bytes in sin_zero: not part of the value.
  sockaddr_in in{};
  std::memcpy(&in, v4.sockaddr_ptr(), sizeof in);
  std::memset(in.sin_zero, 0xab, sizeof in.sin_zero);
  EXPECT_EQ(SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in), v4);
}

TEST(SocketAddress, Equality) {
  const auto a = SocketAddress::parse("[2001:db8::1]:80").value();
  EXPECT_NE(a, SocketAddress::parse("[2001:db8::1]:81").value());
  EXPECT_NE(a, SocketAddress::parse("[2001:db8::2]:80").value());
  EXPECT_NE(a, SocketAddress::parse("[2001:db8::1%1]:80").value());
  EXPECT_NE(SocketAddress::parse("192.0.2.1:80").value(), SocketAddress::parse("[::ffff:192.0.2.1]:80").value())
      << "an IPv4-mapped address is another family";
  EXPECT_NE(SocketAddress::parse("192.0.2.1:80").value(), SocketAddress());
  EXPECT_EQ(SocketAddress::parse("192.0.2.1:80"), SocketAddress::v4(inet::Ipv4Address(192, 0, 2, 1), 80));
}

}  // namespace
}  // namespace nextip::io

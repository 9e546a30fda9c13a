#include "io/vnet.h"

#include <gtest/gtest.h>

#include <array>

#include "wire/build/build.h"

namespace nextip::io::vnet {
namespace {

using base::Gso;
using base::Offload;

std::array<std::byte, kHeaderLen> header(std::initializer_list<int> v) {
  std::array<std::byte, kHeaderLen> h{};
  std::size_t i = 0;
  for (int b : v) h[i++] = static_cast<std::byte>(b);
  return h;
}

// An IPv4/TCP packet with a 32-byte TCP header (12 bytes of options) and 3000 bytes.
build::Packet tcp4_packet() {
  inet::Ipv4Repr ip;
  ip.src = inet::Ipv4Address(10, 0, 0, 1);
  ip.dst = inet::Ipv4Address(10, 0, 0, 2);
  return build::ipv4(ip,
                     build::Tcp{1234, 80, 1, 2, 0x18, 65535, build::Packet(12, std::byte{1}), build::counting(3000)});
}

TEST(Vnet, DecodesTheFieldsLittleEndian) {
  const auto p = tcp4_packet();
  // NEEDS_CSUM, TCPV4, hdr_len 0x0034, gso_size 0x05a8, csum_start 20, csum_offset 16.
  const auto h = header({0x01, 0x01, 0x34, 0x00, 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00});
  auto o = decode(h, p);
  ASSERT_TRUE(o.has_value()) << describe(o.error());
  EXPECT_TRUE(o->csum_partial);
  EXPECT_EQ(o->csum_start, 20);
  EXPECT_EQ(o->csum_offset, 16);
  EXPECT_EQ(o->gso, Gso::tcp4);
  EXPECT_EQ(o->gso_size, 1448);
  EXPECT_EQ(o->hdr_len, 52);
}

TEST(Vnet, EncodesTheSameBytes) {
  const Offload o{true, 20, 16, Gso::tcp4, 1448, 52};
  std::array<std::byte, kHeaderLen> h{};
  ASSERT_TRUE(encode(o, h).has_value());
  EXPECT_EQ(h, header({0x01, 0x01, 0x34, 0x00, 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00}));
}

TEST(Vnet, RoundTripsEveryGsoType) {
  const auto p = tcp4_packet();
  for (Gso g : {Gso::none, Gso::tcp4, Gso::tcp6, Gso::udp_l4}) {
    Offload o{true, 20, g == Gso::udp_l4 ? u16{6} : u16{16}, g, g == Gso::none ? u16{0} : u16{1000}, 0};
    if (g == Gso::tcp4 || g == Gso::tcp6) o.hdr_len = 52;
    if (g == Gso::udp_l4) o.hdr_len = 28;
    std::array<std::byte, kHeaderLen> h{};
    ASSERT_TRUE(encode(o, h).has_value());
    auto back = decode(h, p);
    ASSERT_TRUE(back.has_value()) << describe(back.error());
    EXPECT_EQ(*back, o);
  }
}

TEST(Vnet, NoOffloadIsAllZero) {
  std::array<std::byte, kHeaderLen> h{};
  h.fill(std::byte{0xff});
  ASSERT_TRUE(encode(Offload{}, h).has_value());
  EXPECT_EQ(h, header({}));
  auto o = decode(h, tcp4_packet());
  ASSERT_TRUE(o.has_value());
  EXPECT_FALSE(o->any());
}

TEST(Vnet, HdrLenComesFromThePacketNotTheKernel) {
  // Linux puts skb_headlen() into hdr_len, which may cover payload too.
  const auto h = header({0x01, 0x04, 0xe8, 0x03, 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00});
  auto o = decode(h, tcp4_packet());
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->gso, Gso::tcp6);
  EXPECT_EQ(o->hdr_len, 52);
}

TEST(Vnet, DataValidIsAccepted) {
  auto o = decode(header({0x02, 0x00}), tcp4_packet());
  ASSERT_TRUE(o.has_value());
  EXPECT_FALSE(o->any());
}

TEST(Vnet, RefusesWhatItCannotRepresent) {
  const auto p = tcp4_packet();
  struct Case {
    std::array<std::byte, kHeaderLen> h;
    VnetErrc want;
  };
  const Case cases[] = {
      {header({0x04}), VnetErrc::unknown_flags},
      {header({0x01, 0x02, 0, 0, 0xa8, 0x05, 0x14, 0, 0x10, 0}), VnetErrc::unknown_gso_type},
      {header({0x01, 0x81, 0, 0, 0xa8, 0x05, 0x14, 0, 0x10, 0}), VnetErrc::gso_ecn},
      {header({0x01, 0x03, 0, 0, 0xa8, 0x05, 0x14, 0, 0x10, 0}), VnetErrc::gso_ufo},
      {header({0x01, 0x01, 0, 0, 0x00, 0x00, 0x14, 0, 0x10, 0}), VnetErrc::gso_without_size},
      {header({0x00, 0x01, 0, 0, 0xa8, 0x05}), VnetErrc::gso_without_csum},
      {header({0x01, 0x00, 0, 0, 0, 0, 0xff, 0xff, 0x10, 0}), VnetErrc::csum_out_of_range},
  };
  for (const auto& c : cases) {
    auto o = decode(c.h, p);
    ASSERT_FALSE(o.has_value());
    EXPECT_EQ(o.error(), c.want) << describe(c.want);
  }
  EXPECT_EQ(decode(base::Bytes(header({}).data(), 9), p).error(), VnetErrc::short_header);
  // The TCP header of a GSO packet must be inside the packet.
  const auto tiny = build::Packet(p.begin(), p.begin() + 30);
  EXPECT_EQ(decode(header({0x01, 0x01, 0, 0, 0xa8, 0x05, 0x14, 0, 0x06, 0}), tiny).error(),
            VnetErrc::headers_out_of_range);
}

TEST(Vnet, EncodeRefusesGsoWithoutChecksumOrSize) {
  std::array<std::byte, kHeaderLen> h{};
  EXPECT_EQ(encode(Offload{false, 0, 0, Gso::tcp4, 1000, 40}, h).error(), VnetErrc::gso_without_csum);
  EXPECT_EQ(encode(Offload{true, 20, 16, Gso::tcp4, 0, 40}, h).error(), VnetErrc::gso_without_size);
}

}  // namespace
}  // namespace nextip::io::vnet

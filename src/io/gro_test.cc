// Software GRO: segments cut by gso.h come back together as the same super-packet; the
// rules that keep segments apart (flow, order, flags, size, checksum) each hold.
#include "io/gro.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <random>
#include <vector>

#include "base/checksum.h"
#include "io/gso.h"

namespace nextip::io {
namespace {

using base::Bytes;
using base::MutBytes;

constexpr std::size_t kIp = 40;

// A TCP super-packet in the IPv6 layout (version 8 = ASIP, or 6) with a timestamp
// option, a partial checksum and GSO tcp6 metadata, as a TUN hands it over.
std::vector<std::byte> super_packet(std::size_t payload, unsigned version, base::Offload& off,
                                    std::uint8_t flags = 0x10, std::uint16_t mss = 1440) {
  constexpr std::size_t tcp = 32;
  std::vector<std::byte> p(kIp + tcp + payload);
  p[0] = std::byte(version << 4);
  p[1] = std::byte{0x0a};
  base::store_be16(p.data() + 4, static_cast<std::uint16_t>(tcp + payload));
  p[6] = std::byte{6};
  p[7] = std::byte{64};
  for (std::size_t i = 0; i < 16; ++i) {
    p[8 + i] = std::byte(0x20 + i);
    p[24 + i] = std::byte(0x80 + i);
  }
  std::byte* t = p.data() + kIp;
  base::store_be16(t, 40000);
  base::store_be16(t + 2, 80);
  base::store_be32(t + 4, 0xfffff000u);  // wraps during the packet
  base::store_be32(t + 8, 12345);
  t[12] = std::byte{(tcp / 4) << 4};
  t[13] = std::byte{flags};
  base::store_be16(t + 14, 501);
  const std::uint8_t opt[12] = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
  std::memcpy(t + 20, opt, sizeof opt);
  std::mt19937 rng(7);
  for (std::size_t i = 0; i < payload; ++i) p[kIp + tcp + i] = std::byte(rng());
  const auto pseudo = base::checksum::ipv6_pseudo_header(std::span<const std::byte, 16>(p.data() + 8, 16),
                                                         std::span<const std::byte, 16>(p.data() + 24, 16), 6,
                                                         static_cast<std::uint32_t>(tcp + payload));
  base::store_be16(t + 16, pseudo.fold());
  off = {};
  off.csum_partial = true;
  off.csum_start = kIp;
  off.csum_offset = 16;
  off.gso = base::Gso::tcp6;
  off.gso_size = mss;
  off.hdr_len = kIp + tcp;
  return p;
}

struct Segments {
  std::vector<std::vector<std::byte>> bufs;
  std::vector<std::size_t> sizes;
  std::vector<Bytes> packets;
};

Segments cut(const std::vector<std::byte>& p, const base::Offload& off) {
  Segments s;
  const std::size_t n = segment_count(p, off);
  s.bufs.assign(n, std::vector<std::byte>(2048));
  s.sizes.assign(n, 0);
  std::vector<MutBytes> outs;
  for (auto& b : s.bufs) outs.emplace_back(b);
  auto r = segment(p, off, outs, s.sizes);
  EXPECT_TRUE(r) << (r ? "" : std::string(describe(r.error())));
  for (std::size_t i = 0; i < n; ++i) s.packets.emplace_back(s.bufs[i].data(), s.sizes[i]);
  return s;
}

std::vector<std::byte> finished(Bytes p, base::Offload off) {
  std::vector<std::byte> v(p.begin(), p.end());
  EXPECT_TRUE(finish_checksum(v, off));
  return v;
}

TEST(TcpCoalescer, SegmentsComeBackAsTheSuperPacket) {
  for (unsigned version : {6u, 8u}) {
    for (std::size_t payload : {1441u, 2880u, 10000u, 64000u}) {
      base::Offload off;
      const auto orig = super_packet(payload, version, off);
      const Segments s = cut(orig, off);
      std::array<std::byte, 65535> buf{};
      TcpCoalescer c{MutBytes(buf)};
      ASSERT_TRUE(c.start(s.packets[0]));
      for (std::size_t i = 1; i < s.packets.size(); ++i) ASSERT_TRUE(c.merge(s.packets[i])) << i;
      base::Offload got_off;
      const MutBytes got = c.take(got_off);
      EXPECT_EQ(got_off, off) << payload;
      EXPECT_EQ(finished(got, got_off), finished(orig, off)) << "version " << version << " payload " << payload;
      EXPECT_FALSE(c.pending());
    }
  }
}

TEST(TcpCoalescer, OneSegmentComesBackUntouchedWithoutOffload) {
  base::Offload off;
  const auto orig = super_packet(1000, 8, off);
  const Segments s = cut(orig, off);
  ASSERT_EQ(s.packets.size(), 1u);
  std::array<std::byte, 65535> buf{};
  TcpCoalescer c{MutBytes(buf)};
  ASSERT_TRUE(c.start(s.packets[0]));
  base::Offload got_off;
  const MutBytes got = c.take(got_off);
  EXPECT_FALSE(got_off.any());
  EXPECT_TRUE(std::equal(got.begin(), got.end(), s.packets[0].begin(), s.packets[0].end()));
}

TEST(TcpCoalescer, PaddingAfterThePacketIsCutOff) {
  base::Offload off;
  const auto orig = super_packet(3000, 8, off);
  Segments s = cut(orig, off);
  s.bufs[2].resize(s.sizes[2] + 30);  // the last, short segment with link padding
  std::array<std::byte, 65535> buf{};
  TcpCoalescer c{MutBytes(buf)};
  ASSERT_TRUE(c.start(s.packets[0]));
  ASSERT_TRUE(c.merge(s.packets[1]));
  ASSERT_TRUE(c.merge(Bytes(s.bufs[2].data(), s.sizes[2] + 30)));
  base::Offload got_off;
  EXPECT_EQ(finished(c.take(got_off), got_off), finished(orig, off));
}

TEST(TcpCoalescer, WhatKeepsSegmentsApart) {
  base::Offload off;
  const auto orig = super_packet(1440 * 4, 8, off);
  const Segments s = cut(orig, off);
  std::array<std::byte, 65535> buf{};
  auto fresh = [&] {
    TcpCoalescer c{MutBytes(buf)};
    EXPECT_TRUE(c.start(s.packets[0]));
    return c;
  };
  {  // out of order
    auto c = fresh();
    EXPECT_FALSE(c.merge(s.packets[2]));
  }
  {  // a duplicate
    auto c = fresh();
    EXPECT_FALSE(c.merge(s.packets[0]));
  }
  auto mutate = [&](std::size_t at, std::byte x) {
    std::vector<std::byte> v(s.packets[1].begin(), s.packets[1].end());
    v[at] ^= x;
    return v;
  };
  for (std::size_t at : {std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{39}, kIp + 1, kIp + 3, kIp + 11,
                         kIp + 15, kIp + 25}) {
    auto c = fresh();
    const auto v = mutate(at, std::byte{0x01});
    EXPECT_FALSE(c.merge(v)) << "byte " << at;
  }
  {  // a corrupted payload byte: the checksum fails
    auto c = fresh();
    const auto v = mutate(kIp + 32 + 100, std::byte{0x40});
    EXPECT_FALSE(c.merge(v));
    EXPECT_EQ(c.stats().bad_checksum, 1u);
  }
  {  // FIN, SYN, RST, URG are never coalesced
    for (int fi : {0x11, 0x12, 0x14, 0x30}) {
      base::Offload o2;
      const auto f = static_cast<std::uint8_t>(fi);
      auto p = super_packet(100, 8, o2, f);
      std::vector<std::byte> v = finished(p, o2);
      TcpCoalescer c{MutBytes(buf)};
      EXPECT_FALSE(c.start(v)) << int(f);
    }
  }
  {  // a bare ACK (no data) is not coalesced
    base::Offload o2;
    auto p = super_packet(0, 8, o2);
    o2.gso = base::Gso::none;
    TcpCoalescer c{MutBytes(buf)};
    EXPECT_FALSE(c.start(finished(p, o2)));
  }
}

TEST(TcpCoalescer, ShortOrPshSegmentClosesIt) {
  base::Offload off;
  const auto orig = super_packet(1440 * 2 + 100, 8, off);
  const Segments s = cut(orig, off);
  base::Offload off2;
  const auto next = super_packet(1440 * 2, 8, off2);
  std::array<std::byte, 65535> buf{};
  TcpCoalescer c{MutBytes(buf)};
  ASSERT_TRUE(c.start(s.packets[0]));
  ASSERT_TRUE(c.merge(s.packets[1]));
  ASSERT_TRUE(c.merge(s.packets[2]));  // 100 bytes: closes
  EXPECT_FALSE(c.merge(s.packets[0]));
  EXPECT_EQ(c.segments(), 3u);
}

TEST(TcpCoalescer, NotTcpOrExtensionHeadersAreNotEligible) {
  base::Offload off;
  auto p = super_packet(100, 8, off);
  auto v = finished(p, off);
  std::array<std::byte, 65535> buf{};
  TcpCoalescer c{MutBytes(buf)};
  v[6] = std::byte{17};
  EXPECT_FALSE(c.start(v));
  v[6] = std::byte{0};  // hop-by-hop
  EXPECT_FALSE(c.start(v));
  v[6] = std::byte{6};
  v[0] = std::byte{0x40};
  EXPECT_FALSE(c.start(v));
  EXPECT_FALSE(c.start(Bytes(v.data(), 50)));
}

}  // namespace
}  // namespace nextip::io

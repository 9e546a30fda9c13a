#include "io/gso.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "base/checksum.h"
#include "wire/build/build.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/ipv6.h"

namespace nextip::io {
namespace {

using base::Bytes;
using base::Gso;
using base::MutBytes;
using base::Offload;
using base::u16;
using base::u32;
using base::u8;
namespace checksum = base::checksum;

constexpr u8 kTcp = 6;
constexpr u8 kUdp = 17;

inet::Ipv4Repr v4_header() {
  inet::Ipv4Repr ip;
  ip.src = inet::Ipv4Address(192, 0, 2, 1);
  ip.dst = inet::Ipv4Address(198, 51, 100, 7);
  ip.identification = 0x7700;
  ip.dont_fragment = true;
  return ip;
}

inet::Ipv6Repr v6_header() {
  inet::Ipv6Repr ip;
  ip.src = *inet::Ipv6Address::parse("2001:db8::1");
  ip.dst = *inet::Ipv6Address::parse("2001:db8::2");
  return ip;
}

asip::HeaderRepr asip_header() {
  asip::HeaderRepr ip;
  ip.src = *asip::Address::parse("64496::192.0.2.1");
  ip.dst = *asip::Address::parse("15169::198.51.100.7");
  return ip;
}

// Where the transport header starts: after IPv4's IHL, or after the v6-layout header
// and its extension headers (Hop-by-Hop only, in these tests).
std::size_t l4_offset(Bytes p) {
  const int version = static_cast<u8>(p[0]) >> 4;
  if (version == 4) return std::size_t{static_cast<u8>(p[0]) & 0xfu} * 4;
  std::size_t off = 40;
  u8 nh = static_cast<u8>(p[6]);
  while (nh == 0) {
    nh = static_cast<u8>(p[off]);
    off += (std::size_t{static_cast<u8>(p[off + 1])} + 1) * 8;
  }
  return off;
}

checksum::Sum pseudo(Bytes p, u8 proto, std::size_t length) {
  if ((static_cast<u8>(p[0]) >> 4) == 4) {
    return checksum::ipv4_pseudo_header(base::load_be32(p.data() + 12), base::load_be32(p.data() + 16), proto,
                                        static_cast<u16>(length));
  }
  return checksum::ipv6_pseudo_header(p.subspan<8, 16>(), p.subspan<24, 16>(), proto, static_cast<u32>(length));
}

// Turns a packet with a complete transport checksum into what the kernel hands over
// with CHECKSUM_PARTIAL: the field holds the (uncomplemented) pseudo-header sum.
Offload make_partial(build::Packet& p, u8 proto, Gso gso = Gso::none, u16 gso_size = 0) {
  const std::size_t l4 = l4_offset(p);
  const u16 field = proto == kTcp ? 16 : 6;
  base::store_be16(p.data() + l4 + field, pseudo(p, proto, p.size() - l4).fold());
  return Offload{true, static_cast<u16>(l4), field, gso, gso_size, 0};
}

bool transport_checksum_ok(Bytes seg, u8 proto) {
  const std::size_t l4 = l4_offset(seg);
  checksum::Sum s = pseudo(seg, proto, seg.size() - l4);
  s.add(seg.subspan(l4));
  return checksum::verifies(s);
}

struct Segments {
  std::vector<build::Packet> storage;
  std::vector<MutBytes> out;
  std::vector<std::size_t> sizes;
  explicit Segments(std::size_t n, std::size_t each = 2048) : storage(n, build::Packet(each)), sizes(n) {
    for (auto& s : storage) out.emplace_back(s);
  }
  [[nodiscard]] Bytes get(std::size_t i) const { return Bytes(storage[i].data(), sizes[i]); }
};

// Checks every segment of a TCP super-packet against the original.
void expect_tcp_segments(const build::Packet& original, const Segments& segs, std::size_t n, u16 gso_size) {
  const std::size_t l4 = l4_offset(original);
  const std::size_t hdr = l4 + static_cast<std::size_t>(static_cast<u8>(original[l4 + 12]) >> 4) * 4;
  const u32 seq0 = base::load_be32(original.data() + l4 + 4);
  const u8 flags0 = static_cast<u8>(original[l4 + 13]);
  build::Packet payload;
  for (std::size_t i = 0; i < n; ++i) {
    const Bytes seg = segs.get(i);
    SCOPED_TRACE("segment " + std::to_string(i));
    ASSERT_GE(seg.size(), hdr);
    if ((static_cast<u8>(seg[0]) >> 4) == 4) {
      auto v = inet::Ipv4View<Bytes>::checked(seg);
      ASSERT_TRUE(v.has_value());
      EXPECT_EQ(v->total_length(), seg.size());
      EXPECT_TRUE(inet::Ipv4Repr::parse(*v).has_value()) << "IPv4 header checksum";
      EXPECT_EQ(v->identification(), static_cast<u16>(base::load_be16(original.data() + 4) + i));
    } else {
      EXPECT_EQ(base::load_be16(seg.data() + 4), seg.size() - 40);
      EXPECT_TRUE(std::equal(seg.begin() + 8, seg.begin() + 40, original.begin() + 8));
    }
    EXPECT_TRUE(transport_checksum_ok(seg, kTcp));
    EXPECT_EQ(base::load_be32(seg.data() + l4 + 4), static_cast<u32>(seq0 + i * gso_size));
    const u8 flags = static_cast<u8>(seg[l4 + 13]);
    const bool last = i + 1 == n;
    EXPECT_EQ(flags & 0x09, last ? (flags0 & 0x09) : 0) << "FIN/PSH only on the last";
    EXPECT_EQ(flags & 0x80, i == 0 ? (flags0 & 0x80) : 0) << "CWR only on the first";
    EXPECT_EQ(flags & 0x76, flags0 & 0x76);
    EXPECT_TRUE(std::equal(seg.begin() + static_cast<std::ptrdiff_t>(l4 + 14),
                           seg.begin() + static_cast<std::ptrdiff_t>(l4 + 16),
                           original.begin() + static_cast<std::ptrdiff_t>(l4 + 14)))
        << "window";
    if (!last) {
      EXPECT_EQ(seg.size() - hdr, gso_size);
    }
    payload.insert(payload.end(), seg.begin() + static_cast<std::ptrdiff_t>(hdr), seg.end());
  }
  EXPECT_EQ(payload, build::Packet(original.begin() + static_cast<std::ptrdiff_t>(hdr), original.end()));
}

TEST(FinishChecksum, CompletesTcpAndUdpAsTheBuilderWould) {
  for (u8 proto : {kTcp, kUdp}) {
    build::Upper up = proto == kTcp ? build::Upper(build::Tcp{1, 2, 3, 4, 0x18, 100, {}, build::counting(999)})
                                    : build::Upper(build::Udp{53, 5353, build::counting(777), false});
    for (bool v6 : {false, true}) {
      const build::Packet full = v6 ? build::ipv6(v6_header(), up) : build::ipv4(v4_header(), up);
      build::Packet p = full;
      Offload o = make_partial(p, proto);
      ASSERT_NE(p, full);
      ASSERT_TRUE(finish_checksum(p, o).has_value());
      EXPECT_EQ(p, full) << "proto " << int{proto} << (v6 ? " v6" : " v4");
      EXPECT_FALSE(o.csum_partial);
    }
  }
}

TEST(FinishChecksum, NothingToDoWithoutPartialAndRangeChecked) {
  build::Packet p = build::ipv4(v4_header(), build::Udp{1, 2, build::counting(10), false});
  const build::Packet before = p;
  Offload none;
  ASSERT_TRUE(finish_checksum(p, none).has_value());
  EXPECT_EQ(p, before);
  Offload bad{true, static_cast<u16>(p.size() - 1), 0, Gso::none, 0, 0};
  EXPECT_EQ(finish_checksum(p, bad).error(), GsoErrc::csum_out_of_range);
}

TEST(SegmentTcp, Ipv4ThreeEvenSegments) {
  auto ip = v4_header();
  build::Packet p = build::ipv4(ip, build::Tcp{40000, 443, 0xfffff000, 77, 0x19, 512, {}, build::counting(3000)});
  const build::Packet original = p;
  const Offload o = make_partial(p, kTcp, Gso::tcp4, 1000);
  Segments s(4);
  auto n = segment_tcp(p, o, s.out, s.sizes);
  ASSERT_TRUE(n.has_value()) << describe(n.error());
  ASSERT_EQ(*n, 3u);
  EXPECT_EQ(segment_count(p, o), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(s.sizes[i], 1040u);
  expect_tcp_segments(original, s, 3, 1000);  // the sequence number wraps in segment 1
}

TEST(SegmentTcp, Ipv4WithOptionsAndAShortLastSegment) {
  auto ip = v4_header();
  ip.options_len = 4;
  ip.options[0] = std::byte{1};  // NOP
  ip.options[1] = std::byte{1};
  ip.options[2] = std::byte{1};
  ip.options[3] = std::byte{0};  // EOL
  build::Packet p = build::ipv4(ip, build::Tcp{1, 2, 100, 0, 0x98 /* CWR|ACK|PSH */, 512,
                                               build::bytes_of({2, 4, 5, 0xb4, 1, 1, 1, 1}), build::counting(2500)});
  const build::Packet original = p;
  const Offload o = make_partial(p, kTcp, Gso::tcp4, 1000);
  Segments s(3);
  auto n = segment_tcp(p, o, s.out, s.sizes);
  ASSERT_TRUE(n.has_value()) << describe(n.error());
  ASSERT_EQ(*n, 3u);
  EXPECT_EQ(s.sizes[2], 24u + 28u + 500u);
  expect_tcp_segments(original, s, 3, 1000);
}

TEST(SegmentTcp, Ipv6AsipAndExtensionHeaders) {
  const build::Tcp tcp{5555, 22, 1, 2, 0x11 /* FIN|ACK */, 1000, {}, build::counting(4000, 3)};
  const build::Packet packets[] = {
      build::ipv6(v6_header(), tcp),
      build::asip(asip_header(), tcp),
      build::ipv6(v6_header(), tcp, {build::ext_options(0)}),
  };
  for (const auto& built : packets) {
    build::Packet p = built;
    const Offload o = make_partial(p, kTcp, Gso::tcp6, 1220);
    Segments s(4);
    auto n = segment_tcp(p, o, s.out, s.sizes);
    ASSERT_TRUE(n.has_value()) << describe(n.error());
    ASSERT_EQ(*n, 4u);
    expect_tcp_segments(built, s, 4, 1220);
  }
}

TEST(SegmentTcp, FullChecksumInputAndNoPayload) {
  // Not partial (the transport header follows the IP header), and a bare ACK.
  build::Packet p = build::ipv6(v6_header(), build::Tcp{1, 2, 3, 4, 0x10, 100, {}, {}});
  const Offload o{false, 0, 0, Gso::tcp6, 1000, 0};
  Segments s(1);
  auto n = segment_tcp(p, o, s.out, s.sizes);
  ASSERT_TRUE(n.has_value());
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(s.get(0).size(), p.size());
  EXPECT_TRUE(transport_checksum_ok(s.get(0), kTcp));
}

TEST(SegmentTcp, Errors) {
  build::Packet p = build::ipv4(v4_header(), build::Tcp{1, 2, 3, 4, 0x18, 100, {}, build::counting(3000)});
  Offload o = make_partial(p, kTcp, Gso::tcp4, 1000);
  Segments two(2);
  EXPECT_EQ(segment_tcp(p, o, two.out, two.sizes).error(), GsoErrc::too_many_segments);
  Segments small(3, 1000);
  EXPECT_EQ(segment_tcp(p, o, small.out, small.sizes).error(), GsoErrc::buffer_too_small);
  Segments s(3);
  Offload zero = o;
  zero.gso_size = 0;
  EXPECT_EQ(segment_tcp(p, zero, s.out, s.sizes).error(), GsoErrc::zero_gso_size);
  Offload v6 = o;
  v6.gso = Gso::tcp6;
  EXPECT_EQ(segment_tcp(p, v6, s.out, s.sizes).error(), GsoErrc::bad_ip_header);
  Offload udp = o;
  udp.gso = Gso::udp_l4;
  EXPECT_EQ(segment_tcp(p, udp, s.out, s.sizes).error(), GsoErrc::wrong_protocol);
  build::Packet u = build::ipv4(v4_header(), build::Udp{1, 2, build::counting(3000), false});
  EXPECT_EQ(segment_tcp(u, Offload{false, 0, 0, Gso::tcp4, 1000, 0}, s.out, s.sizes).error(), GsoErrc::wrong_protocol);
  build::Packet cut(p.begin(), p.begin() + 30);
  EXPECT_EQ(segment_tcp(cut, o, s.out, s.sizes).error(), GsoErrc::bad_transport_header);
}

TEST(SegmentUdp, EverySegmentIsACompleteDatagram) {
  for (int version : {4, 6, 8}) {
    const build::Udp udp{4242, 4242, build::counting(3300, 9), false};
    build::Packet p = version == 4   ? build::ipv4(v4_header(), udp)
                      : version == 6 ? build::ipv6(v6_header(), udp)
                                     : build::asip(asip_header(), udp);
    const build::Packet original = p;
    const Offload o = make_partial(p, kUdp, Gso::udp_l4, 1200);
    Segments s(3);
    auto n = segment_udp(p, o, s.out, s.sizes);
    ASSERT_TRUE(n.has_value()) << describe(n.error());
    ASSERT_EQ(*n, 3u);
    const std::size_t l4 = l4_offset(original);
    build::Packet payload;
    for (std::size_t i = 0; i < 3; ++i) {
      const Bytes seg = s.get(i);
      EXPECT_EQ(base::load_be16(seg.data() + l4 + 4), seg.size() - l4);
      EXPECT_TRUE(transport_checksum_ok(seg, kUdp)) << "version " << version << " segment " << i;
      if (version == 4) {
        auto v = inet::Ipv4View<Bytes>::checked(seg);
        ASSERT_TRUE(v.has_value());
        EXPECT_TRUE(inet::Ipv4Repr::parse(*v).has_value());
        EXPECT_EQ(v->identification(), 0x7700 + i);
      } else {
        EXPECT_EQ(base::load_be16(seg.data() + 4), seg.size() - 40);
      }
      payload.insert(payload.end(), seg.begin() + static_cast<std::ptrdiff_t>(l4 + 8), seg.end());
    }
    EXPECT_EQ(s.sizes[2] - l4 - 8, 900u);
    EXPECT_EQ(payload, build::Packet(original.begin() + static_cast<std::ptrdiff_t>(l4 + 8), original.end()));
  }
}

TEST(Segment, WithoutGsoCopiesAndFinishes) {
  const build::Packet full = build::ipv4(v4_header(), build::Udp{1, 2, build::counting(100), false});
  build::Packet p = full;
  const Offload o = make_partial(p, kUdp);
  Segments s(1);
  auto n = segment(p, o, s.out, s.sizes);
  ASSERT_TRUE(n.has_value());
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(build::Packet(s.get(0).begin(), s.get(0).end()), full);
}

// Randomised: any payload size and gso_size, both families, both transports; the
// segments verify and reassemble to the original payload.
TEST(Segment, RandomisedSizes) {
  std::mt19937 rng(20260601);
  for (int round = 0; round < 200; ++round) {
    const bool tcp = rng() % 2 == 0;
    const bool v6 = rng() % 2 == 0;
    const std::size_t payload = rng() % 6000;
    const auto gso_size = static_cast<u16>(1 + rng() % 1500);
    build::Upper up =
        tcp ? build::Upper(build::Tcp{1, 2, static_cast<u32>(rng()), 9, 0x19, 100, {}, build::counting(payload)})
            : build::Upper(build::Udp{3, 4, build::counting(payload), false});
    const build::Packet original = v6 ? build::ipv6(v6_header(), up) : build::ipv4(v4_header(), up);
    build::Packet p = original;
    const Gso g = tcp ? (v6 ? Gso::tcp6 : Gso::tcp4) : Gso::udp_l4;
    const Offload o = make_partial(p, tcp ? kTcp : kUdp, g, gso_size);
    const std::size_t want = payload == 0 ? 1 : (payload + gso_size - 1) / gso_size;
    ASSERT_EQ(segment_count(p, o), want);
    Segments s(want);
    auto n = segment(p, o, s.out, s.sizes);
    ASSERT_TRUE(n.has_value()) << describe(n.error());
    ASSERT_EQ(*n, want);
    if (tcp) {
      expect_tcp_segments(original, s, want, gso_size);
    } else {
      for (std::size_t i = 0; i < want; ++i) EXPECT_TRUE(transport_checksum_ok(s.get(i), kUdp));
    }
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace nextip::io

// The adaptor's decisions: every drop reason (each reached by at least one case below,
// and a refused packet is left untouched), the address policy (carrier.h, HostConfig),
// offload metadata (partial checksums, GSO), counters and names.
#include "engine/host/adaptor.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/host/test_vectors.h"
#include "wire/inet/ipv4.h"

namespace nextip::engine::host {
namespace {

using namespace fixtures;
using base::Gso;
using base::Offload;

inet::Ipv6Address v6(std::string_view s) {
  auto a = inet::Ipv6Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s;
  return a.value_or(inet::Ipv6Address{});
}

// Packets whose addresses are given as IPv6 text (the same bits on both sides).
Packet k6(std::string_view src, std::string_view dst, const bld::Upper& u, const std::vector<bld::Ext>& ext = {}) {
  inet::Ipv6Repr h;
  h.src = v6(src);
  h.dst = v6(dst);
  return bld::ipv6(h, u, ext);
}
Packet a8(std::string_view src, std::string_view dst, const bld::Upper& u, const std::vector<bld::Ext>& ext = {}) {
  asip::HeaderRepr h;
  h.src = asip::Address::from_ipv6(v6(src));
  h.dst = asip::Address::from_ipv6(v6(dst));
  return bld::asip(h, u, ext);
}

constexpr std::string_view kHost = "0:3b41::c000:201";          // 15169::192.0.2.1
constexpr std::string_view kPeer = "0:fbf0:0:7:0:1:c633:6409";  // 64496:0.0.0.7:0.0.0.1:198.51.100.9

const bld::Icmp kEcho{128, 0, 0x00010001, bld::counting(16)};
const bld::Udp kUdp{1000, 2000, bld::counting(12), false};

struct Case {
  std::string name;
  Direction dir = Direction::to_asip;
  Packet packet;
  HostDrop expect = HostDrop::none;
  HostConfig config{};
  Offload off{};
};

HostResult run(HostAdaptor& a, Direction d, Packet& p, Offload& off) {
  return d == Direction::to_asip ? a.kernel_to_asip(p, off) : a.asip_to_kernel(p, off);
}

Packet with_plen(Packet p, std::size_t plen) {
  base::store_be16(p.data() + 4, static_cast<base::u16>(plen));
  return p;
}

Packet with_byte(Packet p, std::size_t at, int value) {
  p[at] = static_cast<std::byte>(value);
  return p;
}

HostConfig owning(std::string_view own, std::string_view peers = "") {
  HostConfig c;
  c.own.push_back(asip::parse_prefix(own).value());
  if (!peers.empty()) c.peers.push_back(asip::parse_prefix(peers).value());
  EXPECT_FALSE(c.validate().has_value());
  return c;
}

// An ICMP error whose quote is `inner`.
Packet error_about(const Packet& inner, u8 type = 1, Direction d = Direction::to_asip) {
  const bld::Icmp e{type, 0, 0, inner};
  return d == Direction::to_asip ? k6(kPeer, kHost, e) : a8(kPeer, kHost, e);
}

std::vector<Case> drop_cases() {
  const Direction in = Direction::to_kernel;
  std::vector<Case> c;
  const Packet udp = k6(kHost, kPeer, kUdp);
  const Packet udp8 = a8(kPeer, kHost, kUdp);
  const Packet echo = k6(kHost, kPeer, kEcho);

  c.push_back({"39 bytes", Direction::to_asip, first(udp, 39), HostDrop::truncated});
  c.push_back({"ASIP into the kernel side", Direction::to_asip, udp8, HostDrop::wrong_version});
  c.push_back({"IPv6 from the ASIP link", in, udp, HostDrop::wrong_version});
  inet::Ipv4Repr v4;
  v4.src = inet::Ipv4Address(0xc0000201);
  v4.dst = inet::Ipv4Address(0xc6336401);
  Packet v4p = bld::ipv4(v4, kUdp);
  v4p.resize(60);
  c.push_back({"IPv4", Direction::to_asip, v4p, HostDrop::wrong_version});
  c.push_back(
      {"payload length + 1", Direction::to_asip, with_plen(udp, udp.size() - 39), HostDrop::payload_beyond_bytes});
  c.push_back({"payload length 0 (kernel BIG TCP)", Direction::to_asip, with_plen(udp, 0), HostDrop::jumbogram});
  // A Hop-by-Hop header with a Jumbo Payload option (type 0xc2, length 4).
  const bld::Ext jumbo{0, bld::bytes_of({0, 0, 0xc2, 4, 0, 1, 0, 0})};
  c.push_back({"Jumbo Payload option", Direction::to_asip, k6(kHost, kPeer, kUdp, {jumbo}), HostDrop::jumbogram});

  c.push_back({"unspecified source", Direction::to_asip, k6("::", kPeer, kUdp), HostDrop::unspecified});
  c.push_back({"loopback destination", Direction::to_asip, k6(kHost, "::1", kUdp), HostDrop::unspecified});
  // MLDv2 report (ICMPv6 143 behind Hop-by-Hop Router Alert) and RS: what Linux sends
  // into every TUN that comes up.
  const bld::Ext router_alert{0, bld::bytes_of({0, 0, 5, 2, 0, 0, 1, 0})};
  c.push_back({"MLDv2 report", Direction::to_asip,
               k6("fe80::1", "ff02::16", bld::Icmp{143, 0, 1, bld::counting(20)}, {router_alert}),
               HostDrop::multicast});
  c.push_back({"router solicitation", Direction::to_asip, k6("fe80::1", "ff02::2", bld::Icmp{133, 0, 0, {}}),
               HostDrop::multicast});
  c.push_back({"multicast source", Direction::to_asip, k6("ff0e::1", kPeer, kUdp), HostDrop::multicast});
  c.push_back(
      {"ASIP multicast 255.255.255.0:0.0.0.14::1", in, a8(kPeer, "ffff:ff00:0:e::1", kUdp), HostDrop::multicast});
  c.push_back({"IPv4-mapped 224.0.0.5", Direction::to_asip, k6(kHost, "::224.0.0.5", kUdp), HostDrop::multicast});
  c.push_back({"IPv4-mapped broadcast", Direction::to_asip, k6(kHost, "::255.255.255.255", kUdp), HostDrop::multicast});
  c.push_back({"link-local echo", Direction::to_asip, k6("fe80::1", "fe80::2", kEcho), HostDrop::v6_link_local});
  c.push_back({"ASIP 254.128.0.1::1 is IPv6 link-local", in, a8("febf::1", kHost, kUdp), HostDrop::v6_link_local});
  c.push_back({"IPv4-mapped IPv6 (r = 0, s != 0)", Direction::to_asip, k6(kHost, "::ffff:192.0.2.1", kUdp),
               HostDrop::reserved_address});
  c.push_back({"r = 0, z != 0", in, a8("::1:0:0:c000:201", kHost, kUdp), HostDrop::reserved_address});
  c.push_back({"251.0.0.1::10.0.0.1 (future use)", Direction::to_asip, k6(kHost, "fb00:1::a00:1", kUdp),
               HostDrop::reserved_address});
  c.push_back({"ULA fc00::/7 = 252/8", Direction::to_asip, k6(kHost, "fd00::1", kUdp), HostDrop::reserved_address});
  c.push_back({"Martian realm 99.0.0.1", Direction::to_asip, k6(kHost, "6300:1::1", kUdp), HostDrop::reserved_address});
  c.push_back(
      {"IPv4-mapped 127.0.0.1", Direction::to_asip, k6(kHost, "::127.0.0.1", kUdp), HostDrop::reserved_address});
  c.push_back(
      {"IPv4-mapped 169.254.1.1", Direction::to_asip, k6(kHost, "::169.254.1.1", kUdp), HostDrop::reserved_address});
  c.push_back({"IPv4-mapped 0.1.2.3", Direction::to_asip, k6(kHost, "::0.1.2.3", kUdp), HostDrop::reserved_address});

  c.push_back(
      {"foreign source", Direction::to_asip, k6(kPeer, kHost, kUdp), HostDrop::source_not_owned, owning("15169::/32")});
  c.push_back(
      {"foreign destination", in, a8(kHost, kPeer, kUdp), HostDrop::destination_not_owned, owning("15169::/32")});
  c.push_back({"peer not listed (out)", Direction::to_asip, k6(kHost, "0:fde8::1", kUdp), HostDrop::peer_not_allowed,
               owning("15169::/32", "64496::/32")});
  c.push_back({"peer not listed (in)", in, a8("0:fde8::1", kHost, kUdp), HostDrop::peer_not_allowed,
               owning("15169::/32", "64496::/32")});

  c.push_back({"Destination Options cut", Direction::to_asip, k6(kHost, kPeer, bld::Raw{60, bld::counting(4)}),
               HostDrop::ext_truncated});
  c.push_back({"AH longer than the payload", in,
               a8(kPeer, kHost, bld::Raw{51, bld::bytes_of({17, 9, 0, 0, 0, 0, 0, 0})}), HostDrop::ext_truncated});
  c.push_back({"Hop-by-Hop second", Direction::to_asip,
               k6(kHost, kPeer, kUdp, {bld::ext_options(60), bld::ext_options(0)}), HostDrop::ext_malformed});
  c.push_back({"two Fragment headers", in,
               a8(kPeer, kHost, kUdp, {bld::ext_fragment(0, false, 1), bld::ext_fragment(0, false, 2)}),
               HostDrop::ext_malformed});
  c.push_back({"9 extension headers", Direction::to_asip,
               k6(kHost, kPeer, kUdp, std::vector<bld::Ext>(9, bld::ext_options(60))), HostDrop::ext_limits});
  c.push_back({"264 bytes of chain", in, a8(kPeer, kHost, kUdp, {bld::ext_options(60, 32)}), HostDrop::ext_limits});
  c.push_back({"first fragment without the TCP header", Direction::to_asip,
               k6(kHost, kPeer, bld::Raw{6, bld::counting(10)}, {bld::ext_fragment(0, true, 5)}),
               HostDrop::ext_incomplete});

  c.push_back({"kernel NH 143 (IPv6 Ethernet)", Direction::to_asip, k6(kHost, kPeer, bld::Raw{143, bld::counting(20)}),
               HostDrop::nh_ambiguous});
  c.push_back({"ASIP NH 58", in, a8(kPeer, kHost, bld::Raw{58, bld::counting(20)}), HostDrop::nh_ambiguous});
  c.push_back({"later fragment of NH 143", Direction::to_asip,
               k6(kHost, kPeer, bld::Raw{143, bld::counting(20)}, {bld::ext_fragment(8, false, 5)}),
               HostDrop::nh_ambiguous});
  c.push_back({"quoted NH 143", Direction::to_asip, error_about(k6(kHost, kPeer, bld::Raw{143, bld::counting(20)})),
               HostDrop::nh_ambiguous});

  c.push_back(
      {"2-byte ICMP", Direction::to_asip, k6(kHost, kPeer, bld::Raw{58, bld::counting(2)}), HostDrop::icmp_truncated});
  c.push_back({"neighbor solicitation to a global address", Direction::to_asip,
               k6(kHost, kPeer, bld::Icmp{135, 0, 0, bld::counting(16)}), HostDrop::link_scoped_icmp});
  c.push_back({"ICMP-ASIP neighbor advertisement", in, a8(kPeer, kHost, bld::Icmp{136, 0, 0, bld::counting(16)}),
               HostDrop::link_scoped_icmp});
  c.push_back(
      {"corrupt echo", Direction::to_asip, with_byte(echo, echo.size() - 1, 0x77), HostDrop::icmp_bad_checksum});
  c.push_back(
      {"corrupt ICMP-ASIP checksum", in, with_byte(a8(kPeer, kHost, kEcho), 43, 0x55), HostDrop::icmp_bad_checksum});
  c.push_back({"fragmented ICMP error", Direction::to_asip,
               k6(kPeer, kHost, bld::Icmp{1, 0, 0, udp}, {bld::ext_fragment(0, true, 3)}),
               HostDrop::icmp_error_fragmented});
  c.push_back({"error about an error", Direction::to_asip, error_about(error_about(udp)), HostDrop::icmp_nested_error});
  c.push_back({"error quoting IPv4", Direction::to_asip, error_about(v4p), HostDrop::inner_wrong_version});
  c.push_back({"kernel error quoting ASIP", Direction::to_asip, error_about(udp8), HostDrop::inner_wrong_version});
  c.push_back({"ASIP error quoting IPv6", in, error_about(udp, 3, in), HostDrop::inner_wrong_version});
  c.push_back({"quote with Hop-by-Hop second", Direction::to_asip,
               error_about(k6(kHost, kPeer, kUdp, {bld::ext_options(60), bld::ext_options(0)})),
               HostDrop::inner_malformed});
  c.push_back({"quote over the §14.12 limits", in,
               error_about(a8(kHost, kPeer, kUdp, std::vector<bld::Ext>(9, bld::ext_options(60))), 1, in),
               HostDrop::inner_malformed});

  c.push_back({"partial checksum in the IP header",
               Direction::to_asip,
               udp,
               HostDrop::offload_malformed,
               {},
               Offload{true, 10, 6, Gso::none, 0, 0}});
  c.push_back({"partial checksum past the end",
               Direction::to_asip,
               udp,
               HostDrop::offload_malformed,
               {},
               Offload{true, 40, static_cast<base::u16>(udp.size() - 41), Gso::none, 0, 0}});
  c.push_back({"tcp4 GSO",
               Direction::to_asip,
               udp,
               HostDrop::offload_malformed,
               {},
               Offload{false, 0, 0, Gso::tcp4, 1000, 48}});
  c.push_back(
      {"tcp6 GSO on UDP", in, udp8, HostDrop::offload_malformed, {}, Offload{false, 0, 0, Gso::tcp6, 1000, 60}});
  c.push_back({"GSO on ICMP",
               Direction::to_asip,
               echo,
               HostDrop::offload_malformed,
               {},
               Offload{false, 0, 0, Gso::udp_l4, 1000, 48}});
  c.push_back({"partial ICMP checksum at the wrong offset",
               Direction::to_asip,
               echo,
               HostDrop::offload_malformed,
               {},
               Offload{true, 40, 6, Gso::none, 0, 0}});
  c.push_back({"partial checksum on ICMP fragment data",
               Direction::to_asip,
               k6(kHost, kPeer, bld::Raw{58, bld::counting(16)}, {bld::ext_fragment(2, false, 5)}),
               HostDrop::offload_malformed,
               {},
               Offload{true, 48, 2, Gso::none, 0, 0}});
  return c;
}

TEST(HostAdaptor, EveryDropReason) {
  std::set<HostDrop> seen;
  for (const Case& k : drop_cases()) {
    SCOPED_TRACE(k.name);
    ASSERT_FALSE(k.config.validate().has_value());
    HostAdaptor a{k.config};
    Packet p = k.packet;
    Offload off = k.off;
    const HostResult r = run(a, k.dir, p, off);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(name(r.reason), name(k.expect));
    EXPECT_EQ(p, k.packet) << "a refused packet is left as it was";
    EXPECT_EQ(off, k.off);
    EXPECT_EQ(a.stats().drops_for(k.expect), 1u);
    EXPECT_EQ(k.dir == Direction::to_asip ? a.stats().dropped_to_asip : a.stats().dropped_to_kernel, 1u);
    EXPECT_EQ(a.stats().to_asip + a.stats().to_kernel, 0u);
    seen.insert(k.expect);
  }
  for (std::size_t i = 1; i < kHostDrops; ++i) {
    EXPECT_TRUE(seen.count(static_cast<HostDrop>(i))) << "no case for " << name(static_cast<HostDrop>(i));
  }
}

// The neighbours of the drop cases, which must pass.
TEST(HostAdaptor, WhatCrosses) {
  struct Pass {
    std::string name;
    Direction dir;
    Packet packet;
    HostConfig config{};
  };
  const Direction in = Direction::to_kernel;
  HostConfig realms;
  realms.allow_reserved_realms = true;
  std::vector<Pass> ok = {
      {"internal zone 127.1.0.0::10.0.0.1", Direction::to_asip, k6(kHost, "7f01::a00:1", kUdp)},
      {"interop DMZ 127.127.0.0", Direction::to_asip, k6(kHost, "7f7f::a00:1", kUdp)},
      {"ASIP link-local 169.254.0.0::192.0.2.1", Direction::to_asip, k6("a9fe::c000:202", "a9fe::c000:201", kEcho)},
      {"mesh 240.0.0.1", in, a8("f000:1::1", kHost, kUdp)},
      {"RINE 100.0.0.1", in, a8("6400:1::1", kHost, kUdp)},
      {"documentation 254.0.0.1::192.168.1.1", Direction::to_asip, k6(kHost, "fe00:1::c0a8:101", kUdp)},
      {"site-local fec0::/10 = documentation 254.192/10", Direction::to_asip, k6(kHost, "fec0::1", kUdp)},
      {"IPv4-mapped 198.51.100.1 (via the translator, §12.7.1)", Direction::to_asip, k6(kHost, "::198.51.100.1", kUdp)},
      {"Martian realm when allowed", Direction::to_asip, k6(kHost, "6300:1::1", kUdp), realms},
      {"exactly 8 extension headers", Direction::to_asip,
       k6(kHost, kPeer, kUdp, std::vector<bld::Ext>(8, bld::ext_options(60)))},
      {"exactly 256 bytes of chain", in, a8(kPeer, kHost, kUdp, {bld::ext_options(60, 31)})},
      {"Hop-by-Hop Router Alert to a unicast peer", Direction::to_asip,
       k6(kHost, kPeer, kUdp, {bld::Ext{0, bld::bytes_of({0, 0, 5, 2, 0, 0, 1, 0})}})},
      {"Mobility header 135 then ICMP", Direction::to_asip, k6(kHost, kPeer, kEcho, {bld::ext_options(135)})},
      {"experimental 253 (opaque upper layer)", Direction::to_asip, k6(kHost, kPeer, bld::Raw{253, bld::counting(9)})},
      {"owned source, listed peer", Direction::to_asip, k6(kHost, kPeer, kUdp), owning("15169::/32", "64496::/32")},
      {"owned destination, listed peer", in, a8(kPeer, kHost, kUdp), owning("15169::/32", "64496::/32")},
      {"error with nothing quoted", Direction::to_asip, error_about({})},
      {"Node Information query (139)", Direction::to_asip, k6(kHost, kPeer, bld::Icmp{139, 0, 0, bld::counting(8)})},
  };
  for (Pass& k : ok) {
    SCOPED_TRACE(k.name);
    HostAdaptor a{k.config};
    Offload off;
    Packet p = k.packet;
    const HostResult r = run(a, k.dir, p, off);
    ASSERT_TRUE(r.ok) << name(r.reason);
    EXPECT_EQ(static_cast<unsigned>(p[0]) >> 4, k.dir == Direction::to_asip ? 8u : 6u);
    HostConfig other = k.config;  // the reverse trip is another host's, with its own prefixes
    other.own.clear();
    other.peers.clear();
    HostAdaptor back{other};
    ASSERT_TRUE(run(back, k.dir == Direction::to_asip ? in : Direction::to_asip, p, off).ok);
    EXPECT_EQ(p, k.packet);
  }
}

TEST(HostAdaptor, LinkScopedIcmpTypes) {
  for (int t = 0; t < 256; ++t) {
    SCOPED_TRACE(t);
    const bool scoped =
        (t >= 130 && t <= 137) || (t >= 141 && t <= 143) || t == 148 || t == 149 || (t >= 151 && t <= 153);
    for (const Direction d : {Direction::to_asip, Direction::to_kernel}) {
      const bld::Icmp m{static_cast<u8>(t), 0, 0, bld::counting(40)};
      Packet p = d == Direction::to_asip ? k6(kHost, kPeer, m) : a8(kPeer, kHost, m);
      HostAdaptor a{HostConfig{}};
      Offload off;
      const HostResult r = run(a, d, p, off);
      if (scoped) {
        EXPECT_EQ(r.reason, HostDrop::link_scoped_icmp);
      } else if (t < 128) {
        // An error whose "quote" (counting bytes 0, 1, …) has version 0.
        EXPECT_EQ(r.reason, HostDrop::inner_wrong_version);
      } else {
        EXPECT_TRUE(r.ok) << name(r.reason);
      }
    }
  }
}

// Link padding after an empty packet, and after a whole one: not part of the packet,
// left as it is; `length` says where the packet ends.
TEST(HostAdaptor, TrailingBytesAreNotThePackets) {
  HostAdaptor a{HostConfig{}};
  Offload off;
  Packet empty = k6(kHost, kPeer, bld::Raw{59, {}});
  empty.resize(46, std::byte{0x3a});
  HostResult r = a.kernel_to_asip(empty, off);
  ASSERT_TRUE(r.ok) << name(r.reason);
  EXPECT_EQ(r.length, 40u);
  EXPECT_EQ(empty[45], std::byte{0x3a});
  Packet echo = k6(kHost, kPeer, kEcho);
  const std::size_t n = echo.size();
  echo.resize(n + 8, std::byte{0x3a});
  r = a.kernel_to_asip(echo, off);
  ASSERT_TRUE(r.ok) << name(r.reason);
  EXPECT_EQ(r.length, n);
  EXPECT_EQ(first(echo, n), a8(kHost, kPeer, kEcho));
  EXPECT_EQ(echo[n], std::byte{0x3a});
}

// Found by host_adaptor_fuzz: a Fragment header that starts in the last byte of the
// packet. Its second byte is past the end and must not be read (ASan catches the read
// in the asan build); the packet is refused as truncated.
TEST(HostAdaptor, FragmentHeaderCutAfterItsFirstByte) {
  HostAdaptor a{HostConfig{}};
  Offload off;
  Packet p = k6(kHost, kPeer, bld::Raw{59, {}});
  p[6] = std::byte{44};
  p.push_back(std::byte{6});
  base::store_be16(p.data() + 4, 1);
  p.shrink_to_fit();
  const Packet before = p;
  const HostResult r = a.kernel_to_asip(p, off);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, HostDrop::ext_truncated) << name(r.reason);
  EXPECT_EQ(p, before);
}

// The kernel's partial checksum: the field holds the pseudo-header sum, not
// complemented; the sum of the bytes from csum_start still has to be added.
Packet make_partial(Packet p, std::size_t start, std::size_t offset, u8 nh) {
  const std::size_t n = p.size() - start;
  const base::checksum::Sum pseudo = base::checksum::ipv6_pseudo_header(
      std::span<const std::byte, 16>(p.data() + 8, 16), std::span<const std::byte, 16>(p.data() + 24, 16), nh,
      static_cast<base::u32>(n));
  base::store_be16(p.data() + start + offset, pseudo.fold());
  return p;
}

// What the NIC (or the kernel's skb_checksum_help) does with a partial checksum.
Packet finish(Packet p, const Offload& off) {
  base::checksum::Sum s;
  s.add(base::Bytes(p.data() + off.csum_start, p.size() - off.csum_start));
  base::store_be16(p.data() + off.csum_start + off.csum_offset, s.finish());
  return p;
}

TEST(HostAdaptor, PartialTransportChecksumPassesThrough) {
  bld::Tcp t;
  t.src_port = 40000;
  t.dst_port = 22;
  t.payload = bld::counting(3000);
  const std::vector<bld::Ext> dst_opts = {bld::ext_options(60)};
  const Packet whole6 = k6(kHost, kPeer, t, dst_opts);
  const Packet whole8 = a8(kHost, kPeer, t, dst_opts);
  const Offload tso{true, 48, 16, Gso::tcp6, 1400, 48 + 20};
  Packet p = make_partial(whole6, 48, 16, 6);
  HostAdaptor a{HostConfig{}};
  Offload off = tso;
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  EXPECT_EQ(off, tso);  // same pseudo-header, same offsets: nothing to change
  EXPECT_EQ(finish(p, off), whole8);
  ASSERT_TRUE(a.asip_to_kernel(p, off).ok);
  EXPECT_EQ(off, tso);
  EXPECT_EQ(finish(p, off), whole6);

  const Offload uso{true, 40, 6, Gso::udp_l4, 1200, 48};
  const bld::Udp big{5000, 5001, bld::counting(5000), false};
  p = make_partial(k6(kHost, kPeer, big), 40, 6, 17);
  off = uso;
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  EXPECT_EQ(off, uso);
  EXPECT_EQ(finish(p, off), a8(kHost, kPeer, big));
  EXPECT_EQ(a.stats().checksums_finished, 0u);
}

TEST(HostAdaptor, PartialIcmpChecksumIsFinishedFirst) {
  HostAdaptor a{HostConfig{}};
  Packet p = make_partial(k6(kHost, kPeer, kEcho), 40, 2, 58);
  Offload off{true, 40, 2, Gso::none, 0, 0};
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  EXPECT_EQ(off, Offload{});
  EXPECT_EQ(p, a8(kHost, kPeer, kEcho));
  expect_checksums(p, 143);
  // From the ASIP link, the same with next header 143 in the pseudo-header.
  p = make_partial(a8(kPeer, kHost, kEcho), 40, 2, 143);
  off = Offload{true, 40, 2, Gso::none, 0, 0};
  ASSERT_TRUE(a.asip_to_kernel(p, off).ok);
  EXPECT_FALSE(off.csum_partial);
  EXPECT_EQ(p, k6(kPeer, kHost, kEcho));
  // An error: finished, then the quote is rewritten with the checksum kept right.
  p = make_partial(error_about(k6(kHost, kPeer, kEcho)), 40, 2, 58);
  off = Offload{true, 40, 2, Gso::none, 0, 0};
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  EXPECT_EQ(p, a8(kPeer, kHost, bld::Icmp{1, 0, 0, a8(kHost, kPeer, kEcho)}));
  EXPECT_EQ(a.stats().checksums_finished, 3u);
  // A partial field that is not the pseudo-header sum gives a checksum that cannot
  // verify: refused, as a wrong checksum would be.
  p = make_partial(k6(kHost, kPeer, kEcho), 40, 2, 143);
  off = Offload{true, 40, 2, Gso::none, 0, 0};
  const Packet wrong_seed = p;
  EXPECT_EQ(a.kernel_to_asip(p, off).reason, HostDrop::icmp_bad_checksum);
  EXPECT_EQ(p, wrong_seed);
  EXPECT_TRUE(off.csum_partial);
}

TEST(HostAdaptor, Counters) {
  HostAdaptor a{owning("15169::/32")};
  Offload off;
  Packet p = k6(kHost, kPeer, kUdp);
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  p = k6(kHost, kPeer, kEcho);
  ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
  p = a8(kPeer, kHost, bld::Icmp{3, 0, 0, a8(kHost, kPeer, kEcho)});
  ASSERT_TRUE(a.asip_to_kernel(p, off).ok);
  p = k6("fe80::1", "ff02::16", kUdp);
  EXPECT_FALSE(a.kernel_to_asip(p, off).ok);
  p = k6(kHost, "ff02::2", kUdp);
  EXPECT_FALSE(a.kernel_to_asip(p, off).ok);
  p = a8(kPeer, kPeer, kUdp);
  EXPECT_FALSE(a.asip_to_kernel(p, off).ok);
  const HostStats& s = a.stats();
  EXPECT_EQ(s.to_asip, 2u);
  EXPECT_EQ(s.to_kernel, 1u);
  EXPECT_EQ(s.icmp_renamed, 2u);
  EXPECT_EQ(s.quoted_rewritten, 1u);
  EXPECT_EQ(s.dropped_to_asip, 2u);
  EXPECT_EQ(s.dropped_to_kernel, 1u);
  EXPECT_EQ(s.dropped(), 3u);
  EXPECT_EQ(s.drops_for(HostDrop::multicast), 2u);
  EXPECT_EQ(s.drops_for(HostDrop::destination_not_owned), 1u);
}

TEST(HostAdaptor, NamesAndDescriptions) {
  std::set<std::string_view> names;
  EXPECT_EQ(name(HostDrop::none), "none");
  for (std::size_t i = 1; i < kHostDrops; ++i) {
    const auto r = static_cast<HostDrop>(i);
    EXPECT_FALSE(name(r).empty());
    EXPECT_NE(name(r), "?");
    EXPECT_GT(describe(r).size(), 10u);
    EXPECT_TRUE(names.insert(name(r)).second) << name(r);
  }
  EXPECT_EQ(name(HostDrop::nh_ambiguous), "nh_ambiguous");
  EXPECT_TRUE(routine(HostDrop::multicast));
  EXPECT_TRUE(routine(HostDrop::v6_link_local));
  EXPECT_TRUE(routine(HostDrop::link_scoped_icmp));
  EXPECT_FALSE(routine(HostDrop::icmp_bad_checksum));
  EXPECT_FALSE(routine(HostDrop::source_not_owned));
}

TEST(HostConfig, Validate) {
  HostConfig c;
  EXPECT_FALSE(c.validate().has_value());
  c.own.push_back(asip::parse_prefix("15169::/32").value());
  c.peers.push_back(asip::parse_prefix("::0.0.0.0/96").value());  // every IPv4 host, via the translator
  EXPECT_FALSE(c.validate().has_value());
  HostConfig mc = c;
  mc.peers.push_back(asip::Prefix::containing(asip::Address::from_ipv6(v6("ff00::")), 8));
  ASSERT_TRUE(mc.validate().has_value());
  EXPECT_NE(mc.validate()->find("multicast"), std::string::npos);
  HostConfig ll = c;
  ll.own.push_back(asip::Prefix::containing(asip::Address::from_ipv6(v6("fe80::")), 64));
  ASSERT_TRUE(ll.validate().has_value());
  EXPECT_NE(ll.validate()->find("link-local"), std::string::npos);
  HostConfig many;
  many.own.assign(HostConfig::kMaxPrefixes + 1, asip::parse_prefix("15169::/32").value());
  EXPECT_TRUE(many.validate().has_value());
}

}  // namespace
}  // namespace nextip::engine::host

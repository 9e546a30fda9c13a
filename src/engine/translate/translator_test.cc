// The translator's behaviour beyond the byte vectors (tests/translate/): ASIP source
// locators (001 §12.7.1-§12.7.3, §14.15), pool4 ownership (§12.2), §14.12 chain limits,
// §12.7.5 fragment IDs, round trips in both modes, the errors the translator sends
// itself and their rate limit, every drop counter, and no allocation per packet.
#include "engine/translate/translator.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "base/checksum.h"
#include "engine/translate/test_alloc.h"
#include "wire/asip/address.h"
#include "wire/build/build.h"

namespace nextip::engine::translate {
namespace {

namespace bld = nextip::build;
using base::u32;
using Packet = bld::Packet;

Instant at(double seconds) {
  return Instant::from_ns(static_cast<std::int64_t>(seconds * 1e9));
}

asip::Address asip_addr(std::string_view s) {
  auto a = asip::Address::parse(s);
  EXPECT_TRUE(a.has_value()) << s;
  return a.value_or(asip::Address{});
}
Ipv4Address v4(std::string_view s) {
  return Ipv4Address::parse(s).value();
}
inet::Ipv6Address v6(std::string_view s) {
  return inet::Ipv6Address::parse(s).value();
}

Config asip_config(std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
  Config c = Config::defaults(Mode::asip);
  EXPECT_TRUE(apply_options(c, "pool4=192.0.2.0/24;own-v4=198.51.100.254;own-v6=15169::198.51.100.254"));
  for (const auto& [k, v] : extra) EXPECT_TRUE(apply_option(c, k, v)) << k;
  EXPECT_TRUE(c.validate());
  return c;
}

Config siit_config(std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
  Config c = Config::defaults(Mode::siit);
  EXPECT_TRUE(apply_options(c, "pool6=64:ff9b::/96;own-v4=198.51.100.254;own-v6=2001:db8::1"));
  for (const auto& [k, v] : extra) EXPECT_TRUE(apply_option(c, k, v)) << k;
  EXPECT_TRUE(c.validate());
  return c;
}

Packet asip_packet(std::string_view src, std::string_view dst, const bld::Upper& upper, u8 hlim = 64,
                   const std::vector<bld::Ext>& ext = {}) {
  asip::HeaderRepr h;
  h.src = asip_addr(src);
  h.dst = asip_addr(dst);
  h.hop_limit = hlim;
  return bld::asip(h, upper, ext);
}

Packet v6_packet(std::string_view src, std::string_view dst, const bld::Upper& upper, u8 hlim = 64,
                 const std::vector<bld::Ext>& ext = {}) {
  inet::Ipv6Repr h;
  h.src = v6(src);
  h.dst = v6(dst);
  h.hop_limit = hlim;
  return bld::ipv6(h, upper, ext);
}

Packet v4_packet(std::string_view src, std::string_view dst, const bld::Upper& upper, u8 ttl = 64, bool df = false) {
  inet::Ipv4Repr h;
  h.src = v4(src);
  h.dst = v4(dst);
  h.ttl = ttl;
  h.dont_fragment = df;
  return bld::ipv4(h, upper);
}

bld::Udp udp(u16 sport, u16 dport, std::size_t n = 16) {
  return bld::Udp{sport, dport, bld::counting(n), false};
}

Packet bytes_of(const Emitted& e) {
  return Packet(e.packet.begin(), e.packet.end());
}

// The 128-bit addresses and fields of a v6-layout output.
u128 src128(const Packet& p) {
  return load_u128(p.data() + 8);
}
u128 dst128(const Packet& p) {
  return load_u128(p.data() + 24);
}
u32 v4src(const Packet& p) {
  return base::load_be32(p.data() + 12);
}
u32 v4dst(const Packet& p) {
  return base::load_be32(p.data() + 16);
}

// Every checksum of a complete, unfragmented output verifies.
void expect_v4_checksums(const Packet& p) {
  ASSERT_GE(p.size(), 20u);
  const std::size_t hl = (static_cast<std::size_t>(p[0]) & 0xf) * 4;
  EXPECT_EQ(base::checksum::internet_checksum(base::Bytes(p.data(), hl)), 0) << "IPv4 header checksum";
  const u8 proto = static_cast<u8>(p[9]);
  const base::Bytes l4(p.data() + hl, p.size() - hl);
  base::checksum::Sum s;
  if (proto != 1) {
    s = base::checksum::ipv4_pseudo_header(v4src(p), v4dst(p), proto, static_cast<u16>(l4.size()));
  }
  EXPECT_TRUE(base::checksum::verifies(s.add(l4))) << "transport checksum, protocol " << int{proto};
}

void expect_v6_checksums(const Packet& p, u8 icmp_nh) {
  ASSERT_GE(p.size(), 40u);
  const u8 nh = static_cast<u8>(p[6]);
  const base::Bytes l4(p.data() + 40, p.size() - 40);
  base::checksum::Sum s = base::checksum::ipv6_pseudo_header(std::span<const std::byte, 16>(p.data() + 8, 16),
                                                             std::span<const std::byte, 16>(p.data() + 24, 16),
                                                             nh == 58 ? icmp_nh : nh, static_cast<u32>(l4.size()));
  EXPECT_TRUE(base::checksum::verifies(s.add(l4))) << "checksum, next header " << int{nh};
}

u128 asip_u(std::string_view s) {
  return asip_addr(s).to_uint();
}

// --- ASIP source locators (001 §12.7.1-§12.7.3) -----------------------------------------

TEST(AsipLocator, ForwardRecordsTheLocatorAndTheReplyGetsItBack) {
  Translator t(asip_config());
  const auto fwd = t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(5000, 53)), at(1));
  ASSERT_EQ(fwd.verdict, Verdict::translated);
  ASSERT_EQ(fwd.packets.size(), 1u);
  const Packet out = bytes_of(fwd.packets[0]);
  EXPECT_EQ(v4src(out), v4("192.0.2.1").value());
  EXPECT_EQ(v4dst(out), v4("198.51.100.1").value());
  expect_v4_checksums(out);

  const auto rep = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(53, 5000)), at(2));
  ASSERT_EQ(rep.verdict, Verdict::translated);
  const Packet back = bytes_of(rep.packets[0]);
  EXPECT_EQ(back[0], std::byte{0x80});  // version 8
  EXPECT_EQ(dst128(back), asip_u("15169::192.0.2.1"));
  EXPECT_EQ(src128(back), asip_u("::198.51.100.1"));
  expect_v6_checksums(back, 143);
  EXPECT_EQ(t.stats().locator_from_flow, 1u);
  EXPECT_EQ(t.stats().locator_missing, 0u);
}

TEST(AsipLocator, WithoutStateTheReplyIsIpv4MappedAndCounted) {
  Translator t(asip_config());
  const auto rep = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(53, 5000)), at(1));
  ASSERT_EQ(rep.verdict, Verdict::translated);
  EXPECT_EQ(dst128(bytes_of(rep.packets[0])), asip_u("::192.0.2.1"));
  EXPECT_EQ(t.stats().locator_missing, 1u);
}

TEST(AsipLocator, StaticMappingAppliesWithoutState) {
  Translator t(asip_config({{"locator", "192.0.2.0/25=0.0.59.65:0.0.0.1:0.0.0.2"}}));
  const auto rep = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(53, 5000)), at(1));
  EXPECT_EQ(dst128(bytes_of(rep.packets[0])), asip_u("0.0.59.65:0.0.0.1:0.0.0.2:192.0.2.1"));
  EXPECT_EQ(t.stats().locator_from_static, 1u);
  // Outside the mapping's prefix (but in pool4): no locator.
  const auto other = t.from_v4(v4_packet("198.51.100.1", "192.0.2.200", udp(53, 5000)), at(1));
  EXPECT_EQ(dst128(bytes_of(other.packets[0])), asip_u("::192.0.2.200"));
}

TEST(AsipLocator, PerFlowStateWinsOverTheStaticMapping) {
  Translator t(asip_config({{"locator", "192.0.2.0/24=64500"}}));
  (void)t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(5000, 53)), at(1));
  const auto rep = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(53, 5000)), at(2));
  EXPECT_EQ(dst128(bytes_of(rep.packets[0])), asip_u("15169::192.0.2.1"));
  // A flow the table has not seen between the same two addresses: the pair's locator.
  const auto other = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(123, 6000)), at(2));
  EXPECT_EQ(dst128(bytes_of(other.packets[0])), asip_u("15169::192.0.2.1"));
  EXPECT_EQ(t.stats().locator_from_pair, 1u);
  // Another host of the prefix: the static mapping.
  const auto third = t.from_v4(v4_packet("198.51.100.1", "192.0.2.7", udp(53, 5000)), at(2));
  EXPECT_EQ(dst128(bytes_of(third.packets[0])), asip_u("64500::192.0.2.7"));
}

TEST(AsipLocator, EchoStateLastsSixtySecondsFromTheLastRequest) {
  Translator t(asip_config());
  const bld::Icmp request{128, 0, (7u << 16) | 1u, bld::counting(8)};
  (void)t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", request), at(0));
  const bld::Icmp reply{0, 0, (7u << 16) | 1u, bld::counting(8)};
  auto r1 = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", reply), at(59));
  EXPECT_EQ(dst128(bytes_of(r1.packets[0])), asip_u("15169::192.0.2.1"));
  // Replies do not extend it (001 §12.7.2: 60 s from the last forward Echo Request).
  auto r2 = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", reply), at(61));
  EXPECT_EQ(dst128(bytes_of(r2.packets[0])), asip_u("::192.0.2.1"));
}

TEST(AsipLocator, TcpStateOutlivesEchoState) {
  Translator t(asip_config());
  const bld::Tcp syn{40000, 443, 1, 0, 0x02, 65535, {}, {}};
  (void)t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", syn), at(0));
  const bld::Tcp ack{443, 40000, 9, 2, 0x12, 65535, {}, {}};
  auto r = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", ack), at(3600));
  EXPECT_EQ(dst128(bytes_of(r.packets[0])), asip_u("15169::192.0.2.1"));
  expect_v6_checksums(bytes_of(r.packets[0]), 143);
}

// §12.7.3: an ICMPv4 error quoting a packet from an ASIP host comes back to that host
// with the inner source rebuilt; without state the §14.15 counter moves.
TEST(AsipLocator, IcmpErrorsGetTheQuotedFlowsLocator) {
  for (const bool with_state : {true, false}) {
    Translator t(asip_config());
    const auto fwd = t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(5000, 53)), at(1));
    const Packet sent = bytes_of(fwd.packets[0]);
    Translator fresh(asip_config());
    Translator& x = with_state ? t : fresh;
    const bld::Icmp unreach{3, 3, 0, Packet(sent.begin(), sent.begin() + 28)};
    const auto err = x.from_v4(v4_packet("198.51.100.1", "192.0.2.1", unreach), at(2));
    ASSERT_EQ(err.verdict, Verdict::translated);
    const Packet e = bytes_of(err.packets[0]);
    const u128 host = with_state ? asip_u("15169::192.0.2.1") : asip_u("::192.0.2.1");
    EXPECT_EQ(static_cast<u8>(e[40]), 1);  // Destination Unreachable
    EXPECT_EQ(static_cast<u8>(e[41]), 4);  // port unreachable (RFC 7915 §4.2)
    EXPECT_EQ(dst128(e), host);
    EXPECT_EQ(load_u128(e.data() + 48 + 8), host);  // the quoted packet's source
    expect_v6_checksums(e, 143);
    EXPECT_EQ(x.stats().icmp_error_no_state, with_state ? 0u : 1u);
  }
}

// --- §12.2 ownership ----------------------------------------------------------------------

TEST(AsipOwnership, DropsWhatItDoesNotOwn) {
  Translator t(asip_config());
  EXPECT_EQ(t.from_v4(v4_packet("198.51.100.1", "203.0.113.9", udp(1, 2)), at(1)).reason, DropReason::not_owned);
  EXPECT_EQ(t.from_v6(asip_packet("15169::203.0.113.9", "::198.51.100.1", udp(1, 2)), at(1)).reason,
            DropReason::source_not_owned);
  EXPECT_EQ(t.from_v6(asip_packet("15169::192.0.2.1", "64496::198.51.100.1", udp(1, 2)), at(1)).reason,
            DropReason::not_ipv4_mapped);
  EXPECT_EQ(t.from_v6(asip_packet("15169::192.0.2.1", "::127.0.0.1", udp(1, 2)), at(1)).reason,
            DropReason::reserved_address);
  const Stats& s = t.stats();
  EXPECT_EQ(s.drops[static_cast<std::size_t>(DropReason::not_owned)], 1u);
  EXPECT_EQ(s.drops[static_cast<std::size_t>(DropReason::source_not_owned)], 1u);
  EXPECT_EQ(s.drops[static_cast<std::size_t>(DropReason::not_ipv4_mapped)], 1u);
  EXPECT_EQ(s.out_v4 + s.out_v6, 0u);
}

TEST(AsipOwnership, Pool4ToPool4Hairpins) {
  Translator t(asip_config({{"locator", "192.0.2.0/24=0.0.59.65"}}));
  const auto r = t.from_v6(asip_packet("15169::192.0.2.1", "::192.0.2.2", udp(5000, 6000)), at(1));
  ASSERT_EQ(r.verdict, Verdict::hairpinned);
  ASSERT_EQ(r.packets.size(), 1u);
  EXPECT_EQ(r.packets[0].side, Side::v6);
  const Packet p = bytes_of(r.packets[0]);
  EXPECT_EQ(src128(p), asip_u("::192.0.2.1"));
  EXPECT_EQ(dst128(p), asip_u("15169::192.0.2.2"));
  EXPECT_EQ(static_cast<u8>(p[7]), 63);  // decremented once
  expect_v6_checksums(p, 143);
  EXPECT_EQ(t.stats().hairpinned, 1u);
}

// --- §14.12 and §12.7.5 -------------------------------------------------------------------

TEST(AsipChain, Section14_12LimitsApplyInAsipModeOnly) {
  std::vector<bld::Ext> nine(9, bld::ext_options(60));
  Translator a(asip_config());
  EXPECT_EQ(a.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(1, 2), 64, nine), at(1)).reason,
            DropReason::ext_limits);
  std::vector<bld::Ext> eight(8, bld::ext_options(60));
  EXPECT_EQ(a.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(1, 2), 64, eight), at(1)).verdict,
            Verdict::translated);
  std::vector<bld::Ext> long_chain(2, bld::ext_options(60, 16));  // 2 x 136 bytes
  EXPECT_EQ(a.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(1, 2), 64, long_chain), at(1)).reason,
            DropReason::ext_limits);
  Translator s(siit_config());
  const auto r = s.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2), 64, nine), at(1));
  EXPECT_EQ(r.verdict, Verdict::translated);
  expect_v4_checksums(bytes_of(r.packets[0]));
}

TEST(AsipFragments, HashedIdsAreStablePerDatagramAndSeparateUpperBits) {
  Translator t(asip_config());
  auto id_of = [&](u32 id32, u16 offset_units, bool more) {
    const auto r = t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", bld::Raw{17, bld::counting(64)}, 64,
                                         {bld::ext_fragment(offset_units, more, id32)}),
                             at(1));
    EXPECT_EQ(r.verdict, Verdict::translated);
    return base::load_be16(r.packets[0].packet.data() + 4);
  };
  EXPECT_EQ(id_of(0x00010005, 0, true), id_of(0x00010005, 8, false));
  int differ = 0;
  for (u32 hi = 1; hi <= 8; ++hi) differ += id_of(hi << 16 | 5, 0, true) != id_of(5, 0, true) ? 1 : 0;
  EXPECT_GE(differ, 7);  // a 16-bit hash: at most a rare collision
}

TEST(AsipFragments, TruncatedIdsAreLimitedPerFlowCount) {
  Translator t(asip_config({{"fragment-id", "truncate"}, {"max-fragmented-flows", "2"}}));
  auto send = [&](u32 id32, double when) {
    return t.from_v6(asip_packet("15169::192.0.2.1", "::198.51.100.1", bld::Raw{17, bld::counting(64)}, 64,
                                 {bld::ext_fragment(8, false, id32)}),
                     at(when));
  };
  EXPECT_EQ(send(0x11110001, 1).verdict, Verdict::translated);
  EXPECT_EQ(base::load_be16(send(0x11110001, 1).packets[0].packet.data() + 4), 0x0001);
  EXPECT_EQ(send(0x22220002, 1).verdict, Verdict::translated);
  EXPECT_EQ(send(0x33330003, 1).reason, DropReason::fragment_flow_limit);
  EXPECT_EQ(send(0x33330003, 40).verdict, Verdict::translated);  // the others aged out (30 s)
}

// --- round trips (property) ----------------------------------------------------------------

TEST(RoundTrip, RandomTransportPacketsComeBackIdenticalExceptHopLimit) {
  std::mt19937 gen(7);
  auto rng = [&gen] { return static_cast<u32>(gen()); };
  for (const Mode mode : {Mode::siit, Mode::asip}) {
    for (const char* prefix : {"2001:db8::/32", "2001:db8:100::/40", "2001:db8:1::/48", "2001:db8:1:200::/56",
                               "2001:db8:1:2::/64", "64:ff9b::/96"}) {
      if (mode == Mode::asip && prefix != std::string_view("64:ff9b::/96")) continue;
      Config c = mode == Mode::asip ? asip_config() : siit_config({{"pool6", prefix}});
      Translator t(std::move(c));
      const auto pool = Rfc6052Prefix::make(inet::parse_ipv6_prefix(prefix).value()).value();
      for (int i = 0; i < 200; ++i) {
        const u32 host = 0xc0000200u | (rng() & 0xff);       // 192.0.2.x
        const u32 remote = 0xc6336400u | (rng() % 250 + 1);  // 198.51.100.x
        const u16 sport = static_cast<u16>(rng());
        const u16 dport = static_cast<u16>(rng());
        const std::size_t n = rng() % 1200;
        bld::Upper up = (i % 3 == 0)   ? bld::Upper(bld::Tcp{sport,
                                                           dport,
                                                           static_cast<u32>(rng()),
                                                           0,
                                                           0x10,
                                                           1000,
                                                           {},
                                                           bld::counting(n, static_cast<unsigned>(i))})
                        : (i % 3 == 1) ? bld::Upper(bld::Udp{sport, dport, bld::counting(n), false})
                                       : bld::Upper(bld::Icmp{128, 0, rng(), bld::counting(n)});
        Packet fwd;
        Packet rev_expect_src;
        if (mode == Mode::asip) {
          fwd =
              asip_packet(asip::Address(15169, 0, 0, host).to_string(), asip::Address(0, 0, 0, remote).to_string(), up);
        } else {
          fwd = v6_packet(inet::Ipv6Address::from_uint(pool.embed(Ipv4Address(host))).to_string(),
                          inet::Ipv6Address::from_uint(pool.embed(Ipv4Address(remote))).to_string(), up);
        }
        const auto o4 = t.from_v6(fwd, at(1));
        ASSERT_EQ(o4.verdict, Verdict::translated) << name(o4.reason);
        Packet p4 = bytes_of(o4.packets[0]);
        expect_v4_checksums(p4);
        // Mirror it (swap addresses and ports, echo request -> reply) and send it back.
        const std::size_t hl = 20;
        std::swap_ranges(p4.begin() + 12, p4.begin() + 16, p4.begin() + 16);
        if (p4[9] == std::byte{1}) {
          p4[hl] = std::byte{0};
          base::store_be16(p4.data() + hl + 2, 0);
          base::store_be16(p4.data() + hl + 2, base::checksum::internet_checksum(base::Bytes(p4).subspan(hl)));
        } else {
          std::swap_ranges(p4.begin() + hl, p4.begin() + hl + 2, p4.begin() + hl + 2);
        }
        p4[10] = p4[11] = std::byte{0};
        base::store_be16(p4.data() + 10, base::checksum::internet_checksum(base::Bytes(p4.data(), 20)));
        const auto o6 = t.from_v4(p4, at(2));
        ASSERT_EQ(o6.verdict, Verdict::translated) << name(o6.reason);
        const Packet back = bytes_of(o6.packets[0]);
        ASSERT_EQ(back.size(), fwd.size());
        EXPECT_EQ(src128(back), dst128(fwd));
        EXPECT_EQ(dst128(back), src128(fwd));  // in ASIP mode: the locator is back
        EXPECT_EQ(static_cast<u8>(back[7]), 62);
        expect_v6_checksums(back, mode == Mode::asip ? 143 : 58);
        // The payload after the transport header is untouched.
        const std::size_t l4h = std::holds_alternative<bld::Tcp>(up) ? 20 : 8;
        EXPECT_TRUE(std::equal(back.begin() + 40 + static_cast<std::ptrdiff_t>(l4h), back.end(),
                               fwd.begin() + 40 + static_cast<std::ptrdiff_t>(l4h)));
      }
    }
  }
}

// --- errors the translator sends itself ----------------------------------------------------

TEST(OwnErrors, TimeExceededBothWaysAndNeverAboutAnError) {
  Translator t(siit_config());
  const auto r6 = t.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2), 1), at(1));
  ASSERT_EQ(r6.verdict, Verdict::icmp_error);
  EXPECT_EQ(r6.reason, DropReason::ttl_expired);
  const Packet e6 = bytes_of(r6.packets[0]);
  EXPECT_EQ(r6.packets[0].side, Side::v6);
  EXPECT_EQ(static_cast<u8>(e6[40]), 3);
  EXPECT_EQ(src128(e6), v6("2001:db8::1").to_uint());
  EXPECT_EQ(dst128(e6), v6("64:ff9b::c000:201").to_uint());
  EXPECT_EQ(static_cast<u8>(e6[7]), 64);
  expect_v6_checksums(e6, 58);

  const auto r4 = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", udp(1, 2), 1), at(1));
  ASSERT_EQ(r4.verdict, Verdict::icmp_error);
  const Packet e4 = bytes_of(r4.packets[0]);
  EXPECT_EQ(static_cast<u8>(e4[20]), 11);
  EXPECT_EQ(v4src(e4), v4("198.51.100.254").value());
  expect_v4_checksums(e4);

  // An ICMP error with TTL 1 is dropped, not answered (RFC 1812 §4.3.2.7).
  const Packet quoted(e4.begin(), e4.begin() + 28);
  const auto r = t.from_v4(v4_packet("198.51.100.1", "192.0.2.1", bld::Icmp{3, 1, 0, quoted}, 1), at(1));
  EXPECT_EQ(r.verdict, Verdict::dropped);
  EXPECT_EQ(r.reason, DropReason::ttl_expired);
}

TEST(OwnErrors, DecrementOffKeepsTheHopLimit) {
  Translator t(siit_config({{"decrement-ttl", "0"}}));
  const auto r = t.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2), 1), at(1));
  ASSERT_EQ(r.verdict, Verdict::translated);
  EXPECT_EQ(static_cast<u8>(r.packets[0].packet[8]), 1);
}

TEST(OwnErrors, SourceRouteAndSegmentsLeft) {
  Translator t(siit_config());
  inet::Ipv4Repr h;
  h.src = v4("198.51.100.1");
  h.dst = v4("192.0.2.1");
  const u8 lsrr[] = {131, 7, 4, 192, 0, 2, 9, 1};  // pointer 4 <= length 7: unexpired, then NOP
  std::memcpy(h.options.data(), lsrr, sizeof lsrr);
  h.options_len = 8;
  const auto r = t.from_v4(bld::ipv4(h, udp(1, 2)), at(1));
  EXPECT_EQ(r.reason, DropReason::source_route);
  ASSERT_EQ(r.verdict, Verdict::icmp_error);
  EXPECT_EQ(static_cast<u8>(r.packets[0].packet[21]), 5);

  bld::Ext rh = bld::ext_options(43);
  rh.bytes[3] = std::byte{2};  // Segments Left
  const auto s = t.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2), 64, {rh}), at(1));
  ASSERT_EQ(s.verdict, Verdict::icmp_error);
  EXPECT_EQ(s.reason, DropReason::segments_left);
  const Packet e = bytes_of(s.packets[0]);
  EXPECT_EQ(static_cast<u8>(e[40]), 4);
  EXPECT_EQ(base::load_be32(e.data() + 44), 43u);  // 40 + 0 + 3: the Segments Left byte
}

TEST(OwnErrors, RateLimitedByTokenBucket) {
  Translator t(siit_config({{"icmp-errors-per-second", "1"}, {"icmp-error-burst", "3"}}));
  const Packet p = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2), 1);
  int sent = 0;
  for (int i = 0; i < 5; ++i) sent += t.from_v6(p, at(1)).verdict == Verdict::icmp_error ? 1 : 0;
  EXPECT_EQ(sent, 3);
  EXPECT_EQ(t.stats().icmp_suppressed, 2u);
  EXPECT_EQ(t.from_v6(p, at(2.5)).verdict, Verdict::icmp_error);
  Translator never(siit_config({{"icmp-errors", "never"}}));
  EXPECT_EQ(never.from_v6(p, at(1)).verdict, Verdict::dropped);
}

TEST(OwnErrors, PacketTooBigAddsTwentyOrTwentyEight) {
  Translator s(siit_config({{"mtu.translator.v4", "1400"}}));
  const Packet big = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2, 1400));
  const auto r = s.from_v6(big, at(1));
  ASSERT_EQ(r.verdict, Verdict::icmp_error);
  EXPECT_EQ(base::load_be32(r.packets[0].packet.data() + 44), 1420u);
  Translator a(asip_config({{"mtu.translator.v4", "1400"}}));
  const Packet frag = asip_packet("15169::192.0.2.1", "::198.51.100.1", bld::Raw{17, bld::counting(1400)}, 64,
                                  {bld::ext_fragment(0, true, 9)});
  const auto f = a.from_v6(frag, at(1));
  ASSERT_EQ(f.verdict, Verdict::icmp_error);
  EXPECT_EQ(base::load_be32(f.packets[0].packet.data() + 44), 1428u);  // 001 §12.7.6
}

// --- offload metadata (a TUN's virtio header) ------------------------------------------

// The partial checksum of a TCP segment as a kernel leaves it: the field holds the
// pseudo-header sum, not complemented; completing it means summing from csum_start.
u16 complete(const Packet& p, std::size_t start) {
  base::checksum::Sum s;
  return s.add(base::Bytes(p.data() + start, p.size() - start)).finish();
}

TEST(Offload, PartialChecksumStaysPartialWithTheNewPseudoHeader) {
  for (const Mode mode : {Mode::siit, Mode::asip}) {
    Translator t(mode == Mode::asip ? asip_config() : siit_config());
    const bld::Tcp seg{40000, 443, 7, 9, 0x18, 1000, {}, bld::counting(300)};
    Packet in = mode == Mode::asip ? asip_packet("15169::192.0.2.1", "::198.51.100.1", seg)
                                   : v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", seg);
    const u16 full = base::load_be16(in.data() + 56);
    // Turn the full checksum into the partial one: the pseudo-header sum alone.
    base::store_be16(in.data() + 56, 0);
    const base::checksum::Sum pseudo = base::checksum::ipv6_pseudo_header(
        std::span<const std::byte, 16>(in.data() + 8, 16), std::span<const std::byte, 16>(in.data() + 24, 16), 6,
        static_cast<u32>(in.size() - 40));
    base::store_be16(in.data() + 56, pseudo.fold());
    ASSERT_EQ(complete(in, 40), full);
    base::Offload off;
    off.csum_partial = true;
    off.csum_start = 40;
    off.csum_offset = 16;
    const auto r = t.from_v6(in, at(1), off);
    ASSERT_EQ(r.verdict, Verdict::translated) << name(r.reason);
    const Emitted& e = r.packets[0];
    EXPECT_TRUE(e.offload.csum_partial);
    EXPECT_EQ(e.offload.csum_start, 20);
    EXPECT_EQ(e.offload.csum_offset, 16);
    Packet out = bytes_of(e);
    base::store_be16(out.data() + 36, complete(out, 20));
    expect_v4_checksums(out);

    // And back: the partial field moves to the 128-bit side's pseudo-header.
    Packet back4 = bytes_of(e);
    std::swap_ranges(back4.begin() + 12, back4.begin() + 16, back4.begin() + 16);
    std::swap_ranges(back4.begin() + 20, back4.begin() + 22, back4.begin() + 22);
    back4[10] = back4[11] = std::byte{0};
    base::store_be16(back4.data() + 10, base::checksum::internet_checksum(base::Bytes(back4.data(), 20)));
    base::Offload off4 = e.offload;
    const auto r2 = t.from_v4(back4, at(2), off4);
    ASSERT_EQ(r2.verdict, Verdict::translated) << name(r2.reason);
    Packet out6 = bytes_of(r2.packets[0]);
    EXPECT_EQ(r2.packets[0].offload.csum_start, 40);
    base::store_be16(out6.data() + 56, complete(out6, 40));
    expect_v6_checksums(out6, mode == Mode::asip ? 143 : 58);
  }
}

TEST(Offload, GsoSuperPacketsAreCheckedPerSegmentAndKeepTheirKind) {
  Translator t(siit_config());
  const bld::Tcp seg{40000, 443, 7, 9, 0x10, 1000, {}, bld::counting(6000)};
  const Packet in = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", seg);
  base::Offload off;
  off.gso = base::Gso::tcp6;
  off.gso_size = 1400;
  off.hdr_len = 60;
  const auto r = t.from_v6(in, at(1), off);
  ASSERT_EQ(r.verdict, Verdict::translated) << name(r.reason);
  ASSERT_EQ(r.packets.size(), 1u);
  EXPECT_EQ(r.packets[0].offload.gso, base::Gso::tcp4);
  EXPECT_EQ(r.packets[0].offload.hdr_len, 40);
  EXPECT_EQ(r.packets[0].offload.gso_size, 1400);
  EXPECT_NE(base::load_be16(r.packets[0].packet.data() + 6) & 0x4000, 0);  // DF: 1440-byte segments
  // Segments too big for the IPv4 link: Packet Too Big, as for one packet of that size.
  off.gso_size = 1461;
  const auto big = t.from_v6(in, at(1), off);
  EXPECT_EQ(big.verdict, Verdict::icmp_error);
  EXPECT_EQ(big.reason, DropReason::too_big);
  // GSO on ICMP, or of the wrong family: refused.
  base::Offload bad;
  bad.gso = base::Gso::tcp4;
  bad.gso_size = 1000;
  bad.hdr_len = 60;
  EXPECT_EQ(t.from_v6(in, at(1), bad).reason, DropReason::offload_unsupported);
  base::Offload icmp;
  icmp.csum_partial = true;
  icmp.csum_start = 40;
  icmp.csum_offset = 2;
  const Packet ping = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", bld::Icmp{128, 0, 1, bld::counting(8)});
  EXPECT_EQ(t.from_v6(ping, at(1), icmp).reason, DropReason::offload_unsupported);
}

// --- malformed input: a reason and a counter each, never a crash -------------------------

TEST(Malformed, EachKindHasItsReason) {
  Translator t(siit_config());
  Packet good4 = v4_packet("198.51.100.1", "192.0.2.1", udp(1, 2));
  EXPECT_EQ(t.from_v4(Packet(good4.begin(), good4.begin() + 19), at(1)).reason, DropReason::v4_malformed);
  Packet bad = good4;
  bad[10] ^= std::byte{1};
  EXPECT_EQ(t.from_v4(bad, at(1)).reason, DropReason::v4_bad_checksum);
  Packet good6 = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2));
  Packet wrong = good6;
  wrong[0] = std::byte{0x80};
  EXPECT_EQ(t.from_v6(wrong, at(1)).reason, DropReason::wrong_version);
  EXPECT_EQ(t.from_v6(Packet(good6.begin(), good6.end() - 1), at(1)).reason, DropReason::v6_malformed);
  Packet icmp = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", bld::Icmp{128, 0, 1, bld::counting(4)});
  icmp.back() ^= std::byte{0xff};
  EXPECT_EQ(t.from_v6(icmp, at(1)).reason, DropReason::icmp_bad_checksum);
  EXPECT_EQ(
      t.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", bld::Icmp{135, 0, 0, bld::counting(16)}), at(1))
          .reason,
      DropReason::icmp_untranslatable);
  EXPECT_EQ(
      t.from_v6(v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", bld::Raw{6, bld::counting(10)}), at(1)).reason,
      DropReason::l4_truncated);
  EXPECT_EQ(t.from_v6(v6_packet("2001:db8::9", "64:ff9b::c633:6401", udp(1, 2)), at(1)).reason,
            DropReason::src_untranslatable);
  EXPECT_EQ(t.from_v6(v6_packet("64:ff9b::c000:201", "2001:db8::9", udp(1, 2)), at(1)).reason,
            DropReason::dst_untranslatable);
  EXPECT_EQ(t.stats().dropped(), 9u);
  EXPECT_EQ(t.stats().out_v4 + t.stats().out_v6, 0u);
}

TEST(Malformed, AnyPrefixOfAnyVectorIsSafe) {
  // Every truncation of a few packets of each kind: some reason, never a crash (the
  // fuzz targets do the same with arbitrary bytes).
  Translator a(asip_config());
  Translator s(siit_config());
  const Packet v4udp = v4_packet("198.51.100.1", "192.0.2.1", udp(1, 2, 40));
  const Packet err = v4_packet("198.51.100.1", "192.0.2.1", bld::Icmp{3, 1, 0, Packet(v4udp.begin(), v4udp.end())});
  const Packet a6 = asip_packet("15169::192.0.2.1", "::198.51.100.1", udp(1, 2, 40), 64, {bld::ext_options(0)});
  for (const Packet* p : {&v4udp, &err}) {
    for (std::size_t n = 0; n <= p->size(); ++n) {
      (void)a.from_v4(base::Bytes(p->data(), n), at(1));
      (void)s.from_v4(base::Bytes(p->data(), n), at(1));
    }
  }
  for (std::size_t n = 0; n <= a6.size(); ++n) (void)a.from_v6(base::Bytes(a6.data(), n), at(1));
  EXPECT_GT(a.stats().dropped(), 0u);
}

// --- no allocation per packet ----------------------------------------------------------

TEST(Steady, NoAllocationAfterConstruction) {
  Translator a(asip_config({{"locator", "192.0.2.0/24=15169"}}));
  Translator s(siit_config({{"mtu.translator.v6", "1280"}}));
  std::vector<Packet> six;
  std::vector<Packet> four;
  for (int i = 0; i < 64; ++i) {
    const auto host = asip::Address(15169, 0, 0, 0xc0000200u | static_cast<u32>(i)).to_string();
    six.push_back(asip_packet(host, "::198.51.100.1", udp(static_cast<u16>(1000 + i), 53, 100)));
    four.push_back(v4_packet("198.51.100.1", "192.0.2." + std::to_string(i), udp(53, static_cast<u16>(1000 + i))));
  }
  const Packet big4 = v4_packet("198.51.100.1", "192.0.2.1", udp(1, 2, 3000));  // fragmented (DF clear)
  const Packet ttl1 = v4_packet("198.51.100.1", "192.0.2.1", udp(1, 2), 1);     // an error back
  const Packet s6 = v6_packet("64:ff9b::c000:201", "64:ff9b::c633:6401", udp(1, 2, 100));
  const std::size_t before = testing::allocation_count();
  std::size_t outputs = 0;
  for (int round = 0; round < 200; ++round) {
    for (std::size_t i = 0; i < six.size(); ++i) {
      outputs += a.from_v6(six[i], at(round)).packets.size();
      outputs += a.from_v4(four[i], at(round)).packets.size();
    }
    outputs += s.from_v4(big4, at(round)).packets.size();
    outputs += s.from_v4(ttl1, at(round)).packets.size();
    outputs += s.from_v6(s6, at(round)).packets.size();
  }
  EXPECT_EQ(testing::allocation_count() - before, 0u);
  EXPECT_GT(outputs, 200u * 128u);
}

}  // namespace
}  // namespace nextip::engine::translate

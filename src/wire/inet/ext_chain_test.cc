// The IPv6 extension-header chain (RFC 8200 §4) with the 001 §14.12 bounds, the IPv6
// header (v6_layout.h) and ICMPv6 (icmp6_layout.h), from fixed vectors checksummed
// independently; truncation sweeps, every refusal rule, randomized round trips.
#include "wire/inet/ext_chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "wire/inet/ipv6.h"

namespace nextip::inet {
namespace {

using Buf = std::vector<std::byte>;
using base::checksum::Sum;

Buf hex(std::string_view h) {
  Buf out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::byte>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}
Bytes bs(const Buf& b, std::size_t n) {
  return Bytes(b.data(), n);
}
Bytes bs(const Buf& b) {
  return Bytes(b.data(), b.size());
}
Buf slice(const Buf& b, std::size_t from, std::size_t n) {
  return Buf(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(from + n));
}
Buf cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s += p;
  return hex(s);
}
// Code and field only.
template <class T>
std::string what(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field);
}
template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}
std::string expect(WireErrc c, std::string_view field) {
  return std::string(base::code_name(c)) + " " + std::string(field);
}
Sum v6_pseudo(const Buf& src16, const Buf& dst16, u8 nh, u32 len) {
  Buf p = src16;
  p.insert(p.end(), dst16.begin(), dst16.end());
  for (int s = 24; s >= 0; s -= 8) p.push_back(static_cast<std::byte>((len >> s) & 0xff));
  p.insert(p.end(), {std::byte{0}, std::byte{0}, std::byte{0}, static_cast<std::byte>(nh)});
  u64 s = 0;
  for (std::size_t i = 0; i < p.size(); i += 2) s += (static_cast<u64>(p[i]) << 8) | static_cast<u64>(p[i + 1]);
  return Sum(s);
}
Ipv6Address a6(std::string_view s) {
  return Ipv6Address::parse(s).value();
}

// Every length in [from, to): `f(n)` gives {got, want}; the mismatches, compactly.
template <class F>
std::string sweep(std::size_t from, std::size_t to, F f) {
  std::string out;
  int bad = 0;
  for (std::size_t n = from; n < to; ++n) {
    const auto [got, want] = f(n);
    if (got == want) continue;
    if (++bad <= 3) out += "len " + std::to_string(n) + ": got " + got + ", want " + want + "; ";
  }
  if (bad > 3) out += "(" + std::to_string(bad) + " lengths in all)";
  return out;
}

WireResult<ExtChain> walk(u8 nh, const Buf& payload, ExtChainLimits lim = {}) {
  return walk_ext_chain(nh, bs(payload), lim, kIpv6ExtNames, 40);
}
WireResult<ExtChain> walk(u8 nh, const Buf& payload, std::size_t n, ExtChainLimits lim = {}) {
  return walk_ext_chain(nh, bs(payload, n), lim, kIpv6ExtNames, 40);
}

// Hop-by-Hop -> Destination Options -> Routing (24 bytes) -> Fragment (first, M=1,
// id 0x12345678) -> UDP 5353 -> 53 with 4 payload bytes. Offsets 0, 8, 16, 40, 48.
const Buf kChain = cat({"3c00010400000000", "2b00010400000000", "2c02fd0100000000", "20010db8000000000000000000000099",
                        "1100000112345678", "14e90035000c0000", "61626364"});
constexpr std::string_view kDst8 = "00010400000000";  // a Destination Options body after its Next Header

// IPv6 UDP 2001:db8::1 -> 2001:db8::2, traffic class 0xb8, flow 0x12345, UDP 5353 -> 53 "ipv6".
const Buf kIpv6Udp =
    hex("6b812345000c114020010db800000000000000000000000120010db800000000000000000000000214e90035000caf9c69707636");
// ICMPv6 Echo Request id 0x4242 seq 1 "ping6", 2001:db8::1 -> 2001:db8::2.
const Buf kIcmpv6Echo =
    hex("60000000000d3a4020010db800000000000000000000000120010db80000000000000000000000028000cd2e4242000170696e6736");
// ICMPv6 Neighbor Solicitation for 2001:db8::2 with a Source Link-Layer Address option,
// 2001:db8::1 -> ff02::1:ff00:2, hop limit 255.
const Buf kIcmpv6Ns = hex(
    "6000000000203aff20010db8000000000000000000000001ff0200000000000000000001ff00000287006b260000000020010db80000000000"
    "00000000000002010102005e005301");

TEST(Ipv6Header, DeconstructVector) {
  auto v = Ipv6View<Bytes>::checked(bs(kIpv6Udp));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->version(), 6);
  EXPECT_EQ(v->traffic_class(), 0xb8);
  EXPECT_EQ(v->flow_label(), 0x12345u);
  EXPECT_EQ(v->payload_length(), 12);
  EXPECT_EQ(v->next_header(), 17);
  EXPECT_EQ(v->hop_limit(), 64);
  EXPECT_EQ(v->src(), a6("2001:db8::1"));
  EXPECT_EQ(v->dst(), a6("2001:db8::2"));
  EXPECT_EQ(v->header().size(), 40u);
  EXPECT_EQ(v->payload().size(), 12u);
  // The UDP checksum verifies over the RFC 8200 §8.1 pseudo-header.
  Sum s = v->pseudo_header(17, 12);
  EXPECT_TRUE(base::checksum::verifies(s.add(v->payload())));
  Sum t = v6_pseudo(slice(kIpv6Udp, 8, 16), slice(kIpv6Udp, 24, 16), 17, 12);
  EXPECT_TRUE(base::checksum::verifies(t.add(v->payload())));
}

TEST(Ipv6Header, ReprEmitWritesExactlyTheVectorHeader) {
  auto v = Ipv6View<Bytes>::checked(bs(kIpv6Udp));
  ASSERT_TRUE(v);
  auto r = Ipv6Repr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->traffic_class, 0xb8);
  EXPECT_EQ(r->flow_label, 0x12345u);
  EXPECT_EQ(r->payload_len, 12);
  EXPECT_EQ(r->next_header, 17);
  EXPECT_EQ(r->hop_limit, 64);
  EXPECT_EQ(r->buffer_len(), 52u);
  EXPECT_EQ(Ipv6Repr::header_len(), 40u);
  const Ipv6Repr f{0xb8, 0x12345, 12, 17, 64, a6("2001:db8::1"), a6("2001:db8::2")};
  EXPECT_EQ(*r, f);
  Buf out(44, std::byte{0x11});
  f.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 40), slice(kIpv6Udp, 0, 40));
  EXPECT_EQ(out[40], std::byte{0x11});
  Sum s = f.pseudo_header(17, 12);
  EXPECT_TRUE(base::checksum::verifies(s.add(bs(slice(kIpv6Udp, 40, 12)))));
}

TEST(Ipv6Header, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "ipv6.version", 0}, {4, "ipv6.flow", 1}, {6, "ipv6.plen", 4},  {7, "ipv6.nxt", 6},
                     {8, "ipv6.hlim", 7},    {24, "ipv6.src", 8}, {40, "ipv6.dst", 24}, {52, "ipv6.payload", 40}};
  for (std::size_t n = 0; n < kIpv6Udp.size(); ++n) {
    const Bound* b = std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
    EXPECT_EQ(err(Ipv6View<Bytes>::checked(bs(kIpv6Udp, n))), expect(WireErrc::truncated, b->field, b->offset)) << n;
  }
}

TEST(Ipv6Header, WrongVersionAndLongPayloadLength) {
  for (int ver : {4, 0, 8, 15}) {
    Buf b = kIpv6Udp;
    b[0] = static_cast<std::byte>((ver << 4) | (static_cast<int>(b[0]) & 0xf));
    EXPECT_EQ(err(Ipv6View<Bytes>::checked(bs(b))), expect(WireErrc::bad_version, "ipv6.version", 0)) << ver;
  }
  Buf b = kIpv6Udp;
  b[5] = std::byte{13};
  EXPECT_EQ(err(Ipv6View<Bytes>::checked(bs(b))), expect(WireErrc::truncated, "ipv6.payload", 40));
  Buf padded = kIpv6Udp;
  padded.insert(padded.end(), 6, std::byte{0});
  auto v = Ipv6View<Bytes>::checked(bs(padded));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->size(), 52u);
}

TEST(Ipv6Header, RandomizedReprRoundTrip) {
  std::mt19937_64 rng(8200);
  for (int i = 0; i < 3000; ++i) {
    Ipv6Repr r;
    r.traffic_class = static_cast<u8>(rng());
    r.flow_label = static_cast<u32>(rng() & 0xfffff);
    r.payload_len = static_cast<u16>(rng() % 50);
    r.next_header = static_cast<u8>(rng());
    r.hop_limit = static_cast<u8>(rng());
    r.src = Ipv6Address::from_uint((base::u128{rng()} << 64) | rng());
    r.dst = Ipv6Address::from_uint((base::u128{rng()} << 64) | rng());
    Buf b(r.buffer_len());
    r.emit(MutBytes(b.data(), b.size()));
    auto v = Ipv6View<Bytes>::checked(bs(b));
    ASSERT_TRUE(v);
    auto p = Ipv6Repr::parse(*v);
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, r);
  }
}

TEST(ExtChain, NoExtensionHeaders) {
  auto c = walk(17, slice(kIpv6Udp, 40, 12));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper_protocol, 17);
  EXPECT_EQ(c->upper_offset, 0u);
  EXPECT_EQ(c->count, 0);
  EXPECT_EQ(c->chain_bytes, 0u);
  EXPECT_FALSE(c->fragment);
  EXPECT_FALSE(c->has_ah);
  EXPECT_FALSE(c->encrypted);
  EXPECT_FALSE(c->later_fragment());
}

TEST(ExtChain, FullChainIsDescribed) {
  auto c = walk(0, kChain);
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->count, 4);
  EXPECT_EQ(c->chain_bytes, 48u);
  EXPECT_EQ(c->upper_protocol, 17);
  EXPECT_EQ(c->upper_offset, 48u);
  const u8 types[] = {0, 60, 43, 44};
  const u16 offs[] = {0, 8, 16, 40};
  const u16 lens[] = {8, 8, 24, 8};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(c->headers[i].type, types[i]) << i;
    EXPECT_EQ(c->headers[i].offset, offs[i]) << i;
    EXPECT_EQ(c->headers[i].length, lens[i]) << i;
  }
  ASSERT_TRUE(c->fragment);
  EXPECT_EQ(c->fragment->offset, 40u);
  EXPECT_EQ(c->fragment->next_header, 17);
  EXPECT_EQ(c->fragment->fragment_offset, 0);
  EXPECT_TRUE(c->fragment->more);
  EXPECT_EQ(c->fragment->identification, 0x12345678u);
  EXPECT_EQ(c->fragment->reserved, 0);
  EXPECT_TRUE(c->fragment->first());
  EXPECT_FALSE(c->later_fragment());
  EXPECT_FALSE(c->has_ah);
}

TEST(ExtChain, AuthenticationHeaderLengthIsInFourOctetUnits) {
  // AH: payload length 4 -> (4 + 2) * 4 = 24 bytes, then TCP.
  const Buf p =
      cat({"06040000", "00000100", "00000001", "000102030405060708090a0b", "c000005000000001000000015018ffff00000000"});
  auto c = walk(51, p);
  ASSERT_TRUE(c) << err(c);
  EXPECT_TRUE(c->has_ah);
  EXPECT_EQ(c->count, 1);
  EXPECT_EQ(c->headers[0].length, 24);
  EXPECT_EQ(c->upper_protocol, 6);
  EXPECT_EQ(c->upper_offset, 24u);
}

TEST(ExtChain, EspEndsTheReadableChain) {
  const Buf p = cat({"3200010400000000", "0000010000000001aabbccdd"});  // DstOpts -> ESP
  auto c = walk(60, p);
  ASSERT_TRUE(c) << err(c);
  EXPECT_TRUE(c->encrypted);
  EXPECT_EQ(c->upper_offset, 8u);
  EXPECT_EQ(c->count, 1);
}

TEST(ExtChain, NoNextHeader) {
  auto c = walk(60, cat({"3b", kDst8}));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper_protocol, 59);
  EXPECT_EQ(c->upper_offset, 8u);
}

TEST(ExtChain, LaterFragmentStopsAtTheFragmentHeader) {
  // Offset 100 units, M = 0: the 5 bytes after it are fragment data, not a UDP header.
  const Buf p = cat({"1100032011223344", "0102030405"});
  auto c = walk(44, p);
  ASSERT_TRUE(c) << err(c);
  EXPECT_TRUE(c->later_fragment());
  EXPECT_EQ(c->fragment->fragment_offset, 100);
  EXPECT_FALSE(c->fragment->more);
  EXPECT_EQ(c->fragment->identification, 0x11223344u);
  EXPECT_EQ(c->upper_protocol, 17);
  EXPECT_EQ(c->upper_offset, 8u);
}

TEST(ExtChain, FragmentReservedFieldsAreReported) {
  auto a = walk(44, cat({"11ab000112345678", "14e90035000c0000"}));
  ASSERT_TRUE(a) << err(a);
  EXPECT_NE(a->fragment->reserved, 0);
  auto b = walk(44, cat({"1100000712345678", "14e90035000c0000"}));  // both reserved bits
  ASSERT_TRUE(b) << err(b);
  EXPECT_NE(b->fragment->reserved, 0);
  EXPECT_TRUE(b->fragment->more);
  EXPECT_EQ(b->fragment->fragment_offset, 0);
}

// n Destination Options headers of 8 bytes, the last pointing at `last_nh`, then UDP.
Buf dst_opts_chain(int n, u8 last_nh) {
  Buf b;
  for (int i = 0; i < n; ++i) {
    const Buf h = cat({i + 1 == n ? std::string_view("") : std::string_view("3c"), kDst8});
    if (i + 1 == n) b.push_back(static_cast<std::byte>(last_nh));
    b.insert(b.end(), h.begin(), h.end());
  }
  const Buf udp = hex("14e90035000800ff");
  b.insert(b.end(), udp.begin(), udp.end());
  return b;
}

TEST(ExtChain, EightHeadersAreAllowedNineAreNot) {
  auto eight = walk(60, dst_opts_chain(8, 17));
  ASSERT_TRUE(eight) << err(eight);
  EXPECT_EQ(eight->count, 8);
  EXPECT_EQ(eight->chain_bytes, 64u);
  EXPECT_EQ(eight->upper_offset, 64u);
  // §14.12: the ninth header is the one refused, at its own offset 40 + 64.
  EXPECT_EQ(err(walk(60, dst_opts_chain(9, 17))), expect(WireErrc::chain_too_many, "ipv6.ext", 104));
  // Without the §14.12 bound (RFC 8200 alone), nine are fine.
  ExtChainLimits lax;
  lax.max_headers = 16;
  EXPECT_TRUE(walk(60, dst_opts_chain(9, 17), lax));
}

TEST(ExtChain, TwoHundredFiftySixBytesAreAllowedMoreAreNot) {
  // One Destination Options header of (31 + 1) * 8 = 256 bytes.
  Buf big = hex("111f");
  big.resize(256, std::byte{0});
  big[2] = std::byte{1};
  big[3] = std::byte{252};  // PadN over the rest
  Buf p = big;
  const Buf udp = hex("14e90035000800ff");
  p.insert(p.end(), udp.begin(), udp.end());
  auto ok = walk(60, p);
  ASSERT_TRUE(ok) << err(ok);
  EXPECT_EQ(ok->chain_bytes, 256u);
  // 256 + 8: the second header crosses the bound.
  Buf q = big;
  q[0] = std::byte{60};
  const Buf d = cat({"11", kDst8});
  q.insert(q.end(), d.begin(), d.end());
  q.insert(q.end(), udp.begin(), udp.end());
  EXPECT_EQ(err(walk(60, q)), expect(WireErrc::chain_too_long, "ipv6.ext", 40 + 256));
  // A single header of 264 bytes.
  Buf r = hex("1120");
  r.resize(264 + 8, std::byte{0});
  EXPECT_EQ(err(walk(60, r)), expect(WireErrc::chain_too_long, "ipv6.ext", 40));
}

TEST(ExtChain, FirstFragmentMustHoldTheWholeChain) {
  // Fragment -> Destination Options (16 bytes), only 10 of them present.
  const Buf cut = cat({"3c00000100000001", "1101010400000000", "0000"});
  EXPECT_EQ(err(walk(44, cut)), expect(WireErrc::chain_incomplete, "ipv6.ext.len", 48));
  // Fragment -> TCP with 10 of its 20 header bytes.
  const Buf tcp = cat({"0600000100000001", "c0000050000000010000"});
  EXPECT_EQ(err(walk(44, tcp)), expect(WireErrc::chain_incomplete, "ipv6.upper", 48));
  // Fragment -> UDP header complete: fine.
  EXPECT_TRUE(walk(44, cat({"1100000100000001", "14e90035000800ff"})));
  // Not required (RFC 8200 alone): the same cuts are plain truncation or accepted.
  ExtChainLimits lax;
  lax.require_first_fragment_chain = false;
  EXPECT_EQ(err(walk(44, cut, lax)), expect(WireErrc::truncated, "ipv6.ext.len", 48));
  EXPECT_TRUE(walk(44, tcp, lax));
}

TEST(ExtChain, UnrecognisedTypeIsDroppedAtIntermediateNodes) {
  const Buf p = cat({"8b", kDst8, "0000000000000000"});  // DstOpts -> 139 (HIP)
  ExtChainLimits mid;
  mid.intermediate_node = true;
  EXPECT_EQ(err(walk(60, p, mid)), expect(WireErrc::unknown_header, "ipv6.nxt", 48));
  EXPECT_EQ(err(walk(139, p, mid)), expect(WireErrc::unknown_header, "ipv6.nxt", 40));
  for (const int t : {135, 140, 253, 254})
    EXPECT_EQ(err(walk(static_cast<u8>(t), p, mid)), expect(WireErrc::unknown_header, "ipv6.nxt", 40));
  // A final node hands it to its upper layer.
  auto c = walk(60, p);
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper_protocol, 139);
  EXPECT_EQ(c->upper_offset, 8u);
}

TEST(ExtChain, HopByHopOnlyFirst) {
  EXPECT_EQ(err(walk(60, cat({"00", kDst8, "1100010400000000"}))), expect(WireErrc::bad_value, "ipv6.nxt", 48));
  EXPECT_TRUE(walk(0, cat({"11", kDst8, "14e90035000800ff"})));
}

TEST(ExtChain, SecondFragmentHeaderIsRefused) {
  EXPECT_EQ(err(walk(44, cat({"2c00000100000001", "1100000100000001", "14e90035000800ff"}))),
            expect(WireErrc::bad_value, "ipv6.fragment", 48));
}

// Every prefix of the chain: the header being read is named; once the first-fragment
// header is known, a cut is chain_incomplete.
TEST(ExtChain, TruncationSweep) {
  struct Bound {
    std::size_t below;
    WireErrc code;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{8, WireErrc::truncated, "ipv6.ext.len", 40},
                     {16, WireErrc::truncated, "ipv6.ext.len", 48},
                     {40, WireErrc::truncated, "ipv6.ext.len", 56},
                     {48, WireErrc::truncated, "ipv6.fragment", 80},
                     {56, WireErrc::chain_incomplete, "ipv6.upper", 88}};
  EXPECT_EQ(sweep(0, kChain.size(),
                  [&](std::size_t n) {
                    const std::string got = err(walk(0, kChain, n));
                    if (n == 40 || n == 41) return std::pair{got, got};  // FragmentHeaderCutBeforeByteTwo
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{got, b == std::end(t) ? std::string("ok") : expect(b->code, b->field, b->offset)};
                  }),
            "");
}

// The Fragment header has no length field: a cut in its first two bytes lacks the
// Fragment header, as a cut anywhere else in it does.
TEST(ExtChain, FragmentHeaderCutBeforeByteTwo) {
  EXPECT_EQ(err(walk(0, kChain, 40)), expect(WireErrc::truncated, "ipv6.fragment", 80));
  EXPECT_EQ(err(walk(0, kChain, 41)), expect(WireErrc::truncated, "ipv6.fragment", 80));
  EXPECT_EQ(err(walk(44, hex("11"))), expect(WireErrc::truncated, "ipv6.fragment", 40));
  EXPECT_EQ(err(walk(44, hex("1100"))), expect(WireErrc::truncated, "ipv6.fragment", 40));
}

TEST(ExtChain, FragmentHeaderIsEmittedExactly) {
  Buf out(10, std::byte{0xff});
  emit_fragment_header(MutBytes(out.data(), out.size()), 17, 185, true, 0xdeadbeef);
  EXPECT_EQ(out, hex("110005c9deadbeefffff"));
  emit_fragment_header(MutBytes(out.data(), out.size()), 6, 0x1fff, false, 1);
  EXPECT_EQ(slice(out, 0, 8), hex("0600fff800000001"));
  auto c = walk(44, cat({"110005c9deadbeef", "00"}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->fragment->fragment_offset, 185);
}

TEST(ExtChain, Classification) {
  for (const int t : {0, 43, 44, 50, 51, 60}) EXPECT_TRUE(is_extension_header(static_cast<u8>(t))) << t;
  for (const int t : {6, 17, 58, 59, 135, 139, 143}) EXPECT_FALSE(is_extension_header(static_cast<u8>(t))) << t;
  for (const int t : {135, 139, 140, 253, 254}) EXPECT_TRUE(is_unrecognised_extension(static_cast<u8>(t))) << t;
  for (const int t : {0, 60, 6, 143}) EXPECT_FALSE(is_unrecognised_extension(static_cast<u8>(t))) << t;
  EXPECT_EQ(min_upper_header(6), 20u);
  EXPECT_EQ(min_upper_header(17), 8u);
  EXPECT_EQ(min_upper_header(58), 4u);
  EXPECT_EQ(min_upper_header(143), 4u);
}

TEST(ExtChain, RandomizedChainsOfOptionsHeaders) {
  std::mt19937_64 rng(7112);
  for (int i = 0; i < 3000; ++i) {
    const int n = static_cast<int>(rng() % 10);
    Buf p;
    std::size_t bytes = 0;
    std::vector<std::size_t> lens;
    lens.reserve(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) {
      const std::size_t units = rng() % 6;
      const std::size_t len = (units + 1) * 8;
      Buf h(len, std::byte{0});
      h[0] = static_cast<std::byte>(k + 1 == n ? 17 : 60);
      h[1] = static_cast<std::byte>(units);
      h[2] = std::byte{1};
      h[3] = static_cast<std::byte>(len - 4);
      p.insert(p.end(), h.begin(), h.end());
      bytes += len;
      lens.push_back(len);
    }
    const Buf udp = hex("14e90035000800ff");
    p.insert(p.end(), udp.begin(), udp.end());
    auto c = walk(n == 0 ? 17 : 60, p);
    // The naive model of §14.12: the ninth header, or the header crossing 256 bytes.
    std::size_t sum = 0;
    std::string want = "ok";
    for (std::size_t k = 0; k < lens.size(); ++k) {
      if (k == 8) {
        want = expect(WireErrc::chain_too_many, "ipv6.ext", 40 + sum);
        break;
      }
      if (sum + lens[k] > 256) {
        want = expect(WireErrc::chain_too_long, "ipv6.ext", 40 + sum);
        break;
      }
      sum += lens[k];
    }
    EXPECT_EQ(err(c), want) << i;
    if (want != "ok") continue;
    ASSERT_TRUE(c) << err(c);
    EXPECT_EQ(c->count, n);
    EXPECT_EQ(c->chain_bytes, bytes);
    EXPECT_EQ(c->upper_offset, bytes);
    EXPECT_EQ(c->upper_protocol, 17);
  }
}

// --- ICMPv6 (icmp6_layout.h with Icmpv6Traits) ---------------------------------------

TEST(Icmpv6, EchoRequestFromVector) {
  auto ip = Ipv6View<Bytes>::checked(bs(kIcmpv6Echo));
  ASSERT_TRUE(ip);
  auto v = Icmpv6View<Bytes>::checked(ip->payload());
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->type(), icmpv6_type::kEchoRequest);
  EXPECT_EQ(v->code(), 0);
  EXPECT_EQ(v->checksum(), 0xcd2e);
  EXPECT_EQ(v->echo_id(), 0x4242);
  EXPECT_EQ(v->echo_seq(), 1);
  EXPECT_EQ(v->data().size(), 5u);
  const Sum ph = ip->pseudo_header(58, 13);
  EXPECT_TRUE(v->checksum_ok(ph));
  EXPECT_TRUE(v->checksum_ok(v6_pseudo(slice(kIcmpv6Echo, 8, 16), slice(kIcmpv6Echo, 24, 16), 58, 13)));
  EXPECT_FALSE(v->checksum_ok(ip->pseudo_header(143, 13)));
  auto r = Icmpv6Repr::parse(*v, &ph);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->echo_id(), 0x4242);
  EXPECT_EQ(r->echo_seq(), 1);
  EXPECT_EQ(r->buffer_len(), 13u);
  Buf out(13, std::byte{0});
  r->emit(MutBytes(out.data(), out.size()), ph);
  EXPECT_EQ(out, slice(kIcmpv6Echo, 40, 13));
  // From fields.
  const Buf data = hex("70696e6736");
  Icmpv6Repr f;
  f.type = icmp6::kEchoRequest;
  f.rest = 0x42420001;
  f.data = bs(data);
  EXPECT_EQ(f, *r);
  Buf out2(13, std::byte{0});
  f.emit(MutBytes(out2.data(), out2.size()), ph);
  EXPECT_EQ(out2, out);
}

TEST(Icmpv6, NeighborSolicitationWithOption) {
  auto ip = Ipv6View<Bytes>::checked(bs(kIcmpv6Ns));
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->hop_limit(), 255);
  auto v = Icmpv6View<Bytes>::checked(ip->payload());
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->type(), icmp6::kNeighborSolicitation);
  EXPECT_EQ(v->target(), a6("2001:db8::2"));
  EXPECT_EQ(v->nd_options().size(), 8u);
  const Sum ph = ip->pseudo_header(58, 32);
  EXPECT_TRUE(v->checksum_ok(ph));
  NdOptionWalker w(v->nd_options(), "icmpv6.opt.length", 24);
  auto o = w.next();
  ASSERT_TRUE(o && *o);
  EXPECT_EQ((*o)->type, icmp6::kOptSourceLinkLayer);
  EXPECT_EQ((*o)->data.size(), 6u);
  EXPECT_EQ((*o)->data[5], std::byte{0x01});
  auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  auto r = Icmpv6Repr::parse(*v, &ph);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->target, a6("2001:db8::2"));
  EXPECT_EQ(r->options.size(), 8u);
  EXPECT_EQ(r->buffer_len(), 32u);
  Buf out(32, std::byte{0});
  r->emit(MutBytes(out.data(), out.size()), ph);
  EXPECT_EQ(out, slice(kIcmpv6Ns, 40, 32));
}

struct Cut {
  std::size_t below;
  const char* field;
  std::size_t offset;
};
const Cut kEchoCuts[] = {{1, "icmpv6.type", 0},
                         {2, "icmpv6.code", 1},
                         {4, "icmpv6.checksum", 2},
                         {6, "icmpv6.echo.id", 4},
                         {8, "icmpv6.echo.seq", 6}};
const Cut kNsCuts[] = {{1, "icmpv6.type", 0},
                       {2, "icmpv6.code", 1},
                       {4, "icmpv6.checksum", 2},
                       {8, "icmpv6.reserved", 4},
                       {24, "icmpv6.nd.target", 8}};
template <std::size_t N>
const Cut& cut_at(const Cut (&cuts)[N], std::size_t n) {
  return *std::find_if(std::begin(cuts), std::end(cuts), [&](const Cut& c) { return n < c.below; });
}

TEST(Icmpv6, TruncationSweepNamesTheMissingField) {
  const Buf echo = slice(kIcmpv6Echo, 40, 13);
  EXPECT_EQ(sweep(0, 8,
                  [&](std::size_t n) {
                    return std::pair{what(Icmpv6View<Bytes>::checked(bs(echo, n))),
                                     expect(WireErrc::truncated, cut_at(kEchoCuts, n).field)};
                  }),
            "");
  EXPECT_EQ(sweep(8, echo.size(),
                  [&](std::size_t n) {
                    return std::pair{err(Icmpv6View<Bytes>::checked(bs(echo, n))), std::string("ok")};
                  }),
            "");
  const Buf ns = slice(kIcmpv6Ns, 40, 32);
  EXPECT_EQ(sweep(0, 24,
                  [&](std::size_t n) {
                    return std::pair{what(Icmpv6View<Bytes>::checked(bs(ns, n))),
                                     expect(WireErrc::truncated, cut_at(kNsCuts, n).field)};
                  }),
            "");
  EXPECT_TRUE(Icmpv6View<Bytes>::checked(bs(ns, 24)));  // no options at all is fine
}

// base::first_missing's rule: a truncation error carries the missing field's own offset,
// not the length at which the bytes ran out.
TEST(Icmpv6, TruncationErrorCarriesTheFieldOffset) {
  const Buf echo = slice(kIcmpv6Echo, 40, 13);
  EXPECT_EQ(sweep(0, 8,
                  [&](std::size_t n) {
                    const Cut& c = cut_at(kEchoCuts, n);
                    return std::pair{err(Icmpv6View<Bytes>::checked(bs(echo, n))),
                                     expect(WireErrc::truncated, c.field, c.offset)};
                  }),
            "");
  const Buf ns = slice(kIcmpv6Ns, 40, 32);
  EXPECT_EQ(sweep(0, 24,
                  [&](std::size_t n) {
                    const Cut& c = cut_at(kNsCuts, n);
                    return std::pair{err(Icmpv6View<Bytes>::checked(bs(ns, n))),
                                     expect(WireErrc::truncated, c.field, c.offset)};
                  }),
            "");
}

// A cut ND option: its length field (at 25) is missing or says more than is there.
TEST(Icmpv6, CutOptionNamesItsLengthField) {
  const Buf ns = slice(kIcmpv6Ns, 40, 32);
  EXPECT_EQ(sweep(25, 32,
                  [&](std::size_t n) {
                    return std::pair{err(Icmpv6View<Bytes>::checked(bs(ns, n))),
                                     expect(WireErrc::bad_option, "icmpv6.opt.length", 25)};
                  }),
            "");
}

TEST(Icmpv6, OptionLengthZeroIsRefused) {
  Buf ns = slice(kIcmpv6Ns, 40, 32);
  ns[25] = std::byte{0};
  EXPECT_EQ(err(Icmpv6View<Bytes>::checked(bs(ns))), expect(WireErrc::bad_option, "icmpv6.opt.length", 25));
  ns[25] = std::byte{2};  // 16 bytes, 8 present
  EXPECT_EQ(err(Icmpv6View<Bytes>::checked(bs(ns))), expect(WireErrc::bad_option, "icmpv6.opt.length", 25));
}

TEST(Icmpv6, BadChecksumIsRefused) {
  auto ip = Ipv6View<Bytes>::checked(bs(kIcmpv6Echo));
  ASSERT_TRUE(ip);
  Buf m = slice(kIcmpv6Echo, 40, 13);
  m[12] = std::byte{'7'};
  auto v = Icmpv6View<Bytes>::checked(bs(m));
  ASSERT_TRUE(v);
  const Sum ph = ip->pseudo_header(58, 13);
  EXPECT_EQ(err(Icmpv6Repr::parse(*v, &ph)), expect(WireErrc::bad_checksum, "icmpv6.checksum", 2));
  EXPECT_TRUE(Icmpv6Repr::parse(*v, nullptr));
}

TEST(Icmpv6, PacketTooBigFromFields) {
  const Buf quoted = slice(kIpv6Udp, 0, 48);
  Icmpv6Repr r;
  r.type = icmpv6_type::kPacketTooBig;
  r.rest = 1280;
  r.data = bs(quoted);
  const Sum ph = v6_pseudo(slice(kIpv6Udp, 24, 16), slice(kIpv6Udp, 8, 16), 58, 56);
  Buf out(r.buffer_len());
  ASSERT_EQ(out.size(), 56u);
  r.emit(MutBytes(out.data(), out.size()), ph);
  EXPECT_EQ(out[0], std::byte{2});
  EXPECT_EQ(slice(out, 4, 4), hex("00000500"));
  EXPECT_EQ(slice(out, 8, 48), quoted);
  auto v = Icmpv6View<Bytes>::checked(bs(out));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->mtu(), 1280u);
  EXPECT_TRUE(v->checksum_ok(ph));
  EXPECT_EQ(
      sweep(4, 8,
            [&](std::size_t n) {
              return std::pair{what(Icmpv6View<Bytes>::checked(bs(out, n))), expect(WireErrc::truncated, "icmpv6.mtu")};
            }),
      "");
}

}  // namespace
}  // namespace nextip::inet

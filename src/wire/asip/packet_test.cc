// ASIP packets (001 §5, §9, §12.7, §14.12): the 40-byte header from the §5.1 and §12.7
// vectors of tests/vectors/packets.tsv, the extension-header chain with the §14.12
// bounds, and ICMP-ASIP (next header 143) with every Table 12 type and Neighbor
// Discovery (§9.2), checksummed over the ASIP pseudo-header (§12.7.1) independently.
#include "wire/asip/packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace nextip::asip {
namespace {

using Buf = std::vector<std::byte>;
using base::u32;
using base::u64;
using base::WireError;
using base::checksum::Sum;

Buf hex(std::string_view h) {
  Buf out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::byte>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}
Buf cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s += p;
  return hex(s);
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
template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
// Code and field only.
template <class T>
std::string what(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}
std::string expect(WireErrc c, std::string_view field) {
  return std::string(base::code_name(c)) + " " + std::string(field);
}
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

// §12.7.1: the IPv6 pseudo-header layout with the ASIP addresses verbatim, written out.
Sum asip_pseudo(const Buf& packet, u8 nh, u32 len) {
  Buf p = slice(packet, 8, 32);
  for (int s = 24; s >= 0; s -= 8) p.push_back(static_cast<std::byte>((len >> s) & 0xff));
  p.insert(p.end(), {std::byte{0}, std::byte{0}, std::byte{0}, static_cast<std::byte>(nh)});
  u64 s = 0;
  for (std::size_t i = 0; i < p.size(); i += 2) s += (static_cast<u64>(p[i]) << 8) | static_cast<u64>(p[i + 1]);
  return Sum(s);
}
bool sums_to_ones(Sum s, Bytes msg) {
  return base::checksum::verifies(s.add(msg));
}

// packets.tsv "5.1-asip-header": every field distinct; UDP 5353 -> 53 "asip".
const Buf k51 =
    hex("8b812345000c11ff0000fbf0000000010000000ac00002017f01000000000005000001000a00000114e90035000cd7cf61736970");
// packets.tsv "12.7.1-asip-tcp".
const Buf k1271 = hex(
    "800000000078064000003b410000000000000000c0000201000000000000000000000000c6336401c000005000000001000000015018ffff2b"
    "d10000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233"
    "3435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263");
// packets.tsv "12.7.3-icmpasip-unreach" and "12.7.4-icmpasip-ptb".
const Buf kUnreach = hex(
    "8000000000388f3f000000000000000000000000cb0071fe00003b410000000000000000c00002010101557300000000800000000078064000"
    "003b410000000000000000c0000201000000000000000000000000c6336401c000005000000001");
const Buf kPtb = hex(
    "8000000000388f3f000000000000000000000000cb0071fe00003b410000000000000000c000020102004e84000005f0800000000078064000"
    "003b410000000000000000c0000201000000000000000000000000c6336401c000005000000001");
// §12.7.2: Echo Request 15169::192.0.2.1 -> ::198.51.100.1, id 0x4242 seq 1 "asip-echo".
const Buf kEcho =
    hex("8000000000118f4000003b410000000000000000c0000201000000000000000000000000c633640180004af242420001617369702d6563"
        "686f");
// §9.2 Neighbor Discovery with 169.254.0.0::h link-local sources (hop limit 255):
// NS for 64496:0.0.0.1:0.0.0.10:192.0.2.1 with a source link-layer option;
const Buf kNs =
    hex("8000000000208fffa9fe0000000000000000000000000001ffffff020000000000000000010002018700b84c000000000000fbf0000000"
        "010000"
        "000ac00002010101020000005301");
// NA, flags R|S|O, with a target link-layer option;
const Buf kNa =
    hex("8000000000208fff0000fbf0000000010000000ac0000201a9fe000000000000000000000000000188001a51e00000000000fbf0000000"
        "01000000"
        "0ac00002010201020000005302");
// RA: cur hop limit 64, M, lifetime 1800, reachable 30000, retrans 1000, Prefix Information
// (the 96-bit r:z:s 64496:0.0.0.1:0.0.0.10, length 96, L and A, 86400/14400), MTU 1500;
const Buf kRa =
    hex("8000000000388fffa9fe00000000000000000000000000feffffff0200000000000000000000000186001a384080070800007530000003"
        "e80304"
        "60c00001518000003840000000000000fbf0000000010000000a0000000005010000000005dc");
// RS with a source link-layer option; Redirect of 15169::198.51.100.1 to 169.254.0.0::0.0.0.253.
const Buf kRs = hex(
    "8000000000108fffa9fe0000000000000000000000000001ffffff0200000000000000000000000285007b59000000000101020000005301");
const Buf kRedirect =
    hex("8000000000288fffa9fe00000000000000000000000000fea9fe0000000000000000000000000001890010da00000000a9fe0000000000"
        "000000"
        "0000000000fd00003b410000000000000000c6336401");

Bytes icmp_of(const Buf& pkt) {
  return Bytes(pkt.data() + kHeaderLen, pkt.size() - kHeaderLen);
}

IcmpRepr parse_icmp(const Buf& pkt) {
  auto h = HeaderView<Bytes>::checked(bs(pkt));
  EXPECT_TRUE(h) << err(h);
  auto v = IcmpView<Bytes>::checked(h->payload());
  EXPECT_TRUE(v) << err(v);
  const Sum ph = h->pseudo_header(kNextHeaderIcmp, static_cast<u32>(h->payload().size()));
  auto r = IcmpRepr::parse(*v, &ph);
  EXPECT_TRUE(r) << err(r);
  return r.value_or(IcmpRepr{});
}
Buf emit_icmp(const IcmpRepr& r, const Buf& pkt) {
  Buf out(r.buffer_len(), std::byte{0x5a});
  r.emit(MutBytes(out.data(), out.size()), asip_pseudo(pkt, 143, static_cast<u32>(out.size())));
  return out;
}

// --- header ---------------------------------------------------------------------------

TEST(AsipHeader, DeconstructSection51Vector) {
  auto h = HeaderView<Bytes>::checked(bs(k51));
  ASSERT_TRUE(h) << err(h);
  EXPECT_EQ(h->version(), 8);
  EXPECT_EQ(h->traffic_class(), 184);
  EXPECT_EQ(h->flow_label(), 74565u);
  EXPECT_EQ(h->payload_length(), 12);
  EXPECT_EQ(h->next_header(), 17);
  EXPECT_EQ(h->hop_limit(), 255);
  EXPECT_EQ(h->src(), Address(64496, 1, 10, 0xc0000201));
  EXPECT_EQ(h->dst(), Address(0x7f010000, 5, 0x100, 0x0a000001));
  EXPECT_EQ(h->payload().size(), 12u);
  // The UDP checksum verifies over the ASIP pseudo-header (§12.7.1).
  EXPECT_TRUE(sums_to_ones(h->pseudo_header(17, 12), h->payload()));
  EXPECT_TRUE(sums_to_ones(asip_pseudo(k51, 17, 12), h->payload()));
}

TEST(AsipHeader, Section1271HeaderParsesAndEmitsExactly) {
  auto h = HeaderView<Bytes>::checked(bs(k1271));
  ASSERT_TRUE(h);
  auto r = HeaderRepr::parse(*h);
  ASSERT_TRUE(r);
  const HeaderRepr want{0, 0, 120, 6, 64, Address(15169, 0, 0, 0xc0000201), Address(0, 0, 0, 0xc6336401)};
  EXPECT_EQ(*r, want);
  EXPECT_EQ(r->buffer_len(), 160u);
  EXPECT_EQ(HeaderRepr::header_len(), 40u);
  Buf out(44, std::byte{0x33});
  want.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 40), slice(k1271, 0, 40));
  EXPECT_EQ(out[40], std::byte{0x33});
  // TCP under the ASIP pseudo-header (packets.tsv tcp.checksum=11217).
  EXPECT_TRUE(sums_to_ones(r->pseudo_header(6, 120), h->payload()));
  EXPECT_TRUE(sums_to_ones(asip_pseudo(k1271, 6, 120), h->payload()));
  EXPECT_FALSE(sums_to_ones(asip_pseudo(k1271, 17, 120), h->payload()));
}

TEST(AsipHeader, Section51HeaderEmitsExactly) {
  const HeaderRepr r{
      0xb8, 0x12345, 12, 17, 255, Address(64496, 1, 10, 0xc0000201), Address(0x7f010000, 5, 0x100, 0x0a000001)};
  Buf out(40);
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, slice(k51, 0, 40));
}

TEST(AsipHeader, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "asip.version", 0}, {4, "asip.flow", 1}, {6, "asip.plen", 4},  {7, "asip.nxt", 6},
                     {8, "asip.hlim", 7},    {24, "asip.src", 8}, {40, "asip.dst", 24}, {160, "asip.payload", 40}};
  EXPECT_EQ(sweep(0, k1271.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(HeaderView<Bytes>::checked(bs(k1271, n))),
                                     expect(WireErrc::truncated, b->field, b->offset)};
                  }),
            "");
}

TEST(AsipHeader, VersionOtherThanEightIsRefused) {
  for (int ver : {4, 6, 0, 7, 9, 15}) {
    Buf b = k1271;
    b[0] = static_cast<std::byte>(ver << 4);
    EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::bad_version, "asip.version", 0)) << ver;
  }
}

TEST(AsipHeader, PayloadLengthBeyondTheBufferAndPadding) {
  Buf b = k1271;
  b[5] = std::byte{121};
  EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::truncated, "asip.payload", 40));
  Buf padded = k1271;
  padded.insert(padded.end(), 3, std::byte{0});
  auto h = HeaderView<Bytes>::checked(bs(padded));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 160u);
}

TEST(AsipHeader, RandomizedRoundTrip) {
  std::mt19937_64 rng(0xa51);
  for (int i = 0; i < 3000; ++i) {
    const HeaderRepr r{
        static_cast<u8>(rng()),
        static_cast<u32>(rng() & 0xfffff),
        static_cast<u16>(rng() % 40),
        static_cast<u8>(rng()),
        static_cast<u8>(rng()),
        Address(static_cast<u32>(rng()), static_cast<u32>(rng()), static_cast<u32>(rng()), static_cast<u32>(rng())),
        Address(static_cast<u32>(rng()), static_cast<u32>(rng()), static_cast<u32>(rng()), static_cast<u32>(rng()))};
    Buf b(r.buffer_len());
    r.emit(MutBytes(b.data(), b.size()));
    auto h = HeaderView<Bytes>::checked(bs(b));
    ASSERT_TRUE(h) << err(h);
    auto p = HeaderRepr::parse(*h);
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, r);
    // Repr and view pseudo-headers agree with the one written out.
    const u32 len = static_cast<u32>(rng() % 2000);
    EXPECT_EQ(p->pseudo_header(17, len).fold(), asip_pseudo(b, 17, len).fold());
    EXPECT_EQ(h->pseudo_header(143, len).fold(), asip_pseudo(b, 143, len).fold());
  }
}

// --- §14.12 extension-header chain ----------------------------------------------------

// An ASIP packet 15169::192.0.2.1 -> ::198.51.100.1 with `nh` and `payload`.
Buf asip_packet(u8 nh, const Buf& payload) {
  Buf b = slice(k1271, 0, 40);
  b[4] = static_cast<std::byte>(payload.size() >> 8);
  b[5] = static_cast<std::byte>(payload.size() & 0xff);
  b[6] = static_cast<std::byte>(nh);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
WireResult<inet::ExtChain> chain(u8 nh, const Buf& payload, bool intermediate = false) {
  const Buf p = asip_packet(nh, payload);
  auto h = HeaderView<Bytes>::checked(bs(p));
  EXPECT_TRUE(h);
  if (!h) return nextip::unexpected(h.error());
  return walk_chain(*h, intermediate);
}
constexpr std::string_view kDst8 = "00010400000000";  // Destination Options body after Next Header
constexpr std::string_view kUdp8 = "14e90035000800ff";
Buf dst_chain(int n, u8 last) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += i + 1 == n ? std::string(1, "0123456789abcdef"[last >> 4]) + "0123456789abcdef"[last & 0xf] : "3c";
    s += kDst8;
  }
  return cat({s, kUdp8});
}

TEST(AsipChain, LimitsAreSection1412) {
  const inet::ExtChainLimits l = section_14_12_limits(true);
  EXPECT_EQ(l.max_headers, 8);
  EXPECT_EQ(l.max_bytes, 256u);
  EXPECT_TRUE(l.intermediate_node);
  EXPECT_TRUE(l.require_first_fragment_chain);
  EXPECT_FALSE(section_14_12_limits(false).intermediate_node);
  EXPECT_TRUE(section_14_12_limits(false).require_first_fragment_chain);
}

TEST(AsipChain, PlainUpperLayer) {
  auto h = HeaderView<Bytes>::checked(bs(k1271));
  ASSERT_TRUE(h);
  auto c = walk_chain(*h, true);
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper_protocol, 6);
  EXPECT_EQ(c->upper_offset, 0u);
  EXPECT_EQ(c->count, 0);
}

TEST(AsipChain, EightHeadersPassNineAreDropped) {
  auto eight = chain(60, dst_chain(8, 17), true);
  ASSERT_TRUE(eight) << err(eight);
  EXPECT_EQ(eight->count, 8);
  EXPECT_EQ(eight->upper_protocol, 17);
  EXPECT_EQ(err(chain(60, dst_chain(9, 17), true)), expect(WireErrc::chain_too_many, "asip.ext", 40 + 64));
  EXPECT_EQ(err(chain(60, dst_chain(9, 17), false)), expect(WireErrc::chain_too_many, "asip.ext", 40 + 64));
}

TEST(AsipChain, TwoHundredFiftySixBytesPassMoreAreDropped) {
  Buf big = hex("111f");
  big.resize(256, std::byte{0});
  big[2] = std::byte{1};
  big[3] = std::byte{252};
  Buf ok = big;
  const Buf udp = hex(kUdp8);
  ok.insert(ok.end(), udp.begin(), udp.end());
  auto c = chain(60, ok);
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->chain_bytes, 256u);
  EXPECT_EQ(c->upper_offset, 256u);
  Buf over = big;
  over[0] = std::byte{60};
  const Buf d = cat({"11", kDst8, kUdp8});
  over.insert(over.end(), d.begin(), d.end());
  EXPECT_EQ(err(chain(60, over)), expect(WireErrc::chain_too_long, "asip.ext", 40 + 256));
}

TEST(AsipChain, FirstFragmentWithoutTheWholeChainIsDropped) {
  // Fragment (offset 0, M) -> Destination Options of 16 bytes, 10 present.
  EXPECT_EQ(err(chain(44, cat({"3c00000100000001", "1101010400000000", "0000"}))),
            expect(WireErrc::chain_incomplete, "asip.ext.len", 48));
  // Fragment -> TCP, half a header.
  EXPECT_EQ(err(chain(44, cat({"0600000100000001", "c0000050000000010000"}))),
            expect(WireErrc::chain_incomplete, "asip.upper", 48));
  // Fragment -> ICMP-ASIP with 3 of its 4 header bytes.
  EXPECT_EQ(err(chain(44, cat({"8f00000100000001", "800000"}))), expect(WireErrc::chain_incomplete, "asip.upper", 48));
  // The whole chain present: fine; a later fragment needs none of it.
  EXPECT_TRUE(chain(44, cat({"8f00000100000001", "80000000"})));
  auto later = chain(44, cat({"0600032000000001", "c000"}));
  ASSERT_TRUE(later) << err(later);
  EXPECT_TRUE(later->later_fragment());
}

// A first fragment cut anywhere (Payload Length set to the bytes present): inside the
// Fragment header it is truncated; once the header says "first fragment", chain_incomplete.
TEST(AsipChain, FirstFragmentTruncationSweep) {
  const Buf p = cat({"3c00000112345678", "11", kDst8, kUdp8});  // Fragment -> DstOpts -> UDP
  ASSERT_TRUE(chain(44, p, true));
  struct Bound {
    std::size_t below;
    WireErrc code;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{8, WireErrc::truncated, "asip.fragment", 40},
                     {16, WireErrc::chain_incomplete, "asip.ext.len", 48},
                     {24, WireErrc::chain_incomplete, "asip.upper", 56}};
  EXPECT_EQ(sweep(2, p.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(chain(44, slice(p, 0, n), true)), expect(b->code, b->field, b->offset)};
                  }),
            "");
}

TEST(AsipChain, UnrecognisedExtensionTypeIsDroppedAtIntermediateNodes) {
  const Buf p = cat({"8b", kDst8, "0000000000000000"});  // Destination Options -> 139
  EXPECT_EQ(err(chain(60, p, true)), expect(WireErrc::unknown_header, "asip.nxt", 48));
  EXPECT_EQ(err(chain(139, p, true)), expect(WireErrc::unknown_header, "asip.nxt", 40));
  auto final_node = chain(60, p, false);
  ASSERT_TRUE(final_node) << err(final_node);
  EXPECT_EQ(final_node->upper_protocol, 139);
}

TEST(AsipChain, HopByHopNotFirstIsRefused) {
  EXPECT_EQ(err(chain(60, cat({"00", kDst8, "11", kDst8, kUdp8}), true)), expect(WireErrc::bad_value, "asip.nxt", 48));
  EXPECT_TRUE(chain(0, cat({"11", kDst8, kUdp8}), true));
}

TEST(AsipChain, AuthenticationHeaderAnywhereIsReported) {
  // §5.3: a locator-rewriting router must find AH anywhere in the chain.
  auto c = chain(60, cat({"33", kDst8, "11040000", "0000010000000001", "000102030405060708090a0b", kUdp8}), true);
  ASSERT_TRUE(c) << err(c);
  EXPECT_TRUE(c->has_ah);
  EXPECT_EQ(c->count, 2);
  EXPECT_EQ(c->upper_offset, 32u);
  EXPECT_EQ(unreach::kAhRewriteDefault, 10);
}

TEST(AsipChain, TruncatedChainOutsideAFragment) {
  EXPECT_EQ(err(chain(60, cat({"1101010400000000", "00"}))), expect(WireErrc::truncated, "asip.ext.len", 40));
  EXPECT_EQ(err(chain(60, hex("11"))), expect(WireErrc::truncated, "asip.ext.len", 40));
}

// --- ICMP-ASIP ------------------------------------------------------------------------

TEST(IcmpAsip, DestinationUnreachableOfSection1273) {
  auto h = HeaderView<Bytes>::checked(bs(kUnreach));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->next_header(), kNextHeaderIcmp);
  EXPECT_EQ(h->hop_limit(), 63);
  EXPECT_EQ(h->src(), Address(0, 0, 0, 0xcb0071fe));
  EXPECT_EQ(h->dst(), Address(15169, 0, 0, 0xc0000201));
  auto v = IcmpView<Bytes>::checked(h->payload());
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->type(), inet::icmp6::kDestUnreachable);
  EXPECT_EQ(v->code(), 1);
  EXPECT_EQ(v->checksum(), 21875);  // packets.tsv icmpasip.checksum=21875
  EXPECT_EQ(v->rest(), 0u);
  ASSERT_EQ(v->data().size(), 48u);
  // The checksum is over the ASIP pseudo-header with NH 143, not ICMPv6's 58.
  EXPECT_TRUE(v->checksum_ok(h->pseudo_header(143, 56)));
  EXPECT_TRUE(v->checksum_ok(asip_pseudo(kUnreach, 143, 56)));
  EXPECT_FALSE(v->checksum_ok(asip_pseudo(kUnreach, 58, 56)));
  // The quoted, reconstructed ASIP header (§12.7.3).
  const auto q = HeaderView<Bytes>::unchecked(v->data());
  EXPECT_EQ(q.version(), 8);
  EXPECT_EQ(q.payload_length(), 120);
  EXPECT_EQ(q.next_header(), 6);
  EXPECT_EQ(q.hop_limit(), 64);
  EXPECT_EQ(q.src(), Address(15169, 0, 0, 0xc0000201));
  EXPECT_EQ(q.dst(), Address(0, 0, 0, 0xc6336401));
  const IcmpRepr r = parse_icmp(kUnreach);
  EXPECT_EQ(r.type, 1);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.data.size(), 48u);
  EXPECT_EQ(emit_icmp(r, kUnreach), slice(kUnreach, 40, 56));
}

TEST(IcmpAsip, PacketTooBigOfSection1274) {
  const IcmpRepr r = parse_icmp(kPtb);
  EXPECT_EQ(r.type, inet::icmp6::kPacketTooBig);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.mtu(), 1520u);  // 1500 + 20
  auto v = IcmpView<Bytes>::checked(icmp_of(kPtb));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->mtu(), 1520u);
  // Built from the fields.
  const Buf quoted = slice(k1271, 0, 48);
  IcmpRepr f;
  f.type = 2;
  f.rest = 1520;
  f.data = bs(quoted);
  EXPECT_EQ(f, r);
  EXPECT_EQ(emit_icmp(f, kPtb), slice(kPtb, 40, 56));
}

TEST(IcmpAsip, EchoRequestOfSection1272) {
  const IcmpRepr r = parse_icmp(kEcho);
  EXPECT_EQ(r.type, inet::icmp6::kEchoRequest);
  EXPECT_EQ(r.echo_id(), 0x4242);
  EXPECT_EQ(r.echo_seq(), 1);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(r.data.data()), r.data.size()), "asip-echo");
  const Buf data = hex("617369702d6563686f");
  IcmpRepr f;
  f.type = 128;
  f.rest = 0x42420001;
  f.data = bs(data);
  EXPECT_EQ(emit_icmp(f, kEcho), slice(kEcho, 40, 17));
}

TEST(IcmpAsip, NeighborSolicitationAndAdvertisement) {
  const IcmpRepr ns = parse_icmp(kNs);
  EXPECT_EQ(ns.type, inet::icmp6::kNeighborSolicitation);
  EXPECT_EQ(ns.target, Address(64496, 1, 10, 0xc0000201));
  EXPECT_EQ(ns.options.size(), 8u);
  EXPECT_EQ(emit_icmp(ns, kNs), slice(kNs, 40, 32));
  auto nsv = IcmpView<Bytes>::checked(icmp_of(kNs));
  ASSERT_TRUE(nsv);
  EXPECT_EQ(nsv->target(), Address(64496, 1, 10, 0xc0000201));
  inet::NdOptionWalker w(nsv->nd_options(), "icmpasip.opt.length", 24);
  auto o = w.next();
  ASSERT_TRUE(o && *o);
  EXPECT_EQ((*o)->type, inet::icmp6::kOptSourceLinkLayer);
  EXPECT_EQ((*o)->data.size(), 6u);

  const IcmpRepr na = parse_icmp(kNa);
  EXPECT_EQ(na.type, inet::icmp6::kNeighborAdvertisement);
  EXPECT_EQ(na.rest, 0xe0000000u);
  EXPECT_EQ(na.target, Address(64496, 1, 10, 0xc0000201));
  auto nav = IcmpView<Bytes>::checked(icmp_of(kNa));
  ASSERT_TRUE(nav);
  EXPECT_EQ(nav->na_flags(), 7);  // R, S, O
  EXPECT_EQ(emit_icmp(na, kNa), slice(kNa, 40, 32));
}

TEST(IcmpAsip, RouterAdvertisementWithPrefixInformation) {
  const IcmpRepr ra = parse_icmp(kRa);
  EXPECT_EQ(ra.type, inet::icmp6::kRouterAdvertisement);
  EXPECT_EQ(ra.ra_cur_hop_limit, 64);
  EXPECT_EQ(ra.ra_flags, 0x80);
  EXPECT_EQ(ra.ra_router_lifetime, 1800);
  EXPECT_EQ(ra.ra_reachable_time, 30000u);
  EXPECT_EQ(ra.ra_retrans_timer, 1000u);
  EXPECT_EQ(ra.options.size(), 40u);
  auto v = IcmpView<Bytes>::checked(icmp_of(kRa));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->ra_managed());
  EXPECT_FALSE(v->ra_other());
  EXPECT_EQ(v->ra_router_lifetime(), 1800);
  inet::NdOptionWalker w(v->nd_options(), "icmpasip.opt.length", 16);
  auto pio = w.next();
  ASSERT_TRUE(pio && *pio);
  EXPECT_EQ((*pio)->type, inet::icmp6::kOptPrefixInformation);
  auto p = inet::PrefixInformation::parse((*pio)->data);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->prefix_length, 96);  // §9.2: the 96-bit r:z:s
  EXPECT_TRUE(p->on_link);
  EXPECT_TRUE(p->autonomous);
  EXPECT_EQ(p->valid_lifetime, 86400u);
  EXPECT_EQ(p->preferred_lifetime, 14400u);
  std::array<std::byte, 16> want{};
  Address(64496, 1, 10, 0).to_bytes(want);
  EXPECT_EQ(p->prefix, want);
  Buf out(32, std::byte{0xff});
  p->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, slice(kRa, 56, 32));
  auto mtu = w.next();
  ASSERT_TRUE(mtu && *mtu);
  EXPECT_EQ((*mtu)->type, inet::icmp6::kOptMtu);
  auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  EXPECT_EQ(emit_icmp(ra, kRa), slice(kRa, 40, 56));
}

TEST(IcmpAsip, PrefixInformationNeedsThirtyBytes) {
  const Buf d(29);
  EXPECT_FALSE(inet::PrefixInformation::parse(bs(d)));
  const Buf e(31);
  EXPECT_FALSE(inet::PrefixInformation::parse(bs(e)));
  inet::PrefixInformation p;
  p.prefix_length = 96;
  p.autonomous = true;
  Buf out(32);
  p.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 4), hex("03046040"));
  auto back = inet::PrefixInformation::parse(Bytes(out.data() + 2, 30));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->on_link);
  EXPECT_TRUE(back->autonomous);
}

TEST(IcmpAsip, RouterSolicitationAndRedirect) {
  const IcmpRepr rs = parse_icmp(kRs);
  EXPECT_EQ(rs.type, inet::icmp6::kRouterSolicitation);
  EXPECT_EQ(rs.options.size(), 8u);
  EXPECT_EQ(emit_icmp(rs, kRs), slice(kRs, 40, 16));
  const IcmpRepr rd = parse_icmp(kRedirect);
  EXPECT_EQ(rd.type, inet::icmp6::kRedirect);
  EXPECT_EQ(rd.target, Address(0xa9fe0000, 0, 0, 0xfd));
  EXPECT_EQ(rd.destination, Address(15169, 0, 0, 0xc6336401));
  EXPECT_TRUE(rd.options.empty());
  auto v = IcmpView<Bytes>::checked(icmp_of(kRedirect));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->redirect_destination(), Address(15169, 0, 0, 0xc6336401));
  EXPECT_EQ(emit_icmp(rd, kRedirect), slice(kRedirect, 40, 40));
}

// For each message, the field each truncated length lacks (offsets from icmp6_layout.h).
struct IcmpCut {
  const Buf* pkt;
  std::size_t fixed;
  std::vector<std::pair<const char*, std::size_t>> at;  // [len] -> field, offset (len < fixed)
};
std::vector<IcmpCut> icmp_cuts() {
  auto base = [](std::vector<std::pair<const char*, std::size_t>> rest) {
    std::vector<std::pair<const char*, std::size_t>> v = {
        {"icmpasip.type", 0}, {"icmpasip.code", 1}, {"icmpasip.checksum", 2}, {"icmpasip.checksum", 2}};
    v.insert(v.end(), rest.begin(), rest.end());
    return v;
  };
  auto rep = [](const char* f, std::size_t off, std::size_t n) {
    return std::vector<std::pair<const char*, std::size_t>>(n, {f, off});
  };
  auto join = [](std::initializer_list<std::vector<std::pair<const char*, std::size_t>>> l) {
    std::vector<std::pair<const char*, std::size_t>> v;
    for (const auto& x : l) v.insert(v.end(), x.begin(), x.end());
    return v;
  };
  return {
      {&kUnreach, 8, base(rep("icmpasip.reserved", 4, 4))},
      {&kPtb, 8, base(rep("icmpasip.mtu", 4, 4))},
      {&kEcho, 8, base(join({rep("icmpasip.echo.id", 4, 2), rep("icmpasip.echo.seq", 6, 2)}))},
      {&kRs, 8, base(rep("icmpasip.reserved", 4, 4))},
      {&kNs, 24, base(join({rep("icmpasip.reserved", 4, 4), rep("icmpasip.nd.target", 8, 16)}))},
      {&kNa, 24, base(join({rep("icmpasip.na.flags", 4, 4), rep("icmpasip.nd.target", 8, 16)}))},
      {&kRa, 16,
       base(join({rep("icmpasip.ra", 4, 1), rep("icmpasip.ra", 5, 1), rep("icmpasip.ra", 6, 2),
                  rep("icmpasip.ra", 8, 4), rep("icmpasip.ra", 12, 4)}))},
      {&kRedirect, 40,
       base(join({rep("icmpasip.reserved", 4, 4), rep("icmpasip.nd.target", 8, 16),
                  rep("icmpasip.redirect.destination", 24, 16)}))},
  };
}

TEST(IcmpAsip, TruncationSweepNamesTheMissingField) {
  for (const IcmpCut& c : icmp_cuts()) {
    const Buf m = slice(*c.pkt, 40, c.pkt->size() - 40);
    EXPECT_EQ(
        sweep(0, c.fixed,
              [&](std::size_t n) {
                return std::pair{what(IcmpView<Bytes>::checked(bs(m, n))), expect(WireErrc::truncated, c.at[n].first)};
              }),
        "")
        << "type " << static_cast<int>(m[0]);
  }
}

// base::first_missing's rule: a truncation error carries the missing field's offset.
TEST(IcmpAsip, TruncationErrorCarriesTheFieldOffset) {
  for (const IcmpCut& c : icmp_cuts()) {
    const Buf m = slice(*c.pkt, 40, c.pkt->size() - 40);
    EXPECT_EQ(sweep(0, c.fixed,
                    [&](std::size_t n) {
                      return std::pair{err(IcmpView<Bytes>::checked(bs(m, n))),
                                       expect(WireErrc::truncated, c.at[n].first, c.at[n].second)};
                    }),
              "")
        << "type " << static_cast<int>(m[0]);
  }
}

TEST(IcmpAsip, NdOptionLengthZeroOrPastTheEndIsRefused) {
  Buf ns = slice(kNs, 40, 32);
  ns[25] = std::byte{0};
  EXPECT_EQ(err(IcmpView<Bytes>::checked(bs(ns))), expect(WireErrc::bad_option, "icmpasip.opt.length", 25));
  ns[25] = std::byte{3};
  EXPECT_EQ(err(IcmpView<Bytes>::checked(bs(ns))), expect(WireErrc::bad_option, "icmpasip.opt.length", 25));
  // RA: the second option (MTU, at 16 + 32) claims 16 bytes.
  Buf ra = slice(kRa, 40, 56);
  ra[49] = std::byte{2};
  EXPECT_EQ(err(IcmpView<Bytes>::checked(bs(ra))), expect(WireErrc::bad_option, "icmpasip.opt.length", 49));
  ra[49] = std::byte{0};
  EXPECT_EQ(err(IcmpView<Bytes>::checked(bs(ra))), expect(WireErrc::bad_option, "icmpasip.opt.length", 49));
  // Non-ND messages carry no options: their data is not walked.
  Buf echo = slice(kEcho, 40, 17);
  EXPECT_TRUE(IcmpView<Bytes>::checked(bs(echo)));
}

TEST(IcmpAsip, BadChecksumIsRefused) {
  for (const Buf* pkt : {&kUnreach, &kEcho, &kNs, &kRa}) {
    Buf p = *pkt;
    p.back() = static_cast<std::byte>(static_cast<u8>(p.back()) ^ 0x01);
    auto h = HeaderView<Bytes>::checked(bs(p));
    ASSERT_TRUE(h);
    auto v = IcmpView<Bytes>::checked(h->payload());
    ASSERT_TRUE(v);
    const Sum ph = h->pseudo_header(143, static_cast<u32>(h->payload().size()));
    EXPECT_EQ(err(IcmpRepr::parse(*v, &ph)), expect(WireErrc::bad_checksum, "icmpasip.checksum", 2));
    EXPECT_TRUE(IcmpRepr::parse(*v, nullptr));
  }
  // The right bytes under ICMPv6's pseudo-header (NH 58) do not verify.
  auto h = HeaderView<Bytes>::checked(bs(kEcho));
  ASSERT_TRUE(h);
  auto v = IcmpView<Bytes>::checked(h->payload());
  ASSERT_TRUE(v);
  const Sum v6 = h->pseudo_header(58, 17);
  EXPECT_EQ(err(IcmpRepr::parse(*v, &v6)), expect(WireErrc::bad_checksum, "icmpasip.checksum", 2));
}

Buf random_nd_options(std::mt19937_64& rng) {
  Buf o;
  const int n = static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    const std::size_t units = 1 + rng() % 3;
    o.push_back(static_cast<std::byte>(1 + rng() % 20));
    o.push_back(static_cast<std::byte>(units));
    for (std::size_t k = 2; k < units * 8; ++k) o.push_back(static_cast<std::byte>(rng()));
  }
  return o;
}

TEST(IcmpAsip, RandomizedRoundTrip) {
  std::mt19937_64 rng(143);
  const u8 types[] = {1, 2, 3, 4, 128, 129, 133, 134, 135, 136, 137, 200};
  for (int i = 0; i < 3000; ++i) {
    Buf tail;
    IcmpRepr r;
    r.type = types[rng() % std::size(types)];
    r.code = static_cast<u8>(rng() % 8);
    if (inet::icmp6::is_nd(r.type)) {
      tail = random_nd_options(rng);
      r.options = bs(tail);
    } else {
      tail.resize(rng() % 64);
      for (auto& x : tail) x = static_cast<std::byte>(rng());
      r.data = bs(tail);
    }
    auto addr = [&] {
      return Address(static_cast<u32>(rng()), static_cast<u32>(rng()), static_cast<u32>(rng()),
                     static_cast<u32>(rng()));
    };
    switch (r.type) {
      case 134:
        r.ra_cur_hop_limit = static_cast<u8>(rng());
        r.ra_flags = static_cast<u8>(rng());
        r.ra_router_lifetime = static_cast<u16>(rng());
        r.ra_reachable_time = static_cast<u32>(rng());
        r.ra_retrans_timer = static_cast<u32>(rng());
        break;
      case 135:
      case 136:
        r.rest = static_cast<u32>(rng());
        r.target = addr();
        break;
      case 137:
        r.rest = static_cast<u32>(rng());
        r.target = addr();
        r.destination = addr();
        break;
      default: r.rest = static_cast<u32>(rng()); break;
    }
    const Buf pkt = asip_packet(143, Buf(r.buffer_len()));
    Buf m(r.buffer_len());
    const Sum ph = asip_pseudo(pkt, 143, static_cast<u32>(m.size()));
    r.emit(MutBytes(m.data(), m.size()), ph);
    auto v = IcmpView<Bytes>::checked(bs(m));
    ASSERT_TRUE(v) << err(v) << " #" << i;
    auto p = IcmpRepr::parse(*v, &ph);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i << " type " << static_cast<int>(r.type);
  }
}

}  // namespace
}  // namespace nextip::asip

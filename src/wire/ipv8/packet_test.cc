// IPv8 packets (thain-ipv8-facts.md "Header"): the 28-byte header of packets.tsv
// "ipv8-header", the IHL-7-only rule (IPV8-8), the header checksum over 28 bytes, the
// 64-bit pseudo-header (IPV8-6) and ICMPv8 (IPV8-5: ICMPv4 numbering, a 64-bit Redirect
// gateway), with vectors checksummed independently.
#include "wire/ipv8/packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "wire/inet/udp.h"

namespace nextip::ipv8 {
namespace {

using Buf = std::vector<std::byte>;
using base::u32;
using base::u64;
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
template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
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
u16 naive_checksum(Bytes b) {
  u32 s = 0;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    s += (static_cast<u32>(b[i]) << 8) | (i + 1 < b.size() ? static_cast<u32>(b[i + 1]) : 0u);
  }
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<u16>(~s & 0xffff);
}
void refill(Buf& b) {
  b[10] = b[11] = std::byte{0};
  const u16 c = naive_checksum(Bytes(b.data(), 28));
  b[10] = static_cast<std::byte>(c >> 8);
  b[11] = static_cast<std::byte>(c & 0xff);
}
// IPV8-6: source (8), destination (8), zero, protocol, upper-layer length, as bytes.
Sum pseudo64(const Buf& pkt, u8 proto, u16 len) {
  Buf p = slice(pkt, 12, 16);
  p.insert(p.end(), {std::byte{0}, static_cast<std::byte>(proto), static_cast<std::byte>(len >> 8),
                     static_cast<std::byte>(len & 0xff)});
  u64 s = 0;
  for (std::size_t i = 0; i < p.size(); i += 2) s += (static_cast<u64>(p[i]) << 8) | static_cast<u64>(p[i + 1]);
  return Sum(s);
}

// packets.tsv "ipv8-header": 0x87, total 40, id 0x1234, DF, TTL 64, UDP, checksum 0xfe65,
// 0.0.251.240:192.0.2.1 -> 0.0.255.253:198.51.100.7, UDP 40000 -> 7 "ipv8".
const Buf kPkt = hex("87000028123440004011fe650000fbf0c00002010000fffdc63364079c400007000c9bba69707638");
// ICMPv8 (checksummed independently): Echo Request id 7 seq 9 "ipv8-ping";
const Buf kEcho = hex("08001a6800070009697076382d70696e67");
// Redirect (code 1) to the 64-bit gateway 0.0.251.240:192.0.2.254, quoting header + 8 bytes;
const Buf kRedirect =
    hex("050104010000fbf0c00002fe87000028123440004011fe650000fbf0c00002010000fffdc63364079c400007000c9bba");
// Fragmentation Needed with next-hop MTU 1400; Parameter Problem with pointer 9.
const Buf kFragNeeded = hex("0304bf750000057887000028123440004011fe650000fbf0c00002010000fffdc63364079c400007000c9bba");
const Buf kParamProblem =
    hex("0c00b2f10900000087000028123440004011fe650000fbf0c00002010000fffdc63364079c400007000c9bba");

TEST(Ipv8Header, DeconstructVector) {
  auto v = HeaderView<Bytes>::checked(bs(kPkt));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->version(), 8);
  EXPECT_EQ(v->ihl(), 7);
  EXPECT_EQ(v->tos(), 0);
  EXPECT_EQ(v->total_length(), 40);
  EXPECT_EQ(v->identification(), 4660);
  EXPECT_TRUE(v->dont_fragment());
  EXPECT_FALSE(v->more_fragments());
  EXPECT_EQ(v->fragment_offset(), 0);
  EXPECT_EQ(v->ttl(), 64);
  EXPECT_EQ(v->protocol(), 17);
  EXPECT_EQ(v->checksum(), 65125);
  EXPECT_EQ(v->src(), Address(64496, 0xc0000201));
  EXPECT_EQ(v->src().asn(), 64496u);
  EXPECT_EQ(v->dst(), Address(65533, 0xc6336407));
  EXPECT_EQ(v->header().size(), 28u);
  EXPECT_EQ(v->payload().size(), 12u);
  EXPECT_TRUE(v->checksum_ok());
  EXPECT_EQ(naive_checksum(v->header()), 0);
}

TEST(Ipv8Header, UdpChecksumUsesTheSixtyFourBitPseudoHeader) {
  auto v = HeaderView<Bytes>::checked(bs(kPkt));
  ASSERT_TRUE(v);
  auto u = inet::UdpView<Bytes>::checked(v->payload());
  ASSERT_TRUE(u);
  EXPECT_EQ(u->checksum(), 39866);  // packets.tsv udp.checksum=39866
  EXPECT_TRUE(u->checksum_ok(v->pseudo_header(17, 12)));
  EXPECT_TRUE(u->checksum_ok(pseudo64(kPkt, 17, 12)));
  // Not the IPv4 pseudo-header of the host parts alone.
  EXPECT_FALSE(u->checksum_ok(base::checksum::ipv4_pseudo_header(0xc0000201, 0xc6336407, 17, 12)));
  auto r = HeaderRepr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pseudo_header(17, 12).fold(), pseudo64(kPkt, 17, 12).fold());
}

TEST(Ipv8Header, ReprParseAndEmitExactly) {
  auto v = HeaderView<Bytes>::checked(bs(kPkt));
  ASSERT_TRUE(v);
  auto r = HeaderRepr::parse(*v);
  ASSERT_TRUE(r) << err(r);
  HeaderRepr want;
  want.src = Address(64496, 0xc0000201);
  want.dst = Address(65533, 0xc6336407);
  want.protocol = 17;
  want.ttl = 64;
  want.identification = 0x1234;
  want.dont_fragment = true;
  want.payload_len = 12;
  EXPECT_EQ(*r, want);
  EXPECT_EQ(want.buffer_len(), 40u);
  EXPECT_EQ(HeaderRepr::header_len(), 28u);
  Buf out(32, std::byte{0xab});
  want.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 28), slice(kPkt, 0, 28));
  EXPECT_EQ(out[28], std::byte{0xab});
}

TEST(Ipv8Header, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "ipv8.version", 0},  {2, "ipv8.tos", 1},     {4, "ipv8.len", 2},     {6, "ipv8.id", 4},
                     {8, "ipv8.flags", 6},    {9, "ipv8.ttl", 8},     {10, "ipv8.proto", 9},  {12, "ipv8.checksum", 10},
                     {16, "ipv8.src.r", 12},  {20, "ipv8.src.h", 16}, {24, "ipv8.dst.r", 20}, {28, "ipv8.dst.h", 24},
                     {40, "ipv8.payload", 28}};
  EXPECT_EQ(sweep(0, kPkt.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(HeaderView<Bytes>::checked(bs(kPkt, n))),
                                     expect(WireErrc::truncated, b->field, b->offset)};
                  }),
            "");
}

TEST(Ipv8Header, IhlOtherThanSevenIsRefused) {
  for (int ihl : {0, 5, 6, 8, 10, 15}) {
    Buf b = kPkt;
    b[0] = static_cast<std::byte>(0x80 | ihl);
    EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::bad_header_length, "ipv8.hdr_len", 0)) << ihl;
  }
}

TEST(Ipv8Header, VersionOtherThanEightIsRefused) {
  for (int ver : {4, 6, 7, 9}) {
    Buf b = kPkt;
    b[0] = static_cast<std::byte>((ver << 4) | 7);
    EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::bad_version, "ipv8.version", 0)) << ver;
  }
}

TEST(Ipv8Header, TotalLengthOutOfRange) {
  Buf b = kPkt;
  b[3] = std::byte{27};
  EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::bad_length, "ipv8.len", 2));
  b[3] = std::byte{41};
  EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(b))), expect(WireErrc::truncated, "ipv8.payload", 28));
  b[3] = std::byte{28};  // a bare header is fine
  auto v = HeaderView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->payload().size(), 0u);
  Buf padded = kPkt;
  padded.resize(60);
  auto p = HeaderView<Bytes>::checked(bs(padded));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 40u);
}

TEST(Ipv8Header, BadChecksumAndReservedFlagAreRefused) {
  Buf b = kPkt;
  b[8] = std::byte{63};  // TTL changed, checksum stale
  auto v = HeaderView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->checksum_ok());
  EXPECT_EQ(err(HeaderRepr::parse(*v)), expect(WireErrc::bad_checksum, "ipv8.checksum", 10));
  // The checksum covers all 28 bytes: a changed destination host is caught too.
  Buf d = kPkt;
  d[27] = std::byte{8};
  auto dv = HeaderView<Bytes>::checked(bs(d));
  ASSERT_TRUE(dv);
  EXPECT_EQ(err(HeaderRepr::parse(*dv)), expect(WireErrc::bad_checksum, "ipv8.checksum", 10));
  Buf r = kPkt;
  r[6] = std::byte{0xc0};
  refill(r);
  auto rv = HeaderView<Bytes>::checked(bs(r));
  ASSERT_TRUE(rv);
  EXPECT_EQ(err(HeaderRepr::parse(*rv)), expect(WireErrc::reserved_nonzero, "ipv8.flags", 6));
}

TEST(Ipv8Header, SettersRecomputeTheChecksum) {
  Buf b = kPkt;
  const auto v = HeaderView<MutBytes>::unchecked(MutBytes(b.data(), b.size()));
  v.set_ttl(63);
  v.fill_checksum();
  EXPECT_EQ(b[8], std::byte{63});
  EXPECT_EQ(naive_checksum(Bytes(b.data(), 28)), 0);
  v.set_checksum(0);
  EXPECT_EQ(b[10], std::byte{0});
}

TEST(Ipv8Header, RandomizedRoundTrip) {
  std::mt19937_64 rng(0x87);
  for (int i = 0; i < 3000; ++i) {
    HeaderRepr r;
    r.src = Address::from_uint(rng());
    r.dst = Address::from_uint(rng());
    r.protocol = static_cast<u8>(rng());
    r.tos = static_cast<u8>(rng());
    r.ttl = static_cast<u8>(rng());
    r.identification = static_cast<u16>(rng());
    r.dont_fragment = (rng() & 1) != 0;
    r.more_fragments = (rng() & 1) != 0;
    r.fragment_offset = static_cast<u16>(rng() & 0x1fff);
    r.payload_len = static_cast<u16>(rng() % 64);
    Buf b(r.buffer_len());
    r.emit(MutBytes(b.data(), b.size()));
    EXPECT_EQ(b[0], std::byte{0x87});
    EXPECT_EQ(naive_checksum(Bytes(b.data(), 28)), 0);
    auto v = HeaderView<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v);
    auto p = HeaderRepr::parse(*v);
    ASSERT_TRUE(p) << err(p);
    EXPECT_EQ(*p, r);
    const u16 len = static_cast<u16>(rng());
    EXPECT_EQ(p->pseudo_header(6, len).fold(), pseudo64(b, 6, len).fold());
    EXPECT_EQ(v->pseudo_header(6, len).fold(), pseudo64(b, 6, len).fold());
  }
}

// --- ICMPv8 ----------------------------------------------------------------------------

Buf emit(const IcmpRepr& r) {
  Buf out(r.buffer_len(), std::byte{0x5a});
  r.emit(MutBytes(out.data(), out.size()));
  return out;
}

TEST(Icmpv8, EchoRequest) {
  auto r = IcmpRepr::parse(bs(kEcho));
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->type, 8);
  EXPECT_EQ(r->code, 0);
  EXPECT_EQ(r->echo_id, 7);
  EXPECT_EQ(r->echo_seq, 9);
  EXPECT_EQ(r->data.size(), 9u);
  EXPECT_EQ(emit(*r), kEcho);
  const Buf data = hex("697076382d70696e67");
  IcmpRepr f;
  f.type = 8;
  f.echo_id = 7;
  f.echo_seq = 9;
  f.data = bs(data);
  EXPECT_EQ(f, *r);
  EXPECT_EQ(emit(f), kEcho);
}

TEST(Icmpv8, RedirectCarriesASixtyFourBitGateway) {
  auto r = IcmpRepr::parse(bs(kRedirect));
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->type, 5);
  EXPECT_EQ(r->code, 1);
  EXPECT_EQ(r->gateway, Address(64496, 0xc00002fe));
  EXPECT_EQ(r->data.size(), 36u);  // IPv8 header + 8 bytes
  EXPECT_EQ(r->data[0], std::byte{0x87});
  EXPECT_EQ(kIcmpRedirectDataOffset, 12u);
  EXPECT_EQ(r->buffer_len(), kRedirect.size());
  EXPECT_EQ(emit(*r), kRedirect);
}

TEST(Icmpv8, ErrorsQuoteTheIpv8HeaderAndEightBytes) {
  auto f = IcmpRepr::parse(bs(kFragNeeded));
  ASSERT_TRUE(f) << err(f);
  EXPECT_EQ(f->type, 3);
  EXPECT_EQ(f->code, 4);
  EXPECT_EQ(f->next_hop_mtu, 1400);
  EXPECT_EQ(f->data.size(), 36u);
  EXPECT_EQ(emit(*f), kFragNeeded);
  auto p = IcmpRepr::parse(bs(kParamProblem));
  ASSERT_TRUE(p) << err(p);
  EXPECT_EQ(p->type, 12);
  EXPECT_EQ(p->pointer, 9);
  EXPECT_EQ(emit(*p), kParamProblem);
  // The quoted header is a whole IPv8 header.
  auto q = HeaderView<Bytes>::checked(Bytes(f->data.data(), f->data.size()));
  EXPECT_FALSE(q);  // total length 40 > 36 quoted
  EXPECT_TRUE(HeaderView<Bytes>::unchecked(f->data).checksum_ok());
}

TEST(Icmpv8, TruncationSweepNamesTheMissingField) {
  const char* names[] = {"icmpv8.type", "icmpv8.code", "icmpv8.checksum", "icmpv8.checksum"};
  for (const Buf* m : {&kEcho, &kRedirect, &kFragNeeded, &kParamProblem}) {
    EXPECT_EQ(sweep(0, 4,
                    [&](std::size_t n) {
                      return std::pair{err(IcmpRepr::parse(bs(*m, n), false)),
                                       expect(WireErrc::truncated, names[n], n < 2 ? n : 2)};
                    }),
              "");
  }
  for (const Buf* m : {&kEcho, &kFragNeeded, &kParamProblem}) {
    EXPECT_EQ(
        sweep(4, 8,
              [&](std::size_t n) {
                return std::pair{err(IcmpRepr::parse(bs(*m, n), false)), expect(WireErrc::truncated, "icmpv8.rest", 4)};
              }),
        "");
  }
}

// IPV8-5: the Redirect gateway is 8 bytes after the checksum; a Redirect cut anywhere in
// bytes 4-11 lacks the gateway.
TEST(Icmpv8, TruncatedRedirectLacksTheGateway) {
  EXPECT_EQ(sweep(4, 12,
                  [&](std::size_t n) {
                    return std::pair{err(IcmpRepr::parse(bs(kRedirect, n), false)),
                                     expect(WireErrc::truncated, "icmpv8.gateway", 4)};
                  }),
            "");
}

TEST(Icmpv8, BadChecksumIsRefusedUnlessSkipped) {
  for (const Buf* m : {&kEcho, &kRedirect, &kFragNeeded}) {
    Buf b = *m;
    b.back() = static_cast<std::byte>(static_cast<u8>(b.back()) ^ 2);
    EXPECT_EQ(err(IcmpRepr::parse(bs(b))), expect(WireErrc::bad_checksum, "icmpv8.checksum", 2));
    EXPECT_TRUE(IcmpRepr::parse(bs(b), false));
  }
}

// IPV8-5: ICMPv4 types and layouts. A type nextip does not model (Timestamp, 13: id and
// sequence in bytes 4-7) comes back out byte for byte, as the ICMPv4 codec's rest_raw does.
TEST(Icmpv8, UnmodelledTypeKeepsItsFourBytes) {
  const Buf ts = hex("0d00c2a212340005000102030405060708090a0b");
  auto r = IcmpRepr::parse(bs(ts));
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->type, 13);
  EXPECT_EQ(emit(*r), ts);
}

TEST(Icmpv8, RandomizedRoundTrip) {
  std::mt19937_64 rng(0x1c8);
  const u8 types[] = {0, 3, 5, 8, 11, 12};
  for (int i = 0; i < 3000; ++i) {
    Buf data(rng() % 60);
    for (auto& x : data) x = static_cast<std::byte>(rng());
    IcmpRepr r;
    r.type = types[rng() % std::size(types)];
    r.code = static_cast<u8>(rng() % 6);
    r.data = bs(data);
    switch (r.type) {
      case 0:
      case 8:
        r.echo_id = static_cast<u16>(rng());
        r.echo_seq = static_cast<u16>(rng());
        break;
      case 3:
        if (r.code == 4) r.next_hop_mtu = static_cast<u16>(rng());
        break;
      case 5: r.gateway = Address::from_uint(rng()); break;
      case 12: r.pointer = static_cast<u8>(rng()); break;
      default: break;
    }
    const Buf b = emit(r);
    EXPECT_EQ(naive_checksum(bs(b)), 0);
    auto p = IcmpRepr::parse(bs(b));
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i;
    EXPECT_EQ(emit(*p), b);
  }
}

}  // namespace
}  // namespace nextip::ipv8

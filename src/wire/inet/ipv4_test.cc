// IPv4 header (RFC 791): Ipv4View, Ipv4OptionWalker and Ipv4Repr against fixed vectors
// (tests/vectors/packets.tsv and vectors computed independently), a truncation sweep,
// every refusal rule and randomized Repr round trips.
#include "wire/inet/ipv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace nextip::inet {
namespace {

using Buf = std::vector<std::byte>;

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

template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}

std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}

// RFC 1071, written out independently of base::checksum.
u16 naive_checksum(Bytes b) {
  u32 s = 0;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    const u32 hi = static_cast<u32>(b[i]);
    const u32 lo = i + 1 < b.size() ? static_cast<u32>(b[i + 1]) : 0u;
    s += (hi << 8) | lo;
  }
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<u16>(~s & 0xffff);
}

// Recomputes the header checksum of a hand-edited header.
void refill(Buf& b) {
  const std::size_t hl = (static_cast<std::size_t>(b[0]) & 0xf) * 4;
  b[10] = std::byte{0};
  b[11] = std::byte{0};
  const u16 c = naive_checksum(Bytes(b.data(), hl));
  b[10] = static_cast<std::byte>(c >> 8);
  b[11] = static_cast<std::byte>(c & 0xff);
}

// 001 §12.7.1, the IPv4 output (tests/vectors/packets.tsv "12.7.1-ipv4-tcp").
const Buf kTcp = hex(
    "4500008c0000000040068e36c0000201c6336401c000005000000001000000015018ffff67120000000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40414243444546"
    "4748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263");
// The outer IPv4 of "12.3-geneve-asip": DF set, id 0x2222, UDP (header only here).
const Buf kGeneveOuter = hex("450000c422224000401129d7c00002fec63364fe");
// IHL 7: NOP, Router Alert (94 04 00 00), EOL, padding; MF with offset 185; id 0xabcd;
// TTL 17, protocol 253, 10.0.0.1 -> 10.0.0.2, payload "opts". Checksum computed by an
// independent RFC 1071 implementation.
const Buf kOpts = hex("47000020abcd20b911fdc0c40a0000010a00000201940400000000006f707473");

TEST(Ipv4Header, DeconstructSection1271Vector) {
  auto v = Ipv4View<Bytes>::checked(bs(kTcp));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->version(), 4);
  EXPECT_EQ(v->ihl(), 5);
  EXPECT_EQ(v->header_len(), 20u);
  EXPECT_EQ(v->tos(), 0);
  EXPECT_EQ(v->total_length(), 140);
  EXPECT_EQ(v->identification(), 0);
  EXPECT_EQ(v->flags_fragment(), 0);
  EXPECT_FALSE(v->reserved_flag());
  EXPECT_FALSE(v->dont_fragment());
  EXPECT_FALSE(v->more_fragments());
  EXPECT_EQ(v->fragment_offset(), 0);
  EXPECT_FALSE(v->is_fragment());
  EXPECT_EQ(v->ttl(), 64);
  EXPECT_EQ(v->protocol(), proto::kTcp);
  EXPECT_EQ(v->checksum(), 36406);  // packets.tsv: ip.checksum=36406
  EXPECT_EQ(v->src(), Ipv4Address(192, 0, 2, 1));
  EXPECT_EQ(v->dst(), Ipv4Address(198, 51, 100, 1));
  EXPECT_TRUE(v->checksum_ok());
  EXPECT_EQ(v->options().size(), 0u);
  EXPECT_EQ(v->header().size(), 20u);
  ASSERT_EQ(v->payload().size(), 120u);
  EXPECT_EQ(v->payload()[0], std::byte{0xc0});
  EXPECT_EQ(v->size(), 140u);
}

TEST(Ipv4Header, DeconstructDfAndFragmentFields) {
  auto g = Ipv4View<Bytes>::checked(Bytes(kTcp.data(), 20));  // wrong length: total 140
  EXPECT_FALSE(g);
  Buf outer = kGeneveOuter;
  outer.resize(0xc4);
  auto v = Ipv4View<Bytes>::checked(bs(outer));
  ASSERT_TRUE(v) << err(v);
  EXPECT_TRUE(v->dont_fragment());
  EXPECT_FALSE(v->more_fragments());
  EXPECT_EQ(v->identification(), 0x2222);
  EXPECT_EQ(v->protocol(), proto::kUdp);
  EXPECT_EQ(v->checksum(), 0x29d7);
  EXPECT_TRUE(v->checksum_ok());

  auto o = Ipv4View<Bytes>::checked(bs(kOpts));
  ASSERT_TRUE(o) << err(o);
  EXPECT_EQ(o->ihl(), 7);
  EXPECT_EQ(o->header_len(), 28u);
  EXPECT_TRUE(o->more_fragments());
  EXPECT_FALSE(o->dont_fragment());
  EXPECT_EQ(o->fragment_offset(), 185);
  EXPECT_TRUE(o->is_fragment());
  EXPECT_EQ(o->identification(), 0xabcd);
  EXPECT_EQ(o->ttl(), 17);
  EXPECT_EQ(o->protocol(), 253);
  EXPECT_EQ(o->options().size(), 8u);
  EXPECT_EQ(o->payload().size(), 4u);
  EXPECT_EQ(o->payload()[0], std::byte{'o'});
  EXPECT_TRUE(o->checksum_ok());
}

TEST(Ipv4Header, CheckedViewIsCutToTotalLength) {
  Buf padded = kOpts;
  padded.insert(padded.end(), 14, std::byte{0xee});  // Ethernet minimum-frame padding
  auto v = Ipv4View<Bytes>::checked(bs(padded));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->size(), 32u);
  EXPECT_EQ(v->payload().size(), 4u);
}

TEST(Ipv4Header, ReprParseGivesStatedFields) {
  auto v = Ipv4View<Bytes>::checked(bs(kTcp));
  ASSERT_TRUE(v);
  auto r = Ipv4Repr::parse(*v);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->src, Ipv4Address(192, 0, 2, 1));
  EXPECT_EQ(r->dst, Ipv4Address(198, 51, 100, 1));
  EXPECT_EQ(r->protocol, 6);
  EXPECT_EQ(r->tos, 0);
  EXPECT_EQ(r->ttl, 64);
  EXPECT_EQ(r->identification, 0);
  EXPECT_FALSE(r->dont_fragment);
  EXPECT_FALSE(r->more_fragments);
  EXPECT_EQ(r->fragment_offset, 0);
  EXPECT_EQ(r->payload_len, 120);
  EXPECT_EQ(r->options_len, 0);
  EXPECT_EQ(r->header_len(), 20u);
  EXPECT_EQ(r->buffer_len(), 140u);
}

TEST(Ipv4Header, EmitWritesExactlyTheVectorHeader) {
  Ipv4Repr r;
  r.src = Ipv4Address(192, 0, 2, 1);
  r.dst = Ipv4Address(198, 51, 100, 1);
  r.protocol = proto::kTcp;
  r.ttl = 64;
  r.payload_len = 120;
  Buf out(64, std::byte{0xaa});
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_TRUE(std::equal(out.begin(), out.begin() + 20, kTcp.begin()));
  // Nothing after header_len() is touched.
  EXPECT_TRUE(std::all_of(out.begin() + 20, out.end(), [](std::byte b) { return b == std::byte{0xaa}; }));
}

TEST(Ipv4Header, EmitWithOptionsWritesExactlyTheVectorHeader) {
  Ipv4Repr r;
  r.src = Ipv4Address(10, 0, 0, 1);
  r.dst = Ipv4Address(10, 0, 0, 2);
  r.protocol = 253;
  r.ttl = 17;
  r.identification = 0xabcd;
  r.more_fragments = true;
  r.fragment_offset = 185;
  r.payload_len = 4;
  const Buf opts = hex("0194040000000000");
  std::copy(opts.begin(), opts.end(), r.options.begin());
  r.options_len = 8;
  EXPECT_EQ(r.header_len(), 28u);
  Buf out(28, std::byte{0});
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, Buf(kOpts.begin(), kOpts.begin() + 28));
}

TEST(Ipv4Header, ParseEmitParseRoundTripOfVectors) {
  for (const Buf* vec : {&kTcp, &kOpts}) {
    auto v = Ipv4View<Bytes>::checked(bs(*vec));
    ASSERT_TRUE(v);
    auto r = Ipv4Repr::parse(*v);
    ASSERT_TRUE(r) << err(r);
    Buf out(r->buffer_len(), std::byte{0});
    r->emit(MutBytes(out.data(), out.size()));
    std::copy(v->payload().begin(), v->payload().end(), out.begin() + static_cast<std::ptrdiff_t>(r->header_len()));
    EXPECT_EQ(out, *vec);
    auto v2 = Ipv4View<Bytes>::checked(bs(out));
    ASSERT_TRUE(v2);
    auto r2 = Ipv4Repr::parse(*v2);
    ASSERT_TRUE(r2);
    EXPECT_EQ(*r2, *r);
  }
}

TEST(Ipv4Header, FillChecksumMatchesIndependentSum) {
  Buf b = kOpts;
  const auto v = Ipv4View<MutBytes>::unchecked(MutBytes(b.data(), b.size()));
  v.set_checksum(0x1234);
  v.fill_checksum();
  EXPECT_EQ(b, kOpts);
  v.set_ttl(16);
  v.fill_checksum();
  Buf copy = b;
  refill(copy);
  EXPECT_EQ(b, copy);
}

TEST(Ipv4Header, SettersWriteTheirFields) {
  Buf b(20, std::byte{0});
  const auto v = Ipv4View<MutBytes>::unchecked(MutBytes(b.data(), b.size()));
  v.set_version_ihl(5);
  v.set_tos(0xb8);
  v.set_total_length(20);
  v.set_identification(0xbeef);
  v.set_flags_fragment(kIpv4FlagDf | 3);
  v.set_ttl(1);
  v.set_protocol(proto::kIcmp);
  v.set_src(Ipv4Address(1, 2, 3, 4));
  v.set_dst(Ipv4Address(5, 6, 7, 8));
  v.fill_checksum();
  EXPECT_EQ(b[0], std::byte{0x45});
  EXPECT_EQ(b[1], std::byte{0xb8});
  EXPECT_EQ(b[4], std::byte{0xbe});
  EXPECT_EQ(b[6], std::byte{0x40});
  EXPECT_EQ(b[7], std::byte{0x03});
  EXPECT_EQ(b[12], std::byte{1});
  EXPECT_EQ(b[19], std::byte{8});
  auto c = Ipv4View<Bytes>::checked(bs(b));
  ASSERT_TRUE(c) << err(c);
  EXPECT_TRUE(c->checksum_ok());
  EXPECT_EQ(c->fragment_offset(), 3);
}

// Every prefix of a valid packet is refused as truncated, naming the missing field.
TEST(Ipv4Header, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound plain[] = {{1, "ip.version", 0}, {2, "ip.tos", 1},   {4, "ip.len", 2},       {6, "ip.id", 4},
                         {8, "ip.flags", 6},   {9, "ip.ttl", 8},   {10, "ip.proto", 9},    {12, "ip.checksum", 10},
                         {16, "ip.src", 12},   {20, "ip.dst", 16}, {140, "ip.payload", 20}};
  for (std::size_t n = 0; n < kTcp.size(); ++n) {
    const Bound* b = std::find_if(std::begin(plain), std::end(plain), [&](const Bound& x) { return n < x.below; });
    ASSERT_NE(b, std::end(plain));
    EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(kTcp, n))), expect(WireErrc::truncated, b->field, b->offset))
        << "length " << n;
  }
  // With options: the options area, then the payload.
  for (std::size_t n = 20; n < 28; ++n) {
    EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(kOpts, n))), expect(WireErrc::truncated, "ip.options", 20))
        << "length " << n;
  }
  for (std::size_t n = 28; n < kOpts.size(); ++n) {
    EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(kOpts, n))), expect(WireErrc::truncated, "ip.payload", 28))
        << "length " << n;
  }
}

TEST(Ipv4Header, BadVersionIsRefused) {
  for (int ver : {0, 1, 5, 6, 8, 15}) {
    Buf b = kTcp;
    b[0] = static_cast<std::byte>((ver << 4) | 5);
    EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(b))), expect(WireErrc::bad_version, "ip.version", 0)) << ver;
  }
}

TEST(Ipv4Header, IhlBelowFiveIsRefused) {
  for (int ihl = 0; ihl < 5; ++ihl) {
    Buf b = kTcp;
    b[0] = static_cast<std::byte>(0x40 | ihl);
    EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(b))), expect(WireErrc::bad_header_length, "ip.hdr_len", 0)) << ihl;
  }
}

TEST(Ipv4Header, IhlBeyondTheBufferIsTruncatedOptions) {
  Buf b(hex("4f000014000000004006000001020304050607080102"));  // IHL 15, 22 bytes present
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(b))), expect(WireErrc::truncated, "ip.options", 20));
}

TEST(Ipv4Header, TotalLengthBelowHeaderIsBadLength) {
  Buf b = kTcp;
  b[2] = std::byte{0};
  b[3] = std::byte{19};
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(b))), expect(WireErrc::bad_length, "ip.len", 2));
  Buf o = kOpts;  // 24 < IHL 7 header of 28
  o[3] = std::byte{24};
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(o))), expect(WireErrc::bad_length, "ip.len", 2));
}

TEST(Ipv4Header, TotalLengthBeyondTheBufferIsTruncatedPayload) {
  Buf b = kTcp;
  b[3] = std::byte{0x8d};  // 141 > 140 present
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(b))), expect(WireErrc::truncated, "ip.payload", 20));
}

// An options area with `area` at byte 20 (IHL from its size); the total length is the header.
Buf with_options(std::string_view area) {
  Buf b = hex("4500001400000000400600000a0000010a000002");
  const Buf o = hex(area);
  b.insert(b.end(), o.begin(), o.end());
  b[0] = static_cast<std::byte>(0x40 | (b.size() / 4));
  b[3] = static_cast<std::byte>(b.size());
  refill(b);
  return b;
}

TEST(Ipv4Options, LengthZeroOrOneIsBadOption) {
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("94000000")))),
            expect(WireErrc::bad_option, "ip.opt.len", 21));
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("94010000")))),
            expect(WireErrc::bad_option, "ip.opt.len", 21));
  // After a NOP, the length byte is at 22.
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("01940100")))),
            expect(WireErrc::bad_option, "ip.opt.len", 22));
}

TEST(Ipv4Options, LengthPastTheEndOfTheHeaderIsBadOption) {
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("94050000")))),
            expect(WireErrc::bad_option, "ip.opt.len", 21));
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("0101070800000000")))),
            expect(WireErrc::bad_option, "ip.opt.len", 23));
  // The option type is the last byte of the header: its length byte (24) is missing.
  EXPECT_EQ(err(Ipv4View<Bytes>::checked(bs(with_options("01010194")))),
            expect(WireErrc::bad_option, "ip.opt.len", 24));
}

TEST(Ipv4Options, WalkerYieldsEveryOptionThenStopsAtEndOfList) {
  const Buf b = with_options("07070400000000019404000000ffffff");  // RR, NOP, RA, EOL, junk
  auto v = Ipv4View<Bytes>::checked(bs(b));
  ASSERT_TRUE(v) << err(v);
  Ipv4OptionWalker w(bs(b), v->header_len());
  auto o1 = w.next();
  ASSERT_TRUE(o1 && *o1);
  EXPECT_EQ((*o1)->type, 0x07);
  EXPECT_EQ((*o1)->offset, 20u);
  EXPECT_EQ((*o1)->data.size(), 5u);
  EXPECT_EQ((*o1)->data[0], std::byte{0x04});
  auto o2 = w.next();
  ASSERT_TRUE(o2 && *o2);
  EXPECT_EQ((*o2)->type, 1);
  EXPECT_EQ((*o2)->offset, 27u);
  EXPECT_TRUE((*o2)->data.empty());
  auto o3 = w.next();
  ASSERT_TRUE(o3 && *o3);
  EXPECT_EQ((*o3)->type, 0x94);
  EXPECT_EQ((*o3)->offset, 28u);
  EXPECT_EQ((*o3)->data.size(), 2u);
  // End of Option List is reported once; what follows it (even 0xff) is padding.
  auto eol = w.next();
  ASSERT_TRUE(eol && *eol);
  EXPECT_EQ((*eol)->type, 0);
  EXPECT_EQ((*eol)->offset, 32u);
  EXPECT_TRUE((*eol)->data.empty());
  auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  auto again = w.next();
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST(Ipv4Options, WalkerOverNoOptionsIsEmpty) {
  Ipv4OptionWalker w(bs(kTcp), 20);
  auto o = w.next();
  ASSERT_TRUE(o);
  EXPECT_FALSE(*o);
}

TEST(Ipv4Options, OptionFillingTheAreaExactlyIsAccepted) {
  EXPECT_TRUE(Ipv4View<Bytes>::checked(bs(with_options("9404000001010101"))));
  EXPECT_TRUE(Ipv4View<Bytes>::checked(bs(with_options("8628" + std::string(76, '0')))));  // 40-byte option
}

TEST(Ipv4Repr, BadHeaderChecksumIsRefused) {
  Buf b = kTcp;
  b[11] = static_cast<std::byte>(static_cast<u8>(b[11]) ^ 1);
  auto v = Ipv4View<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);  // the view does not check it
  EXPECT_FALSE(v->checksum_ok());
  EXPECT_EQ(err(Ipv4Repr::parse(*v)), expect(WireErrc::bad_checksum, "ip.checksum", 10));
  // A changed field under a stale checksum too.
  Buf c = kOpts;
  c[8] = std::byte{16};
  auto cv = Ipv4View<Bytes>::checked(bs(c));
  ASSERT_TRUE(cv);
  EXPECT_EQ(err(Ipv4Repr::parse(*cv)), expect(WireErrc::bad_checksum, "ip.checksum", 10));
}

TEST(Ipv4Repr, ReservedFlagIsRefused) {
  Buf b = kTcp;
  b[6] = std::byte{0x80};
  refill(b);
  auto v = Ipv4View<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->reserved_flag());
  EXPECT_EQ(err(Ipv4Repr::parse(*v)), expect(WireErrc::reserved_nonzero, "ip.flags", 6));
}

// Options made of NOPs and well-formed TLVs, padded with NOPs to `len` (a multiple of 4).
Buf random_options(std::mt19937_64& rng, std::size_t len) {
  Buf o;
  while (o.size() < len) {
    const std::size_t room = len - o.size();
    if (room < 2 || rng() % 3 == 0) {
      o.push_back(std::byte{1});
      continue;
    }
    const std::size_t l = 2 + rng() % (room - 1);
    o.push_back(static_cast<std::byte>(2 + rng() % 254));
    o.push_back(static_cast<std::byte>(l));
    for (std::size_t i = 2; i < l; ++i) o.push_back(static_cast<std::byte>(rng()));
  }
  return o;
}

TEST(Ipv4Repr, RandomizedRoundTrip) {
  std::mt19937_64 rng(0x1b4);
  for (int i = 0; i < 3000; ++i) {
    Ipv4Repr r;
    r.src = Ipv4Address(static_cast<u32>(rng()));
    r.dst = Ipv4Address(static_cast<u32>(rng()));
    r.protocol = static_cast<u8>(rng());
    r.tos = static_cast<u8>(rng());
    r.ttl = static_cast<u8>(rng());
    r.identification = static_cast<u16>(rng());
    r.dont_fragment = (rng() & 1) != 0;
    r.more_fragments = (rng() & 1) != 0;
    r.fragment_offset = static_cast<u16>(rng() & 0x1fff);
    r.payload_len = static_cast<u16>(rng() % 64);
    r.options_len = static_cast<u8>(4 * (rng() % 11));
    const Buf o = random_options(rng, r.options_len);
    std::copy(o.begin(), o.end(), r.options.begin());
    Buf b(r.buffer_len(), std::byte{0});
    r.emit(MutBytes(b.data(), b.size()));
    for (std::size_t k = r.header_len(); k < b.size(); ++k) b[k] = static_cast<std::byte>(rng());
    EXPECT_EQ(naive_checksum(Bytes(b.data(), r.header_len())), 0) << i;
    auto v = Ipv4View<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v) << " #" << i;
    EXPECT_EQ(v->header_len(), r.header_len());
    auto p = Ipv4Repr::parse(*v);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i;
  }
}

TEST(Ipv4Protocols, NumbersAreIana) {
  EXPECT_EQ(proto::kHopByHop, 0);
  EXPECT_EQ(proto::kIcmp, 1);
  EXPECT_EQ(proto::kTcp, 6);
  EXPECT_EQ(proto::kUdp, 17);
  EXPECT_EQ(proto::kIpv6, 41);
  EXPECT_EQ(proto::kRouting, 43);
  EXPECT_EQ(proto::kFragment, 44);
  EXPECT_EQ(proto::kEsp, 50);
  EXPECT_EQ(proto::kAh, 51);
  EXPECT_EQ(proto::kIcmpv6, 58);
  EXPECT_EQ(proto::kNoNextHeader, 59);
  EXPECT_EQ(proto::kDestinationOptions, 60);
  EXPECT_EQ(proto::kIcmpAsip, 143);  // 001 §15.5
  EXPECT_EQ(proto::kIpv45, 144);     // 003 iana-proto
}

}  // namespace
}  // namespace nextip::inet

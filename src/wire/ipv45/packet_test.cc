// IPv4.5 packets (003 "Packet Format", docs/wire/ipv45.md): the 24-byte fixed header
// (IPV45-3), the flag-scoped extension chain (IPV45-4), the Fragmentation header, the
// upper-layer pseudo-header (IPV45-5) and Mode C framing, from the vectors of
// tests/vectors/packets.tsv and vectors computed independently.
#include "wire/ipv45/packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace nextip::ipv45 {
namespace {

using Buf = std::vector<std::byte>;
using base::u16;
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
template <class T>
std::string code(const WireResult<T>& r) {
  return r ? "ok" : std::string(base::code_name(r.error().code));
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

// packets.tsv "ipv45-modec-echo": outer IPv4 (IHL 5, UDP, TTL 64, DF) 203.0.113.1 ->
// 198.51.100.2, UDP 4242 -> 4242, an ECHO request (Type 3) with flow label 0x1234, Next
// Header 0xFF, 0x1234/DEAD:BEEF:0001 -> 0x0100/0000:0000:0042, body id 7 seq 1 "ping".
const Buf kModeC =
    hex("45000040000040004011d475cb007101c633640210921092002cc2cb1340000cff0012341234deadbeef00010100000000000042010000"
        "07000000"
        "0170696e67");
// The 24-byte fixed headers of "ipv45-client-hello", "ipv45-frag-first" (+ its Fragmentation
// header) and "ipv45-frag-last" (+ its Fragmentation header).
constexpr std::string_view kHelloHeader = "114004e4ff0000011234deadbeef00010100000000000042";
constexpr std::string_view kFirstHeader = "114004b8035000011234deadbeef00010100000000000042ff00000111223344";
constexpr std::string_view kLastHeader = "1140003c034000011234deadbeef00010100000000000042ff0004b011223344";
// DATA carrying UDP 5000 -> 53 "v4.5"; its checksum is over the IPV45-5 pseudo-header of
// 203.0.113.1::1234::DEAD:BEEF:0001 -> 198.51.100.2::0100::0000:0000:0042 (computed independently).
const Buf kUdp = hex("1040000c110012341234deadbeef0001010000000000004213880035000c306376342e35");

// The Client Hello body of packets.tsv: subtype 1, identity 0, suites 1 and 2, nonce 0x11…,
// X25519 0x22…, ML-KEM ek byte i = 7i mod 256 (the vector's bytes, generated).
Buf hello_body() {
  Buf b = hex("01000102");
  b.insert(b.end(), 32, std::byte{0x11});
  b.insert(b.end(), 32, std::byte{0x22});
  for (std::size_t i = 0; i < 1184; ++i) b.push_back(static_cast<std::byte>((7 * i) & 0xff));
  return b;
}

// A fixed header with the Client Hello's addresses: `type`, `flags`, `nh`, and `payload`.
Buf packet(u8 type, u8 flags, u8 nh, const Buf& payload) {
  Buf b = hex(kHelloHeader);
  b[0] = static_cast<std::byte>(0x10 | type);
  b[2] = static_cast<std::byte>(payload.size() >> 8);
  b[3] = static_cast<std::byte>(payload.size() & 0xff);
  b[4] = static_cast<std::byte>(nh);
  b[5] = static_cast<std::byte>(flags);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
WireResult<Chain> chain(u8 flags, u8 nh, const Buf& payload) {
  const Buf p = packet(0, flags, nh, payload);
  auto h = HeaderView<Bytes>::checked(bs(p));
  EXPECT_TRUE(h) << err(h);
  if (!h) return nextip::unexpected(h.error());
  return walk_chain(*h);
}
WireResult<HeaderRepr> parse_header(const Buf& p) {
  auto h = HeaderView<Bytes>::checked(bs(p));
  if (!h) return nextip::unexpected(h.error());
  return HeaderRepr::parse(*h);
}

// Generic headers (docs/wire/ipv45.md): NH, length (8-octet units after the first 8),
// flags (0x80 E: NH is an extension type), reserved, 4 + 8·len bytes of data.
constexpr std::string_view kPad4 = "01020000";  // PadN over the 4 data bytes
std::string generic(u8 next, bool e) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s += kHex[next >> 4];
  s += kHex[next & 0xf];
  s += e ? "008000" : "000000";
  s += kPad4;
  return s;
}

TEST(Ipv45Header, DeconstructModeCEchoVector) {
  auto m = parse_mode_c(bs(kModeC));
  ASSERT_TRUE(m) << err(m);
  const HeaderView<Bytes>& h = m->header;
  EXPECT_EQ(h.version(), 1);
  EXPECT_EQ(h.type(), 3);
  EXPECT_EQ(h.hop_limit(), 64);
  EXPECT_EQ(h.payload_length(), 12);
  EXPECT_EQ(h.next_header(), 0xff);
  EXPECT_EQ(h.flags(), 0);
  EXPECT_EQ(h.flow_label(), 4660);
  EXPECT_EQ(h.src_site(), 4660);
  EXPECT_EQ(h.src_eid(), 0xdeadbeef0001u);
  EXPECT_EQ(h.dst_site(), 256);
  EXPECT_EQ(h.dst_eid(), 0x42u);
  EXPECT_EQ(h.payload().size(), 12u);
  EXPECT_EQ(m->src(), Address::parse("203.0.113.1::1234::DEAD:BEEF:0001").value());
  EXPECT_EQ(m->dst(), Address::parse("198.51.100.2::0100::0000:0000:0042").value());
  EXPECT_TRUE(m->ip.dont_fragment());
  EXPECT_EQ(m->ip.ttl(), 64);
  EXPECT_EQ(m->udp.src_port(), kPort);
  EXPECT_EQ(m->udp.dst_port(), kPort);
  auto r = HeaderRepr::parse(h);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->type, Type::echo);
  EXPECT_EQ(r->src(0xcb007101), m->src());
  EXPECT_EQ(r->dst(0xc6336402), m->dst());
  auto c = walk_chain(h);
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper, 0xff);  // the Type's body follows
  EXPECT_EQ(c->upper_offset, 0u);
  EXPECT_EQ(c->count, 0);
}

TEST(Ipv45Header, ReprEmitsTheVectorHeadersExactly) {
  HeaderRepr r;
  r.type = Type::handshake;
  r.hop_limit = 64;
  r.payload_len = 1252;
  r.next_header = 0xff;
  r.flags = 0;
  r.flow_label = 1;
  r.src_site = 0x1234;
  r.src_eid = 0xdeadbeef0001;
  r.dst_site = 0x0100;
  r.dst_eid = 0x42;
  EXPECT_EQ(r.buffer_len(), 1276u);
  EXPECT_EQ(HeaderRepr::header_len(), 24u);
  Buf out(26, std::byte{0x77});
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 24), hex(kHelloHeader));
  EXPECT_EQ(out[24], std::byte{0x77});
  // The first fragment's header: F|M, NH 0x03.
  r.payload_len = 1208;
  r.next_header = ext::kFragmentation;
  r.flags = flag::kF | flag::kM;
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 24), slice(hex(kFirstHeader), 0, 24));
  // Parse gives back the same Repr.
  const Buf p = packet(1, 0, 0xff, hello_body());
  auto back = parse_header(p);
  ASSERT_TRUE(back) << err(back);
  EXPECT_EQ(back->payload_len, 1252);
  EXPECT_EQ(back->type, Type::handshake);
  EXPECT_EQ(back->flow_label, 1);
  // The EID is 48 bits: higher bits given to emit are not written over the site.
  HeaderRepr wide = r;
  wide.src_eid = 0xffff'0000'0000'0001;
  wide.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 8, 8), hex("1234000000000001"));
}

TEST(Ipv45Header, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "ipv45.version", 0},   {2, "ipv45.hlim", 1},      {4, "ipv45.plen", 2},
                     {5, "ipv45.nh", 4},        {6, "ipv45.flags", 5},     {8, "ipv45.flow", 6},
                     {10, "ipv45.src.site", 8}, {16, "ipv45.src.eid", 10}, {18, "ipv45.dst.site", 16},
                     {24, "ipv45.dst.eid", 18}, {36, "ipv45.payload", 24}};
  const Buf p = slice(kModeC, 28, 36);
  EXPECT_EQ(sweep(0, p.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(HeaderView<Bytes>::checked(bs(p, n))),
                                     expect(WireErrc::truncated, b->field, b->offset)};
                  }),
            "");
}

TEST(Ipv45Header, VersionOtherThanOneIsDiscarded) {
  for (int ver : {0, 2, 4, 6, 8, 15}) {
    Buf p = slice(kModeC, 28, 36);
    p[0] = static_cast<std::byte>((ver << 4) | 3);
    EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(p))), expect(WireErrc::bad_version, "ipv45.version", 0)) << ver;
  }
}

TEST(Ipv45Header, PayloadLengthBeyondTheBuffer) {
  Buf p = slice(kModeC, 28, 36);
  p[3] = std::byte{13};
  EXPECT_EQ(err(HeaderView<Bytes>::checked(bs(p))), expect(WireErrc::truncated, "ipv45.payload", 24));
  Buf padded = slice(kModeC, 28, 36);
  padded.push_back(std::byte{0});
  auto h = HeaderView<Bytes>::checked(bs(padded));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 36u);
}

TEST(Ipv45Header, UnassignedAndReservedTypesAreDropped) {
  for (u8 t = 0; t <= 5; ++t) {
    EXPECT_TRUE(is_assigned(t));
    EXPECT_TRUE(parse_header(packet(t, 0, 0xff, {}))) << int{t};
  }
  for (u8 t = 6; t <= 14; ++t) {
    EXPECT_FALSE(is_assigned(t));
    EXPECT_EQ(err(parse_header(packet(t, 0, 0xff, {}))), expect(WireErrc::unknown_type, "ipv45.type", 0)) << int{t};
  }
  EXPECT_EQ(err(parse_header(packet(15, 0, 0xff, {}))), expect(WireErrc::unknown_type, "ipv45.type", 0));
}

TEST(Ipv45Header, ReservedFlagBitsAreRefused) {
  for (u8 f : {u8{0x01}, u8{0x02}, u8{0x03}}) {
    EXPECT_EQ(err(parse_header(packet(0, f, 17, {}))), expect(WireErrc::reserved_nonzero, "ipv45.flags", 5)) << int{f};
  }
}

TEST(Ipv45Header, CompressionFlagIsRefused) {
  EXPECT_EQ(err(parse_header(packet(0, flag::kC, 17, {}))), expect(WireErrc::bad_value, "ipv45.flags.c", 5));
}

TEST(Ipv45Header, MoreFragmentsWithoutFIsRefused) {
  EXPECT_EQ(err(parse_header(packet(0, flag::kM, 17, {}))), expect(WireErrc::bad_value, "ipv45.flags.m", 5));
  EXPECT_EQ(err(parse_header(packet(0, flag::kM | flag::kX, 0, {}))), expect(WireErrc::bad_value, "ipv45.flags.m", 5));
  EXPECT_TRUE(parse_header(packet(0, flag::kM | flag::kF, 3, {})));
}

TEST(Ipv45Header, EAndNAreCarried) {
  auto r = parse_header(packet(0, flag::kE | flag::kN, 17, {}));
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->flags, flag::kE | flag::kN);
}

TEST(Ipv45Header, NamesAndConstants) {
  EXPECT_EQ(name(Type::data), "DATA");
  EXPECT_EQ(name(Type::handshake), "HANDSHAKE");
  EXPECT_EQ(name(Type::control), "CONTROL");
  EXPECT_EQ(name(Type::echo), "ECHO");
  EXPECT_EQ(name(Type::error), "ERROR");
  EXPECT_EQ(name(Type::keepalive), "KEEPALIVE");
  EXPECT_EQ(kHeaderLen, 24u);
  EXPECT_EQ(kMinModeCPayload, 1228u);  // 1280 - 20 - 8 - 24
  EXPECT_EQ(kPort, 4242);
  EXPECT_EQ(kProtocolNumber, 144);
}

TEST(Ipv45Header, RandomizedRoundTrip) {
  std::mt19937_64 rng(45);
  const u8 flag_sets[] = {0,
                          flag::kE,
                          flag::kN,
                          flag::kF,
                          flag::kF | flag::kM,
                          flag::kX,
                          flag::kF | flag::kX,
                          flag::kE | flag::kF | flag::kM | flag::kX | flag::kN};
  for (int i = 0; i < 3000; ++i) {
    HeaderRepr r;
    r.type = static_cast<Type>(rng() % 6);
    r.hop_limit = static_cast<u8>(rng());
    r.payload_len = static_cast<u16>(rng() % 64);
    r.next_header = static_cast<u8>(rng());
    r.flags = flag_sets[rng() % std::size(flag_sets)];
    r.flow_label = static_cast<u16>(rng());
    r.src_site = static_cast<u16>(rng());
    r.src_eid = rng() & kEidMask;
    r.dst_site = static_cast<u16>(rng());
    r.dst_eid = rng() & kEidMask;
    Buf b(r.buffer_len());
    r.emit(MutBytes(b.data(), b.size()));
    auto p = parse_header(b);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i;
  }
}

// --- the chain (IPV45-4) ----------------------------------------------------------------

TEST(Ipv45Chain, NoFlagsMeansUpperLayerDirectly) {
  auto c = chain(0, 17, hex("13880035000800ff"));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->upper, 17);
  EXPECT_EQ(c->upper_offset, 0u);
  EXPECT_EQ(c->count, 0);
  EXPECT_FALSE(c->fragment);
  // Without F and X, 0x03 is an upper-layer number (GGP), not a Fragmentation header.
  auto g = chain(0, 3, hex("00"));
  ASSERT_TRUE(g) << err(g);
  EXPECT_EQ(g->upper, 3);
  EXPECT_FALSE(g->fragment);
}

TEST(Ipv45Chain, GenericHeadersChainByTheirEBit) {
  // X: Hop-by-Hop (E, next 0x06) -> Destination Options (no E, next 17 = UDP).
  auto c = chain(flag::kX, ext::kHopByHop, cat({generic(0x06, true), generic(17, false), "13880035000800ff"}));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->count, 2);
  EXPECT_EQ(c->headers[0].type, ext::kHopByHop);
  EXPECT_EQ(c->headers[0].offset, 0);
  EXPECT_EQ(c->headers[0].length, 8);
  EXPECT_EQ(c->headers[1].type, ext::kDestinationOptions);
  EXPECT_EQ(c->headers[1].offset, 8);
  EXPECT_EQ(c->bytes, 16u);
  EXPECT_EQ(c->upper, 17);
  EXPECT_EQ(c->upper_offset, 16u);
  EXPECT_FALSE(c->fragment);
  // A longer generic header: length 2 -> 24 bytes.
  auto l = chain(flag::kX, ext::kRouting, cat({"06020000", std::string(40, '0'), "c0000050"}));
  ASSERT_TRUE(l) << err(l);
  EXPECT_EQ(l->headers[0].length, 24);
  EXPECT_EQ(l->upper, 6);
  EXPECT_EQ(l->upper_offset, 24u);
}

TEST(Ipv45Chain, GenericThenFragmentationLast) {
  auto c = chain(flag::kF | flag::kX | flag::kM, ext::kHopByHop,
                 cat({generic(ext::kFragmentation, true), "ff000001a1b2c3d4", "0102030405060708"}));
  ASSERT_TRUE(c) << err(c);
  EXPECT_EQ(c->count, 2);
  EXPECT_EQ(c->headers[1].type, ext::kFragmentation);
  EXPECT_EQ(c->headers[1].offset, 8);
  EXPECT_EQ(c->headers[1].length, 8);
  ASSERT_TRUE(c->fragment);
  EXPECT_EQ(c->fragment->next_header, 0xff);
  EXPECT_EQ(c->fragment->fragment_offset, 0);
  EXPECT_TRUE(c->fragment->more);
  EXPECT_EQ(c->fragment->identification, 0xa1b2c3d4u);
  EXPECT_EQ(c->fragment->offset, 8u);
  EXPECT_EQ(c->upper, 0xff);
  EXPECT_EQ(c->upper_offset, 16u);
  EXPECT_EQ(c->bytes, 16u);
}

TEST(Ipv45Chain, FragmentsOfTheClientHello) {
  const Buf body = hello_body();
  Buf first = hex(kFirstHeader);
  first.insert(first.end(), body.begin(), body.begin() + 1200);
  auto h = HeaderView<Bytes>::checked(bs(first));
  ASSERT_TRUE(h) << err(h);
  EXPECT_EQ(h->payload_length(), 1208);
  EXPECT_EQ(h->flags(), 80);  // packets.tsv ipv45.flags=80: F|M
  auto c = walk_chain(*h);
  ASSERT_TRUE(c) << err(c);
  ASSERT_TRUE(c->fragment);
  EXPECT_EQ(c->fragment->next_header, 255);
  EXPECT_EQ(c->fragment->fragment_offset, 0);
  EXPECT_TRUE(c->fragment->more);
  EXPECT_EQ(c->fragment->identification, 287454020u);
  EXPECT_EQ(c->upper, 0xff);
  EXPECT_EQ(c->upper_offset, 8u);
  EXPECT_TRUE(HeaderRepr::parse(*h));

  Buf last = hex(kLastHeader);
  last.insert(last.end(), body.begin() + 1200, body.end());
  auto lh = HeaderView<Bytes>::checked(bs(last));
  ASSERT_TRUE(lh) << err(lh);
  EXPECT_EQ(lh->flags(), 64);
  auto lc = walk_chain(*lh);
  ASSERT_TRUE(lc) << err(lc);
  EXPECT_EQ(lc->fragment->fragment_offset * 8u, 1200u);  // packets.tsv ipv45.frag.offset=1200
  EXPECT_FALSE(lc->fragment->more);
  EXPECT_EQ(lc->fragment->identification, 287454020u);
  EXPECT_EQ(lh->payload().size() - lc->upper_offset, 52u);
}

TEST(Ipv45Chain, FragmentationHeaderIsEmittedExactly) {
  Buf out(10, std::byte{0xee});
  emit_fragment_header(MutBytes(out.data(), out.size()), FragmentHeader{0xff, 150, false, 0x11223344, 0});
  EXPECT_EQ(out, hex("ff0004b011223344eeee"));
  emit_fragment_header(MutBytes(out.data(), out.size()), FragmentHeader{0xff, 0, true, 0x11223344, 0});
  EXPECT_EQ(slice(out, 0, 8), hex("ff00000111223344"));
}

TEST(Ipv45Chain, FWithoutAFragmentationHeaderIsMalformed) {
  // F|X, the generic header ends the chain (no E): no Fragmentation header.
  EXPECT_EQ(err(chain(flag::kF | flag::kX, ext::kHopByHop, cat({generic(17, false), "00000000"}))),
            expect(WireErrc::bad_value, "ipv45.flags.f", 5));
  // F alone with an upper-layer Next Header.
  EXPECT_EQ(code(chain(flag::kF, 17, hex("13880035000800ff"))), "bad_value");
  EXPECT_EQ(code(chain(flag::kF, 0xff, {})), "bad_value");
}

TEST(Ipv45Chain, FragmentationHeaderWithoutFIsMalformed) {
  // X only, the generic header points (E) at a Fragmentation header.
  EXPECT_EQ(err(chain(flag::kX, ext::kHopByHop, cat({generic(3, true), "ff00000011223344"}))),
            expect(WireErrc::bad_value, "ipv45.flags.f", 5));
  EXPECT_EQ(err(chain(flag::kX, ext::kFragmentation, hex("ff00000011223344"))),
            expect(WireErrc::bad_value, "ipv45.flags.f", 5));
}

TEST(Ipv45Chain, XWithoutAGenericHeaderIsMalformed) {
  EXPECT_EQ(err(chain(flag::kF | flag::kX, ext::kFragmentation, hex("ff00000011223344"))),
            expect(WireErrc::bad_value, "ipv45.flags.x", 5));
  EXPECT_EQ(code(chain(flag::kX, 17, hex("13880035000800ff"))), "bad_value");
}

TEST(Ipv45Chain, GenericHeaderWithoutXIsMalformed) {
  EXPECT_EQ(err(chain(flag::kF, ext::kHopByHop, cat({generic(3, true), "ff00000011223344"}))),
            expect(WireErrc::bad_value, "ipv45.flags.x", 5));
}

TEST(Ipv45Chain, NonExtensionTypeWhereAnExtensionIsExpected) {
  // E set, but the next value is not 0x00-0x06.
  EXPECT_EQ(err(chain(flag::kX, ext::kHopByHop, cat({generic(17, true), "13880035000800ff"}))),
            expect(WireErrc::bad_value, "ipv45.nh", 32));
}

TEST(Ipv45Chain, FragmentMoreMustEqualTheFixedHeaderM) {
  EXPECT_EQ(err(chain(flag::kF, ext::kFragmentation, hex("ff00000111223344"))),
            expect(WireErrc::bad_value, "ipv45.frag.m", 27));
  EXPECT_EQ(err(chain(flag::kF | flag::kM, ext::kFragmentation, hex("ff00000011223344"))),
            expect(WireErrc::bad_value, "ipv45.frag.m", 27));
  EXPECT_EQ(err(chain(flag::kF | flag::kX | flag::kM, ext::kHopByHop, cat({generic(3, true), "ff00000011223344"}))),
            expect(WireErrc::bad_value, "ipv45.frag.m", 35));
  EXPECT_TRUE(chain(flag::kF | flag::kM, ext::kFragmentation, hex("ff00000111223344")));
  EXPECT_TRUE(chain(flag::kF, ext::kFragmentation, hex("ff00000011223344")));
}

TEST(Ipv45Chain, GenericReservedBitsAreRefused) {
  std::string g = generic(17, false);
  g[4] = '4';  // flags 0x40
  EXPECT_EQ(err(chain(flag::kX, 0, cat({g, "00"}))), expect(WireErrc::reserved_nonzero, "ipv45.ext.flags", 26));
  std::string r = generic(17, false);
  r[7] = '1';  // reserved byte 0x01
  EXPECT_EQ(code(chain(flag::kX, 0, cat({r, "00"}))), "reserved_nonzero");
}

// 8 generic headers of 8 bytes, each E-chained to the next; `last` after the eighth.
std::string eight_generic(bool e_last, u8 last) {
  std::string s;
  for (int i = 0; i < 7; ++i) s += generic(ext::kDestinationOptions, true);
  s += generic(last, e_last);
  return s;
}

TEST(Ipv45Chain, AtMostEightHeaders) {
  auto ok = chain(flag::kX, 6, cat({eight_generic(false, 17), "13880035000800ff"}));
  ASSERT_TRUE(ok) << err(ok);
  EXPECT_EQ(ok->count, 8);
  EXPECT_EQ(ok->bytes, 64u);
  EXPECT_EQ(err(chain(flag::kX, 6, cat({eight_generic(true, 6), generic(17, false), "00"}))),
            expect(WireErrc::chain_too_many, "ipv45.ext", 24 + 64));
  // Eight generic headers and the Fragmentation header: nine.
  EXPECT_EQ(err(chain(flag::kX | flag::kF, 6, cat({eight_generic(true, 3), "ff00000011223344"}))),
            expect(WireErrc::chain_too_many, "ipv45.ext", 24 + 64));
}

TEST(Ipv45Chain, AtMostTwoHundredFiftySixBytes) {
  // One generic header of (31 + 1) * 8 = 256 bytes.
  std::string big =
      "11"
      "1f"
      "0000"
      "01fa" +
      std::string(2 * 250, '0');
  auto ok = chain(flag::kX, 6, cat({big, "13880035000800ff"}));
  ASSERT_TRUE(ok) << err(ok);
  EXPECT_EQ(ok->bytes, 256u);
  std::string big_e =
      "03"
      "1f"
      "8000"
      "01fa" +
      std::string(2 * 250, '0');
  EXPECT_EQ(err(chain(flag::kX | flag::kF, 6, cat({big_e, "ff00000011223344"}))),
            expect(WireErrc::chain_too_long, "ipv45.ext", 24 + 256));
  std::string huge =
      "11"
      "20"
      "0000" +
      std::string(2 * 260, '0');
  EXPECT_EQ(err(chain(flag::kX, 6, cat({huge, "00000000"}))), expect(WireErrc::chain_too_long, "ipv45.ext", 24));
}

// Every cut of the chain (Payload Length set to the bytes present): the header being read.
TEST(Ipv45Chain, TruncationSweep) {
  const Buf full = cat({generic(ext::kFragmentation, true), generic(ext::kFragmentation, true), "ff00000111223344"});
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{4, "ipv45.ext.len", 24},
                     {8, "ipv45.ext.data", 28},
                     {12, "ipv45.ext.len", 32},
                     {16, "ipv45.ext.data", 36},
                     {24, "ipv45.frag", 40}};
  // (The second header's E points at 0x03, so the first must point at a generic type.)
  Buf p = full;
  p[0] = std::byte{ext::kDestinationOptions};
  EXPECT_TRUE(chain(flag::kF | flag::kX | flag::kM, ext::kHopByHop, p));
  EXPECT_EQ(sweep(0, p.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(chain(flag::kF | flag::kX | flag::kM, ext::kHopByHop, slice(p, 0, n))),
                                     expect(WireErrc::truncated, b->field, b->offset)};
                  }),
            "");
}

// --- the IPV45-5 pseudo-header --------------------------------------------------------

TEST(Ipv45Checksum, UdpOverTheNinetySixBitPseudoHeader) {
  auto h = HeaderView<Bytes>::checked(bs(kUdp));
  ASSERT_TRUE(h);
  auto r = HeaderRepr::parse(*h);
  ASSERT_TRUE(r);
  const Address src = r->src(0xcb007101);
  const Address dst = r->dst(0xc6336402);
  EXPECT_EQ(src, Address::parse("203.0.113.1::1234::DEAD:BEEF:0001").value());
  auto u = inet::UdpView<Bytes>::checked(h->payload());
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->checksum_ok(pseudo_header(src, dst, 17, 12)));
  EXPECT_FALSE(u->checksum_ok(pseudo_header(dst, Address(0xc6336402, 0x0100, 0x43), 17, 12)));
  // Written out: source (12), destination (12), length (4), three zero bytes, Next Header.
  const Buf ph = cat({"cb0071011234deadbeef0001", "c63364020100000000000042", "0000000c", "00000011"});
  u64 s = 0;
  for (std::size_t i = 0; i < ph.size(); i += 2) s += (static_cast<u64>(ph[i]) << 8) | static_cast<u64>(ph[i + 1]);
  EXPECT_EQ(pseudo_header(src, dst, 17, 12).fold(), Sum(s).fold());
  EXPECT_TRUE(u->checksum_ok(Sum(s)));
}

// --- Mode C -----------------------------------------------------------------------------

TEST(Ipv45ModeC, EmitWritesExactlyTheVector) {
  Buf out(64, std::byte{0});
  std::copy(kModeC.begin() + 28, kModeC.end(), out.begin() + 28);
  const std::size_t n = emit_mode_c(MutBytes(out.data(), out.size()), inet::Ipv4Address(203, 0, 113, 1),
                                    inet::Ipv4Address(198, 51, 100, 2), kPort, 36, 0);
  EXPECT_EQ(n, 64u);
  EXPECT_EQ(out, kModeC);
  auto m = parse_mode_c(bs(out));
  EXPECT_TRUE(m) << err(m);
}

TEST(Ipv45ModeC, EphemeralSourcePortEitherDirection) {
  Buf out(64, std::byte{0});
  std::copy(kModeC.begin() + 28, kModeC.end(), out.begin() + 28);
  emit_mode_c(MutBytes(out.data(), out.size()), inet::Ipv4Address(203, 0, 113, 1), inet::Ipv4Address(198, 51, 100, 2),
              50000, 36, 7);
  auto m = parse_mode_c(bs(out));
  ASSERT_TRUE(m) << err(m);
  EXPECT_EQ(m->udp.src_port(), 50000);
  EXPECT_EQ(m->udp.dst_port(), kPort);
  EXPECT_EQ(m->ip.identification(), 7);
  EXPECT_TRUE(m->ip.checksum_ok());
  // The reply: from 4242 to the ephemeral port.
  Buf reply = kModeC;
  reply[22] = std::byte{0xc3};
  reply[23] = std::byte{0x50};
  EXPECT_TRUE(parse_mode_c(bs(reply)));
}

TEST(Ipv45ModeC, NotPort4242IsNotThisProtocol) {
  Buf b = kModeC;
  b[20] = std::byte{0x10};
  b[21] = std::byte{0x93};
  b[22] = std::byte{0x10};
  b[23] = std::byte{0x93};  // 4243 -> 4243
  EXPECT_EQ(err(parse_mode_c(bs(b))), expect(WireErrc::not_this_protocol, "udp.dstport", 22));
}

TEST(Ipv45ModeC, WithoutDfIsMalformed) {
  Buf b = kModeC;
  b[6] = std::byte{0};
  EXPECT_EQ(err(parse_mode_c(bs(b))), expect(WireErrc::bad_value, "ip.flags.df", 6));
}

TEST(Ipv45ModeC, NotUdpIsNotThisProtocol) {
  Buf b = kModeC;
  b[9] = std::byte{6};
  EXPECT_EQ(err(parse_mode_c(bs(b))), expect(WireErrc::not_this_protocol, "ip.proto", 9));
}

TEST(Ipv45ModeC, InnerErrorsAreReportedAtPacketOffsets) {
  Buf v = kModeC;
  v[28] = std::byte{0x23};
  EXPECT_EQ(err(parse_mode_c(bs(v))), expect(WireErrc::bad_version, "ipv45.version", 28));
  Buf l = kModeC;
  l[31] = std::byte{13};  // IPv4.5 payload length one more than UDP carries
  EXPECT_EQ(err(parse_mode_c(bs(l))), expect(WireErrc::truncated, "ipv45.payload", 52));
  Buf u = kModeC;
  u[25] = std::byte{7};  // UDP length 7
  EXPECT_EQ(err(parse_mode_c(bs(u))), expect(WireErrc::bad_length, "udp.length", 24));
  Buf s = kModeC;
  s[25] = std::byte{8 + 10};  // UDP carries 10 bytes: a cut fixed header
  EXPECT_EQ(err(parse_mode_c(bs(s))), expect(WireErrc::truncated, "ipv45.src.eid", 38));
}

TEST(Ipv45ModeC, TruncationSweep) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "ip.version", 0}, {2, "ip.tos", 1},   {4, "ip.len", 2},      {6, "ip.id", 4},
                     {8, "ip.flags", 6},   {9, "ip.ttl", 8},   {10, "ip.proto", 9},   {12, "ip.checksum", 10},
                     {16, "ip.src", 12},   {20, "ip.dst", 16}, {64, "ip.payload", 20}};
  EXPECT_EQ(
      sweep(0, kModeC.size(),
            [&](std::size_t n) {
              const Bound* b = std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
              return std::pair{err(parse_mode_c(bs(kModeC, n))), expect(WireErrc::truncated, b->field, b->offset)};
            }),
      "");
}

}  // namespace
}  // namespace nextip::ipv45

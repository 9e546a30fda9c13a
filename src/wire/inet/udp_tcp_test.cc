// UDP (RFC 768) and TCP (RFC 9293): views and Reprs against the vectors of
// tests/vectors/packets.tsv, with checksums over the pseudo-headers of IPv4 and ASIP
// (001 §12.7.1: the IPv6 layout with the ASIP addresses), built here byte by byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/checksum.h"
#include "wire/inet/tcp.h"
#include "wire/inet/udp.h"

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

template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}

// Pseudo-headers written out as bytes (RFC 768 / RFC 8200 §8.1), summed as a message.
Sum bytes_sum(const Buf& b) {
  u64 s = 0;
  for (std::size_t i = 0; i < b.size(); i += 2) {
    s += (static_cast<u64>(b[i]) << 8) | (i + 1 < b.size() ? static_cast<u64>(b[i + 1]) : 0u);
  }
  return Sum(s);
}
Sum ipv4_pseudo(const Buf& src4, const Buf& dst4, u8 proto, u16 len) {
  Buf p = src4;
  p.insert(p.end(), dst4.begin(), dst4.end());
  p.push_back(std::byte{0});
  p.push_back(static_cast<std::byte>(proto));
  p.push_back(static_cast<std::byte>(len >> 8));
  p.push_back(static_cast<std::byte>(len & 0xff));
  return bytes_sum(p);
}
Sum v6_pseudo(const Buf& src16, const Buf& dst16, u8 nh, u32 len) {
  Buf p = src16;
  p.insert(p.end(), dst16.begin(), dst16.end());
  for (int s = 24; s >= 0; s -= 8) p.push_back(static_cast<std::byte>((len >> s) & 0xff));
  p.insert(p.end(), {std::byte{0}, std::byte{0}, std::byte{0}, static_cast<std::byte>(nh)});
  return bytes_sum(p);
}

// 001 §12.7.1 in and out (packets.tsv): the same TCP segment under an ASIP and an IPv4
// pseudo-header.
const Buf kAsipTcp = hex(
    "800000000078064000003b410000000000000000c0000201000000000000000000000000c6336401c000005000000001000000015018ffff2b"
    "d10000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233"
    "3435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263");
const Buf kIpv4Tcp = hex(
    "4500008c0000000040068e36c0000201c6336401c000005000000001000000015018ffff67120000000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40414243444546"
    "4748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263");
// 001 §5.1 (packets.tsv "5.1-asip-header"): UDP 5353 -> 53 "asip" over ASIP.
const Buf kAsipUdp =
    hex("8b812345000c11ff0000fbf0000000010000000ac00002017f01000000000005000001000a00000114e90035000cd7cf61736970");
// packets.tsv "ipxl-plain": UDP 40002 -> 9 "ipv4" under plain IPv4 192.168.1.1 -> 192.168.100.1.
const Buf kPlainUdp = hex("450000204444000040115036c0a80101c0a864019c420009000c9d9269707634");
// A SYN 49153 -> 443 with MSS 1460, SACK-permitted, timestamps 1/0, NOP, window scale 7:
// data offset 10, over IPv4 192.0.2.1 -> 198.51.100.1 (checksum computed independently).
const Buf kSyn = hex("c00101bb0102030400000000a002faf09b150000020405b40402080a000000010000000001030307");

const Buf kS4 = hex("c0000201");
const Buf kD4 = hex("c6336401");

TEST(Udp, DeconstructAsipVector) {
  const Buf udp = slice(kAsipUdp, 40, 12);
  auto v = UdpView<Bytes>::checked(bs(udp));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->src_port(), 5353);
  EXPECT_EQ(v->dst_port(), 53);
  EXPECT_EQ(v->length(), 12);
  EXPECT_EQ(v->checksum(), 55247);  // packets.tsv udp.checksum=55247
  ASSERT_EQ(v->payload().size(), 4u);
  EXPECT_EQ(v->payload()[0], std::byte{'a'});
  const Sum ph = v6_pseudo(slice(kAsipUdp, 8, 16), slice(kAsipUdp, 24, 16), u8{17}, 12);
  EXPECT_TRUE(v->checksum_ok(ph));
  EXPECT_FALSE(v->checksum_ok(v6_pseudo(slice(kAsipUdp, 8, 16), slice(kAsipUdp, 24, 16), u8{6}, 12)));
  auto r = UdpRepr::parse(*v, &ph);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(*r, (UdpRepr{5353, 53, 4}));
  EXPECT_EQ(r->buffer_len(), 12u);
}

TEST(Udp, EmitWritesExactlyTheVectors) {
  {
    Buf out = slice(kAsipUdp, 40, 12);
    std::fill_n(out.begin(), 8, std::byte{0x55});
    const UdpRepr r{5353, 53, 4};
    r.emit(MutBytes(out.data(), out.size()), v6_pseudo(slice(kAsipUdp, 8, 16), slice(kAsipUdp, 24, 16), 17, 12));
    EXPECT_EQ(out, slice(kAsipUdp, 40, 12));
  }
  {
    Buf out = slice(kPlainUdp, 20, 12);
    std::fill_n(out.begin(), 8, std::byte{0});
    const UdpRepr r{40002, 9, 4};
    r.emit(MutBytes(out.data(), out.size()), ipv4_pseudo(hex("c0a80101"), hex("c0a86401"), 17, 12));
    EXPECT_EQ(out, slice(kPlainUdp, 20, 12));
  }
}

TEST(Udp, ComputedZeroIsSentAsAllOnes) {
  // RFC 768: a computed checksum of zero is transmitted as 0xffff. Payload 0x07ec makes
  // the sum come out as zero for these ports and addresses.
  Buf out =
      hex("03e807d0000a0000"
          "07ec");
  const UdpRepr r{1000, 2000, 2};
  const Sum ph = ipv4_pseudo(kS4, kD4, 17, 10);
  r.emit(MutBytes(out.data(), out.size()), ph);
  EXPECT_EQ(out, hex("03e807d0000affff07ec"));
  auto v = UdpView<Bytes>::checked(bs(out));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->checksum_ok(ph));
}

TEST(Udp, ViewIsCutToTheLengthField) {
  Buf b = slice(kPlainUdp, 20, 12);
  b.insert(b.end(), 5, std::byte{0xee});
  auto v = UdpView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->size(), 12u);
  EXPECT_EQ(v->payload().size(), 4u);
}

TEST(Udp, TruncationSweepNamesTheMissingField) {
  const Buf b = slice(kAsipUdp, 40, 12);
  const char* names[] = {"udp.srcport", "udp.srcport", "udp.dstport",  "udp.dstport",
                         "udp.length",  "udp.length",  "udp.checksum", "udp.checksum"};
  for (std::size_t n = 0; n < 8; ++n) {
    EXPECT_EQ(err(UdpView<Bytes>::checked(bs(b, n))), expect(WireErrc::truncated, names[n], n & ~std::size_t{1})) << n;
  }
  for (std::size_t n = 8; n < b.size(); ++n) {
    EXPECT_EQ(err(UdpView<Bytes>::checked(bs(b, n))), expect(WireErrc::truncated, "udp.payload", 8)) << n;
  }
}

TEST(Udp, LengthBelowEightIsBadLength) {
  for (int l = 0; l < 8; ++l) {
    Buf b = slice(kAsipUdp, 40, 12);
    b[5] = static_cast<std::byte>(l);
    EXPECT_EQ(err(UdpView<Bytes>::checked(bs(b))), expect(WireErrc::bad_length, "udp.length", 4)) << l;
  }
}

TEST(Udp, BadChecksumIsRefusedAndSkippable) {
  Buf b = slice(kPlainUdp, 20, 12);
  b[8] = std::byte{'I'};
  auto v = UdpView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  const Sum ph = ipv4_pseudo(hex("c0a80101"), hex("c0a86401"), 17, 12);
  EXPECT_EQ(err(UdpRepr::parse(*v, &ph)), expect(WireErrc::bad_checksum, "udp.checksum", 6));
  EXPECT_TRUE(UdpRepr::parse(*v, nullptr));
  // The wrong pseudo-header (addresses swapped still sum the same; a changed one does not).
  const Buf good = slice(kPlainUdp, 20, 12);
  auto g = UdpView<Bytes>::checked(bs(good));
  ASSERT_TRUE(g);
  const Sum other = ipv4_pseudo(hex("c0a80102"), hex("c0a86401"), 17, 12);
  EXPECT_EQ(err(UdpRepr::parse(*g, &other)), expect(WireErrc::bad_checksum, "udp.checksum", 6));
  EXPECT_TRUE(UdpRepr::parse(*g, &ph));
}

TEST(Udp, RandomizedRoundTripUnderIpv4AndAsipPseudoHeaders) {
  std::mt19937_64 rng(768);
  for (int i = 0; i < 3000; ++i) {
    const UdpRepr r{static_cast<u16>(rng()), static_cast<u16>(rng()), static_cast<u16>(rng() % 200)};
    Buf b(r.buffer_len());
    for (auto& x : b) x = static_cast<std::byte>(rng());
    Buf a(16), d(16);
    for (auto& x : a) x = static_cast<std::byte>(rng());
    for (auto& x : d) x = static_cast<std::byte>(rng());
    const u16 len = static_cast<u16>(r.buffer_len());
    const Sum ph = (i % 2) != 0 ? ipv4_pseudo(slice(a, 0, 4), slice(d, 0, 4), 17, len) : v6_pseudo(a, d, 17, len);
    r.emit(MutBytes(b.data(), b.size()), ph);
    auto v = UdpView<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v);
    EXPECT_NE(v->checksum(), 0);
    auto p = UdpRepr::parse(*v, &ph);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r);
  }
}

TEST(Tcp, DeconstructSection1271Segment) {
  const Buf seg = slice(kAsipTcp, 40, 120);
  auto v = TcpView<Bytes>::checked(bs(seg));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->src_port(), 49152);
  EXPECT_EQ(v->dst_port(), 80);
  EXPECT_EQ(v->seq(), 1u);
  EXPECT_EQ(v->ack(), 1u);
  EXPECT_EQ(v->data_offset(), 5);
  EXPECT_EQ(v->header_len(), 20u);
  EXPECT_EQ(v->flags(), tcp_flag::kPsh | tcp_flag::kAck);
  EXPECT_EQ(v->window(), 65535);
  EXPECT_EQ(v->checksum(), 11217);  // packets.tsv tcp.checksum=11217
  EXPECT_EQ(v->urgent(), 0);
  EXPECT_TRUE(v->options().empty());
  ASSERT_EQ(v->payload().size(), 100u);
  EXPECT_EQ(v->payload()[99], std::byte{0x63});
}

TEST(Tcp, ChecksumUsesTheAsipAndTheIpv4PseudoHeader) {
  const Buf a = slice(kAsipTcp, 40, 120);
  const Buf f = slice(kIpv4Tcp, 20, 120);
  const Sum asip_ph = v6_pseudo(slice(kAsipTcp, 8, 16), slice(kAsipTcp, 24, 16), u8{6}, 120);
  const Sum v4_ph = ipv4_pseudo(kS4, kD4, u8{6}, 120);
  auto av = TcpView<Bytes>::checked(bs(a));
  auto fv = TcpView<Bytes>::checked(bs(f));
  ASSERT_TRUE(av && fv);
  EXPECT_TRUE(av->checksum_ok(asip_ph));
  EXPECT_FALSE(av->checksum_ok(v4_ph));
  EXPECT_TRUE(fv->checksum_ok(v4_ph));
  EXPECT_FALSE(fv->checksum_ok(asip_ph));
  EXPECT_EQ(fv->checksum(), 26386);  // packets.tsv: tcp.checksum=26386
  // §12.7.1: the translator recomputes the checksum; the Repr is the same on both sides.
  auto ar = TcpRepr::parse(*av, &asip_ph);
  ASSERT_TRUE(ar) << err(ar);
  auto fr = TcpRepr::parse(*fv, &v4_ph);
  ASSERT_TRUE(fr) << err(fr);
  EXPECT_EQ(*ar, *fr);
  Buf out = a;  // payload in place; header rewritten under the IPv4 pseudo-header
  std::fill_n(out.begin(), 20, std::byte{0});
  ar->emit(MutBytes(out.data(), out.size()), v4_ph);
  EXPECT_EQ(out, f);
  std::fill_n(out.begin(), 20, std::byte{0});
  fr->emit(MutBytes(out.data(), out.size()), asip_ph);
  EXPECT_EQ(out, a);
}

TEST(Tcp, OptionsPassThroughByteForByte) {
  auto v = TcpView<Bytes>::checked(bs(kSyn));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->data_offset(), 10);
  EXPECT_EQ(v->header_len(), 40u);
  EXPECT_EQ(v->flags(), tcp_flag::kSyn);
  EXPECT_EQ(v->window(), 64240);
  EXPECT_EQ(v->options().size(), 20u);
  EXPECT_TRUE(v->payload().empty());
  const Sum ph = ipv4_pseudo(kS4, kD4, u8{6}, 40);
  EXPECT_TRUE(v->checksum_ok(ph));
  auto r = TcpRepr::parse(*v, &ph);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->src_port, 49153);
  EXPECT_EQ(r->dst_port, 443);
  EXPECT_EQ(r->seq, 0x01020304u);
  EXPECT_EQ(r->ack, 0u);
  EXPECT_EQ(r->options_len, 20);
  EXPECT_EQ(r->payload_len, 0);
  EXPECT_EQ(r->header_len(), 40u);
  Buf out(40, std::byte{0x77});
  r->emit(MutBytes(out.data(), out.size()), ph);
  EXPECT_EQ(out, kSyn);
}

TEST(Tcp, EmitWritesExactlyTheVectorFromFields) {
  TcpRepr r;
  r.src_port = 49152;
  r.dst_port = 80;
  r.seq = 1;
  r.ack = 1;
  r.flags = tcp_flag::kPsh | tcp_flag::kAck;
  r.window = 65535;
  r.payload_len = 100;
  Buf out = slice(kIpv4Tcp, 20, 120);
  std::fill_n(out.begin(), 20, std::byte{0xcc});
  r.emit(MutBytes(out.data(), out.size()), ipv4_pseudo(kS4, kD4, 6, 120));
  EXPECT_EQ(out, slice(kIpv4Tcp, 20, 120));
}

TEST(Tcp, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{2, "tcp.srcport", 0},   {4, "tcp.dstport", 2},  {8, "tcp.seq", 4},      {12, "tcp.ack", 8},
                     {13, "tcp.hdr_len", 12}, {14, "tcp.flags", 13},  {16, "tcp.window", 14}, {18, "tcp.checksum", 16},
                     {20, "tcp.urgent", 18},  {40, "tcp.options", 20}};
  for (std::size_t n = 0; n < kSyn.size(); ++n) {
    const Bound* b = std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
    EXPECT_EQ(err(TcpView<Bytes>::checked(bs(kSyn, n))), expect(WireErrc::truncated, b->field, b->offset)) << n;
  }
}

TEST(Tcp, DataOffsetBelowFiveIsRefused) {
  for (int off = 0; off < 5; ++off) {
    Buf b = kSyn;
    b[12] = static_cast<std::byte>(off << 4);
    EXPECT_EQ(err(TcpView<Bytes>::checked(bs(b))), expect(WireErrc::bad_header_length, "tcp.hdr_len", 12)) << off;
  }
}

Buf syn_with_options(std::string_view opts) {
  Buf b = slice(kSyn, 0, 20);
  const Buf o = hex(opts);
  b.insert(b.end(), o.begin(), o.end());
  b[12] = static_cast<std::byte>((b.size() / 4) << 4);
  return b;
}

TEST(Tcp, OptionLengthZeroOneOrPastTheEndIsBadOption) {
  EXPECT_EQ(err(TcpView<Bytes>::checked(bs(syn_with_options("02000000")))),
            expect(WireErrc::bad_option, "tcp.option.len", 21));
  EXPECT_EQ(err(TcpView<Bytes>::checked(bs(syn_with_options("02010000")))),
            expect(WireErrc::bad_option, "tcp.option.len", 21));
  EXPECT_EQ(err(TcpView<Bytes>::checked(bs(syn_with_options("01080a00")))),
            expect(WireErrc::bad_option, "tcp.option.len", 22));
  EXPECT_EQ(err(TcpView<Bytes>::checked(bs(syn_with_options("0101010101010204")))),
            expect(WireErrc::bad_option, "tcp.option.len", 27));  // MSS length 4 at 26, 2 bytes left
  // Kind in the last byte: its length byte (24) is missing.
  EXPECT_EQ(err(TcpView<Bytes>::checked(bs(syn_with_options("01010103")))),
            expect(WireErrc::bad_option, "tcp.option.len", 24));
}

TEST(Tcp, EndOfOptionListEndsTheWalk) {
  EXPECT_TRUE(TcpView<Bytes>::checked(bs(syn_with_options("020405b400ff0000"))));
  auto w = walk_tcp_options(bs(hex("020405b4010303070000")), 20);
  EXPECT_TRUE(w) << err(w);
  EXPECT_FALSE(walk_tcp_options(bs(hex("0101ff")), 20));
}

TEST(Tcp, BadChecksumIsRefusedAndSkippable) {
  Buf b = slice(kIpv4Tcp, 20, 120);
  b[119] = std::byte{0};
  auto v = TcpView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  const Sum ph = ipv4_pseudo(kS4, kD4, 6, 120);
  EXPECT_EQ(err(TcpRepr::parse(*v, &ph)), expect(WireErrc::bad_checksum, "tcp.checksum", 16));
  EXPECT_TRUE(TcpRepr::parse(*v, nullptr));
}

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

TEST(Tcp, RandomizedRoundTrip) {
  std::mt19937_64 rng(9293);
  for (int i = 0; i < 3000; ++i) {
    TcpRepr r;
    r.src_port = static_cast<u16>(rng());
    r.dst_port = static_cast<u16>(rng());
    r.seq = static_cast<u32>(rng());
    r.ack = static_cast<u32>(rng());
    r.flags = static_cast<u8>(rng());
    r.window = static_cast<u16>(rng());
    r.urgent = static_cast<u16>(rng());
    r.options_len = static_cast<u8>(4 * (rng() % 11));
    const Buf o = random_options(rng, r.options_len);
    std::copy(o.begin(), o.end(), r.options.begin());
    r.payload_len = static_cast<u16>(rng() % 100);
    Buf b(r.buffer_len());
    for (auto& x : b) x = static_cast<std::byte>(rng());
    Buf a(16), d(16);
    for (auto& x : a) x = static_cast<std::byte>(rng());
    for (auto& x : d) x = static_cast<std::byte>(rng());
    const u16 len = static_cast<u16>(r.buffer_len());
    const Sum ph = (i % 2) != 0 ? ipv4_pseudo(slice(a, 0, 4), slice(d, 0, 4), 6, len) : v6_pseudo(a, d, 6, len);
    r.emit(MutBytes(b.data(), b.size()), ph);
    auto v = TcpView<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v) << " #" << i;
    auto p = TcpRepr::parse(*v, &ph);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i;
  }
}

}  // namespace
}  // namespace nextip::inet

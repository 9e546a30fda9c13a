// IPxl packets (002): IPv4 with option 29 at bit 160 carrying 64-bit addresses. The
// vectors of packets.tsv ("ipxl-option29", "ipxl-plain"), the detection rule exactly as
// the text states it (IHL >= 8 and 0x9d0c at bit 160; IPXL-10), the plain form between
// two 0.0.0.1-prefixed ends (002 Sockets API), the legacy-word pseudo-header (IPXL-4).
#include "wire/ipxl/packet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "wire/inet/udp.h"

namespace nextip::ipxl {
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
  const std::size_t hl = (static_cast<std::size_t>(b[0]) & 0xf) * 4;
  b[10] = b[11] = std::byte{0};
  const u16 c = naive_checksum(Bytes(b.data(), hl));
  b[10] = static_cast<std::byte>(c >> 8);
  b[11] = static_cast<std::byte>(c & 0xff);
}
// IPXL-4: the IPv4 pseudo-header over the words at bytes 12 and 16, as bytes.
Sum legacy_pseudo(const Buf& pkt, u8 proto, u16 len) {
  Buf p = slice(pkt, 12, 8);
  p.insert(p.end(), {std::byte{0}, static_cast<std::byte>(proto), static_cast<std::byte>(len >> 8),
                     static_cast<std::byte>(len & 0xff)});
  u64 s = 0;
  for (std::size_t i = 0; i < p.size(); i += 2) s += (static_cast<u64>(p[i]) << 8) | static_cast<u64>(p[i + 1]);
  return Sum(s);
}
PacketView<Bytes> checked(const Buf& b) {
  auto v = PacketView<Bytes>::checked(bs(b));
  EXPECT_TRUE(v) << err(v);
  return v.value_or(PacketView<Bytes>(inet::Ipv4View<Bytes>::unchecked(bs(b))));
}

// packets.tsv "ipxl-option29": IHL 8; bytes 12-19 the destination 0.0.0.1.192.168.100.1,
// option 0x9d length 12, source 0.0.0.2.10.1.2.3; UDP 40001 -> 9 "ipxl".
const Buf kExt = hex("4800002c33330000401176d100000001c0a864019d0c0000000000020a0102039c410009000c5d046970786c");
// packets.tsv "ipxl-plain": 0.0.0.1.192.168.1.1 -> 0.0.0.1.192.168.100.1 as plain IPv4.
const Buf kPlain = hex("450000204444000040115036c0a80101c0a864019c420009000c9d9269707634");
// IHL 9: option 29 then Router Alert (94 04 00 00); 0.0.0.2.10.1.2.3 -> 0.0.0.3.10.9.8.7,
// DF, TTL 32, UDP 40001 -> 9 "ipxl" (checksums computed independently).
const Buf kMore =
    hex("49000030444440002011c34f000000030a0908079d0c0000000000020a010203940400009c410009000c6f9c6970786c");

TEST(IpxlPacket, DeconstructOption29Vector) {
  const PacketView<Bytes> v = checked(kExt);
  EXPECT_TRUE(v.extended());
  EXPECT_TRUE(is_extended(v.ip()));
  EXPECT_EQ(v.ip().ihl(), 8);
  EXPECT_EQ(v.ip().header_len(), 32u);
  EXPECT_EQ(v.ip().total_length(), 44);
  EXPECT_EQ(v.ip().identification(), 0x3333);
  EXPECT_EQ(v.ip().ttl(), 64);
  EXPECT_EQ(v.ip().protocol(), 17);
  EXPECT_TRUE(v.ip().checksum_ok());
  EXPECT_EQ(v.dst(), Address(1, 0xc0a86401));
  EXPECT_EQ(v.src(), Address(2, 0x0a010203));
  EXPECT_EQ(v.option_unused(), 0);
  EXPECT_TRUE(v.more_options().empty());
  ASSERT_EQ(v.payload().size(), 12u);
  EXPECT_EQ(kOptionType, 0x9d);  // copy 1, class 0, number 29 (IPXL-10)
  EXPECT_EQ(kOptionLength, 12);
}

TEST(IpxlPacket, UdpChecksumUsesTheLegacyWords) {
  const PacketView<Bytes> v = checked(kExt);
  auto u = inet::UdpView<Bytes>::checked(v.payload());
  ASSERT_TRUE(u);
  EXPECT_EQ(u->checksum(), 23812);  // packets.tsv udp.checksum=23812
  EXPECT_TRUE(u->checksum_ok(v.pseudo_header(17, 12)));
  EXPECT_TRUE(u->checksum_ok(legacy_pseudo(kExt, 17, 12)));
  // ...i.e. 0.0.0.1 and 192.168.100.1, the words a legacy box sees as source and destination.
  EXPECT_TRUE(u->checksum_ok(base::checksum::ipv4_pseudo_header(0x00000001, 0xc0a86401, 17, 12)));
  auto r = PacketRepr::parse(v);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pseudo_header(17, 12).fold(), legacy_pseudo(kExt, 17, 12).fold());
}

TEST(IpxlPacket, ReprOfOption29VectorEmitsExactly) {
  auto r = PacketRepr::parse(checked(kExt));
  ASSERT_TRUE(r) << err(r);
  PacketRepr want;
  want.src = Address(2, 0x0a010203);
  want.dst = Address(1, 0xc0a86401);
  want.protocol = 17;
  want.ttl = 64;
  want.identification = 0x3333;
  want.payload_len = 12;
  EXPECT_EQ(*r, want);
  EXPECT_TRUE(want.needs_option());
  EXPECT_EQ(want.header_len(), 32u);
  EXPECT_EQ(want.buffer_len(), 44u);
  Buf out(kExt.size(), std::byte{0});
  want.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(slice(out, 0, 32), slice(kExt, 0, 32));
}

TEST(IpxlPacket, PlainVectorBetweenTwoIpv4Ends) {
  const PacketView<Bytes> v = checked(kPlain);
  EXPECT_FALSE(v.extended());
  EXPECT_EQ(v.src(), Address(1, 0xc0a80101));
  EXPECT_EQ(v.dst(), Address(1, 0xc0a86401));
  EXPECT_EQ(v.option_unused(), 0);
  EXPECT_TRUE(v.more_options().empty());
  auto r = PacketRepr::parse(v);
  ASSERT_TRUE(r) << err(r);
  EXPECT_FALSE(r->needs_option());
  EXPECT_EQ(r->header_len(), 20u);
  Buf out(20);
  r->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, slice(kPlain, 0, 20));
  auto u = inet::UdpView<Bytes>::checked(v.payload());
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->checksum_ok(r->pseudo_header(17, 12)));
}

// 002 Sockets API: "PF_IPXL sockets may originate regular IP packets (without option 29)
// if the leading octets of both the source and destination address are both 0.0.0.1".
TEST(IpxlPacket, PlainFormExactlyWhenBothEndsAreIpv4) {
  PacketRepr r;
  r.protocol = 6;
  r.payload_len = 0;
  const Address v4a(1, 0x0a000001), v4b(1, 0x0a000002), high(2, 0x0a000002), zero(0, 0x0a000002);
  for (const auto& [s, d, plain] :
       {std::tuple{v4a, v4b, true}, std::tuple{v4a, high, false}, std::tuple{high, v4b, false},
        std::tuple{zero, v4b, false}, std::tuple{v4a, zero, false}}) {
    r.src = s;
    r.dst = d;
    EXPECT_EQ(r.needs_option(), !plain);
    Buf out(r.buffer_len());
    r.emit(MutBytes(out.data(), out.size()));
    EXPECT_EQ(out[0], std::byte{static_cast<u8>(plain ? 0x45 : 0x48)});
    auto v = PacketView<Bytes>::checked(bs(out));
    ASSERT_TRUE(v) << err(v);
    EXPECT_EQ(v->extended(), !plain);
    EXPECT_EQ(v->src(), s);
    EXPECT_EQ(v->dst(), d);
    if (!plain) {
      EXPECT_EQ(base::load_be32(out.data() + 12), d.high());
      EXPECT_EQ(base::load_be32(out.data() + 16), d.low());
      EXPECT_EQ(slice(out, 20, 4), hex("9d0c0000"));
      EXPECT_EQ(base::load_be64(out.data() + 24), s.to_uint());
    }
  }
}

Buf with_word_at_160(u8 ihl, u16 word) {
  Buf b = kExt;
  b[0] = static_cast<std::byte>(0x40 | ihl);
  b[20] = static_cast<std::byte>(word >> 8);
  b[21] = static_cast<std::byte>(word & 0xff);
  return b;
}

// 002 "How it works": IHL >= 8 words and the 16 bits at bit 160 equal to 0x9d0c.
TEST(IpxlDetection, ExactlyTheTextsRule) {
  auto ext = [](const Buf& b) { return is_extended(inet::Ipv4View<Bytes>::unchecked(bs(b))); };
  EXPECT_TRUE(ext(with_word_at_160(8, 0x9d0c)));
  EXPECT_TRUE(ext(with_word_at_160(9, 0x9d0c)));
  EXPECT_TRUE(ext(with_word_at_160(15, 0x9d0c)));
  EXPECT_FALSE(ext(with_word_at_160(7, 0x9d0c)));  // header too short for the option
  EXPECT_FALSE(ext(with_word_at_160(5, 0x9d0c)));
  EXPECT_FALSE(ext(with_word_at_160(8, 0x9e0c)));  // "Set to 0x9e" is a typo (IPXL-10)
  EXPECT_FALSE(ext(with_word_at_160(8, 0x9d0d)));
  EXPECT_FALSE(ext(with_word_at_160(8, 0x1d0c)));  // copy flag clear
  EXPECT_FALSE(ext(with_word_at_160(8, 0x9d08)));
  EXPECT_FALSE(ext(with_word_at_160(8, 0x0c9d)));
}

TEST(IpxlDetection, Option29ElsewhereIsNotIpxl) {
  // NOP first, option 29 at byte 21: "valid only if present starting at bit 160".
  Buf b = hex("4900002c33330000401100000000000100000002019d0c00000000000000000000000000000000000000000000000000");
  b.resize(44);
  b[3] = std::byte{44};
  refill(b);
  const PacketView<Bytes> v = checked(b);
  EXPECT_FALSE(v.extended());
  EXPECT_EQ(v.src(), Address(1, 1));
  EXPECT_EQ(v.dst(), Address(1, 2));
  EXPECT_EQ(v.more_options().size(), 16u);  // every option of a plain packet
}

TEST(IpxlDetection, A9e0cPacketIsPlainIpv4WithAnOption) {
  Buf b = with_word_at_160(8, 0x9e0c);
  refill(b);
  const PacketView<Bytes> v = checked(b);
  EXPECT_FALSE(v.extended());
  EXPECT_EQ(v.src(), Address(1, 0x00000001));  // the IPv4 words as they are
  EXPECT_EQ(v.dst(), Address(1, 0xc0a86401));
  EXPECT_EQ(v.more_options().size(), 12u);
  auto r = PacketRepr::parse(v);
  ASSERT_TRUE(r) << err(r);
  EXPECT_FALSE(r->needs_option());
  EXPECT_EQ(r->more_options_len, 12);
}

TEST(IpxlDetection, IhlSevenWithTheOptionWordIsAMalformedOption) {
  Buf b = with_word_at_160(7, 0x9d0c);
  refill(b);
  // The 12-byte option does not fit a 28-byte header.
  EXPECT_EQ(err(PacketView<Bytes>::checked(bs(b))), expect(WireErrc::bad_option, "ip.opt.len", 21));
}

TEST(IpxlPacket, MoreOptionsAfterOption29) {
  const PacketView<Bytes> v = checked(kMore);
  EXPECT_TRUE(v.extended());
  EXPECT_EQ(v.ip().header_len(), 36u);
  EXPECT_EQ(v.src(), Address(2, 0x0a010203));
  EXPECT_EQ(v.dst(), Address(3, 0x0a090807));
  ASSERT_EQ(v.more_options().size(), 4u);
  EXPECT_EQ(v.more_options()[0], std::byte{0x94});
  auto u = inet::UdpView<Bytes>::checked(v.payload());
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->checksum_ok(v.pseudo_header(17, 12)));
  auto r = PacketRepr::parse(v);
  ASSERT_TRUE(r) << err(r);
  EXPECT_EQ(r->more_options_len, 4);
  EXPECT_TRUE(r->dont_fragment);
  EXPECT_EQ(r->ttl, 32);
  EXPECT_EQ(r->header_len(), 36u);
  Buf out(36);
  r->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, slice(kMore, 0, 36));
}

TEST(IpxlPacket, OptionUnusedBytesAreReported) {
  Buf b = kExt;
  b[22] = std::byte{0x12};
  b[23] = std::byte{0x34};
  refill(b);
  const PacketView<Bytes> v = checked(b);
  EXPECT_TRUE(v.extended());
  EXPECT_EQ(v.option_unused(), 0x1234);
}

TEST(IpxlPacket, TruncationSweepNamesTheMissingField) {
  struct Bound {
    std::size_t below;
    const char* field;
    std::size_t offset;
  };
  const Bound t[] = {{1, "ip.version", 0}, {2, "ip.tos", 1},   {4, "ip.len", 2},       {6, "ip.id", 4},
                     {8, "ip.flags", 6},   {9, "ip.ttl", 8},   {10, "ip.proto", 9},    {12, "ip.checksum", 10},
                     {16, "ip.src", 12},   {20, "ip.dst", 16}, {32, "ip.options", 20}, {44, "ip.payload", 32}};
  EXPECT_EQ(sweep(0, kExt.size(),
                  [&](std::size_t n) {
                    const Bound* b =
                        std::find_if(std::begin(t), std::end(t), [&](const Bound& x) { return n < x.below; });
                    return std::pair{err(PacketView<Bytes>::checked(bs(kExt, n))),
                                     expect(WireErrc::truncated, b->field, b->offset)};
                  }),
            "");
}

TEST(IpxlPacket, BadHeaderChecksumIsRefused) {
  Buf b = kExt;
  b[31] = std::byte{4};  // source changed, checksum stale: the option is covered too
  const PacketView<Bytes> v = checked(b);
  EXPECT_EQ(err(PacketRepr::parse(v)), expect(WireErrc::bad_checksum, "ip.checksum", 10));
}

// A plain IPv4 packet is a valid IPxl packet ("In all other respects, IPxl functions
// exactly as defined for plain old IP"), whatever options it carries.
TEST(IpxlPacket, PlainPacketWithFortyBytesOfOptionsParses) {
  Buf b = hex("4f00003c00000000401100000a0000010a000002");
  for (int i = 0; i < 40; ++i) b.push_back(std::byte{1});  // 40 NOPs, IHL 15
  refill(b);
  const PacketView<Bytes> v = checked(b);
  EXPECT_FALSE(v.extended());
  EXPECT_EQ(v.more_options().size(), 40u);
  auto r = PacketRepr::parse(v);
  EXPECT_TRUE(r) << err(r);
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
    o.push_back(static_cast<std::byte>(2 + rng() % 150));  // never 0x9d at byte 20
    o.push_back(static_cast<std::byte>(l));
    for (std::size_t i = 2; i < l; ++i) o.push_back(static_cast<std::byte>(rng()));
  }
  return o;
}

TEST(IpxlPacket, RandomizedRoundTrip) {
  std::mt19937_64 rng(29);
  for (int i = 0; i < 3000; ++i) {
    PacketRepr r;
    auto addr = [&] {
      const u32 high = rng() % 3 == 0 ? 1u : static_cast<u32>(rng());
      return Address(high, static_cast<u32>(rng()));
    };
    r.src = addr();
    r.dst = addr();
    r.protocol = static_cast<u8>(rng());
    r.tos = static_cast<u8>(rng());
    r.ttl = static_cast<u8>(rng());
    r.identification = static_cast<u16>(rng());
    r.dont_fragment = (rng() & 1) != 0;
    r.more_fragments = (rng() & 1) != 0;
    r.fragment_offset = static_cast<u16>(rng() & 0x1fff);
    r.payload_len = static_cast<u16>(rng() % 40);
    r.more_options_len = static_cast<u8>(4 * (rng() % 8));
    const Buf o = random_options(rng, r.more_options_len);
    std::copy(o.begin(), o.end(), r.more_options.begin());
    Buf b(r.buffer_len());
    r.emit(MutBytes(b.data(), b.size()));
    EXPECT_EQ(naive_checksum(Bytes(b.data(), r.header_len())), 0);
    auto v = PacketView<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v) << " #" << i;
    EXPECT_EQ(v->extended(), r.needs_option());
    auto p = PacketRepr::parse(*v);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i;
    const u16 len = static_cast<u16>(rng());
    EXPECT_EQ(p->pseudo_header(17, len).fold(), legacy_pseudo(b, 17, len).fold());
  }
}

}  // namespace
}  // namespace nextip::ipxl

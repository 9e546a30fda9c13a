// ICMPv4 (RFC 792, RFC 1191, RFC 4884): every modelled type from fixed vectors (the
// §12.7.3 Destination Unreachable of packets.tsv and messages checksummed independently),
// the truncation sweep, the checksum rule and randomized Repr round trips.
#include "wire/inet/icmpv4.h"

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

// The first 28 bytes of the §12.7.1 IPv4 packet, as quoted by §12.7.3.
constexpr std::string_view kQuoted = "4500008c0000000040068e36c0000201c6336401c000005000000001";
// packets.tsv "12.7.3-icmpv4-unreach", the ICMP part after the 20-byte outer header.
const Buf kUnreach = hex(std::string("03013cad00000000") + std::string(kQuoted));
const Buf kEcho = hex("08005435123400016162636465666768");   // request id 0x1234 seq 1 "abcdefgh"
const Buf kEchoOdd = hex("00005c9c1234000261626364656667");  // reply seq 2, odd length "abcdefg"
const Buf kFragNeeded = hex(std::string("030436ce000005dc") + std::string(kQuoted));    // MTU 1500
const Buf kParamProblem = hex(std::string("0c001fae14000000") + std::string(kQuoted));  // pointer 20
const Buf kRedirect = hex(std::string("050177aec00002fe") + std::string(kQuoted));      // host, gw 192.0.2.254
const Buf kTimeExceeded = hex(std::string("0b0034a700070000") + std::string(kQuoted));  // RFC 4884 length 7
const Buf kTimestamp = hex("0d00c2a212340005000102030405060708090a0b");                 // a type nextip does not model

Icmpv4Repr parse_ok(const Buf& b) {
  auto v = Icmpv4View<Bytes>::checked(bs(b));
  EXPECT_TRUE(v) << err(v);
  if (!v) return {};
  auto r = Icmpv4Repr::parse(*v);
  EXPECT_TRUE(r) << err(r);
  return r.value_or(Icmpv4Repr{});
}

Buf emit(const Icmpv4Repr& r) {
  Buf out(r.buffer_len(), std::byte{0x5a});
  r.emit(MutBytes(out.data(), out.size()));
  return out;
}

TEST(Icmpv4, DestinationUnreachableOfSection1273) {
  auto v = Icmpv4View<Bytes>::checked(bs(kUnreach));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type(), icmpv4_type::kDestUnreachable);
  EXPECT_EQ(v->code(), icmpv4_unreach::kHost);
  EXPECT_EQ(v->checksum(), 15533);  // packets.tsv icmp.checksum=15533
  EXPECT_EQ(v->rest(), 0u);
  EXPECT_EQ(v->data().size(), 28u);
  EXPECT_TRUE(v->checksum_ok());
  const Icmpv4Repr r = parse_ok(kUnreach);
  EXPECT_EQ(r.type, 3);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.next_hop_mtu, 0);
  EXPECT_EQ(r.rfc4884_length, 0);
  ASSERT_EQ(r.data.size(), 28u);
  EXPECT_EQ(r.data[0], std::byte{0x45});
  EXPECT_EQ(emit(r), kUnreach);
}

TEST(Icmpv4, EchoRequestAndReply) {
  const Icmpv4Repr q = parse_ok(kEcho);
  EXPECT_EQ(q.type, icmpv4_type::kEchoRequest);
  EXPECT_EQ(q.echo_id, 0x1234);
  EXPECT_EQ(q.echo_seq, 1);
  EXPECT_EQ(q.data.size(), 8u);
  EXPECT_EQ(emit(q), kEcho);
  auto v = Icmpv4View<Bytes>::checked(bs(kEcho));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->echo_id(), 0x1234);
  EXPECT_EQ(v->echo_seq(), 1);
  // An odd-length message is summed with a zero pad byte (RFC 1071).
  const Icmpv4Repr p = parse_ok(kEchoOdd);
  EXPECT_EQ(p.type, icmpv4_type::kEchoReply);
  EXPECT_EQ(p.echo_seq, 2);
  EXPECT_EQ(p.data.size(), 7u);
  EXPECT_EQ(emit(p), kEchoOdd);
}

TEST(Icmpv4, EchoFromFieldsEmitsTheVector) {
  const Buf data = hex("6162636465666768");
  Icmpv4Repr r;
  r.type = icmpv4_type::kEchoRequest;
  r.echo_id = 0x1234;
  r.echo_seq = 1;
  r.data = bs(data);
  EXPECT_EQ(r.buffer_len(), 16u);
  EXPECT_EQ(emit(r), kEcho);
}

TEST(Icmpv4, FragmentationNeededCarriesTheNextHopMtu) {
  const Icmpv4Repr r = parse_ok(kFragNeeded);
  EXPECT_EQ(r.type, 3);
  EXPECT_EQ(r.code, icmpv4_unreach::kFragNeeded);
  EXPECT_EQ(r.next_hop_mtu, 1500);
  auto v = Icmpv4View<Bytes>::checked(bs(kFragNeeded));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->next_hop_mtu(), 1500);
  EXPECT_EQ(emit(r), kFragNeeded);
  const Buf q = hex(kQuoted);
  Icmpv4Repr f;
  f.type = 3;
  f.code = 4;
  f.next_hop_mtu = 1500;
  f.data = bs(q);
  EXPECT_EQ(emit(f), kFragNeeded);
}

TEST(Icmpv4, ParameterProblemCarriesThePointer) {
  const Icmpv4Repr r = parse_ok(kParamProblem);
  EXPECT_EQ(r.type, icmpv4_type::kParameterProblem);
  EXPECT_EQ(r.pointer, 20);
  auto v = Icmpv4View<Bytes>::checked(bs(kParamProblem));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->pointer(), 20);
  EXPECT_EQ(emit(r), kParamProblem);
}

TEST(Icmpv4, RedirectCarriesTheGateway) {
  const Icmpv4Repr r = parse_ok(kRedirect);
  EXPECT_EQ(r.type, icmpv4_type::kRedirect);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.gateway, Ipv4Address(192, 0, 2, 254));
  auto v = Icmpv4View<Bytes>::checked(bs(kRedirect));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->gateway(), Ipv4Address(192, 0, 2, 254));
  EXPECT_EQ(emit(r), kRedirect);
}

TEST(Icmpv4, TimeExceededCarriesTheRfc4884Length) {
  const Icmpv4Repr r = parse_ok(kTimeExceeded);
  EXPECT_EQ(r.type, icmpv4_type::kTimeExceeded);
  EXPECT_EQ(r.rfc4884_length, 7);
  auto v = Icmpv4View<Bytes>::checked(bs(kTimeExceeded));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->rfc4884_length(), 7);
  EXPECT_EQ(emit(r), kTimeExceeded);
}

TEST(Icmpv4, UnmodelledTypeKeepsItsFourBytes) {
  const Icmpv4Repr r = parse_ok(kTimestamp);
  EXPECT_EQ(r.type, 13);
  EXPECT_EQ(r.rest_raw, 0x12340005u);
  EXPECT_EQ(r.data.size(), 12u);
  EXPECT_EQ(emit(r), kTimestamp);
}

TEST(Icmpv4, ErrorTypesQuoteThePacket) {
  for (const int t : {3, 4, 5, 11, 12}) EXPECT_TRUE(icmpv4_is_error(static_cast<u8>(t))) << t;
  for (const int t : {0, 8, 13, 14, 255}) EXPECT_FALSE(icmpv4_is_error(static_cast<u8>(t))) << t;
}

TEST(Icmpv4, TruncationSweepNamesTheMissingField) {
  const char* names[] = {"icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum",
                         "icmp.rest", "icmp.rest", "icmp.rest",     "icmp.rest"};
  const std::size_t offs[] = {0, 1, 2, 2, 4, 4, 4, 4};
  for (const Buf* m : {&kUnreach, &kEcho, &kFragNeeded, &kParamProblem, &kRedirect, &kTimeExceeded, &kTimestamp}) {
    for (std::size_t n = 0; n < 8; ++n) {
      EXPECT_EQ(err(Icmpv4View<Bytes>::checked(bs(*m, n))), expect(WireErrc::truncated, names[n], offs[n])) << n;
    }
    // The header alone is a message; a cut quote or echo payload just changes the checksum.
    for (std::size_t n = 8; n < m->size(); ++n) {
      auto v = Icmpv4View<Bytes>::checked(bs(*m, n));
      ASSERT_TRUE(v) << n;
      EXPECT_EQ(v->data().size(), n - 8);
    }
  }
}

TEST(Icmpv4, BadChecksumIsRefused) {
  for (const Buf* m : {&kUnreach, &kEcho, &kEchoOdd, &kRedirect}) {
    Buf b = *m;
    b.back() = static_cast<std::byte>(static_cast<u8>(b.back()) ^ 0x40);
    auto v = Icmpv4View<Bytes>::checked(bs(b));
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->checksum_ok());
    EXPECT_EQ(err(Icmpv4Repr::parse(*v)), expect(WireErrc::bad_checksum, "icmp.checksum", 2));
  }
}

TEST(Icmpv4, FillChecksum) {
  Buf b = kEcho;
  const auto v = Icmpv4View<MutBytes>::unchecked(MutBytes(b.data(), b.size()));
  v.set_checksum(0xffff);
  v.fill_checksum();
  EXPECT_EQ(b, kEcho);
}

TEST(Icmpv4, RandomizedRoundTrip) {
  std::mt19937_64 rng(792);
  const u8 types[] = {0, 3, 4, 5, 8, 11, 12, 13, 14, 200};
  for (int i = 0; i < 3000; ++i) {
    Buf data(rng() % 80);
    for (auto& x : data) x = static_cast<std::byte>(rng());
    Icmpv4Repr r;
    r.type = types[rng() % std::size(types)];
    r.code = static_cast<u8>(r.type == 3 ? rng() % 16 : rng() % 4);
    r.data = bs(data);
    switch (r.type) {
      case 0:
      case 8:
        r.echo_id = static_cast<u16>(rng());
        r.echo_seq = static_cast<u16>(rng());
        break;
      case 3:
        r.rfc4884_length = static_cast<u8>(rng());
        if (r.code == 4) r.next_hop_mtu = static_cast<u16>(rng());
        break;
      case 11: r.rfc4884_length = static_cast<u8>(rng()); break;
      case 12:
        r.pointer = static_cast<u8>(rng());
        r.rfc4884_length = static_cast<u8>(rng());
        break;
      case 5: r.gateway = Ipv4Address(static_cast<u32>(rng())); break;
      default: r.rest_raw = static_cast<u32>(rng()); break;
    }
    const Buf b = emit(r);
    auto v = Icmpv4View<Bytes>::checked(bs(b));
    ASSERT_TRUE(v);
    auto p = Icmpv4Repr::parse(*v);
    ASSERT_TRUE(p) << err(p) << " #" << i;
    EXPECT_EQ(*p, r) << i << " type " << int{r.type};
    EXPECT_EQ(emit(*p), b);
  }
}

}  // namespace
}  // namespace nextip::inet

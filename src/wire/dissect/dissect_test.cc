#include "wire/dissect/dissect.h"

#include <gtest/gtest.h>

#include "wire/build/build.h"
#include "wire/inet/ethernet.h"

namespace nextip::dissect {
namespace {

using build::Packet;

std::vector<std::string> protocols(const Packet& p, Start s) {
  std::vector<std::string> out;
  for (const auto& l : dissect(p, s).layers) out.push_back(l.protocol);
  return out;
}

Packet asip_udp() {
  asip::HeaderRepr h;
  h.src = *asip::Address::parse("64496::192.0.2.1");
  h.dst = *asip::Address::parse("::198.51.100.1");
  return build::asip(h, build::Udp{1000, 2000, build::counting(20), false});
}

Packet ipv8_udp() {
  ipv8::HeaderRepr h;
  h.src = *ipv8::Address::parse("64496.192.0.2.1");
  h.dst = *ipv8::Address::parse("15169.198.51.100.1");
  return build::ipv8(h, build::Udp{1000, 2000, build::counting(20), false});
}

TEST(Dissect, DetectsTheFamilyByTheVersionRule) {
  EXPECT_EQ(detect_ip(asip_udp()), Start::asip);
  EXPECT_EQ(detect_ip(ipv8_udp()), Start::ipv8);
  inet::Ipv4Repr v4;
  EXPECT_EQ(detect_ip(build::ipv4(v4, build::Udp{})), Start::ipv4);
  inet::Ipv6Repr v6;
  EXPECT_EQ(detect_ip(build::ipv6(v6, build::Udp{})), Start::ipv6);
  ipv45::HeaderRepr h45;
  EXPECT_EQ(detect_ip(build::ipv45_bare(h45, {}, {})), Start::ipv45);
  // Decision DUMP-1: 0x87 is IPv8 only when the 28-byte header checksum verifies; an
  // ASIP header whose traffic class starts with 7 is ASIP.
  Packet a = asip_udp();
  a[0] = std::byte{0x87};
  EXPECT_EQ(detect_ip(a), Start::asip);
  Packet v8 = ipv8_udp();
  v8[10] ^= std::byte{1};
  EXPECT_EQ(detect_ip(v8), Start::asip);
  EXPECT_EQ(detect_ip({}), Start::ip);
}

TEST(Dissect, LayersFollowTheHeaders) {
  EXPECT_EQ(protocols(asip_udp(), Start::ip), (std::vector<std::string>{"asip", "udp", "data"}));
  EXPECT_EQ(protocols(build::ethernet(inet::ethertype::kIpv8, ipv8_udp()), Start::ethernet),
            (std::vector<std::string>{"eth", "ipv8", "udp", "data"}));
  EXPECT_EQ(protocols(build::geneve_ipv4(inet::Ipv4Address(192, 0, 2, 1), inet::Ipv4Address(198, 51, 100, 1),
                                         inet::ethertype::kAsip, 5, asip_udp()),
                      Start::ip),
            (std::vector<std::string>{"ip", "udp", "geneve", "asip", "udp", "data"}));
}

TEST(Dissect, QuotedPacketIsOneLevelDeeperAndNotMalformed) {
  const Packet offending = asip_udp();
  asip::HeaderRepr h;
  h.src = *asip::Address::parse("::203.0.113.254");
  h.dst = *asip::Address::parse("64496::192.0.2.1");
  const Packet err = build::asip(h, build::Icmp{1, 4, 0, Packet(offending.begin(), offending.begin() + 48)});
  const Packet p = err;
  const auto d = dissect(p, Start::asip);
  EXPECT_FALSE(d.malformed);
  ASSERT_GE(d.layers.size(), 4u);
  EXPECT_EQ(d.layers[1].protocol, "icmpasip");
  EXPECT_EQ(d.layers[2].protocol, "asip");
  EXPECT_EQ(d.layers[2].depth, 1);
  EXPECT_EQ(d.layers[2].find("asip.src")->value, "64496::192.0.2.1");
}

TEST(Dissect, EveryPrefixOfEveryVectorKindIsMalformedWithAFieldNamed) {
  // The truncation sweep at the dissector level: each prefix of a valid packet fails
  // with an error naming the field that is missing.
  const std::vector<std::pair<Packet, Start>> packets = {{asip_udp(), Start::asip}, {ipv8_udp(), Start::ipv8}};
  for (const auto& [full, start] : packets) {
    ASSERT_FALSE(dissect(full, start).malformed);
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Packet cut(full.begin(), full.begin() + static_cast<long>(n));
      const auto d = dissect(cut, start);
      ASSERT_TRUE(d.malformed) << "prefix " << n;
      bool named = false;
      for (const auto& l : d.layers) named |= l.error.has_value() && l.error->find(" at ") != std::string::npos;
      ASSERT_TRUE(named) << "prefix " << n;
    }
  }
}

TEST(Dissect, NamesTheMissingAsipField) {
  const Packet p = asip_udp();
  const auto d = dissect(Packet(p.begin(), p.begin() + 30), Start::asip);
  ASSERT_TRUE(d.layers.front().error.has_value());
  EXPECT_EQ(*d.layers.front().error, "asip.dst at 24: truncated: the field does not fit in the bytes given");
}

TEST(Dissect, ReportsMustDropAsipAddresses) {
  asip::HeaderRepr h;
  h.src = asip::Address(0, 5, 0, 1);                          // §3.3: r = 0 with z != 0
  h.dst = *asip::Address::parse("255.255.255.0::224.0.0.1");  // §10.1: scope nibble 0
  const auto d = dissect(build::asip(h, build::Udp{1, 2, {}, false}), Start::asip);
  EXPECT_FALSE(d.malformed);
  ASSERT_EQ(d.layers.front().notes.size(), 2u);
  EXPECT_NE(d.layers.front().notes[0].find("r0-with-zone-or-subnet"), std::string::npos);
  EXPECT_NE(d.layers.front().notes[1].find("multicast-reserved-scope"), std::string::npos);
}

TEST(Dissect, StartNames) {
  for (auto s :
       {Start::ethernet, Start::ip, Start::ipv4, Start::ipv6, Start::asip, Start::ipv8, Start::ipxl, Start::ipv45}) {
    EXPECT_EQ(start_from_name(name(s)), s);
  }
  EXPECT_FALSE(start_from_name("ipv9").has_value());
}

// Found by dissect_fuzz: extension-header layers added while an earlier layer's writer
// was still in use (a use-after-free before layers became a deque). Must not crash.
TEST(Dissect, ManyLayersThenANoteOnTheFirst) {
  const std::string hex =
      "800000000078336407f8f8f8000048c0a8e4019d0c00ffffffce0800000000fe00fe00003b4100003a00000008000000"
      "0000000000001111000000000000e1000000000000000000000000000000000000f8f8f8f8f8f8f8f8f8f8f8f8f8abf8"
      "f8f8f8f8f8f8f8f8f8f8f801000000015018ffff2bd10000000102030405060708090a0b0c0d0e0f1011121314151617"
      "18191a1b1c1d1e1f20212223242526272829630000002e2f30320000000034363931333537383a003b3c3d3e3fd95e5f"
      "60616263";
  std::vector<std::byte> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<std::byte>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  const auto d = dissect(bytes, Start::asip);
  EXPECT_GE(d.layers.size(), 2u);
}

}  // namespace
}  // namespace nextip::dissect

// The rewrite against fixed vectors (test_vectors.h): kernel IPv6 -> ASIP equals the
// ASIP build of the same fields, field by field and byte for byte, every checksum
// verifies with the ASIP pseudo-header (next header 143 for ICMP-ASIP), the dissector
// reads it as ASIP, and the way back restores the IPv6 bytes. Then quotes cut at every
// length, and every truncation of every vector.
#include "engine/host/rewrite.h"

#include <gtest/gtest.h>

#include "engine/host/adaptor.h"
#include "engine/host/test_vectors.h"
#include "wire/asip/packet.h"

namespace nextip::engine::host {
namespace {

using namespace fixtures;

HostResult to_asip(HostAdaptor& a, Packet& p, base::Offload off = {}) {
  return a.kernel_to_asip(p, off);
}
HostResult to_kernel(HostAdaptor& a, Packet& p, base::Offload off = {}) {
  return a.asip_to_kernel(p, off);
}

TEST(HostRewrite, VectorsBecomeTheirAsipBuild) {
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    ASSERT_EQ(v.v6.size(), v.asip.size());
    HostAdaptor a{HostConfig{}};
    Packet p = v.v6;
    const HostResult r = to_asip(a, p);
    ASSERT_TRUE(r.ok) << name(r.reason);
    EXPECT_EQ(r.length, p.size());
    EXPECT_EQ(hex(p), hex(v.asip));
  }
}

TEST(HostRewrite, AsipVectorsBecomeTheKernelsIpv6) {
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    HostAdaptor a{HostConfig{}};
    Packet p = v.asip;
    const HostResult r = to_kernel(a, p);
    ASSERT_TRUE(r.ok) << name(r.reason);
    EXPECT_EQ(hex(p), hex(v.v6));
  }
}

TEST(HostRewrite, FieldByField) {
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    HostAdaptor a{HostConfig{}};
    Packet p = v.v6;
    ASSERT_TRUE(to_asip(a, p).ok);
    const auto in = inet::Ipv6View<base::Bytes>::checked(v.v6);
    const auto out = asip::HeaderView<base::Bytes>::checked(p);
    ASSERT_TRUE(in.has_value());
    ASSERT_TRUE(out.has_value()) << base::to_string(out.error());
    EXPECT_EQ(out->version(), 8);
    EXPECT_EQ(out->traffic_class(), in->traffic_class());
    EXPECT_EQ(out->flow_label(), in->flow_label());
    EXPECT_EQ(out->payload_length(), in->payload_length());
    EXPECT_EQ(out->hop_limit(), in->hop_limit());
    EXPECT_EQ(out->src().to_uint(), in->src().to_uint());  // the same 128 bits
    EXPECT_EQ(out->dst().to_uint(), in->dst().to_uint());
    const bool icmp = in->next_header() == 58;
    EXPECT_EQ(out->next_header(), icmp ? 143 : in->next_header());
    // The chain: same headers, same lengths; only a Next Header naming ICMP differs.
    auto c6 = inet::walk_ext_chain(in->next_header(), in->payload(), inet::ExtChainLimits{}, inet::kIpv6ExtNames, 40);
    auto c8 = asip::walk_chain(*out, false);
    ASSERT_TRUE(c6.has_value());
    ASSERT_TRUE(c8.has_value()) << base::to_string(c8.error());
    ASSERT_EQ(c6->count, c8->count);
    for (int i = 0; i < c6->count; ++i) {
      const auto& h6 = c6->headers[static_cast<std::size_t>(i)];
      const auto& h8 = c8->headers[static_cast<std::size_t>(i)];
      EXPECT_EQ(h6.type, h8.type);
      EXPECT_EQ(h6.offset, h8.offset);
      EXPECT_EQ(h6.length, h8.length);
    }
    EXPECT_EQ(c8->upper_protocol, c6->upper_protocol == 58 ? 143 : c6->upper_protocol);
    EXPECT_EQ(c8->upper_offset, c6->upper_offset);
    if (c6->fragment) {
      ASSERT_TRUE(c8->fragment.has_value());
      EXPECT_EQ(c8->fragment->next_header, c6->fragment->next_header == 58 ? 143 : c6->fragment->next_header);
      EXPECT_EQ(c8->fragment->identification, c6->fragment->identification);
      EXPECT_EQ(c8->fragment->fragment_offset, c6->fragment->fragment_offset);
      EXPECT_EQ(c8->fragment->more, c6->fragment->more);
    }
  }
}

TEST(HostRewrite, EveryChecksumVerifiesWithTheAsipPseudoHeader) {
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    expect_checksums(v.v6, 58);  // the inputs are right to begin with
    HostAdaptor a{HostConfig{}};
    Packet p = v.v6;
    ASSERT_TRUE(to_asip(a, p).ok);
    expect_checksums(p, 143);
  }
}

TEST(HostRewrite, DissectorReadsTheOutputAsAsip) {
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    HostAdaptor a{HostConfig{}};
    Packet p = v.v6;
    ASSERT_TRUE(to_asip(a, p).ok);
    expect_dissects_as_asip(p);
  }
}

TEST(HostRewrite, RoundTripRestoresTheBytes) {
  HostAdaptor a{HostConfig{}};
  for (const Vector& v : vectors()) {
    SCOPED_TRACE(v.name);
    Packet p = v.v6;
    ASSERT_TRUE(to_asip(a, p).ok);
    ASSERT_TRUE(to_kernel(a, p).ok);
    EXPECT_EQ(p, v.v6);
  }
  EXPECT_EQ(a.stats().to_asip, vectors().size());
  EXPECT_EQ(a.stats().to_kernel, vectors().size());
  EXPECT_EQ(a.stats().dropped(), 0u);
}

// A vector's upper-layer fields as the ASIP example of 001 §12.7.1: S = 15169::192.0.2.1
// is r 0.0.59.65 (ASN 15169), z 0, s 0, h 192.0.2.1 = IPv6 0:3b41::c000:201.
TEST(HostRewrite, Section12_7_1AddressIsTheSameBits) {
  EXPECT_EQ(addr("15169::192.0.2.1").to_ipv6().to_string(), "0:3b41::c000:201");
  Fields f;
  f.dst = "::198.51.100.1";
  bld::Tcp t;
  t.src_port = 40000;
  t.dst_port = 80;
  t.payload = bld::counting(100);
  Packet p = ipv6(f, t);
  HostAdaptor a{HostConfig{}};
  ASSERT_TRUE(to_asip(a, p).ok);
  // 0x00 80 00 00 00, 0x04 00 78 06 40, then the addresses (§12.7.1's listing).
  EXPECT_EQ(hex(first(p, 40)),
            "8000000000780640"
            "00003b410000000000000000c0000201"
            "000000000000000000000000c6336401");
  EXPECT_EQ(p, asip_packet(f, t));
}

// The quoted packet cut at every length: the adaptor rewrites what is there and
// nothing past it, and the result equals the ASIP build of the same cut.
TEST(HostRewrite, QuotesCutAtEveryLength) {
  const Fields f;
  struct Inner {
    std::string name;
    Packet v6, asip;
    std::size_t icmp_at;
  };
  const std::vector<Inner> inners = {
      {"echo", ipv6(f, quoted_echo()), asip_packet(f, quoted_echo()), 40},
      {"dstopts-fragment-echo", ipv6(f, quoted_echo(), quoted_chain()), asip_packet(f, quoted_echo(), quoted_chain()),
       kQuotedChainIcmpAt},
      {"hbh-ah-echo", ipv6(f, quoted_echo(), {bld::ext_options(0), bld::ext_ah(5)}),
       asip_packet(f, quoted_echo(), {bld::ext_options(0), bld::ext_ah(5)}), 40 + 8 + 32},
      {"later-fragment", ipv6(f, bld::Raw{58, bld::counting(30)}, {bld::ext_fragment(3, false, 9)}),
       asip_packet(f, bld::Raw{143, bld::counting(30)}, {bld::ext_fragment(3, false, 9)}), 0},
      {"udp", ipv6(f, bld::Udp{1, 2, bld::counting(20), false}),
       asip_packet(f, bld::Udp{1, 2, bld::counting(20), false}), 0},
  };
  const std::vector<bld::Icmp> errors = {{1, 3, 0, {}}, {2, 0, 1400, {}}, {3, 0, 0, {}}, {4, 1, 6, {}}};
  for (const Inner& in : inners) {
    for (const bld::Icmp& e : errors) {
      for (std::size_t cut = 0; cut <= in.v6.size(); ++cut) {
        SCOPED_TRACE(in.name + " type " + std::to_string(e.type) + " cut " + std::to_string(cut));
        const Vector v = error_vector("cut", reverse(f), e, in.v6, in.asip, cut, in.icmp_at);
        HostAdaptor a{HostConfig{}};
        Packet p = v.v6;
        const HostResult r = to_asip(a, p);
        ASSERT_TRUE(r.ok) << name(r.reason);
        EXPECT_EQ(hex(p), hex(v.asip));
        EXPECT_EQ(a.stats().quoted_rewritten, cut > 0 ? 1u : 0u);
        expect_checksums(p, 143);
        ASSERT_TRUE(to_kernel(a, p).ok);
        EXPECT_EQ(p, v.v6);
      }
    }
  }
}

// Every prefix of every vector, as received (the payload length now runs past the
// bytes) and as a shorter packet of its own (payload length set to what is left):
// never a crash; a refused packet is left exactly as it was; an accepted one goes back.
TEST(HostRewrite, EveryTruncationHasAReason) {
  for (const Vector& v : vectors()) {
    for (const bool from_kernel : {true, false}) {
      const Packet& whole = from_kernel ? v.v6 : v.asip;
      for (std::size_t n = 0; n < whole.size(); ++n) {
        SCOPED_TRACE(v.name + (from_kernel ? " v6" : " asip") + " cut " + std::to_string(n));
        HostAdaptor a{HostConfig{}};
        Packet p = first(whole, n);
        HostResult r = from_kernel ? to_asip(a, p) : to_kernel(a, p);
        ASSERT_FALSE(r.ok);
        EXPECT_EQ(r.reason, n < 40 ? HostDrop::truncated : HostDrop::payload_beyond_bytes);
        EXPECT_EQ(p, first(whole, n));
        if (n < 40) continue;
        base::store_be16(p.data() + 4, static_cast<base::u16>(n - 40));
        const Packet shorter = p;
        r = from_kernel ? to_asip(a, p) : to_kernel(a, p);
        if (!r.ok) {
          EXPECT_NE(r.reason, HostDrop::none);
          EXPECT_EQ(p, shorter);
          continue;
        }
        r = from_kernel ? to_kernel(a, p) : to_asip(a, p);
        ASSERT_TRUE(r.ok) << name(r.reason);
        EXPECT_EQ(p, shorter);
      }
    }
  }
}

// Cutting the vectors' chains and ICMP headers gives the specific reasons.
TEST(HostRewrite, TruncationReasons) {
  auto cut_to = [](const Packet& whole, std::size_t n) {
    Packet p = first(whole, n);
    base::store_be16(p.data() + 4, static_cast<base::u16>(n - 40));
    return p;
  };
  auto reason = [](Packet p) {
    HostAdaptor a{HostConfig{}};
    base::Offload off;
    return a.kernel_to_asip(p, off).reason;
  };
  const Fields f;
  const Packet dst_frag = ipv6(f, quoted_echo(), quoted_chain());  // DestOpts 16, Fragment (M=1) 8, echo
  EXPECT_EQ(reason(cut_to(dst_frag, 41)), HostDrop::ext_truncated);
  EXPECT_EQ(reason(cut_to(dst_frag, 55)), HostDrop::ext_truncated);
  EXPECT_EQ(reason(cut_to(dst_frag, 60)), HostDrop::ext_truncated);   // in the Fragment header
  EXPECT_EQ(reason(cut_to(dst_frag, 64)), HostDrop::ext_incomplete);  // RFC 7112: no ICMP header
  EXPECT_EQ(reason(cut_to(dst_frag, 67)), HostDrop::ext_incomplete);
  EXPECT_EQ(reason(cut_to(dst_frag, 68)), HostDrop::none);  // a first fragment's checksum is not verified
  const Packet echo = ipv6(f, quoted_echo());
  EXPECT_EQ(reason(cut_to(echo, 43)), HostDrop::icmp_truncated);
  EXPECT_EQ(reason(cut_to(echo, 50)), HostDrop::icmp_bad_checksum);
  const Packet err = ipv6(reverse(f), bld::Icmp{1, 0, 0, echo});
  EXPECT_EQ(reason(cut_to(err, 46)), HostDrop::icmp_truncated);  // an error needs 8 bytes
}

}  // namespace
}  // namespace nextip::engine::host

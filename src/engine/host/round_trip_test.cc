// Property tests over thousands of random packets. Each is a random description
// (addresses, traffic class, flow label, extension chain, upper layer — ICMP errors
// quoting a random packet cut at a random length) built twice, as the kernel's IPv6 and
// as ASIP: kernel_to_asip must give the ASIP build byte for byte, asip_to_kernel the
// IPv6 build, and the two must undo each other. Then random damage to valid packets:
// a refused packet is never touched, an accepted one goes back to what it was.
#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "engine/host/adaptor.h"
#include "engine/host/carrier.h"
#include "engine/host/test_packets.h"

namespace nextip::engine::host {
namespace {

using namespace fixtures;
using base::u128;

enum class Kind : u8 { udp, tcp, echo, error, raw, later_fragment };

struct Spec {
  u128 src = 0, dst = 0;
  u8 hop_limit = 64, traffic_class = 0;
  base::u32 flow_label = 0;
  std::vector<bld::Ext> ext;
  Kind kind = Kind::udp;
  bld::Udp udp;
  bld::Tcp tcp;
  bld::Icmp icmp;
  u8 raw_protocol = 0;  // for later_fragment: 58 means ICMP (143 on the ASIP side)
  Packet raw;
  std::shared_ptr<Spec> inner;  // error: the quoted packet, cut to `cut` bytes
  std::size_t cut = 0;
};

std::size_t chain_len(const std::vector<bld::Ext>& ext) {
  std::size_t n = 0;
  for (const auto& e : ext) n += e.bytes.size();
  return n;
}

Packet build(const Spec& s, bool asip_side);

bld::Upper upper_of(const Spec& s, bool asip_side) {
  switch (s.kind) {
    case Kind::udp: return s.udp;
    case Kind::tcp: return s.tcp;
    case Kind::echo: return s.icmp;
    case Kind::raw: return bld::Raw{s.raw_protocol, s.raw};
    case Kind::later_fragment:
      return bld::Raw{static_cast<u8>(s.raw_protocol == 58 && asip_side ? 143 : s.raw_protocol), s.raw};
    case Kind::error: {
      const Packet q6 = first(build(*s.inner, false), s.cut);
      Packet q = asip_side ? first(build(*s.inner, true), s.cut) : q6;
      // A quoted checksum cut in half stays as it was (rewrite.h).
      const std::size_t icmp_at = 40 + chain_len(s.inner->ext);
      if (asip_side && s.inner->kind == Kind::echo && s.cut == icmp_at + 3) q[icmp_at + 2] = q6[icmp_at + 2];
      bld::Icmp e = s.icmp;
      e.data = q;
      return e;
    }
  }
  return bld::Raw{};
}

Packet build(const Spec& s, bool asip_side) {
  if (asip_side) {
    asip::HeaderRepr h;
    h.src = asip::Address::from_uint(s.src);
    h.dst = asip::Address::from_uint(s.dst);
    h.hop_limit = s.hop_limit;
    h.traffic_class = s.traffic_class;
    h.flow_label = s.flow_label;
    return bld::asip(h, upper_of(s, true), s.ext);
  }
  inet::Ipv6Repr h;
  h.src = inet::Ipv6Address::from_uint(s.src);
  h.dst = inet::Ipv6Address::from_uint(s.dst);
  h.hop_limit = s.hop_limit;
  h.traffic_class = s.traffic_class;
  h.flow_label = s.flow_label;
  return bld::ipv6(h, upper_of(s, false), s.ext);
}

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool coin() { return below(2) == 0; }
  Packet bytes(std::size_t n) {
    Packet p(n);
    for (auto& b : p) b = static_cast<std::byte>(below(256));
    return p;
  }

  // A unicast address that crosses: terrestrial, IPv4-mapped, internal zones, mesh,
  // documentation, ASIP link-local — or anything random that the carrier accepts.
  u128 address() {
    for (;;) {
      u128 a = (u128{rng_()} << 64) | rng_();
      switch (below(4)) {
        case 0: a &= 0xffffffff; break;                                                                 // IPv4-mapped
        case 1: a = (u128{static_cast<base::u32>(below(400000) + 1)} << 96) | (a & 0xffffffff); break;  // ASN::h
        case 2: a = (u128{0x7f010000} << 96) | (a & ((u128{1} << 96) - 1)); break;                      // internal zone
        default: break;
      }
      if (carrier_address(a, false) == HostDrop::none) return a;
    }
  }

  // 0-5 extension headers within §14.12; maybe a Fragment header (first, atomic, or
  // later when `later` — the caller then makes the upper layer raw data).
  std::vector<bld::Ext> chain(bool fragment_first_ok, bool later) {
    std::vector<bld::Ext> ext;
    if (below(4) == 0) ext.push_back(bld::ext_options(0, static_cast<u8>(below(3))));
    const std::size_t n = below(4);
    bool fragment = false;
    for (std::size_t i = 0; i < n; ++i) {
      switch (below(4)) {
        case 0: ext.push_back(bld::ext_options(60, static_cast<u8>(below(3)))); break;
        case 1: ext.push_back(bld::ext_options(43, static_cast<u8>(below(2)))); break;
        case 2: ext.push_back(bld::ext_ah(static_cast<u8>(1 + 2 * below(3)))); break;
        default:
          if (!fragment && fragment_first_ok && !later) {
            ext.push_back(bld::ext_fragment(0, coin(), static_cast<base::u32>(rng_())));
            fragment = true;
          }
          break;
      }
    }
    if (later)
      ext.push_back(bld::ext_fragment(static_cast<u16>(1 + below(8000)), coin(), static_cast<base::u32>(rng_())));
    return ext;
  }

  Spec packet(int depth) {
    Spec s;
    s.src = address();
    s.dst = address();
    s.hop_limit = static_cast<u8>(below(256));
    s.traffic_class = static_cast<u8>(below(256));
    s.flow_label = static_cast<base::u32>(below(1 << 20));
    const std::size_t pick = below(depth == 0 ? 6 : 5);
    s.kind = pick == 5 ? Kind::error : static_cast<Kind>(pick == 3 ? 4 : pick == 4 ? 5 : pick);
    s.ext = chain(s.kind != Kind::error || coin(), s.kind == Kind::later_fragment);
    if (s.kind == Kind::error) {
      // An ICMP error in a real first fragment is refused: keep only atomic ones.
      for (auto& e : s.ext) {
        if (e.type == 44) base::store_be16(e.bytes.data() + 2, 0);
      }
    }
    switch (s.kind) {
      case Kind::udp:
        s.udp = bld::Udp{static_cast<u16>(below(65536)), static_cast<u16>(below(65536)), bytes(below(300)), false};
        break;
      case Kind::tcp:
        s.tcp.src_port = static_cast<u16>(below(65536));
        s.tcp.dst_port = static_cast<u16>(below(65536));
        s.tcp.seq = static_cast<base::u32>(rng_());
        s.tcp.options = bytes(4 * below(4));
        s.tcp.payload = bytes(below(300));
        break;
      case Kind::echo:
        s.icmp = bld::Icmp{static_cast<u8>(coin() ? 128 : 129), 0, static_cast<base::u32>(rng_()), bytes(below(200))};
        break;
      case Kind::raw: {
        static constexpr u8 kProtocols[] = {4, 41, 47, 59, 103, 132, 253};
        s.raw_protocol = kProtocols[below(std::size(kProtocols))];
        s.raw = s.raw_protocol == 59 ? Packet{} : bytes(below(100));
        break;
      }
      case Kind::later_fragment: {
        static constexpr u8 kProtocols[] = {58, 58, 6, 17};
        s.raw_protocol = kProtocols[below(4)];
        s.raw = bytes(below(200));
        break;
      }
      case Kind::error: {
        s.icmp = bld::Icmp{static_cast<u8>(1 + below(4)), static_cast<u8>(below(8)), 0, {}};
        if (s.icmp.type == 2) s.icmp.rest = static_cast<base::u32>(1280 + below(8000));
        if (s.icmp.type == 4) s.icmp.rest = static_cast<base::u32>(below(100));
        s.inner = std::make_shared<Spec>(packet(depth + 1));
        const std::size_t inner_size = build(*s.inner, false).size();
        s.cut = coin() ? inner_size : below(inner_size + 1);
        break;
      }
    }
    return s;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

TEST(HostRoundTrip, RandomPacketsBecomeTheirAsipBuildAndBack) {
  Gen g(20260415);
  HostAdaptor a{HostConfig{}};
  std::size_t errors = 0, fragments = 0;
  for (int i = 0; i < 4000; ++i) {
    const Spec s = g.packet(0);
    const Packet v6 = build(s, false);
    const Packet v8 = build(s, true);
    SCOPED_TRACE("packet " + std::to_string(i) + ": " + hex(v6));
    base::Offload off;
    Packet p = v6;
    HostResult r = a.kernel_to_asip(p, off);
    ASSERT_TRUE(r.ok) << name(r.reason);
    ASSERT_EQ(hex(p), hex(v8));
    if (i % 8 == 0) expect_checksums(p, 143);
    r = a.asip_to_kernel(p, off);
    ASSERT_TRUE(r.ok) << name(r.reason);
    ASSERT_EQ(p, v6);
    errors += s.kind == Kind::error;
    fragments += s.kind == Kind::later_fragment;
  }
  EXPECT_GT(errors, 400u);  // the mix is what it claims to be
  EXPECT_GT(fragments, 400u);
  EXPECT_EQ(a.stats().dropped(), 0u);
}

// `after` equals `before` except where a checksum word 0xffff became 0x0000: the two
// zeros of one's complement, of which RFC 1624's update always gives the second.
bool same_but_zero_checksums(const Packet& before, const Packet& after) {
  if (before.size() != after.size()) return false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) continue;
    const std::size_t w = i & ~std::size_t{1};
    if (w + 1 >= before.size()) return false;
    const bool zero_swap = before[w] == std::byte{0xff} && before[w + 1] == std::byte{0xff} &&
                           after[w] == std::byte{0} && after[w + 1] == std::byte{0};
    if (!zero_swap) return false;
  }
  return true;
}

TEST(HostRoundTrip, DamagedPacketsAreRefusedUntouchedOrGoBack) {
  Gen g(7);
  HostAdaptor a{HostConfig{}};
  std::size_t accepted = 0, refused = 0;
  for (int i = 0; i < 6000; ++i) {
    const bool from_kernel = g.coin();
    Packet p = build(g.packet(0), !from_kernel);
    // A few random bytes of the first 120 (headers, chain, ICMP, quoted headers), or a cut.
    const std::size_t damage = 1 + g.below(3);
    for (std::size_t k = 0; k < damage; ++k) {
      const std::size_t at = g.below(std::min<std::size_t>(p.size(), 120));
      if (at == 0 || at == 4 || at == 5) continue;  // keep the version and length: go deeper
      p[at] = static_cast<std::byte>(g.below(256));
    }
    if (g.below(4) == 0) {
      p.resize(40 + g.below(p.size() - 39));
      base::store_be16(p.data() + 4, static_cast<u16>(p.size() - 40));
    }
    const Packet before = p;
    SCOPED_TRACE(hex(before));
    base::Offload off;
    HostResult r = from_kernel ? a.kernel_to_asip(p, off) : a.asip_to_kernel(p, off);
    if (!r.ok) {
      ++refused;
      ASSERT_NE(r.reason, HostDrop::none);
      ASSERT_EQ(p, before);
      continue;
    }
    ++accepted;
    r = from_kernel ? a.asip_to_kernel(p, off) : a.kernel_to_asip(p, off);
    ASSERT_TRUE(r.ok) << name(r.reason);
    ASSERT_TRUE(same_but_zero_checksums(before, p)) << hex(p);
  }
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(refused, 1000u);
}

}  // namespace
}  // namespace nextip::engine::host

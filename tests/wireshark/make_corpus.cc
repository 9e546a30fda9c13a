// Writes the capture corpus: several hundred Ethernet frames across every family nextip
// decodes, valid and malformed, from a fixed seed. Used by tests/wireshark/ to check
// that `nextip dump` and Wireshark (with the project's Lua dissectors) agree on every
// packet, and by anyone who wants a capture to open.
//
//   nextip_make_corpus OUT.pcap [INDEX.jsonl]
// INDEX.jsonl gets one line per frame: {"frame": n, "what": "...", "malformed": bool}.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "io/pcap.h"
#include "wire/build/build.h"
#include "wire/inet/ethernet.h"
#include "wire/ipv45/messages.h"

namespace nextip {
namespace {

using base::u16;
using base::u32;
using base::u8;
using build::Packet;
using inet::Ipv4Address;

struct Frame {
  Packet bytes;
  std::string what;
  bool malformed = false;
};

class Corpus {
 public:
  explicit Corpus(std::uint64_t seed) : rng_(seed) {}

  void add(u16 ethertype, Packet inner, std::string what, bool malformed = false) {
    frames_.push_back({build::ethernet(ethertype, inner), std::move(what), malformed});
  }
  std::mt19937_64& rng() { return rng_; }
  base::u32 r32() { return static_cast<base::u32>(rng_()); }
  base::u16 r16() { return static_cast<base::u16>(rng_()); }
  Packet payload(std::size_t max) { return build::counting(rng_() % (max + 1), static_cast<unsigned>(rng_() % 256)); }
  const std::vector<Frame>& frames() const { return frames_; }

 private:
  std::mt19937_64 rng_;
  std::vector<Frame> frames_;
};

Ipv4Address v4(const char* s) {
  return *Ipv4Address::parse(s);
}

Packet truncated(const Packet& p, std::size_t keep) {
  return Packet(p.begin(), p.begin() + static_cast<long>(keep));
}

void flip(Packet& p, std::size_t at, u8 mask = 0xff) {
  if (at < p.size()) p[at] ^= static_cast<std::byte>(mask);
}

// --- IPv4, ICMPv4, IPxl --------------------------------------------------------------

inet::Ipv4Repr ipv4_hdr(Corpus& c) {
  inet::Ipv4Repr ip;
  ip.src = Ipv4Address(static_cast<u32>(0xc0000200u | (c.r32() & 0xff)));
  ip.dst = Ipv4Address(static_cast<u32>(0xc6336400u | (c.r32() & 0xff)));
  ip.ttl = static_cast<u8>(1 + c.r32() % 255);
  ip.identification = c.r16();
  ip.dont_fragment = c.r32() % 2 == 0;
  ip.tos = static_cast<u8>(c.r32() % 4 * 0x20);
  return ip;
}

void ipv4_family(Corpus& c) {
  for (int i = 0; i < 12; ++i) {
    auto ip = ipv4_hdr(c);
    c.add(inet::ethertype::kIpv4, build::ipv4(ip, build::Udp{c.r16(), c.r16(), c.payload(200), i % 4 == 0}),
          "IPv4 UDP");
    c.add(
        inet::ethertype::kIpv4,
        build::ipv4(
            ip, build::Tcp{c.r16(), 443, c.r32(), c.r32(), static_cast<u8>(0x10 | (c.r32() % 2 ? 0x08 : 0x02)), c.r16(),
                           i % 3 == 0 ? build::bytes_of({2, 4, 5, 0xb4, 1, 1, 4, 2}) : Packet{}, c.payload(300)}),
        "IPv4 TCP");
    c.add(
        inet::ethertype::kIpv4,
        build::ipv4(ip, build::Icmp{static_cast<u8>(i % 2 ? 8 : 0), 0, (u32{c.r16()} << 16) | c.r16(), c.payload(64)}),
        "ICMPv4 echo");
  }
  // IPv4 with options (NOP, record route, EOL padding).
  for (int i = 0; i < 4; ++i) {
    auto ip = ipv4_hdr(c);
    const Packet opts = build::bytes_of({1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0});
    std::copy(opts.begin(), opts.end(), ip.options.begin());
    ip.options_len = 12;
    c.add(inet::ethertype::kIpv4, build::ipv4(ip, build::Udp{5000, 5001, c.payload(50), false}), "IPv4 with options");
  }
  // ICMPv4 errors quoting an offending packet.
  for (int i = 0; i < 8; ++i) {
    auto inner_ip = ipv4_hdr(c);
    const Packet offending = build::ipv4(inner_ip, build::Tcp{c.r16(), 80, c.r32(), 0, 0x02, 1024, {}, c.payload(40)});
    const Packet quote = truncated(offending, std::min<std::size_t>(offending.size(), i % 2 ? 28 : 68));
    auto err_ip = ipv4_hdr(c);
    err_ip.dst = inner_ip.src;
    static const u8 kTypes[][2] = {{3, 1}, {3, 3}, {3, 4}, {11, 0}, {12, 0}, {5, 1}, {3, 13}, {11, 1}};
    const u8 type = kTypes[i][0];
    const u8 code = kTypes[i][1];
    u32 rest = 0;
    if (type == 3 && code == 4) rest = 1400;
    if (type == 12) rest = 0x08000000;
    if (type == 5) rest = 0xc0000201;
    c.add(inet::ethertype::kIpv4, build::ipv4(err_ip, build::Icmp{type, code, rest, quote}),
          fmt::format("ICMPv4 error {}/{} quoting TCP", type, code));
  }
  // IPv4 fragments.
  {
    auto ip = ipv4_hdr(c);
    ip.more_fragments = true;
    ip.dont_fragment = false;
    c.add(inet::ethertype::kIpv4, build::ipv4(ip, build::Raw{17, c.payload(64)}), "IPv4 first fragment");
    ip.more_fragments = false;
    ip.fragment_offset = 8;
    c.add(inet::ethertype::kIpv4, build::ipv4(ip, build::Raw{17, c.payload(64)}), "IPv4 last fragment");
  }
  // IPxl: extended and plain.
  for (int i = 0; i < 10; ++i) {
    ipxl::PacketRepr x;
    x.src = ipxl::Address(static_cast<u32>(1 + c.r32() % 20), c.r32());
    x.dst = ipxl::Address(i % 3 == 0 ? 1 : static_cast<u32>(2 + c.r32() % 14), c.r32());
    x.ttl = 64;
    x.identification = c.r16();
    c.add(
        inet::ethertype::kIpv4,
        build::ipxl(x, i % 2 ? build::Upper(build::Udp{c.r16(), 53, c.payload(80), false})
                             : build::Upper(build::Tcp{c.r16(), 22, c.r32(), c.r32(), 0x18, 512, {}, c.payload(120)})),
        "IPxl");
  }
  // Malformed IPv4.
  auto good = build::ipv4(ipv4_hdr(c), build::Udp{1, 2, c.payload(30), false});
  for (std::size_t keep : {0u, 1u, 9u, 19u, 21u, 27u}) {
    c.add(inet::ethertype::kIpv4, truncated(good, std::min(keep, good.size() - 1)), "IPv4 truncated", true);
  }
  {
    auto p = good;
    p[0] = std::byte{0x44};  // IHL 4
    c.add(inet::ethertype::kIpv4, p, "IPv4 IHL 4", true);
    p = good;
    base::store_be16(p.data() + 2, static_cast<u16>(good.size() + 40));
    c.add(inet::ethertype::kIpv4, p, "IPv4 total length beyond the frame", true);
    p = good;
    p[0] = std::byte{0x46};
    p.insert(p.begin() + 20, {std::byte{0x07}, std::byte{0x09}, std::byte{4}, std::byte{0}});
    c.add(inet::ethertype::kIpv4, p, "IPv4 option length past the header", true);
    p = good;
    flip(p, 10);
    c.add(inet::ethertype::kIpv4, p, "IPv4 bad header checksum (reported, not malformed)");
    p = good;
    p[0] = std::byte{0x55};
    c.add(inet::ethertype::kIpv4, p, "IPv4 frame with version 5", true);
  }
}

// --- ASIP and IPv6 (the same layouts) -------------------------------------------------

template <class Repr, class Addr>
Repr v6_hdr(Corpus& c, Addr src, Addr dst) {
  Repr r;
  r.traffic_class = static_cast<u8>(c.r32() % 4 * 0x20);
  r.flow_label = c.r32() & 0xfffff;
  r.hop_limit = static_cast<u8>(1 + c.r32() % 255);
  r.src = src;
  r.dst = dst;
  return r;
}

asip::Address asip_addr(Corpus& c) {
  switch (c.r32() % 5) {
    case 0: return asip::Address(64496 + c.r32() % 16, 0, 0, c.r32());
    case 1: return asip::Address(15169, c.r32() % 8, c.r32() % 16, c.r32());
    case 2: return asip::Address(0x7f010000u, c.r32() % 4, 0, 0x0a000000u | (c.r32() & 0xffffff));
    case 3: return asip::Address(0, 0, 0, c.r32());
    default: return asip::Address(0xa9fe0000u, 0, 0, c.r32());
  }
}

inet::Ipv6Address v6_addr(Corpus& c) {
  return inet::Ipv6Address::from_uint((base::u128{0x20010db8} << 96) | (base::u128{c.r32()} << 32) | c.r32());
}

void nd_messages(Corpus& c, bool asip_side) {
  // RS, RA with a prefix option, NS, NA, Redirect.
  auto add = [&](build::Icmp m, const char* what) {
    if (asip_side) {
      auto h = v6_hdr<asip::HeaderRepr>(c, asip::Address(0xa9fe0000u, 0, 0, c.r32()),
                                        asip::Address(0xffffff00u, 2, 0, 0xe0000001u));
      h.hop_limit = 255;
      c.add(inet::ethertype::kAsip, build::asip(h, m), fmt::format("ICMP-ASIP {}", what));
    } else {
      auto h = v6_hdr<inet::Ipv6Repr>(c, v6_addr(c), v6_addr(c));
      h.hop_limit = 255;
      c.add(inet::ethertype::kIpv6, build::ipv6(h, m), fmt::format("ICMPv6 {}", what));
    }
  };
  add(build::Icmp{133, 0, 0, {}}, "router solicitation");
  // RA: hop limit, M flag and router lifetime go in the 4 bytes after the checksum;
  // the data then holds reachable time, retrans timer and a Prefix Information option.
  Packet ra_data(8 + 32);
  base::store_be32(ra_data.data(), 30000);
  base::store_be32(ra_data.data() + 4, 1000);
  inet::PrefixInformation pi;
  pi.prefix_length = 96;
  pi.on_link = true;
  pi.autonomous = true;
  pi.valid_lifetime = 86400;
  pi.preferred_lifetime = 14400;
  asip::Address(15169, 1, 10, 0).to_bytes(pi.prefix);
  pi.emit(base::MutBytes(ra_data).subspan(8, 32));
  add(build::Icmp{134, 0, (64u << 24) | (0x80u << 16) | 1800u, ra_data}, "router advertisement");
  Packet target(16);
  asip::Address(0xa9fe0000u, 0, 0, 0x0a000001).to_bytes(std::span<std::byte, 16>(target.data(), 16));
  add(build::Icmp{135, 0, 0, target}, "neighbor solicitation");
  add(build::Icmp{136, 0, 0x60000000, target}, "neighbor advertisement");
  Packet redirect = target;
  redirect.insert(redirect.end(), target.begin(), target.end());
  add(build::Icmp{137, 0, 0, redirect}, "redirect");
}

template <bool Asip>
void v6_family(Corpus& c) {
  using Repr = std::conditional_t<Asip, asip::HeaderRepr, inet::Ipv6Repr>;
  const u16 et = Asip ? inet::ethertype::kAsip : inet::ethertype::kIpv6;
  const u8 icmp_nh = Asip ? asip::kNextHeaderIcmp : inet::proto::kIcmpv6;
  const char* fam = Asip ? "ASIP" : "IPv6";
  auto addr = [&]() {
    if constexpr (Asip) {
      return asip_addr(c);
    } else {
      return v6_addr(c);
    }
  };
  auto build_pkt = [&](const Repr& h, const build::Upper& u, const std::vector<build::Ext>& ext = {}) {
    if constexpr (Asip) {
      return build::asip(h, u, ext);
    } else {
      return build::ipv6(h, u, ext);
    }
  };
  for (int i = 0; i < 12; ++i) {
    const auto h = v6_hdr<Repr>(c, addr(), addr());
    c.add(et, build_pkt(h, build::Udp{c.r16(), c.r16(), c.payload(200), false}), fmt::format("{} UDP", fam));
    c.add(et, build_pkt(h, build::Tcp{c.r16(), 80, c.r32(), c.r32(), 0x18, c.r16(), {}, c.payload(300)}),
          fmt::format("{} TCP", fam));
    c.add(et, build_pkt(h, build::Icmp{static_cast<u8>(i % 2 ? 128 : 129), 0, c.r32(), c.payload(56)}),
          fmt::format("{} echo", fam));
  }
  // Extension headers.
  for (int i = 0; i < 6; ++i) {
    const auto h = v6_hdr<Repr>(c, addr(), addr());
    std::vector<build::Ext> ext;
    if (i % 2 == 0) ext.push_back(build::ext_options(0, static_cast<u8>(i % 3)));
    ext.push_back(build::ext_options(60));
    if (i >= 3) ext.push_back(build::ext_ah());
    if (i == 5) ext.push_back(build::ext_options(43, 1));
    c.add(et, build_pkt(h, build::Udp{c.r16(), 4789, c.payload(100), false}, ext),
          fmt::format("{} with {} extension headers", fam, ext.size()));
  }
  for (int i = 0; i < 3; ++i) {
    const auto h = v6_hdr<Repr>(c, addr(), addr());
    c.add(et, build_pkt(h, build::Udp{c.r16(), 9, c.payload(200), false}, {build::ext_fragment(0, true, c.r32())}),
          fmt::format("{} first fragment", fam));
    c.add(et,
          build_pkt(h, build::Raw{17, c.payload(100)}, {build::ext_fragment(static_cast<u16>(25 + i), false, c.r32())}),
          fmt::format("{} later fragment", fam));
  }
  // Errors quoting an offending packet.
  for (int i = 0; i < 6; ++i) {
    const auto inner_h = v6_hdr<Repr>(c, addr(), addr());
    const Packet off = build_pkt(inner_h, build::Tcp{c.r16(), 443, c.r32(), 0, 0x02, 1024, {}, c.payload(80)});
    const Packet quote = truncated(off, std::min<std::size_t>(off.size(), i % 2 ? 48 : off.size()));
    static const u8 kTypes[][2] = {{1, 0}, {1, 4}, {2, 0}, {3, 0}, {4, 0}, {1, 1}};
    const u32 rest = kTypes[i][0] == 2 ? 1280u : kTypes[i][0] == 4 ? 6u : 0u;
    auto h = v6_hdr<Repr>(c, addr(), inner_h.src);
    c.add(et, build_pkt(h, build::Icmp{kTypes[i][0], kTypes[i][1], rest, quote}),
          fmt::format("{} error {}/{} quoting TCP", fam, kTypes[i][0], kTypes[i][1]));
  }
  nd_messages(c, Asip);
  // Malformed.
  const auto h = v6_hdr<Repr>(c, addr(), addr());
  const Packet good = build_pkt(h, build::Udp{1000, 2000, c.payload(60), false});
  for (std::size_t keep : {0u, 3u, 7u, 8u, 23u, 39u, 44u}) {
    c.add(et, truncated(good, keep), fmt::format("{} truncated at {}", fam, keep), true);
  }
  Packet p = good;
  base::store_be16(p.data() + 4, static_cast<u16>(good.size()));
  c.add(et, p, fmt::format("{} payload length beyond the frame", fam), true);
  p = good;
  p[0] = std::byte{Asip ? 0x60 : 0x80};
  c.add(et, p, fmt::format("{} with the other version number", fam), true);
  std::vector<build::Ext> nine(9, build::ext_options(60));
  nine[0] = build::ext_options(0);
  // The §14.12 bounds are ASIP's; RFC 8200 sets none for IPv6.
  c.add(et, build_pkt(h, build::Udp{1, 2, {}, false}, nine), fmt::format("{} with 9 extension headers", fam), Asip);
  std::vector<build::Ext> long_chain{build::ext_options(0, 20), build::ext_options(60, 20)};
  c.add(et, build_pkt(h, build::Udp{1, 2, {}, false}, long_chain), fmt::format("{} with a 344-byte chain", fam), Asip);
  c.add(et, build_pkt(h, build::Raw{60, build::bytes_of({17, 3, 1, 0})}),
        fmt::format("{} ext length past the end", fam), true);
  (void)icmp_nh;
}

// --- GENEVE -----------------------------------------------------------------------

void geneve_family(Corpus& c) {
  for (int i = 0; i < 8; ++i) {
    asip::HeaderRepr h;
    h.src = asip_addr(c);
    h.dst = asip_addr(c);
    const Packet inner = build::asip(h, build::Udp{c.r16(), 53, c.payload(120), false});
    Packet options;
    if (i >= 6) {
      options = build::bytes_of({0x01, 0x02, static_cast<u8>(i == 7 ? 0x80 : 0x03), 1, 0xaa, 0xbb, 0xcc, 0xdd});
    }
    c.add(inet::ethertype::kIpv4,
          build::geneve_ipv4(v4("192.0.2.254"), v4("198.51.100.254"), inet::ethertype::kAsip, c.r32() & 0xffffff, inner,
                             options),
          i >= 6 ? "GENEVE with an option carrying ASIP" : "GENEVE carrying ASIP");
  }
  asip::HeaderRepr h;
  h.src = asip_addr(c);
  h.dst = asip_addr(c);
  Packet bad = build::geneve_ipv4(v4("192.0.2.254"), v4("198.51.100.254"), inet::ethertype::kAsip, 7,
                                  build::asip(h, build::Udp{1, 2, {}, false}));
  bad[20 + 8] = std::byte{0x40};  // GENEVE version 1
  c.add(inet::ethertype::kIpv4, bad, "GENEVE version 1", true);
}

// --- IPv8 --------------------------------------------------------------------------

void ipv8_family(Corpus& c) {
  for (int i = 0; i < 12; ++i) {
    ipv8::HeaderRepr h;
    h.src = ipv8::Address(i % 4 == 0 ? 0 : 64496 + c.r32() % 16, c.r32());
    h.dst = ipv8::Address(i % 5 == 0 ? 65533 : 15169, c.r32());
    h.ttl = static_cast<u8>(1 + c.r32() % 255);
    h.identification = c.r16();
    h.dont_fragment = i % 2 == 0;
    c.add(inet::ethertype::kIpv8, build::ipv8(h, build::Udp{c.r16(), 53, c.payload(100), false}), "IPv8 UDP");
    c.add(inet::ethertype::kIpv8,
          build::ipv8(h, build::Tcp{c.r16(), 80, c.r32(), c.r32(), 0x18, 8192, {}, c.payload(200)}), "IPv8 TCP");
    c.add(inet::ethertype::kIpv8, build::ipv8(h, build::Icmp{8, 0, c.r32(), c.payload(32)}), "ICMPv8 echo");
  }
  // ICMPv8 errors and the 64-bit redirect.
  for (int i = 0; i < 4; ++i) {
    ipv8::HeaderRepr inner;
    inner.src = ipv8::Address(64496, c.r32());
    inner.dst = ipv8::Address(15169, c.r32());
    const Packet off = build::ipv8(inner, build::Udp{c.r16(), 53, c.payload(40), false});
    const Packet quote = truncated(off, 36);
    ipv8::HeaderRepr h;
    h.src = ipv8::Address(15169, c.r32());
    h.dst = inner.src;
    if (i == 3) {
      ipv8::IcmpRepr r;
      r.type = 5;
      r.code = 1;
      r.gateway = ipv8::Address(64496, 0xc0000201);
      r.data = quote;
      Packet msg(r.buffer_len());
      r.emit(msg);
      c.add(inet::ethertype::kIpv8, build::ipv8(h, build::Raw{1, msg}), "ICMPv8 redirect (64-bit gateway)");
    } else {
      static const u8 kTypes[][2] = {{3, 1}, {3, 4}, {11, 0}};
      c.add(inet::ethertype::kIpv8,
            build::ipv8(h, build::Icmp{kTypes[i][0], kTypes[i][1], kTypes[i][1] == 4 ? 1400u : 0u, quote}),
            fmt::format("ICMPv8 error {}/{}", kTypes[i][0], kTypes[i][1]));
    }
  }
  ipv8::HeaderRepr h;
  h.src = ipv8::Address(64496, 1);
  h.dst = ipv8::Address(15169, 2);
  const Packet good = build::ipv8(h, build::Udp{1, 2, c.payload(40), false});
  for (std::size_t keep : {0u, 5u, 11u, 20u, 27u}) {
    c.add(inet::ethertype::kIpv8, truncated(good, keep), "IPv8 truncated", true);
  }
  Packet p = good;
  p[0] = std::byte{0x88};
  c.add(inet::ethertype::kIpv8, p, "IPv8 IHL 8", true);
  p = good;
  base::store_be16(p.data() + 2, static_cast<u16>(good.size() + 10));
  c.add(inet::ethertype::kIpv8, p, "IPv8 total length beyond the frame", true);
  p = good;
  base::store_be16(p.data() + 2, 20);
  c.add(inet::ethertype::kIpv8, p, "IPv8 total length below the header", true);
}

// --- IPv4.5 -------------------------------------------------------------------------

ipv45::HeaderRepr v45_hdr(Corpus& c, ipv45::Type t) {
  ipv45::HeaderRepr h;
  h.type = t;
  h.hop_limit = 64;
  h.flow_label = c.r16();
  h.src_site = c.r16();
  h.src_eid = (base::u64{c.r32()} << 16) | c.r16();
  h.dst_site = c.r16();
  h.dst_eid = (base::u64{c.r32()} << 16) | c.r16();
  return h;
}

Packet body_of(std::size_t n, const std::function<void(base::MutBytes)>& emit) {
  Packet b(n);
  emit(b);
  return b;
}

void ipv45_family(Corpus& c) {
  const Ipv4Address l1 = v4("203.0.113.1");
  const Ipv4Address l2 = v4("198.51.100.2");
  auto mode_c = [&](const ipv45::HeaderRepr& h, const Packet& ext, const Packet& body, const char* what,
                    bool malformed = false) {
    c.add(inet::ethertype::kIpv4, build::ipv45_mode_c(l1, l2, h, ext, body), what, malformed);
  };
  const Packet nonce = build::counting(32, 1);
  const Packet key = build::counting(32, 2);
  const Packet ek = build::counting(1184, 3);
  const Packet ct = build::counting(1088, 4);
  for (int i = 0; i < 6; ++i) {
    // Echo request and reply.
    const ipv45::Echo e{static_cast<u8>(1 + i % 2), c.r16(), c.r32(), c.payload(40)};
    mode_c(v45_hdr(c, ipv45::Type::echo), {}, body_of(e.buffer_len(), [&](base::MutBytes b) { e.emit(b); }),
           "IPv4.5 ECHO");
    // Keepalive.
    const ipv45::Keepalive k{0x80, 25, c.r32()};
    mode_c(v45_hdr(c, ipv45::Type::keepalive), {}, body_of(8, [&](base::MutBytes b) { k.emit(b); }),
           "IPv4.5 KEEPALIVE");
    // Protected DATA.
    auto hd = v45_hdr(c, ipv45::Type::data);
    hd.flags = ipv45::flag::kE;
    const Packet sealed = c.payload(300);
    Packet sealed16 = sealed;
    sealed16.resize(sealed.size() + 16);
    const ipv45::Protected pd{c.r16(), c.r32() + 1u, sealed16};
    mode_c(hd, {}, body_of(pd.buffer_len(), [&](base::MutBytes b) { pd.emit(b); }), "IPv4.5 protected DATA");
    // Plain DATA with UDP.
    auto hu = v45_hdr(c, ipv45::Type::data);
    hu.next_header = 17;
    Packet udp(8 + 20);
    base::store_be16(udp.data(), 5000);
    base::store_be16(udp.data() + 2, 5001);
    base::store_be16(udp.data() + 4, 28);
    mode_c(hu, {}, udp, "IPv4.5 DATA (UDP, unprotected)");
    // CONTROL with TLVs.
    Packet tlvs(64);
    std::size_t at = ipv45::emit_tlv(tlvs, 0, ipv45::control::kTlvEid, build::counting(6, 9));
    at = ipv45::emit_tlv(tlvs, at, ipv45::control::kTlvLocator, build::bytes_of({198, 51, 100, 2}));
    tlvs.resize(at);
    const ipv45::Control ctl{static_cast<u8>(1 + i % 6), 0, tlvs};
    mode_c(v45_hdr(c, ipv45::Type::control), {}, body_of(ctl.buffer_len(), [&](base::MutBytes b) { ctl.emit(b); }),
           "IPv4.5 CONTROL");
  }
  // ERROR quoting an offending packet (MTU_EXCEEDED and HOP_LIMIT_EXCEEDED).
  for (u8 code : {u8{1}, u8{2}, u8{3}, u8{4}}) {
    const Packet off = build::ipv45_bare(v45_hdr(c, ipv45::Type::data), {}, c.payload(60));
    const ipv45::Error er{code, 0, static_cast<u16>(code == 2 ? 1228 : 0), off};
    mode_c(v45_hdr(c, ipv45::Type::error), {}, body_of(er.buffer_len(), [&](base::MutBytes b) { er.emit(b); }),
           "IPv4.5 ERROR quoting the offending packet");
  }
  // Client Hello in two fragments, Server Hello whole.
  ipv45::ClientHello ch;
  ch.nonce = std::span<const std::byte, 32>(nonce.data(), 32);
  ch.x25519 = std::span<const std::byte, 32>(key.data(), 32);
  ch.mlkem_ek = std::span<const std::byte, 1184>(ek.data(), 1184);
  const Packet chb = body_of(ch.buffer_len(), [&](base::MutBytes b) { ch.emit(b); });
  for (int part = 0; part < 2; ++part) {
    auto h = v45_hdr(c, ipv45::Type::handshake);
    h.flags = static_cast<u8>(ipv45::flag::kF | (part == 0 ? ipv45::flag::kM : 0));
    h.next_header = ipv45::ext::kFragmentation;
    Packet frag(8);
    ipv45::emit_fragment_header(
        frag, ipv45::FragmentHeader{0xff, static_cast<u16>(part == 0 ? 0 : 150), part == 0, 0x01020304, 0});
    const Packet piece(chb.begin() + (part == 0 ? 0 : 1200), part == 0 ? chb.begin() + 1200 : chb.end());
    mode_c(h, frag, piece, part == 0 ? "IPv4.5 Client Hello, first fragment" : "IPv4.5 Client Hello, last fragment");
  }
  c.add(inet::ethertype::kIpv4, build::ipv45_mode_c(l1, l2, v45_hdr(c, ipv45::Type::handshake), {}, chb),
        "IPv4.5 Client Hello (unfragmented, over a large path MTU)");
  ipv45::ServerHello sh;
  sh.session_id = 0x4242;
  sh.nonce = std::span<const std::byte, 32>(nonce.data(), 32);
  sh.x25519 = std::span<const std::byte, 32>(key.data(), 32);
  sh.mlkem_ct = std::span<const std::byte, 1088>(ct.data(), 1088);
  mode_c(v45_hdr(c, ipv45::Type::handshake), {}, body_of(sh.buffer_len(), [&](base::MutBytes b) { sh.emit(b); }),
         "IPv4.5 Server Hello");
  // A generic extension header before the body (X flag).
  {
    auto h = v45_hdr(c, ipv45::Type::echo);
    h.flags = ipv45::flag::kX;
    h.next_header = ipv45::ext::kDestinationOptions;
    Packet ext(8);
    base::store_u8(ext.data(), 0xff);
    const ipv45::Echo e{1, 1, 1, {}};
    mode_c(h, ext, body_of(8, [&](base::MutBytes b) { e.emit(b); }), "IPv4.5 ECHO after a Destination Options header");
  }
  // Malformed.
  const ipv45::Echo e{1, 1, 1, {}};
  const Packet eb = body_of(8, [&](base::MutBytes b) { e.emit(b); });
  Packet good = build::ipv45_mode_c(l1, l2, v45_hdr(c, ipv45::Type::echo), {}, eb);
  for (std::size_t keep : {30u, 40u, 51u, 55u}) {
    Packet p = truncated(good, keep);
    base::store_be16(p.data() + 2, static_cast<u16>(keep));  // consistent IPv4/UDP lengths, short IPv4.5
    base::store_be16(p.data() + 24, static_cast<u16>(keep - 20));
    inet::Ipv4View<base::MutBytes>::unchecked(p).fill_checksum();
    base::store_be16(p.data() + 26, 0);
    c.add(inet::ethertype::kIpv4, p, "IPv4.5 fixed header truncated", true);
  }
  auto bad_hdr = [&](auto mutate, const char* what) {
    ipv45::HeaderRepr h = v45_hdr(c, ipv45::Type::echo);
    mutate(h);
    c.add(inet::ethertype::kIpv4, build::ipv45_mode_c(l1, l2, h, {}, eb), what, true);
  };
  bad_hdr([](ipv45::HeaderRepr& h) { h.type = static_cast<ipv45::Type>(15); }, "IPv4.5 reserved type 15");
  bad_hdr([](ipv45::HeaderRepr& h) { h.flags = ipv45::flag::kM; }, "IPv4.5 M without F");
  bad_hdr([](ipv45::HeaderRepr& h) { h.flags = 0x01; }, "IPv4.5 reserved flag bit");
  bad_hdr(
      [](ipv45::HeaderRepr& h) {
        h.flags = ipv45::flag::kF;
        h.next_header = 3;
      },
      "IPv4.5 F without a header");
  {
    Packet p = good;
    p[28] = std::byte{0x23};  // version 2
    c.add(inet::ethertype::kIpv4, p, "IPv4.5 version 2", true);
    p = good;
    base::store_be16(p.data() + 6, 0);  // DF clear
    inet::Ipv4View<base::MutBytes>::unchecked(p).fill_checksum();
    c.add(inet::ethertype::kIpv4, p, "IPv4.5 Mode C without DF (reported, the frame is still read)");
  }
}

}  // namespace
}  // namespace nextip

int main(int argc, char** argv) {
  using namespace nextip;
  if (argc < 2) {
    std::fputs("usage: nextip_make_corpus OUT.pcap [INDEX.jsonl]\n", stderr);
    return 2;
  }
  Corpus c(20261123);
  ipv4_family(c);
  v6_family<true>(c);
  v6_family<false>(c);
  geneve_family(c);
  ipv8_family(c);
  ipv45_family(c);
  auto w = io::PcapWriter::create(argv[1], io::kLinkEthernet);
  if (!w) {
    std::fputs((w.error() + "\n").c_str(), stderr);
    return 1;
  }
  std::ofstream index;
  if (argc > 2) index.open(argv[2]);
  std::uint64_t t = 1'700'000'000'000'000ULL;
  std::size_t n = 0;
  for (const auto& f : c.frames()) {
    w->write(f.bytes, t);
    t += 1000;
    ++n;
    if (index)
      index << fmt::format(R"({{"frame": {}, "what": "{}", "malformed": {}}})", n, f.what, f.malformed) << "\n";
  }
  if (auto r = w->close(); !r) {
    std::fputs((r.error() + "\n").c_str(), stderr);
    return 1;
  }
  std::printf("%zu frames written to %s\n", n, argv[1]);
  return 0;
}

#include "wire/build/build.h"

#include <algorithm>

#include "wire/inet/ethernet.h"
#include "wire/inet/geneve.h"
#include "wire/inet/tcp.h"
#include "wire/inet/udp.h"

namespace nextip::build {

namespace {

using base::Bytes;
using base::MutBytes;
using base::checksum::Sum;

enum class IcmpFlavour { v4, v6 };  // v4: no pseudo-header (ICMPv4, ICMPv8); v6: pseudo-header

u8 protocol_of(const Upper& u, u8 icmp_protocol) {
  return std::visit(
      [icmp_protocol](const auto& x) -> u8 {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Udp>) return inet::proto::kUdp;
        if constexpr (std::is_same_v<T, Tcp>) return inet::proto::kTcp;
        if constexpr (std::is_same_v<T, Icmp>) return icmp_protocol;
        if constexpr (std::is_same_v<T, Raw>) return x.protocol;
      },
      u);
}

std::size_t length_of(const Upper& u) {
  return std::visit(
      [](const auto& x) -> std::size_t {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Udp>) return 8 + x.payload.size();
        if constexpr (std::is_same_v<T, Tcp>) return 20 + x.options.size() + x.payload.size();
        if constexpr (std::is_same_v<T, Icmp>) return 8 + x.data.size();
        if constexpr (std::is_same_v<T, Raw>) return x.bytes.size();
      },
      u);
}

// Writes `u` into `out` (length_of(u) bytes) with its checksum over `pseudo`.
void encode(const Upper& u, MutBytes out, const Sum& pseudo, IcmpFlavour icmp) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Udp>) {
          std::copy(x.payload.begin(), x.payload.end(), out.begin() + 8);
          inet::UdpRepr{x.src_port, x.dst_port, static_cast<u16>(x.payload.size())}.emit(out, pseudo);
          if (x.zero_checksum) base::store_be16(out.data() + 6, 0);
        } else if constexpr (std::is_same_v<T, Tcp>) {
          inet::TcpRepr t;
          t.src_port = x.src_port;
          t.dst_port = x.dst_port;
          t.seq = x.seq;
          t.ack = x.ack;
          t.flags = x.flags;
          t.window = x.window;
          t.options_len = static_cast<u8>(x.options.size());
          std::copy(x.options.begin(), x.options.end(), t.options.begin());
          t.payload_len = static_cast<u16>(x.payload.size());
          std::copy(x.payload.begin(), x.payload.end(), out.begin() + static_cast<std::ptrdiff_t>(t.header_len()));
          t.emit(out, pseudo);
        } else if constexpr (std::is_same_v<T, Icmp>) {
          base::store_u8(out.data(), x.type);
          base::store_u8(out.data() + 1, x.code);
          base::store_be16(out.data() + 2, 0);
          base::store_be32(out.data() + 4, x.rest);
          std::copy(x.data.begin(), x.data.end(), out.begin() + 8);
          Sum s = icmp == IcmpFlavour::v6 ? pseudo : Sum();
          base::store_be16(out.data() + 2, s.add(Bytes(out.data(), out.size())).finish());
        } else {
          std::copy(x.bytes.begin(), x.bytes.end(), out.begin());
        }
      },
      u);
}

// Lays out `ext` after a 40-byte header: chains the Next Header fields and ends the
// chain at `upper`. Returns the base header's Next Header.
u8 lay_out_chain(const std::vector<Ext>& ext, u8 upper, Packet& out, std::size_t at) {
  for (std::size_t i = 0; i < ext.size(); ++i) {
    std::copy(ext[i].bytes.begin(), ext[i].bytes.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
    base::store_u8(out.data() + at, i + 1 < ext.size() ? ext[i + 1].type : upper);
    at += ext[i].bytes.size();
  }
  return ext.empty() ? upper : ext.front().type;
}

std::size_t chain_len(const std::vector<Ext>& ext) {
  std::size_t n = 0;
  for (const Ext& e : ext) n += e.bytes.size();
  return n;
}

// The fragment header, when present, decides whether the upper layer is whole (a
// checksum over a partial message is meaningless and the builder leaves it to the caller).
template <class Repr>
Packet v6_layout(Repr ip, const Upper& upper, const std::vector<Ext>& ext, u8 icmp_nh) {
  const u8 proto = protocol_of(upper, icmp_nh);
  const std::size_t ulen = length_of(upper);
  const std::size_t clen = chain_len(ext);
  Packet out(40 + clen + ulen);
  ip.next_header = lay_out_chain(ext, proto, out, 40);
  ip.payload_len = static_cast<u16>(clen + ulen);
  ip.emit(out);
  const Sum pseudo = ip.pseudo_header(proto, static_cast<u32>(ulen));
  encode(upper, MutBytes(out).subspan(40 + clen, ulen), pseudo, IcmpFlavour::v6);
  return out;
}

}  // namespace

Packet bytes_of(std::initializer_list<int> v) {
  Packet out;
  for (int x : v) out.push_back(static_cast<std::byte>(x));
  return out;
}

Packet counting(std::size_t n, unsigned start) {
  Packet out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>((start + i) & 0xff);
  return out;
}

Packet ipv4(inet::Ipv4Repr ip, const Upper& upper) {
  ip.protocol = protocol_of(upper, inet::proto::kIcmp);
  const std::size_t ulen = length_of(upper);
  ip.payload_len = static_cast<u16>(ulen);
  Packet out(ip.buffer_len());
  ip.emit(out);
  encode(upper, MutBytes(out).subspan(ip.header_len(), ulen),
         base::checksum::ipv4_pseudo_header(ip.src.value(), ip.dst.value(), ip.protocol, static_cast<u16>(ulen)),
         IcmpFlavour::v4);
  return out;
}

Packet ipv6(inet::Ipv6Repr ip, const Upper& upper, const std::vector<Ext>& ext) {
  return v6_layout(ip, upper, ext, inet::proto::kIcmpv6);
}

Packet asip(asip::HeaderRepr ip, const Upper& upper, const std::vector<Ext>& ext) {
  return v6_layout(ip, upper, ext, asip::kNextHeaderIcmp);
}

Packet ipv8(ipv8::HeaderRepr ip, const Upper& upper) {
  ip.protocol = protocol_of(upper, inet::proto::kIcmp);
  const std::size_t ulen = length_of(upper);
  ip.payload_len = static_cast<u16>(ulen);
  Packet out(ip.buffer_len());
  ip.emit(out);
  encode(upper, MutBytes(out).subspan(ipv8::kHeaderLen, ulen), ip.pseudo_header(ip.protocol, static_cast<u16>(ulen)),
         IcmpFlavour::v4);
  return out;
}

Packet ipxl(ipxl::PacketRepr ip, const Upper& upper) {
  ip.protocol = protocol_of(upper, inet::proto::kIcmp);
  const std::size_t ulen = length_of(upper);
  ip.payload_len = static_cast<u16>(ulen);
  Packet out(ip.buffer_len());
  ip.emit(out);
  encode(upper, MutBytes(out).subspan(ip.header_len(), ulen), ip.pseudo_header(ip.protocol, static_cast<u16>(ulen)),
         IcmpFlavour::v4);
  return out;
}

Packet ipv45_bare(ipv45::HeaderRepr h, const Packet& ext, const Packet& body) {
  h.payload_len = static_cast<u16>(ext.size() + body.size());
  Packet out(h.buffer_len());
  h.emit(out);
  std::copy(ext.begin(), ext.end(), out.begin() + ipv45::kHeaderLen);
  std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(ipv45::kHeaderLen + ext.size()));
  return out;
}

Packet ipv45_mode_c(inet::Ipv4Address src_locator, inet::Ipv4Address dst_locator, ipv45::HeaderRepr h,
                    const Packet& ext, const Packet& body, u16 src_port) {
  const Packet inner = ipv45_bare(h, ext, body);
  Packet out(28 + inner.size());
  std::copy(inner.begin(), inner.end(), out.begin() + 28);
  ipv45::emit_mode_c(out, src_locator, dst_locator, src_port, inner.size());
  return out;
}

Packet geneve_ipv4(inet::Ipv4Address src, inet::Ipv4Address dst, u16 protocol, u32 vni, const Packet& inner,
                   const Packet& options) {
  Packet g(8 + options.size() + inner.size());
  inet::GeneveRepr{false, false, protocol, vni, Bytes(options)}.emit(g);
  std::copy(inner.begin(), inner.end(), g.begin() + static_cast<std::ptrdiff_t>(8 + options.size()));
  inet::Ipv4Repr ip;
  ip.src = src;
  ip.dst = dst;
  ip.dont_fragment = true;  // 001 §12.8: encapsulators MUST set DF
  return ipv4(ip, Udp{49152, inet::kGenevePort, g, false});
}

Packet ethernet(u16 ethertype, const Packet& inner) {
  Packet out(14 + inner.size());
  const inet::MacAddress dst{std::byte{0x02}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{2}};
  const inet::MacAddress src{std::byte{0x02}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{1}};
  inet::emit_ethernet(out, dst, src, ethertype);
  std::copy(inner.begin(), inner.end(), out.begin() + 14);
  return out;
}

Ext ext_options(u8 type, u8 units) {
  Packet b(8u * (units + 1u));
  base::store_u8(b.data() + 1, units);
  // One PadN option filling the rest (RFC 8200 §4.2): type 1, length n-2.
  base::store_u8(b.data() + 2, 1);
  base::store_u8(b.data() + 3, static_cast<u8>(b.size() - 4));
  return Ext{type, b};
}

Ext ext_ah(u8 icv_words) {
  Packet b(12u + 4u * icv_words);
  base::store_u8(b.data() + 1, static_cast<u8>(b.size() / 4 - 2));
  base::store_be32(b.data() + 4, 0x1000);  // SPI
  base::store_be32(b.data() + 8, 1);       // sequence
  return Ext{inet::proto::kAh, b};
}

Ext ext_fragment(u16 offset_units, bool more, u32 id) {
  Packet b(8);
  inet::emit_fragment_header(b, 0, offset_units, more, id);
  return Ext{inet::proto::kFragment, b};
}

}  // namespace nextip::build

// IPv4 (and IPxl), UDP, TCP, ICMPv4, GENEVE. Field keys follow Wireshark's own
// dissectors for these protocols so that captures can be compared field by field.
#include "wire/dissect/dissect_impl.h"
#include "wire/inet/ethernet.h"
#include "wire/inet/geneve.h"
#include "wire/inet/icmpv4.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/tcp.h"
#include "wire/inet/udp.h"
#include "wire/ipv45/packet.h"
#include "wire/ipxl/packet.h"

namespace nextip::dissect::detail {

namespace {

std::string v4(u32 a) {
  return inet::Ipv4Address(a).to_string();
}

void ipxl_layer(Ctx& c, const ipxl::PacketView<Bytes>& p, std::size_t off, int depth) {
  Layer& l = c.layer("ipxl", off + 12, 20, depth);
  W w(l, off);
  w.str("ipxl.dst", p.dst().to_string(), 12, 8);
  w.num("ipxl.option.type", ipxl::kOptionType, 20, 1);
  w.num("ipxl.option.len", ipxl::kOptionLength, 21, 1);
  w.num("ipxl.option.unused", p.option_unused(), 22, 2);
  w.str("ipxl.src", p.src().to_string(), 24, 8);
  w.summary(fmt::format("IPxl option 29: {} -> {}", p.src().to_string(ipxl::Address::Form::shorthand),
                        p.dst().to_string(ipxl::Address::Form::shorthand)));
  if (p.option_unused() != 0) w.note("option 29 unused bytes are not zero");
}

}  // namespace

void ipv4(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  Layer& l = c.layer("ip", off, std::min<std::size_t>(b.size(), 20), depth);
  W w(l, off);
  if (b.size() < inet::ipv4_field::kMinHeader) {
    if (quoted) return w.note(fmt::format("quoted IPv4 header cut at {} bytes", b.size()));
    return w.fail(c, base::first_missing(inet::ipv4_field::kLayout, b.size()));
  }
  auto checked = inet::Ipv4View<Bytes>::checked(b);
  // Fields are shown from the fixed 20 bytes even when the rest is malformed.
  const auto v = inet::Ipv4View<Bytes>::unchecked(b);
  w.num("ip.version", v.version(), 0, 1);
  w.num("ip.hdr_len", v.header_len(), 0, 1);
  w.num("ip.dsfield", v.tos(), 1, 1);
  w.num("ip.len", v.total_length(), 2, 2);
  w.num("ip.id", v.identification(), 4, 2);
  w.num("ip.flags.rb", v.reserved_flag() ? 1 : 0, 6, 1);
  w.num("ip.flags.df", v.dont_fragment() ? 1 : 0, 6, 1);
  w.num("ip.flags.mf", v.more_fragments() ? 1 : 0, 6, 1);
  w.num("ip.frag_offset", v.fragment_offset(), 6, 2);  // 8-byte units, as Wireshark's field value
  w.num("ip.ttl", v.ttl(), 8, 1);
  w.num("ip.proto", v.protocol(), 9, 1);
  w.num("ip.checksum", v.checksum(), 10, 2);
  w.str("ip.src", v4(v.src().value()), 12, 4);
  w.str("ip.dst", v4(v.dst().value()), 16, 4);
  w.summary(fmt::format("IPv4 {} -> {}, proto {}, ttl {}, len {}{}", v.src().to_string(), v.dst().to_string(),
                        v.protocol(), v.ttl(), v.total_length(), v.dont_fragment() ? ", DF" : ""));
  Bytes pkt = b;
  if (!checked) {
    const bool short_quote = quoted && checked.error().code == WireErrc::truncated && v.version() == 4 &&
                             v.ihl() >= 5 && v.header_len() <= b.size();
    if (!short_quote) return w.fail(c, checked.error());
    w.note(
        fmt::format("quoted packet cut at {} of {} bytes (a quote or a first fragment)", b.size(), v.total_length()));
  } else {
    pkt = checked->bytes();
    if (!v.checksum_ok()) w.note("header checksum does not verify");
  }
  l.length = static_cast<u32>(v.header_len());
  // Options, and IPxl when option 29 sits at bit 160.
  inet::Ipv4OptionWalker walker(pkt, v.header_len());
  for (;;) {
    auto o = walker.next();
    if (!o || !*o) break;
    w.num("ip.opt.type", (*o)->type, (*o)->offset, 1);
  }
  const auto iv = inet::Ipv4View<Bytes>::unchecked(pkt);
  const bool extended = ipxl::is_extended(iv);
  if (extended) ipxl_layer(c, ipxl::PacketView<Bytes>(iv), off, depth);
  const Bytes body = pkt.subspan(v.header_len());
  const std::size_t body_off = off + v.header_len();
  if (v.fragment_offset() != 0) return payload(c, body, body_off, depth, "IPv4 fragment data");
  // A first fragment holds only part of the upper layer: read it as far as it goes.
  const bool whole = !quoted && !v.more_fragments();
  const bool partial = !whole;
  const u16 ulen = static_cast<u16>(body.size());
  std::optional<base::checksum::Sum> pseudo;
  if (whole) {
    pseudo = extended ? ipxl::PacketView<Bytes>(iv).pseudo_header(v.protocol(), ulen)
                      : base::checksum::ipv4_pseudo_header(v.src().value(), v.dst().value(), v.protocol(), ulen);
  }
  switch (v.protocol()) {
    case inet::proto::kUdp:
      return udp(c, body, body_off, depth, partial, pseudo, v.src().value(), v.dst().value(), true);
    case inet::proto::kTcp: return tcp(c, body, body_off, depth, partial, pseudo);
    case inet::proto::kIcmp: return icmpv4(c, body, body_off, depth, partial);
    case inet::proto::kIpv4: return ipv4(c, body, body_off, depth, partial);
    case inet::proto::kIpv6: return ipv6(c, body, body_off, depth, partial);
    case ipv45::kProtocolNumber: return ipv45(c, body, body_off, depth, partial, v.src().value(), v.dst().value());
    default: return payload(c, body, body_off, depth, fmt::format("IP protocol {} payload", v.protocol()));
  }
}

void udp(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo,
         u32 src_locator, u32 dst_locator, bool zero_checksum_allowed) {
  Layer& l = c.layer("udp", off, std::min<std::size_t>(b.size(), 8), depth);
  W w(l, off);
  if (b.size() < inet::udp_field::kHeader) {
    if (quoted) {
      if (b.size() >= 4) {
        w.num("udp.srcport", base::load_be16(b.data()), 0, 2);
        w.num("udp.dstport", base::load_be16(b.data() + 2), 2, 2);
      }
      return w.note(fmt::format("quoted UDP header cut at {} bytes", b.size()));
    }
    return w.fail(c, base::first_missing(inet::udp_field::kLayout, b.size()));
  }
  const auto v = inet::UdpView<Bytes>::unchecked(b);
  w.num("udp.srcport", v.src_port(), 0, 2);
  w.num("udp.dstport", v.dst_port(), 2, 2);
  w.num("udp.length", v.length(), 4, 2);
  w.num("udp.checksum", v.checksum(), 6, 2);
  w.summary(fmt::format("UDP {} -> {}, len {}", v.src_port(), v.dst_port(), v.length()));
  auto checked = inet::UdpView<Bytes>::checked(b);
  if (!checked) {
    if (quoted && checked.error().code == WireErrc::truncated) {
      return w.note("quoted UDP datagram cut short (a quote or a first fragment)");
    }
    return w.fail(c, checked.error());
  }
  if (pseudo) {
    if (v.checksum() == 0 && zero_checksum_allowed) {
      w.note("no checksum (zero, allowed over IPv4)");
    } else if (!checked->checksum_ok(*pseudo)) {
      w.note("checksum does not verify");
    }
  }
  const Bytes body = checked->payload();
  const std::size_t body_off = off + 8;
  if ((v.dst_port() == ipv45::kPort || v.src_port() == ipv45::kPort) && !body.empty()) {
    return ipv45(c, body, body_off, depth, quoted, src_locator, dst_locator);
  }
  if (v.dst_port() == inet::kGenevePort) return geneve(c, body, body_off, depth);
  return payload(c, body, body_off, depth, "UDP payload");
}

void tcp(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo) {
  Layer& l = c.layer("tcp", off, std::min<std::size_t>(b.size(), 20), depth);
  W w(l, off);
  if (b.size() < inet::tcp_field::kMinHeader) {
    if (quoted && b.size() >= 8) {
      w.num("tcp.srcport", base::load_be16(b.data()), 0, 2);
      w.num("tcp.dstport", base::load_be16(b.data() + 2), 2, 2);
      w.num("tcp.seq_raw", base::load_be32(b.data() + 4), 4, 4);
      return w.note(fmt::format("quoted TCP header cut at {} bytes", b.size()));
    }
    if (quoted) return w.note(fmt::format("quoted TCP header cut at {} bytes", b.size()));
    return w.fail(c, base::first_missing(inet::tcp_field::kLayout, b.size()));
  }
  const auto v = inet::TcpView<Bytes>::unchecked(b);
  w.num("tcp.srcport", v.src_port(), 0, 2);
  w.num("tcp.dstport", v.dst_port(), 2, 2);
  w.num("tcp.seq_raw", v.seq(), 4, 4);
  w.num("tcp.ack_raw", v.ack(), 8, 4);
  w.num("tcp.hdr_len", v.header_len(), 12, 1);
  w.num("tcp.flags", base::load_be16(b.data() + 12) & 0x0fff, 12, 2);  // 12 bits, as Wireshark: reserved, NS, CWR…FIN
  w.num("tcp.window_size_value", v.window(), 14, 2);
  w.num("tcp.checksum", v.checksum(), 16, 2);
  w.num("tcp.urgent_pointer", v.urgent(), 18, 2);
  static const char* const kNames[8] = {"CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"};
  w.summary(
      fmt::format("TCP {} -> {} [{}] seq {}", v.src_port(), v.dst_port(), flags_string(v.flags(), kNames), v.seq()));
  auto checked = inet::TcpView<Bytes>::checked(b);
  if (!checked) {
    if (quoted && checked.error().code == WireErrc::truncated) return;  // a quote or a first fragment
    return w.fail(c, checked.error());
  }
  l.length = static_cast<u32>(v.header_len());
  if (pseudo && !checked->checksum_ok(*pseudo)) w.note("checksum does not verify");
  payload(c, checked->payload(), off + v.header_len(), depth, "TCP payload");
}

void icmpv4(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  Layer& l = c.layer("icmp", off, b.size(), depth);
  W w(l, off);
  auto checked = inet::Icmpv4View<Bytes>::checked(b);
  if (!checked) {
    if (quoted) return w.note("quoted ICMP message cut short");
    return w.fail(c, checked.error());
  }
  const auto& v = *checked;
  w.num("icmp.type", v.type(), 0, 1);
  w.num("icmp.code", v.code(), 1, 1);
  w.num("icmp.checksum", v.checksum(), 2, 2);
  if (!quoted && !v.checksum_ok()) w.note("checksum does not verify");
  switch (v.type()) {
    case inet::icmpv4_type::kEchoRequest:
    case inet::icmpv4_type::kEchoReply:
      w.num("icmp.ident", v.echo_id(), 4, 2);
      w.num("icmp.seq", v.echo_seq(), 6, 2);
      w.summary(
          fmt::format("ICMP echo {} id {} seq {}", v.type() == 8 ? "request" : "reply", v.echo_id(), v.echo_seq()));
      return payload(c, v.data(), off + 8, depth, "echo data");
    case inet::icmpv4_type::kDestUnreachable:
      if (v.code() == inet::icmpv4_unreach::kFragNeeded) w.num("icmp.mtu", v.next_hop_mtu(), 6, 2);
      w.summary(fmt::format("ICMP destination unreachable, code {}{}", v.code(),
                            v.code() == 4 ? fmt::format(" (fragmentation needed, MTU {})", v.next_hop_mtu()) : ""));
      break;
    case inet::icmpv4_type::kTimeExceeded: w.summary(fmt::format("ICMP time exceeded, code {}", v.code())); break;
    case inet::icmpv4_type::kParameterProblem:
      w.num("icmp.pointer", v.pointer(), 4, 1);
      w.summary(fmt::format("ICMP parameter problem, pointer {}", v.pointer()));
      break;
    case inet::icmpv4_type::kRedirect:
      w.str("icmp.redir_gw", v.gateway().to_string(), 4, 4);
      w.summary(fmt::format("ICMP redirect to {}", v.gateway().to_string()));
      break;
    default: w.summary(fmt::format("ICMP type {} code {}", v.type(), v.code())); return;
  }
  if (inet::icmpv4_is_error(v.type())) {
    if (v.rfc4884_length() != 0) w.num("icmp.length", v.rfc4884_length(), 5, 1);
    if (depth >= 2) return payload(c, v.data(), off + 8, depth, "quoted packet (not dissected further)");
    ipv4(c, v.data(), off + 8, depth + 1, true);
  }
}

void geneve(Ctx& c, Bytes b, std::size_t off, int depth) {
  Layer& l = c.layer("geneve", off, std::min<std::size_t>(b.size(), 8), depth);
  W w(l, off);
  auto checked = inet::GeneveView<Bytes>::checked(b);
  if (b.size() >= inet::geneve_field::kHeader) {
    const auto v = inet::GeneveView<Bytes>::unchecked(b);
    w.num("geneve.version", v.version(), 0, 1);
    w.num("geneve.option_len", std::size_t{v.opt_len_words()} * 4, 0, 1);
    w.num("geneve.flags.oam", v.oam() ? 1 : 0, 1, 1);
    w.num("geneve.flags.critical", v.critical() ? 1 : 0, 1, 1);
    w.num("geneve.proto_type", v.protocol(), 2, 2);
    w.num("geneve.vni", v.vni(), 4, 3);
    w.summary(fmt::format("GENEVE vni {}, protocol 0x{:04x}, {} option bytes", v.vni(), v.protocol(),
                          std::size_t{v.opt_len_words()} * 4));
  }
  if (!checked) return w.fail(c, checked.error());
  const auto& v = *checked;
  l.length = static_cast<u32>(v.header_len());
  inet::GeneveOptionWalker walker(v.options());
  for (;;) {
    auto o = walker.next();
    if (!o || !*o) break;
    w.num("geneve.option.class", (*o)->option_class, 8 + (*o)->offset, 2);
    w.num("geneve.option.type", (*o)->type, 8 + (*o)->offset + 2, 1);
    if ((*o)->critical())
      w.note(fmt::format("critical option class 0x{:04x} type 0x{:02x}", (*o)->option_class, (*o)->type));
  }
  const Bytes body = v.payload();
  const std::size_t body_off = off + v.header_len();
  switch (v.protocol()) {
    case inet::ethertype::kAsip: return asip(c, body, body_off, depth, false);
    case inet::ethertype::kIpv4: return ipv4(c, body, body_off, depth, false);
    case inet::ethertype::kIpv6: return ipv6(c, body, body_off, depth, false);
    case inet::ethertype::kIpv8: return ipv8(c, body, body_off, depth, false);
    case 0x6558: return ethernet(c, body, body_off);
    default: return payload(c, body, body_off, depth, "GENEVE payload");
  }
}

}  // namespace nextip::dissect::detail

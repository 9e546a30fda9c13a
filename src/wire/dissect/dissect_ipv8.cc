// IPv8 (28-byte header) and ICMPv8 (decision IPV8-5).
#include "wire/dissect/dissect_impl.h"
#include "wire/inet/ipv4.h"
#include "wire/ipv8/packet.h"

namespace nextip::dissect::detail {

namespace {

void icmpv8(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  Layer& l = c.layer("icmpv8", off, b.size(), depth);
  W w(l, off);
  auto r = ipv8::IcmpRepr::parse(b, !quoted);
  if (!r && r.error().code == WireErrc::bad_checksum) {
    w.note("checksum does not verify");
    r = ipv8::IcmpRepr::parse(b, false);
  }
  if (!r) {
    if (quoted) return w.note("quoted ICMPv8 message cut short");
    return w.fail(c, r.error());
  }
  w.num("icmpv8.type", r->type, 0, 1);
  w.num("icmpv8.code", r->code, 1, 1);
  w.num("icmpv8.checksum", base::load_be16(b.data() + 2), 2, 2);
  std::size_t data_at = inet::icmpv4_field::kData;
  switch (r->type) {
    case inet::icmpv4_type::kEchoRequest:
    case inet::icmpv4_type::kEchoReply:
      w.num("icmpv8.ident", r->echo_id, 4, 2);
      w.num("icmpv8.seq", r->echo_seq, 6, 2);
      w.summary(
          fmt::format("ICMPv8 echo {} id {} seq {}", r->type == 8 ? "request" : "reply", r->echo_id, r->echo_seq));
      return payload(c, r->data, off + 8, depth, "echo data");
    case inet::icmpv4_type::kRedirect:
      w.str("icmpv8.gateway", r->gateway.to_string(), 4, 8);
      w.summary(fmt::format("ICMPv8 redirect to {}", r->gateway.to_string()));
      data_at = ipv8::kIcmpRedirectDataOffset;
      break;
    case inet::icmpv4_type::kDestUnreachable:
      if (r->code == inet::icmpv4_unreach::kFragNeeded) w.num("icmpv8.mtu", r->next_hop_mtu, 6, 2);
      w.summary(fmt::format("ICMPv8 destination unreachable, code {}", r->code));
      break;
    case inet::icmpv4_type::kTimeExceeded: w.summary(fmt::format("ICMPv8 time exceeded, code {}", r->code)); break;
    case inet::icmpv4_type::kParameterProblem:
      w.num("icmpv8.pointer", r->pointer, 4, 1);
      w.summary("ICMPv8 parameter problem");
      break;
    default: w.summary(fmt::format("ICMPv8 type {} code {}", r->type, r->code)); return;
  }
  if (depth >= 2) return payload(c, r->data, off + data_at, depth, "quoted packet (not dissected further)");
  ipv8(c, r->data, off + data_at, depth + 1, true);
}

}  // namespace

void ipv8(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  Layer& l = c.layer("ipv8", off, std::min<std::size_t>(b.size(), ipv8::kHeaderLen), depth);
  W w(l, off);
  if (b.size() < ipv8::kHeaderLen) {
    if (quoted) return w.note(fmt::format("quoted IPv8 header cut at {} bytes", b.size()));
    return w.fail(c, base::first_missing(ipv8::field::kLayout, b.size()));
  }
  const auto v = ipv8::HeaderView<Bytes>::unchecked(b);
  w.num("ipv8.version", v.version(), 0, 1);
  w.num("ipv8.hdr_len", std::size_t{v.ihl()} * 4, 0, 1);
  w.num("ipv8.tos", v.tos(), 1, 1);
  w.num("ipv8.len", v.total_length(), 2, 2);
  w.num("ipv8.id", v.identification(), 4, 2);
  w.num("ipv8.flags.df", v.dont_fragment() ? 1 : 0, 6, 1);
  w.num("ipv8.flags.mf", v.more_fragments() ? 1 : 0, 6, 1);
  w.num("ipv8.frag_offset", std::size_t{v.fragment_offset()} * 8, 6, 2);
  w.num("ipv8.ttl", v.ttl(), 8, 1);
  w.num("ipv8.proto", v.protocol(), 9, 1);
  w.num("ipv8.checksum", v.checksum(), 10, 2);
  w.str("ipv8.src", v.src().to_string(), 12, 8);
  w.num("ipv8.src.asn", v.src().asn(), 12, 4);
  w.str("ipv8.dst", v.dst().to_string(), 20, 8);
  w.num("ipv8.dst.asn", v.dst().asn(), 20, 4);
  w.summary(fmt::format("IPv8 {} -> {}, proto {}, ttl {}, len {}", v.src().to_string(), v.dst().to_string(),
                        v.protocol(), v.ttl(), v.total_length()));
  auto checked = ipv8::HeaderView<Bytes>::checked(b);
  Bytes pkt = b;
  if (!checked) {
    const bool short_quote = quoted && checked.error().code == WireErrc::truncated;
    if (!short_quote) return w.fail(c, checked.error());
    w.note(
        fmt::format("quoted packet cut at {} of {} bytes (a quote or a first fragment)", b.size(), v.total_length()));
  } else {
    pkt = checked->bytes();
    if (!v.checksum_ok()) w.note("header checksum does not verify");
  }
  const Bytes body = pkt.subspan(ipv8::kHeaderLen);
  const std::size_t body_off = off + ipv8::kHeaderLen;
  if (v.fragment_offset() != 0) return payload(c, body, body_off, depth, "IPv8 fragment data");
  std::optional<base::checksum::Sum> pseudo;
  if (!quoted && !v.more_fragments()) pseudo = v.pseudo_header(v.protocol(), static_cast<u16>(body.size()));
  switch (v.protocol()) {
    case inet::proto::kTcp: return tcp(c, body, body_off, depth, quoted, pseudo);
    case inet::proto::kUdp: return udp(c, body, body_off, depth, quoted, pseudo, 0, 0, false);
    case inet::proto::kIcmp: return icmpv8(c, body, body_off, depth, quoted);
    default: return payload(c, body, body_off, depth, fmt::format("IPv8 protocol {} payload", v.protocol()));
  }
}

}  // namespace nextip::dissect::detail

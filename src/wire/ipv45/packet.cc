#include "wire/ipv45/packet.h"

namespace nextip::ipv45 {

std::string_view name(Type t) noexcept {
  switch (t) {
    case Type::data: return "DATA";
    case Type::handshake: return "HANDSHAKE";
    case Type::control: return "CONTROL";
    case Type::echo: return "ECHO";
    case Type::error: return "ERROR";
    case Type::keepalive: return "KEEPALIVE";
  }
  return "?";
}

WireResult<HeaderRepr> HeaderRepr::parse(const HeaderView<Bytes>& v) noexcept {
  if (!is_assigned(v.type())) return base::wire_fail(WireErrc::unknown_type, "ipv45.type", 0);
  if ((v.flags() & flag::kReserved) != 0)
    return base::wire_fail(WireErrc::reserved_nonzero, "ipv45.flags", field::kFlags);
  if ((v.flags() & flag::kC) != 0) return base::wire_fail(WireErrc::bad_value, "ipv45.flags.c", field::kFlags);
  if ((v.flags() & flag::kM) != 0 && (v.flags() & flag::kF) == 0) {
    return base::wire_fail(WireErrc::bad_value, "ipv45.flags.m", field::kFlags);
  }
  HeaderRepr r;
  r.type = static_cast<Type>(v.type());
  r.hop_limit = v.hop_limit();
  r.payload_len = v.payload_length();
  r.next_header = v.next_header();
  r.flags = v.flags();
  r.flow_label = v.flow_label();
  r.src_site = v.src_site();
  r.src_eid = v.src_eid();
  r.dst_site = v.dst_site();
  r.dst_eid = v.dst_eid();
  return r;
}

void HeaderRepr::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, static_cast<u8>((kVersion << 4) | static_cast<u8>(type)));
  base::store_u8(p + field::kHopLimit, hop_limit);
  base::store_be16(p + field::kPayloadLength, payload_len);
  base::store_u8(p + field::kNextHeader, next_header);
  base::store_u8(p + field::kFlags, flags);
  base::store_be16(p + field::kFlowLabel, flow_label);
  base::store_be64(p + field::kSrcSite, (base::u64{src_site} << 48) | (src_eid & kEidMask));
  base::store_be64(p + field::kDstSite, (base::u64{dst_site} << 48) | (dst_eid & kEidMask));
}

WireResult<Chain> walk_chain(const HeaderView<Bytes>& h) noexcept {
  Chain c;
  const Bytes payload = h.payload();
  const u8 flags = h.flags();
  const bool f = (flags & flag::kF) != 0;
  const bool x = (flags & flag::kX) != 0;
  if (!f && !x) {
    c.upper = h.next_header();
    return c;
  }
  u8 type = h.next_header();
  std::size_t pos = 0;
  bool saw_generic = false;
  for (;;) {
    const std::size_t at = kHeaderLen + pos;
    if (!ext::is_extension(type)) return base::wire_fail(WireErrc::bad_value, "ipv45.nh", at);
    if (c.count == kMaxExtHeaders) return base::wire_fail(WireErrc::chain_too_many, "ipv45.ext", at);
    if (type == ext::kFragmentation) {
      if (!f) return base::wire_fail(WireErrc::bad_value, "ipv45.flags.f", field::kFlags);
      if (pos + 8 > payload.size()) return base::wire_fail(WireErrc::truncated, "ipv45.frag", at);
      if (c.bytes + 8 > kMaxChainBytes) return base::wire_fail(WireErrc::chain_too_long, "ipv45.ext", at);
      const std::byte* p = payload.data() + pos;
      const u16 off_m = base::load_be16(p + 2);
      c.fragment =
          FragmentHeader{base::load_u8(p), static_cast<u16>(off_m >> 3), (off_m & 1) != 0, base::load_be32(p + 4), pos};
      if (c.fragment->more != ((flags & flag::kM) != 0)) {
        return base::wire_fail(WireErrc::bad_value, "ipv45.frag.m", at + 3);
      }
      c.headers[static_cast<std::size_t>(c.count++)] = ExtHeaderEntry{type, static_cast<u16>(pos), 8};
      c.bytes += 8;
      pos += 8;
      c.upper = c.fragment->next_header;
      break;
    }
    if (!x) return base::wire_fail(WireErrc::bad_value, "ipv45.flags.x", field::kFlags);
    if (pos + 4 > payload.size()) return base::wire_fail(WireErrc::truncated, "ipv45.ext.len", at);
    const std::byte* p = payload.data() + pos;
    const std::size_t len = (std::size_t{base::load_u8(p + 1)} + 1) * 8;
    if (c.bytes + len > kMaxChainBytes) return base::wire_fail(WireErrc::chain_too_long, "ipv45.ext", at);
    if (pos + len > payload.size()) return base::wire_fail(WireErrc::truncated, "ipv45.ext.data", at + 4);
    const u8 ext_flags = base::load_u8(p + 2);
    if ((ext_flags & 0x7f) != 0 || base::load_u8(p + 3) != 0) {
      return base::wire_fail(WireErrc::reserved_nonzero, "ipv45.ext.flags", at + 2);
    }
    c.headers[static_cast<std::size_t>(c.count++)] = ExtHeaderEntry{type, static_cast<u16>(pos), static_cast<u16>(len)};
    c.bytes += len;
    pos += len;
    saw_generic = true;
    const u8 next = base::load_u8(p);
    if ((ext_flags & ext::kFlagNextIsExtension) == 0) {
      c.upper = next;
      break;
    }
    type = next;
  }
  if (x && !saw_generic) return base::wire_fail(WireErrc::bad_value, "ipv45.flags.x", field::kFlags);
  if (f && !c.fragment) return base::wire_fail(WireErrc::bad_value, "ipv45.flags.f", field::kFlags);
  c.upper_offset = pos;
  return c;
}

void emit_fragment_header(MutBytes buf, const FragmentHeader& fh) noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, fh.next_header);
  base::store_u8(p + 1, 0);
  base::store_be16(p + 2, static_cast<u16>((fh.fragment_offset << 3) | (fh.more ? 1 : 0)));
  base::store_be32(p + 4, fh.identification);
}

base::checksum::Sum pseudo_header(const Address& src, const Address& dst, u8 next_header, base::u32 length) noexcept {
  std::array<std::byte, 12> s{}, d{};
  src.to_bytes(s);
  dst.to_bytes(d);
  base::checksum::Sum sum;
  sum.add(s).add(d).add32(length).add16(next_header);
  return sum;
}

WireResult<ModeC> parse_mode_c(Bytes ipv4_packet) noexcept {
  auto ip = inet::Ipv4View<Bytes>::checked(ipv4_packet);
  if (!ip) return nextip::unexpected(ip.error());
  if (ip->protocol() != inet::proto::kUdp) {
    return base::wire_fail(WireErrc::not_this_protocol, "ip.proto", inet::ipv4_field::kProtocol);
  }
  auto udp = inet::UdpView<Bytes>::checked(ip->payload());
  if (!udp) {
    base::WireError e = udp.error();
    e.offset = static_cast<std::uint16_t>(e.offset + ip->header_len());
    return nextip::unexpected(e);
  }
  if (udp->dst_port() != kPort && udp->src_port() != kPort) {
    return base::wire_fail(WireErrc::not_this_protocol, "udp.dstport", ip->header_len() + 2);
  }
  if (!ip->dont_fragment())
    return base::wire_fail(WireErrc::bad_value, "ip.flags.df", inet::ipv4_field::kFlagsFragment);
  auto h = HeaderView<Bytes>::checked(udp->payload());
  if (!h) {
    base::WireError e = h.error();
    e.offset = static_cast<std::uint16_t>(e.offset + ip->header_len() + inet::udp_field::kHeader);
    return nextip::unexpected(e);
  }
  return ModeC{*ip, *udp, *h};
}

std::size_t emit_mode_c(MutBytes buf, inet::Ipv4Address src_locator, inet::Ipv4Address dst_locator, u16 src_port,
                        std::size_t inner_len, u16 ip_id) noexcept {
  inet::Ipv4Repr ip;
  ip.src = src_locator;
  ip.dst = dst_locator;
  ip.protocol = inet::proto::kUdp;
  ip.ttl = 64;
  ip.dont_fragment = true;
  ip.identification = ip_id;
  ip.payload_len = static_cast<u16>(inet::udp_field::kHeader + inner_len);
  ip.emit(buf);
  const inet::UdpRepr udp{src_port, kPort, static_cast<u16>(inner_len)};
  const MutBytes udp_bytes = buf.subspan(inet::ipv4_field::kMinHeader, udp.buffer_len());
  udp.emit(udp_bytes, base::checksum::ipv4_pseudo_header(src_locator.value(), dst_locator.value(), inet::proto::kUdp,
                                                         static_cast<u16>(udp.buffer_len())));
  return ip.buffer_len();
}

}  // namespace nextip::ipv45

// IPv4.5 (docs/wire/ipv45.md): fixed header, extension chain, message bodies.
#include "wire/dissect/dissect_impl.h"
#include "wire/inet/ipv4.h"
#include "wire/ipv45/messages.h"
#include "wire/ipv45/packet.h"

namespace nextip::dissect::detail {

namespace {

std::string eid_hex(u64 eid) {
  return fmt::format("{:012x}", eid);
}

void body(Ctx& c, const ipv45::HeaderView<Bytes>& h, const ipv45::Chain& chain, std::size_t off, int depth,
          bool quoted) {
  const Bytes b = h.payload().subspan(chain.upper_offset);
  const std::size_t at = off + ipv45::kHeaderLen + chain.upper_offset;
  const auto type = static_cast<ipv45::Type>(h.type());
  if (chain.fragment && (chain.fragment->more || chain.fragment->fragment_offset != 0)) {
    return payload(c, b, at, depth, fmt::format("fragment of a {} body", ipv45::name(type)));
  }
  if (type == ipv45::Type::data) {
    if ((h.flags() & ipv45::flag::kE) != 0) {
      Layer& l = c.layer("ipv45.data", at, b.size(), depth);
      W w(l, at);
      auto p = ipv45::Protected::parse(b);
      if (!p) return w.fail(c, p.error());
      w.num("ipv45.data.session_id", p->session_id, 0, 2);
      w.num("ipv45.data.seq", p->sequence, 4, 8);
      w.num("ipv45.data.sealed_len", p->sealed.size(), 12, p->sealed.size());
      w.summary(fmt::format("protected DATA: session {}, sequence {}, {} sealed bytes", p->session_id, p->sequence,
                            p->sealed.size()));
      return;
    }
    switch (chain.upper) {
      case inet::proto::kTcp: return tcp(c, b, at, depth, quoted, std::nullopt);
      case inet::proto::kUdp: return udp(c, b, at, depth, quoted, std::nullopt, 0, 0, false);
      case inet::proto::kIpv4: return ipv4(c, b, at, depth, quoted);
      default: return payload(c, b, at, depth, fmt::format("next header {} payload", chain.upper));
    }
  }
  Layer& l = c.layer(fmt::format("ipv45.{}", type == ipv45::Type::handshake ? "hs"
                                             : type == ipv45::Type::control ? "ctl"
                                             : type == ipv45::Type::echo    ? "echo"
                                             : type == ipv45::Type::error   ? "err"
                                                                            : "ka"),
                     at, b.size(), depth);
  W w(l, at);
  switch (type) {
    case ipv45::Type::handshake: {
      if (b.empty()) return w.fail(c, base::WireError{WireErrc::truncated, "ipv45.hs.subtype", 0});
      const u8 sub = base::load_u8(b.data());
      w.num("ipv45.hs.subtype", sub, 0, 1);
      if (sub == ipv45::handshake::kClientHello) {
        auto m = ipv45::ClientHello::parse(b);
        if (!m) return w.fail(c, m.error());
        w.num("ipv45.hs.identity_type", static_cast<u8>(m->identity_type), 1, 1);
        w.num("ipv45.hs.suite1", static_cast<u8>(m->suites[0]), 2, 1);
        w.num("ipv45.hs.suite2", static_cast<u8>(m->suites[1]), 3, 1);
        w.hex("ipv45.hs.nonce", m->nonce, 4);
        w.hex("ipv45.hs.x25519", m->x25519, 36);
        w.num("ipv45.hs.mlkem_ek.len", m->mlkem_ek.size(), 68, m->mlkem_ek.size());
        w.num("ipv45.hs.identity.len", m->identity.size(), ipv45::handshake::kClientHelloLen, m->identity.size());
        w.summary(fmt::format("Client Hello: identity {}, suites {}/{}, {} bytes", ipv45::name(m->identity_type),
                              ipv45::name(m->suites[0]), ipv45::name(m->suites[1]), b.size()));
      } else if (sub == ipv45::handshake::kServerHello) {
        auto m = ipv45::ServerHello::parse(b);
        if (!m) return w.fail(c, m.error());
        w.num("ipv45.hs.selected_suite", static_cast<u8>(m->selected), 1, 1);
        w.num("ipv45.hs.session_id", m->session_id, 2, 2);
        w.hex("ipv45.hs.nonce", m->nonce, 4);
        w.hex("ipv45.hs.x25519", m->x25519, 36);
        w.num("ipv45.hs.mlkem_ct.len", m->mlkem_ct.size(), 68, m->mlkem_ct.size());
        w.num("ipv45.hs.identity.len", m->identity.size(), ipv45::handshake::kServerHelloLen, m->identity.size());
        w.summary(fmt::format("Server Hello: session {}, suite {}, {} bytes", m->session_id, ipv45::name(m->selected),
                              b.size()));
      } else {
        w.summary(fmt::format("HANDSHAKE subtype 0x{:02x}, {} bytes", sub, b.size()));
      }
      return;
    }
    case ipv45::Type::control: {
      auto m = ipv45::Control::parse(b);
      if (!m) return w.fail(c, m.error());
      w.num("ipv45.ctl.subtype", m->subtype, 0, 1);
      w.num("ipv45.ctl.flags", m->flags, 1, 1);
      w.num("ipv45.ctl.length", m->tlvs.size(), 2, 2);
      ipv45::TlvWalker walker(m->tlvs, "", 4);
      for (;;) {
        auto t = walker.next();
        if (!t || !*t) break;
        w.num("ipv45.ctl.tlv.type", (*t)->type, 4 + (*t)->offset, 1);
      }
      w.summary(fmt::format("CONTROL subtype {}, {} TLV bytes", m->subtype, m->tlvs.size()));
      return;
    }
    case ipv45::Type::echo: {
      auto m = ipv45::Echo::parse(b);
      if (!m) return w.fail(c, m.error());
      w.num("ipv45.echo.subtype", m->subtype, 0, 1);
      w.num("ipv45.echo.id", m->identifier, 2, 2);
      w.num("ipv45.echo.seq", m->sequence, 4, 4);
      w.summary(fmt::format("ECHO {} id {} seq {}", m->subtype == 1 ? "request" : "reply", m->identifier, m->sequence));
      return;
    }
    case ipv45::Type::error: {
      auto m = ipv45::Error::parse(b);
      if (!m) return w.fail(c, m.error());
      w.num("ipv45.err.code", m->code, 0, 1);
      w.num("ipv45.err.type", m->offending_type, 1, 1);
      w.num("ipv45.err.info", m->info, 2, 2);
      w.summary(fmt::format("ERROR {}{}",
                            m->code <= 5 ? ipv45::name(static_cast<ipv45::ErrorCode>(m->code)) : "unassigned",
                            m->code == 2 ? fmt::format(", MTU {}", m->info) : ""));
      if (depth < 2 && !m->quoted.empty()) ipv45(c, m->quoted, at + 8, depth + 1, true, 0, 0);
      return;
    }
    case ipv45::Type::keepalive: {
      auto m = ipv45::Keepalive::parse(b);
      if (!m) return w.fail(c, m.error());
      w.num("ipv45.ka.flags", m->flags, 0, 1);
      w.num("ipv45.ka.interval", m->interval, 2, 2);
      w.num("ipv45.ka.seq", m->sequence, 4, 4);
      w.summary(fmt::format("KEEPALIVE seq {}, interval {} s", m->sequence, m->interval));
      return;
    }
    case ipv45::Type::data: return;
  }
}

}  // namespace

void ipv45(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, u32 src_locator, u32 dst_locator) {
  Layer& l = c.layer("ipv45", off, std::min<std::size_t>(b.size(), ipv45::kHeaderLen), depth);
  W w(l, off);
  if (b.size() < ipv45::kHeaderLen) {
    if (quoted) return w.note(fmt::format("quoted IPv4.5 header cut at {} bytes", b.size()));
    return w.fail(c, base::first_missing(ipv45::field::kLayout, b.size()));
  }
  const auto v = ipv45::HeaderView<Bytes>::unchecked(b);
  w.num("ipv45.version", v.version(), 0, 1);
  w.num("ipv45.type", v.type(), 0, 1);
  w.num("ipv45.hlim", v.hop_limit(), 1, 1);
  w.num("ipv45.plen", v.payload_length(), 2, 2);
  w.num("ipv45.nh", v.next_header(), 4, 1);
  w.num("ipv45.flags", v.flags(), 5, 1);
  w.num("ipv45.flow", v.flow_label(), 6, 2);
  w.num("ipv45.src.site", v.src_site(), 8, 2);
  w.str("ipv45.src.eid", eid_hex(v.src_eid()), 10, 6);
  w.num("ipv45.dst.site", v.dst_site(), 16, 2);
  w.str("ipv45.dst.eid", eid_hex(v.dst_eid()), 18, 6);
  if (src_locator != 0 || dst_locator != 0) {
    w.str("ipv45.src", ipv45::Address(src_locator, v.src_site(), v.src_eid()).to_string(), 8, 8);
    w.str("ipv45.dst", ipv45::Address(dst_locator, v.dst_site(), v.dst_eid()).to_string(), 16, 8);
  }
  static const char* const kFlags[8] = {"E", "F", "X", "M", "C", "N", nullptr, nullptr};
  const auto type = v.type();
  w.summary(fmt::format("IPv4.5 {} [{}], hop limit {}, payload {}",
                        ipv45::is_assigned(type) ? ipv45::name(static_cast<ipv45::Type>(type)) : "unassigned type",
                        flags_string(v.flags(), kFlags), v.hop_limit(), v.payload_length()));
  auto checked = ipv45::HeaderView<Bytes>::checked(b);
  if (!checked) {
    if (quoted && checked.error().code == WireErrc::truncated) return w.note("quoted packet cut short");
    return w.fail(c, checked.error());
  }
  if (auto r = ipv45::HeaderRepr::parse(*checked); !r) {
    if (quoted) return w.note(base::to_string(r.error()));
    return w.fail(c, r.error());
  }
  auto chain = ipv45::walk_chain(*checked);
  if (!chain) {
    if (quoted) return w.note("quoted extension headers cut short");
    return w.fail(c, chain.error());
  }
  for (int i = 0; i < chain->count; ++i) {
    const auto& e = chain->headers[static_cast<std::size_t>(i)];
    const std::size_t eoff = off + ipv45::kHeaderLen + e.offset;
    Layer& el = c.layer(e.type == ipv45::ext::kFragmentation ? "ipv45.frag" : "ipv45.ext", eoff, e.length, depth);
    W ew(el, eoff);
    const Bytes eb = checked->payload().subspan(e.offset, e.length);
    ew.num(e.type == ipv45::ext::kFragmentation ? "ipv45.frag.nh" : "ipv45.ext.nh", base::load_u8(eb.data()), 0, 1);
    if (e.type == ipv45::ext::kFragmentation) {
      const auto& f = *chain->fragment;
      ew.num("ipv45.frag.offset", std::size_t{f.fragment_offset} * 8, 2, 2);
      ew.num("ipv45.frag.m", f.more ? 1 : 0, 3, 1);
      ew.num("ipv45.frag.id", f.identification, 4, 4);
      ew.summary(fmt::format("Fragmentation header: offset {}, M={}, id {}", f.fragment_offset * 8, f.more ? 1 : 0,
                             f.identification));
    } else {
      ew.num("ipv45.ext.type", e.type, 0, 0);
      ew.num("ipv45.ext.len", e.length, 1, 1);
      ew.summary(fmt::format("extension header type 0x{:02x}, {} bytes", e.type, e.length));
    }
  }
  body(c, *checked, *chain, off, depth, quoted);
}

}  // namespace nextip::dissect::detail

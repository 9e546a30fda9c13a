// IPv6 and ASIP (the same 40-byte layout, 001 §5.1), their extension-header chains,
// and ICMPv6 / ICMP-ASIP (the same message layouts, 001 §9). Keys are Wireshark's IPv6
// and ICMPv6 names, with "asip" and "icmpasip" for the ASIP side.
#include "wire/asip/address.h"
#include "wire/asip/address_class.h"
#include "wire/asip/packet.h"
#include "wire/dissect/dissect_impl.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/ipv6.h"

namespace nextip::dissect::detail {

namespace {

struct Names {
  std::string_view ip;    // "ipv6" / "asip"
  std::string_view icmp;  // "icmpv6" / "icmpasip"
  u8 icmp_nh;             // 58 / 143
};

std::string k(std::string_view prefix, std::string_view rest) {
  return fmt::format("{}.{}", prefix, rest);
}

std::string ext_name(u8 t) {
  switch (t) {
    case 0: return "hopopts";
    case 43: return "routing";
    case 44: return "fragment";
    case 50: return "esp";
    case 51: return "ah";
    case 60: return "dstopts";
    default: return fmt::format("ext{}", t);
  }
}

template <class Traits>
void icmp6(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo,
           const Names& n);

template <class HeaderTraits, class IcmpTraits>
void v6(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, const Names& n, bool asip_family) {
  using View = inet::V6LayoutView<Bytes, HeaderTraits>;
  Layer& l = c.layer(std::string(n.ip), off, std::min<std::size_t>(b.size(), 40), depth);
  W w(l, off);
  if (b.size() < inet::v6_field::kHeader) {
    if (quoted) return w.note(fmt::format("quoted header cut at {} bytes", b.size()));
    return w.fail(c, base::first_missing(HeaderTraits::kLayout, b.size()));
  }
  const auto v = View::unchecked(b);
  w.num(k(n.ip, "version"), v.version(), 0, 1);
  w.num(k(n.ip, "tclass"), v.traffic_class(), 0, 2);
  w.num(k(n.ip, "flow"), v.flow_label(), 1, 3);
  w.num(k(n.ip, "plen"), v.payload_length(), 4, 2);
  w.num(k(n.ip, "nxt"), v.next_header(), 6, 1);
  w.num(k(n.ip, "hlim"), v.hop_limit(), 7, 1);
  w.str(k(n.ip, "src"), v.src().to_string(), 8, 16);
  w.str(k(n.ip, "dst"), v.dst().to_string(), 24, 16);
  w.summary(fmt::format("{} {} -> {}, next header {}, hop limit {}, payload {}", asip_family ? "ASIP" : "IPv6",
                        v.src().to_string(), v.dst().to_string(), v.next_header(), v.hop_limit(), v.payload_length()));
  auto checked = View::checked(b);
  Bytes pkt = b;
  if (!checked) {
    const bool short_quote = quoted && checked.error().code == WireErrc::truncated;
    if (!short_quote) return w.fail(c, checked.error());
    w.note(fmt::format("quoted packet cut at {} of {} bytes (a quote or a first fragment)", b.size(),
                       40 + v.payload_length()));
  } else {
    pkt = checked->bytes();
  }
  if constexpr (std::is_same_v<typename HeaderTraits::Address, asip::Address>) {
    // §3.3 and §10.1 MUST-drop addresses are reported (a dissector shows, it does not drop).
    for (const auto& [which, addr] : {std::pair<const char*, asip::Address>{"source", v.src()},
                                      std::pair<const char*, asip::Address>{"destination", v.dst()}}) {
      const asip::Classification cls = asip::classify(addr);
      if (cls.drop != asip::Drop::none) {
        w.note(fmt::format("{} {}: routers MUST drop ({})", which, addr.to_string(), asip::name(cls.drop)));
      }
    }
  }
  const Bytes payload_bytes = pkt.subspan(40);
  // §14.12 bounds the ASIP chain; RFC 8200 sets no such limit for IPv6 (RFC 7112's
  // whole-chain-in-the-first-fragment rule applies to both).
  const inet::ExtChainLimits limits =
      asip_family ? inet::ExtChainLimits{8, 256, false, !quoted} : inet::ExtChainLimits{64, 65535, false, !quoted};
  auto chain = inet::walk_ext_chain(v.next_header(), payload_bytes, limits,
                                    asip_family ? asip::kExtNames : inet::kIpv6ExtNames, 40);
  // Extension headers as layers of their own.
  const std::size_t shown = chain ? static_cast<std::size_t>(std::min(chain->count, 16)) : 0;
  for (std::size_t i = 0; i < shown; ++i) {
    const inet::ExtHeader& e = chain->headers[i];
    // IPv6 keys are Wireshark's (ipv6.fraghdr.*, ipv6.<ext>.len in 8-octet units and
    // .len_oct in bytes); ASIP's are nextip's (docs/wire/fields.md).
    const bool ws = !asip_family;
    const std::string lname = ws && e.type == 44 ? "ipv6.fraghdr" : k(n.ip, ext_name(e.type));
    Layer& el = c.layer(lname, off + 40 + e.offset, e.length, depth);
    W ew(el, off + 40 + e.offset);
    const Bytes eb = payload_bytes.subspan(e.offset, e.length);
    ew.num(lname + ".nxt", base::load_u8(eb.data()), 0, 1);
    if (e.type == 44) {
      const u16 off_m = base::load_be16(eb.data() + 2);
      const u16 units = static_cast<u16>(off_m >> 3);
      if (ws) {
        ew.num("ipv6.fraghdr.offset", units, 2, 2);
        ew.num("ipv6.fraghdr.more", off_m & 1, 3, 1);
        ew.num("ipv6.fraghdr.ident", base::load_be32(eb.data() + 4), 4, 4);
      } else {
        ew.num(k(n.ip, "fragment.offset"), std::size_t{units} * 8, 2, 2);
        ew.num(k(n.ip, "fragment.more"), off_m & 1, 3, 1);
        ew.num(k(n.ip, "fragment.id"), base::load_be32(eb.data() + 4), 4, 4);
      }
      ew.summary(fmt::format("Fragment header: offset {}, M={}, id 0x{:08x}", units * 8, off_m & 1,
                             base::load_be32(eb.data() + 4)));
    } else {
      if (ws) {
        ew.num(lname + ".len", base::load_u8(eb.data() + 1), 1, 1);
        ew.num(lname + ".len_oct", e.length, 1, 1);
      } else {
        ew.num(lname + ".len", e.length, 1, 1);
      }
      ew.summary(fmt::format("{} extension header, {} bytes", ext_name(e.type), e.length));
    }
  }
  if (!chain) {
    if (quoted && chain.error().code == WireErrc::truncated) return w.note("quoted extension headers cut short");
    return w.fail(c, chain.error());
  }
  const Bytes upper = payload_bytes.subspan(chain->upper_offset);
  const std::size_t upper_off = off + 40 + chain->upper_offset;
  if (chain->encrypted) return payload(c, upper, upper_off, depth, "ESP (encrypted)");
  if (chain->later_fragment()) return payload(c, upper, upper_off, depth, "fragment data");
  const bool whole = !quoted && !(chain->fragment && chain->fragment->more);
  const bool partial = !whole;  // a quote or a first fragment: read as far as it goes
  std::optional<base::checksum::Sum> pseudo;
  if (whole) pseudo = v.pseudo_header(chain->upper_protocol, static_cast<u32>(upper.size()));
  switch (chain->upper_protocol) {
    case inet::proto::kTcp: return tcp(c, upper, upper_off, depth, partial, pseudo);
    case inet::proto::kUdp: return udp(c, upper, upper_off, depth, partial, pseudo, 0, 0, false);
    case inet::proto::kNoNextHeader: return payload(c, upper, upper_off, depth, "after No Next Header");
    case inet::proto::kIpv4: return ipv4(c, upper, upper_off, depth, partial);
    default:
      if (chain->upper_protocol == n.icmp_nh) return icmp6<IcmpTraits>(c, upper, upper_off, depth, partial, pseudo, n);
      if (asip_family && chain->upper_protocol == inet::proto::kIcmpv6) {
        w.note("next header 58 (ICMPv6) inside ASIP: §9 requires ICMP-ASIP (143)");
      }
      return payload(c, upper, upper_off, depth, fmt::format("next header {} payload", chain->upper_protocol));
  }
}

std::string icmp6_summary(u8 type, u8 code, std::string_view family) {
  switch (type) {
    case inet::icmp6::kDestUnreachable: return fmt::format("{} destination unreachable, code {}", family, code);
    case inet::icmp6::kPacketTooBig: return fmt::format("{} packet too big", family);
    case inet::icmp6::kTimeExceeded: return fmt::format("{} time exceeded, code {}", family, code);
    case inet::icmp6::kParameterProblem: return fmt::format("{} parameter problem, code {}", family, code);
    case inet::icmp6::kEchoRequest: return fmt::format("{} echo request", family);
    case inet::icmp6::kEchoReply: return fmt::format("{} echo reply", family);
    case inet::icmp6::kRouterSolicitation: return fmt::format("{} router solicitation", family);
    case inet::icmp6::kRouterAdvertisement: return fmt::format("{} router advertisement", family);
    case inet::icmp6::kNeighborSolicitation: return fmt::format("{} neighbor solicitation", family);
    case inet::icmp6::kNeighborAdvertisement: return fmt::format("{} neighbor advertisement", family);
    case inet::icmp6::kRedirect: return fmt::format("{} redirect", family);
    default: return fmt::format("{} type {} code {}", family, type, code);
  }
}

template <class Traits>
void icmp6(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo,
           const Names& n) {
  Layer& l = c.layer(std::string(n.icmp), off, b.size(), depth);
  W w(l, off);
  auto checked = inet::Icmp6View<Bytes, Traits>::checked(b);
  if (!checked) {
    if (quoted) return w.note("quoted ICMP message cut short");
    return w.fail(c, checked.error());
  }
  const auto& v = *checked;
  const std::string_view p = n.icmp;
  w.num(k(p, "type"), v.type(), 0, 1);
  w.num(k(p, "code"), v.code(), 1, 1);
  w.num(k(p, "checksum"), v.checksum(), 2, 2);
  w.summary(icmp6_summary(v.type(), v.code(), p == "icmpasip" ? "ICMP-ASIP" : "ICMPv6"));
  if (pseudo && !v.checksum_ok(*pseudo)) w.note("checksum does not verify");
  using inet::icmp6::kEchoReply;
  using inet::icmp6::kEchoRequest;
  switch (v.type()) {
    case kEchoRequest:
    case kEchoReply:
      w.num(k(p, "echo.identifier"), v.echo_id(), 4, 2);
      w.num(k(p, "echo.sequence_number"), v.echo_seq(), 6, 2);
      return payload(c, v.data(), off + 8, depth, "echo data");
    case inet::icmp6::kPacketTooBig: w.num(k(p, "mtu"), v.mtu(), 4, 4); break;
    case inet::icmp6::kParameterProblem: w.num(k(p, "pointer"), v.pointer(), 4, 4); break;
    case inet::icmp6::kRouterAdvertisement:
      w.num(k(p, "nd.ra.cur_hop_limit"), v.ra_cur_hop_limit(), 4, 1);
      w.num(k(p, "nd.ra.flag.m"), v.ra_managed() ? 1 : 0, 5, 1);
      w.num(k(p, "nd.ra.flag.o"), v.ra_other() ? 1 : 0, 5, 1);
      w.num(k(p, "nd.ra.router_lifetime"), v.ra_router_lifetime(), 6, 2);
      w.num(k(p, "nd.ra.reachable_time"), v.ra_reachable_time(), 8, 4);
      w.num(k(p, "nd.ra.retrans_timer"), v.ra_retrans_timer(), 12, 4);
      break;
    case inet::icmp6::kNeighborSolicitation:
    case inet::icmp6::kNeighborAdvertisement:
      if (p == "icmpv6") {
        const bool na = v.type() == inet::icmp6::kNeighborAdvertisement;
        if (na) w.num("icmpv6.nd.na.flag", v.rest(), 4, 4);
        w.str(na ? "icmpv6.nd.na.target_address" : "icmpv6.nd.ns.target_address",
              typename Traits::Address(v.target()).to_string(), 8, 16);
        break;
      }
      if (v.type() == inet::icmp6::kNeighborAdvertisement) w.num(k(p, "nd.na.flags"), v.na_flags(), 4, 1);
      w.str(k(p, "nd.target"), typename Traits::Address(v.target()).to_string(), 8, 16);
      break;
    case inet::icmp6::kRedirect:
      w.str(p == "icmpv6" ? "icmpv6.nd.rd.target_address" : k(p, "nd.target"),
            typename Traits::Address(v.target()).to_string(), 8, 16);
      w.str(p == "icmpv6" ? "icmpv6.nd.rd.destination_address" : k(p, "nd.redirect.destination"),
            typename Traits::Address(v.redirect_destination()).to_string(), 24, 16);
      break;
    default: break;
  }
  if (inet::icmp6::is_nd(v.type())) {
    inet::NdOptionWalker walker(v.nd_options(), "", 0);
    const std::size_t base = inet::icmp6::fixed_len(v.type());
    for (;;) {
      auto o = walker.next();
      if (!o || !*o) break;
      const auto& opt = **o;
      w.num(k(p, "opt.type"), opt.type, base + opt.offset, 1);
      if (opt.type == inet::icmp6::kOptPrefixInformation) {
        if (auto pi = inet::PrefixInformation::parse(opt.data)) {
          w.num(k(p, "opt.prefix.length"), pi->prefix_length, base + opt.offset + 2, 1);
          w.num(k(p, "opt.prefix.flag.l"), pi->on_link ? 1 : 0, base + opt.offset + 3, 1);
          w.num(k(p, "opt.prefix.flag.a"), pi->autonomous ? 1 : 0, base + opt.offset + 3, 1);
          w.num(k(p, "opt.prefix.valid_lifetime"), pi->valid_lifetime, base + opt.offset + 4, 4);
          w.num(k(p, "opt.prefix.preferred_lifetime"), pi->preferred_lifetime, base + opt.offset + 8, 4);
          w.str(k(p, "opt.prefix"), Traits::Address::from_bytes(pi->prefix).to_string(), base + opt.offset + 16, 16);
        }
      } else if (opt.type == inet::icmp6::kOptMtu && opt.data.size() == 6) {
        w.num(k(p, "opt.mtu"), base::load_be32(opt.data.data() + 2), base + opt.offset + 4, 4);
      }
    }
    return;
  }
  if (inet::icmp6::is_error(v.type())) {
    if (depth >= 2) return payload(c, v.data(), off + 8, depth, "quoted packet (not dissected further)");
    if (p == "icmpasip") return asip(c, v.data(), off + 8, depth + 1, true);
    return ipv6(c, v.data(), off + 8, depth + 1, true);
  }
}

const Names kIpv6Names{"ipv6", "icmpv6", inet::proto::kIcmpv6};
const Names kAsipNames{"asip", "icmpasip", asip::kNextHeaderIcmp};

}  // namespace

void ipv6(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  v6<inet::Ipv6Traits, inet::Icmpv6Traits>(c, b, off, depth, quoted, kIpv6Names, false);
}

void asip(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted) {
  v6<asip::HeaderTraits, asip::IcmpTraits>(c, b, off, depth, quoted, kAsipNames, true);
}

}  // namespace nextip::dissect::detail

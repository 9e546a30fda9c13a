#include "wire/ipv8/address_class.h"

namespace nextip::ipv8 {

namespace {

constexpr u32 ip(u32 a, u32 b, u32 c, u32 d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

std::string_view intra_group(u32 h) noexcept {
  switch (h) {
    case ip(224, 0, 0, 1): return "all routers";
    case ip(224, 0, 0, 2): return "zone servers";
    case ip(224, 0, 0, 5): return "OSPF8 all routers";
    case ip(224, 0, 0, 6): return "OSPF8 designated routers";
    case ip(224, 0, 0, 10): return "IBGP8";
    default: return {};
  }
}

MulticastProtocol protocol_of(u32 r) noexcept {
  switch (r) {
    case ip(0xff, 0xff, 0, 1): return MulticastProtocol::ospf8;
    case ip(0xff, 0xff, 0, 2): return MulticastProtocol::bgp8;
    case ip(0xff, 0xff, 0, 3):
    case ip(0xff, 0xff, 0, 4): return MulticastProtocol::reserved;
    case ip(0xff, 0xff, 0, 5): return MulticastProtocol::isis8;
    default: return MulticastProtocol::general;
  }
}

}  // namespace

Classification classify(const Address& a) noexcept {
  Classification c;
  const u32 r = a.r();
  const u32 h = a.h();
  c.interior_link_host = (h >> 24) == 222;
  if (r == 0) {
    if ((h >> 28) == 0xe) {
      c.cls = Class::intra_asn_multicast;
      c.well_known_group = intra_group(h);
      c.filtered_at_border = true;
    } else {
      c.cls = Class::ipv4;
    }
  } else if (r >> 24 == 100) {
    c.cls = Class::rine;
    c.filtered_at_border = true;
  } else if (r == ip(127, 127, 0, 0)) {
    c.cls = Class::interop_dmz;
  } else if (r >> 24 == 127) {
    c.cls = Class::internal_zone;
    c.filtered_at_border = true;
  } else if (r == 65534) {
    c.cls = Class::private_peering;
  } else if (r == 65533) {
    c.cls = Class::documentation;
  } else if (r == 0xffffffffU) {
    c.cls = Class::broadcast;
    c.filtered_at_border = true;
  } else if (r >= ip(0xff, 0xff, 0, 0) && r <= ip(0xff, 0xff, 0xef, 0xff)) {
    c.cls = Class::multicast;
    c.protocol = protocol_of(r);
    c.filtered_at_border = c.protocol != MulticastProtocol::general;
  } else if (r >= ip(0xff, 0xff, 0xf0, 0)) {
    c.cls = Class::reserved;
    c.filtered_at_border = true;
  } else {
    c.cls = Class::unicast;
  }
  return c;
}

std::string_view name(Class c) noexcept {
  switch (c) {
    case Class::ipv4: return "ipv4";
    case Class::intra_asn_multicast: return "intra-asn-multicast";
    case Class::unicast: return "asn-unicast";
    case Class::rine: return "rine-peering";
    case Class::internal_zone: return "internal-zone";
    case Class::interop_dmz: return "interop-dmz";
    case Class::private_peering: return "private-peering-65534";
    case Class::documentation: return "documentation-65533";
    case Class::multicast: return "cross-asn-multicast";
    case Class::reserved: return "reserved";
    case Class::broadcast: return "broadcast";
  }
  return "?";
}

std::string_view name(MulticastProtocol p) noexcept {
  switch (p) {
    case MulticastProtocol::none: return "none";
    case MulticastProtocol::general: return "general";
    case MulticastProtocol::ospf8: return "OSPF8";
    case MulticastProtocol::bgp8: return "BGP8";
    case MulticastProtocol::reserved: return "reserved";
    case MulticastProtocol::isis8: return "IS-IS8";
  }
  return "?";
}

}  // namespace nextip::ipv8

#include "io/gso.h"

#include <algorithm>
#include <cstring>

#include "base/checksum.h"

namespace nextip::io {
namespace {

using base::Bytes;
using base::MutBytes;
using base::u16;
using base::u32;
using base::u8;
namespace checksum = base::checksum;

constexpr u8 kProtoTcp = 6;
constexpr u8 kProtoUdp = 17;
constexpr std::size_t kV6Header = 40;
constexpr std::size_t kUdpHeader = 8;
constexpr std::size_t kTcpMinHeader = 20;
constexpr u8 kTcpFin = 0x01;
constexpr u8 kTcpPsh = 0x08;
constexpr u8 kTcpCwr = 0x80;

// Where the network header ends and the transport header starts.
struct Layout {
  bool v4 = false;
  std::size_t l4 = 0;
};

Expected<Layout, GsoErrc> find_layout(Bytes p, const base::Offload& o, u8 proto) noexcept {
  if (p.empty()) return nextip::unexpected(GsoErrc::bad_ip_header);
  const int version = static_cast<u8>(p[0]) >> 4;
  bool v4 = false;
  switch (o.gso) {
    case base::Gso::tcp4: v4 = true; break;
    case base::Gso::tcp6: v4 = false; break;
    case base::Gso::udp_l4:
    case base::Gso::none: v4 = version == 4; break;
  }
  Layout l{v4, 0};
  if (v4) {
    if (version != 4 || p.size() < 20) return nextip::unexpected(GsoErrc::bad_ip_header);
    const std::size_t ihl = std::size_t{static_cast<u8>(p[0]) & 0xfu} * 4;
    if (ihl < 20 || ihl > p.size()) return nextip::unexpected(GsoErrc::bad_ip_header);
    if (static_cast<u8>(p[9]) != proto) return nextip::unexpected(GsoErrc::wrong_protocol);
    l.l4 = o.csum_partial ? o.csum_start : ihl;
    if (l.l4 != ihl) return nextip::unexpected(GsoErrc::bad_ip_header);
  } else {
    if ((version != 6 && version != 8) || p.size() < kV6Header) return nextip::unexpected(GsoErrc::bad_ip_header);
    if (o.csum_partial) {
      l.l4 = o.csum_start;
      if (l.l4 < kV6Header) return nextip::unexpected(GsoErrc::bad_ip_header);
    } else {
      if (static_cast<u8>(p[6]) != proto) return nextip::unexpected(GsoErrc::wrong_protocol);
      l.l4 = kV6Header;
    }
  }
  return l;
}

// The pseudo-header of a `length`-byte transport message for `proto`.
checksum::Sum pseudo_header(Bytes p, const Layout& l, u8 proto, std::size_t length) noexcept {
  if (l.v4) {
    return checksum::ipv4_pseudo_header(base::load_be32(p.data() + 12), base::load_be32(p.data() + 16), proto,
                                        static_cast<u16>(length));
  }
  return checksum::ipv6_pseudo_header(p.subspan<8, 16>(), p.subspan<24, 16>(), proto, static_cast<u32>(length));
}

// Sets the IP lengths (and, for IPv4, ID and header checksum) of a segment.
void fix_ip_header(MutBytes seg, const Layout& l, std::size_t index) noexcept {
  if (l.v4) {
    const std::size_t ihl = std::size_t{static_cast<u8>(seg[0]) & 0xfu} * 4;
    base::store_be16(seg.data() + 2, static_cast<u16>(seg.size()));
    base::store_be16(seg.data() + 4, static_cast<u16>(base::load_be16(seg.data() + 4) + index));
    base::store_be16(seg.data() + 10, 0);
    base::store_be16(seg.data() + 10, checksum::internet_checksum(Bytes(seg.data(), ihl)));
  } else {
    base::store_be16(seg.data() + 4, static_cast<u16>(seg.size() - kV6Header));
  }
}

// The transport checksum of a segment, from scratch; `udp` maps 0 to 0xffff.
void fill_transport_checksum(MutBytes seg, const Layout& l, u8 proto, std::size_t field, bool udp) noexcept {
  base::store_be16(seg.data() + l.l4 + field, 0);
  checksum::Sum s = pseudo_header(seg, l, proto, seg.size() - l.l4);
  s.add(Bytes(seg.subspan(l.l4)));
  u16 c = s.finish();
  if (udp && c == 0) c = 0xffff;
  base::store_be16(seg.data() + l.l4 + field, c);
}

struct Plan {
  Layout layout;
  std::size_t headers = 0;
  std::size_t payload = 0;
  std::size_t count = 0;
};

Expected<Plan, GsoErrc> plan(Bytes p, const base::Offload& o, u8 proto) noexcept {
  if (o.gso_size == 0) return nextip::unexpected(GsoErrc::zero_gso_size);
  auto l = find_layout(p, o, proto);
  if (!l) return nextip::unexpected(l.error());
  Plan pl{*l, 0, 0, 0};
  if (proto == kProtoTcp) {
    if (l->l4 + kTcpMinHeader > p.size()) return nextip::unexpected(GsoErrc::bad_transport_header);
    const std::size_t doff = static_cast<std::size_t>(static_cast<u8>(p[l->l4 + 12]) >> 4) * 4;
    if (doff < kTcpMinHeader || l->l4 + doff > p.size()) return nextip::unexpected(GsoErrc::bad_transport_header);
    pl.headers = l->l4 + doff;
  } else {
    if (l->l4 + kUdpHeader > p.size()) return nextip::unexpected(GsoErrc::bad_transport_header);
    pl.headers = l->l4 + kUdpHeader;
  }
  pl.payload = p.size() - pl.headers;
  pl.count = pl.payload == 0 ? 1 : (pl.payload + o.gso_size - 1) / o.gso_size;
  return pl;
}

// Copies headers + the index-th payload chunk into out; returns the segment.
Expected<MutBytes, GsoErrc> cut(Bytes p, const Plan& pl, std::size_t gso_size, std::size_t i, MutBytes out) noexcept {
  const std::size_t from = pl.headers + i * gso_size;
  const std::size_t chunk = std::min(gso_size, p.size() - from);
  const std::size_t len = pl.headers + chunk;
  if (out.size() < len) return nextip::unexpected(GsoErrc::buffer_too_small);
  std::memcpy(out.data(), p.data(), pl.headers);
  if (chunk > 0) std::memcpy(out.data() + pl.headers, p.data() + from, chunk);
  return out.first(len);
}

template <class Fix>
Expected<std::size_t, GsoErrc> run(Bytes p, const base::Offload& o, u8 proto, std::span<const MutBytes> out,
                                   std::span<std::size_t> sizes, Fix fix) noexcept {
  auto pl = plan(p, o, proto);
  if (!pl) return nextip::unexpected(pl.error());
  if (pl->count > out.size() || pl->count > sizes.size()) return nextip::unexpected(GsoErrc::too_many_segments);
  for (std::size_t i = 0; i < pl->count; ++i) {
    auto seg = cut(p, *pl, o.gso_size, i, out[i]);
    if (!seg) return nextip::unexpected(seg.error());
    fix_ip_header(*seg, pl->layout, i);
    fix(*seg, pl->layout, i, pl->count);
    sizes[i] = seg->size();
  }
  return pl->count;
}

}  // namespace

std::string_view describe(GsoErrc e) noexcept {
  switch (e) {
    case GsoErrc::csum_out_of_range: return "checksum field beyond the packet";
    case GsoErrc::bad_ip_header: return "IP header does not match the GSO type or is truncated";
    case GsoErrc::wrong_protocol: return "transport protocol does not match the GSO type";
    case GsoErrc::bad_transport_header: return "transport header truncated or malformed";
    case GsoErrc::zero_gso_size: return "GSO with gso_size 0";
    case GsoErrc::too_many_segments: return "more segments than output buffers";
    case GsoErrc::buffer_too_small: return "a segment does not fit in its output buffer";
  }
  return "?";
}

Expected<void, GsoErrc> finish_checksum(MutBytes packet, base::Offload& o) noexcept {
  if (!o.csum_partial) return {};
  const std::size_t field = std::size_t{o.csum_start} + o.csum_offset;
  if (field + 2 > packet.size()) return nextip::unexpected(GsoErrc::csum_out_of_range);
  u16 c = checksum::Sum().add(Bytes(packet.subspan(o.csum_start))).finish();
  if (c == 0) c = 0xffff;
  base::store_be16(packet.data() + field, c);
  o.csum_partial = false;
  o.csum_start = 0;
  o.csum_offset = 0;
  return {};
}

std::size_t segment_count(Bytes packet, const base::Offload& o) noexcept {
  if (o.gso == base::Gso::none) return 1;
  auto pl = plan(packet, o, o.gso == base::Gso::udp_l4 ? kProtoUdp : kProtoTcp);
  return pl ? pl->count : 0;
}

Expected<std::size_t, GsoErrc> segment_tcp(Bytes packet, const base::Offload& o, std::span<const MutBytes> out,
                                           std::span<std::size_t> sizes) noexcept {
  if (o.gso != base::Gso::tcp4 && o.gso != base::Gso::tcp6) return nextip::unexpected(GsoErrc::wrong_protocol);
  return run(packet, o, kProtoTcp, out, sizes, [&o](MutBytes seg, const Layout& l, std::size_t i, std::size_t n) {
    std::byte* th = seg.data() + l.l4;
    base::store_be32(th + 4, static_cast<u32>(base::load_be32(th + 4) + i * o.gso_size));
    u8 flags = static_cast<u8>(th[13]);
    if (i + 1 != n) flags = static_cast<u8>(flags & ~(kTcpFin | kTcpPsh));
    if (i != 0) flags = static_cast<u8>(flags & ~kTcpCwr);
    th[13] = static_cast<std::byte>(flags);
    fill_transport_checksum(seg, l, kProtoTcp, 16, false);
  });
}

Expected<std::size_t, GsoErrc> segment_udp(Bytes packet, const base::Offload& o, std::span<const MutBytes> out,
                                           std::span<std::size_t> sizes) noexcept {
  if (o.gso != base::Gso::udp_l4) return nextip::unexpected(GsoErrc::wrong_protocol);
  return run(packet, o, kProtoUdp, out, sizes, [](MutBytes seg, const Layout& l, std::size_t, std::size_t) {
    base::store_be16(seg.data() + l.l4 + 4, static_cast<u16>(seg.size() - l.l4));
    fill_transport_checksum(seg, l, kProtoUdp, 6, true);
  });
}

Expected<std::size_t, GsoErrc> segment(Bytes packet, const base::Offload& o, std::span<const MutBytes> out,
                                       std::span<std::size_t> sizes) noexcept {
  switch (o.gso) {
    case base::Gso::tcp4:
    case base::Gso::tcp6: return segment_tcp(packet, o, out, sizes);
    case base::Gso::udp_l4: return segment_udp(packet, o, out, sizes);
    case base::Gso::none: break;
  }
  if (out.empty() || sizes.empty()) return nextip::unexpected(GsoErrc::too_many_segments);
  if (out[0].size() < packet.size()) return nextip::unexpected(GsoErrc::buffer_too_small);
  std::memcpy(out[0].data(), packet.data(), packet.size());
  base::Offload copy = o;
  if (auto r = finish_checksum(out[0].first(packet.size()), copy); !r) return nextip::unexpected(r.error());
  sizes[0] = packet.size();
  return std::size_t{1};
}

}  // namespace nextip::io

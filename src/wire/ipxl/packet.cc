#include "wire/ipxl/packet.h"

#include <algorithm>

namespace nextip::ipxl {

WireResult<PacketRepr> PacketRepr::parse(const PacketView<Bytes>& v) noexcept {
  auto ip = inet::Ipv4Repr::parse(v.ip());
  if (!ip) return nextip::unexpected(ip.error());
  PacketRepr r;
  r.src = v.src();
  r.dst = v.dst();
  r.protocol = ip->protocol;
  r.tos = ip->tos;
  r.ttl = ip->ttl;
  r.identification = ip->identification;
  r.dont_fragment = ip->dont_fragment;
  r.more_fragments = ip->more_fragments;
  r.fragment_offset = ip->fragment_offset;
  r.payload_len = ip->payload_len;
  const Bytes more = v.more_options();
  if (more.size() > r.more_options.size()) {
    return base::wire_fail(WireErrc::bad_header_length, "ip.hdr_len", 0);
  }
  r.more_options_len = static_cast<u8>(more.size());
  std::copy(more.begin(), more.end(), r.more_options.begin());
  return r;
}

void PacketRepr::emit(MutBytes buf) const noexcept {
  inet::Ipv4Repr ip;
  ip.protocol = protocol;
  ip.tos = tos;
  ip.ttl = ttl;
  ip.identification = identification;
  ip.dont_fragment = dont_fragment;
  ip.more_fragments = more_fragments;
  ip.fragment_offset = fragment_offset;
  ip.payload_len = payload_len;
  std::size_t at = 0;
  if (needs_option()) {
    // 002 layout: destination high/low in the old address words, option 29, source.
    ip.src = inet::Ipv4Address(dst.high());
    ip.dst = inet::Ipv4Address(dst.low());
    std::byte* o = ip.options.data();
    base::store_u8(o, kOptionType);
    base::store_u8(o + 1, kOptionLength);
    base::store_be16(o + 2, 0);
    base::store_be64(o + 4, src.to_uint());
    at = kOptionLength;
  } else {
    ip.src = inet::Ipv4Address(src.low());
    ip.dst = inet::Ipv4Address(dst.low());
  }
  std::copy_n(more_options.begin(), more_options_len, ip.options.begin() + static_cast<std::ptrdiff_t>(at));
  ip.options_len = static_cast<u8>(at + more_options_len);
  ip.emit(buf);
}

base::checksum::Sum PacketRepr::pseudo_header(u8 proto, u16 length) const noexcept {
  if (needs_option()) return base::checksum::ipv4_pseudo_header(dst.high(), dst.low(), proto, length);
  return base::checksum::ipv4_pseudo_header(src.low(), dst.low(), proto, length);
}

}  // namespace nextip::ipxl

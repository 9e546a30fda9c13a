#include "io/vnet.h"

namespace nextip::io::vnet {
namespace {

constexpr u16 load_le16(const std::byte* p) noexcept {
  return static_cast<u16>(static_cast<u16>(p[0]) | (static_cast<u16>(p[1]) << 8));
}

constexpr void store_le16(std::byte* p, u16 v) noexcept {
  p[0] = static_cast<std::byte>(v);
  p[1] = static_cast<std::byte>(v >> 8);
}

constexpr std::size_t kTcpDataOffset = 12;  // from the TCP header
constexpr std::size_t kUdpHeader = 8;

}  // namespace

std::string_view describe(VnetErrc e) noexcept {
  switch (e) {
    case VnetErrc::short_header: return "virtio-net header shorter than 10 bytes";
    case VnetErrc::unknown_flags: return "virtio-net header: unknown flags";
    case VnetErrc::unknown_gso_type: return "virtio-net header: unknown GSO type";
    case VnetErrc::gso_ecn: return "virtio-net header: GSO with the ECN bit is not supported";
    case VnetErrc::gso_ufo: return "virtio-net header: UFO (GSO type 3) is not supported";
    case VnetErrc::gso_without_size: return "virtio-net header: GSO with gso_size 0";
    case VnetErrc::gso_without_csum: return "virtio-net header: GSO without a partial checksum";
    case VnetErrc::csum_out_of_range: return "virtio-net header: checksum field beyond the packet";
    case VnetErrc::headers_out_of_range: return "virtio-net header: transport header beyond the packet";
  }
  return "virtio-net header: ?";
}

Expected<base::Offload, VnetErrc> decode(Bytes header, Bytes packet) noexcept {
  if (header.size() < kHeaderLen) return nextip::unexpected(VnetErrc::short_header);
  const u8 flags = static_cast<u8>(header[0]);
  const u8 type = static_cast<u8>(header[1]);
  if ((flags & ~(flag::kNeedsCsum | flag::kDataValid)) != 0) return nextip::unexpected(VnetErrc::unknown_flags);

  base::Offload o;
  if ((flags & flag::kNeedsCsum) != 0) {
    o.csum_partial = true;
    o.csum_start = load_le16(header.data() + 6);
    o.csum_offset = load_le16(header.data() + 8);
    if (std::size_t{o.csum_start} + o.csum_offset + 2 > packet.size()) {
      return nextip::unexpected(VnetErrc::csum_out_of_range);
    }
  }
  if ((type & gso_type::kEcn) != 0) return nextip::unexpected(VnetErrc::gso_ecn);
  switch (type) {
    case gso_type::kNone: return o;
    case gso_type::kTcpv4: o.gso = base::Gso::tcp4; break;
    case gso_type::kTcpv6: o.gso = base::Gso::tcp6; break;
    case gso_type::kUdpL4: o.gso = base::Gso::udp_l4; break;
    case gso_type::kUdp: return nextip::unexpected(VnetErrc::gso_ufo);
    default: return nextip::unexpected(VnetErrc::unknown_gso_type);
  }
  o.gso_size = load_le16(header.data() + 4);
  if (o.gso_size == 0) return nextip::unexpected(VnetErrc::gso_without_size);
  if (!o.csum_partial) return nextip::unexpected(VnetErrc::gso_without_csum);
  std::size_t hdr_len = o.csum_start;
  if (o.gso == base::Gso::udp_l4) {
    hdr_len += kUdpHeader;
  } else {
    if (hdr_len + kTcpDataOffset >= packet.size()) return nextip::unexpected(VnetErrc::headers_out_of_range);
    hdr_len += static_cast<std::size_t>(static_cast<u8>(packet[hdr_len + kTcpDataOffset]) >> 4) * 4;
  }
  if (hdr_len > packet.size()) return nextip::unexpected(VnetErrc::headers_out_of_range);
  o.hdr_len = static_cast<u16>(hdr_len);
  return o;
}

Expected<void, VnetErrc> encode(const base::Offload& o, std::span<std::byte, kHeaderLen> out) noexcept {
  u8 type = gso_type::kNone;
  switch (o.gso) {
    case base::Gso::none: break;
    case base::Gso::tcp4: type = gso_type::kTcpv4; break;
    case base::Gso::tcp6: type = gso_type::kTcpv6; break;
    case base::Gso::udp_l4: type = gso_type::kUdpL4; break;
  }
  if (type != gso_type::kNone) {
    if (o.gso_size == 0) return nextip::unexpected(VnetErrc::gso_without_size);
    if (!o.csum_partial) return nextip::unexpected(VnetErrc::gso_without_csum);
  }
  out[0] = static_cast<std::byte>(o.csum_partial ? flag::kNeedsCsum : 0);
  out[1] = static_cast<std::byte>(type);
  store_le16(out.data() + 2, type != gso_type::kNone ? o.hdr_len : u16{0});
  store_le16(out.data() + 4, type != gso_type::kNone ? o.gso_size : u16{0});
  store_le16(out.data() + 6, o.csum_partial ? o.csum_start : u16{0});
  store_le16(out.data() + 8, o.csum_partial ? o.csum_offset : u16{0});
  return {};
}

}  // namespace nextip::io::vnet

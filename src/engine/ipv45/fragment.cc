#include "engine/ipv45/fragment.h"

#include <algorithm>

namespace nextip::ipv45 {

std::size_t packet_count(std::size_t len, std::size_t max_packet) noexcept {
  if (len <= max_packet) return 1;
  const std::size_t body = len - kHeaderLen;
  const std::size_t chunk = fragment_chunk(max_packet);
  return (body + chunk - 1) / chunk;
}

bool send_from_space(Output& out, PeerAddr to, std::size_t len, std::size_t max_packet, base::u32 ident) noexcept {
  const base::MutBytes space = out.space();
  if (len <= max_packet) {
    if (!out.has_transmit_room() || len > space.size()) return false;
    out.commit_transmit(to, len);
    return true;
  }
  const std::size_t body = len - kHeaderLen;
  const std::size_t chunk = fragment_chunk(max_packet);
  const std::size_t n = packet_count(len, max_packet);
  const std::size_t frag_bytes = n * (kHeaderLen + kFragmentHeaderLen) + body;
  if (!out.has_transmit_room(n) || space.size() < frag_bytes + len) return false;

  // Move the packet to the end of the free space, then write fragments from the front
  // (they never reach it: frag_bytes <= space - len).
  const base::MutBytes src = space.last(len);
  std::copy(space.begin(), space.begin() + static_cast<std::ptrdiff_t>(len), src.begin());
  const base::u8 next_header = base::load_u8(src.data() + field::kNextHeader);
  const base::u8 flags = base::load_u8(src.data() + field::kFlags);

  for (std::size_t i = 0, off = 0; i < n; ++i, off += chunk) {
    const bool last = i + 1 == n;
    const std::size_t part = last ? body - off : chunk;
    const base::MutBytes f = out.space();
    std::copy(src.begin(), src.begin() + kHeaderLen, f.begin());
    std::byte* p = f.data();
    base::store_be16(p + field::kPayloadLength, static_cast<base::u16>(kFragmentHeaderLen + part));
    base::store_u8(p + field::kNextHeader, ext::kFragmentation);
    base::store_u8(p + field::kFlags, static_cast<base::u8>(flags | flag::kF | (last ? 0 : flag::kM)));
    emit_fragment_header(f.subspan(kHeaderLen),
                         FragmentHeader{next_header, static_cast<base::u16>(off / 8), !last, ident, 0});
    const auto from = src.begin() + static_cast<std::ptrdiff_t>(kHeaderLen + off);
    std::copy(from, from + static_cast<std::ptrdiff_t>(part), f.begin() + kHeaderLen + kFragmentHeaderLen);
    out.commit_transmit(to, kHeaderLen + kFragmentHeaderLen + part);
  }
  return true;
}

std::size_t space_needed(std::size_t len, std::size_t max_packet) noexcept {
  if (len <= max_packet) return len;
  const std::size_t n = packet_count(len, max_packet);
  return n * (kHeaderLen + kFragmentHeaderLen) + (len - kHeaderLen) + len;
}

bool transmit(Output& out, Counters& c, PeerAddr to, std::size_t len, std::size_t max_packet,
              base::u32& ident) noexcept {
  const std::size_t n = packet_count(len, max_packet);
  if (!send_from_space(out, to, len, max_packet, ident)) {
    ++c.drop_output_full;
    return false;
  }
  if (n > 1) {
    ++ident;
    c.tx_fragments += n;
  }
  c.tx_packets += n;
  return true;
}

bool send_copy(Output& out, PeerAddr to, base::Bytes packet, std::size_t max_packet, base::u32 ident) noexcept {
  if (packet.size() > out.space().size()) return false;
  std::copy(packet.begin(), packet.end(), out.space().begin());
  return send_from_space(out, to, packet.size(), max_packet, ident);
}

}  // namespace nextip::ipv45

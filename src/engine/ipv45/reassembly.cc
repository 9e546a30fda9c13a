#include "engine/ipv45/reassembly.h"

#include <algorithm>

#include "engine/ipv45/fragment.h"

namespace nextip::ipv45 {

namespace {
constexpr base::u8 kFragFlags = flag::kF | flag::kM;
}

Reassembler::Reassembler(const ReassemblyLimits& limits)
    : limits_(limits), slots_(limits.slots), pool_(limits.slots * limits.max_packet) {}

base::MutBytes Reassembler::buffer(std::size_t slot) noexcept {
  return base::MutBytes(pool_).subspan(slot * limits_.max_packet, limits_.max_packet);
}

std::size_t Reassembler::find_or_claim(base::Instant now, const Key& k, Counters& c) noexcept {
  std::size_t free_slot = slots_.size(), oldest = slots_.size();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (s.used && now - s.started >= limits_.timeout) {
      s.used = false;
      ++c.reassembly_timeout;
    }
    if (!s.used) {
      if (free_slot == slots_.size()) free_slot = i;
      continue;
    }
    if (s.key == k) return i;
    if (oldest == slots_.size() || s.started < slots_[oldest].started) oldest = i;
  }
  if (free_slot == slots_.size()) {
    if (oldest == slots_.size()) return slots_.size();  // no slots at all
    free_slot = oldest;
    ++c.reassembly_evicted;
  }
  slots_[free_slot] = Slot{};
  slots_[free_slot].used = true;
  slots_[free_slot].key = k;
  slots_[free_slot].started = now;
  return free_slot;
}

std::optional<base::Bytes> Reassembler::add(base::Instant now, PeerAddr from, const HeaderView<base::Bytes>& h,
                                            const FragmentHeader& fh, Counters& c) noexcept {
  const base::Bytes data = h.payload().subspan(fh.offset + kFragmentHeaderLen);
  const std::size_t begin = std::size_t{fh.fragment_offset} * 8;
  const std::size_t end = begin + data.size();
  const std::size_t max_body = limits_.max_packet - kHeaderLen;
  // The reserved byte and the two reserved bits must be zero: reassembly drops the
  // Fragmentation header, so nothing downstream could notice them changed in transit.
  const std::byte* raw = h.payload().data() + fh.offset;
  const bool reserved = base::load_u8(raw + 1) != 0 || (base::load_u8(raw + 3) & 0x06) != 0;
  if (fh.offset != 0 || reserved || data.empty() || (fh.more && data.size() % 8 != 0) || end > max_body) {
    ++c.drop_frag_malformed;
    return std::nullopt;
  }
  const Key key{from.locator, h.type(), h.src_site(), h.dst_site(), h.src_eid(), h.dst_eid(), fh.identification};
  const std::size_t i = find_or_claim(now, key, c);
  if (i == slots_.size()) {
    ++c.drop_frag_malformed;
    return std::nullopt;
  }
  Slot& s = slots_[i];
  const auto discard = [&](std::uint64_t& counter) {
    s.used = false;
    ++counter;
    return std::nullopt;
  };

  const base::u8 flags = static_cast<base::u8>(h.flags() & ~kFragFlags);
  if (s.n == 0) {
    s.flags = flags;
    s.next_header = fh.next_header;
    s.flow_label = h.flow_label();
  } else if (flags != s.flags || fh.next_header != s.next_header || h.flow_label() != s.flow_label) {
    return discard(c.drop_frag_malformed);
  }
  // Length consistency with the last fragment, whichever arrives first.
  if (!fh.more) {
    if (s.total != 0 && s.total != end) return discard(c.drop_frag_malformed);
    for (std::size_t r = 0; r < s.n; ++r) {
      if (s.ranges[r].end > end) return discard(c.drop_frag_malformed);
    }
    s.total = end;
  } else if (s.total != 0 && end >= s.total) {
    return discard(c.drop_frag_malformed);
  }
  for (std::size_t r = 0; r < s.n; ++r) {
    const Range& o = s.ranges[r];
    if (o.begin == begin && o.end == end) return std::nullopt;  // exact duplicate: ignored
    if (begin < o.end && o.begin < end) return discard(c.drop_frag_overlap);
  }
  if (s.n == kMaxFragments) return discard(c.drop_frag_too_many);
  s.ranges[s.n++] = Range{static_cast<base::u32>(begin), static_cast<base::u32>(end)};
  const base::MutBytes buf = buffer(i);
  std::copy(data.begin(), data.end(), buf.begin() + static_cast<std::ptrdiff_t>(kHeaderLen + begin));
  s.received += data.size();
  if (begin == 0) {
    std::copy(h.bytes().begin(), h.bytes().begin() + kHeaderLen, buf.begin());
    s.have_header = true;
  }
  if (s.total == 0 || s.received != s.total || !s.have_header) return std::nullopt;

  // Complete (ranges are disjoint and inside [0, total), so received == total covers it).
  std::byte* p = buf.data();
  base::store_u8(p + field::kFlags, s.flags);
  base::store_u8(p + field::kNextHeader, s.next_header);
  base::store_be16(p + field::kPayloadLength, static_cast<base::u16>(s.total));
  s.used = false;
  ++c.reassembled;
  return base::Bytes(buf.first(kHeaderLen + s.total));
}

void Reassembler::expire(base::Instant now, Counters& c) noexcept {
  for (Slot& s : slots_) {
    if (s.used && now - s.started >= limits_.timeout) {
      s.used = false;
      ++c.reassembly_timeout;
    }
  }
}

std::optional<base::Instant> Reassembler::poll_at() const noexcept {
  std::optional<base::Instant> at;
  for (const Slot& s : slots_) {
    if (s.used && (!at || s.started + limits_.timeout < *at)) at = s.started + limits_.timeout;
  }
  return at;
}

std::size_t Reassembler::in_use() const noexcept {
  return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.used; }));
}

}  // namespace nextip::ipv45

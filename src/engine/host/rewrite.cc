// Reading order: the extension-chain walk (one walker for the packet and for the
// packet an ICMP error quotes), the quoted packet, then plan_rewrite() and apply().
#include "engine/host/rewrite.h"

#include <algorithm>

#include "base/checksum.h"
#include "wire/inet/ext_chain.h"
#include "wire/inet/icmp6_layout.h"

namespace nextip::engine::host {

namespace {

using base::checksum::Sum;

constexpr int kMaxChainHeaders = 8;          // 001 §14.12
constexpr std::size_t kMaxChainBytes = 256;  // 001 §14.12
constexpr u8 kHopByHop = 0;
constexpr u8 kTcp = 6;
constexpr u8 kUdp = 17;
constexpr u8 kFragment = 44;
constexpr u8 kEsp = 50;
constexpr u8 kAh = 51;
constexpr u8 kNoNextHeader = 59;
constexpr u8 kJumboOption = 0xc2;  // RFC 2675

[[nodiscard]] u8 byte_at(Bytes p, std::size_t i) noexcept {
  return static_cast<u8>(p[i]);
}

[[nodiscard]] u8 version_byte(u8 version, u8 old) noexcept {
  return static_cast<u8>((version << 4) | (old & 0x0f));
}

// Headers that begin with a Next Header field and whose length we know: RFC 8200's
// (and 001 §5.3's) plus Mobility 135, HIP 139 and Shim6 140, which use the uniform
// format of RFC 6564, so that an ICMP message behind them is renamed too. 253/254
// (experiments) have no fixed format and are treated as upper layers, like any other
// value.
[[nodiscard]] bool is_chain_header(u8 nh) noexcept {
  return inet::is_extension_header(nh) || nh == 135 || nh == 139 || nh == 140;
}

[[nodiscard]] std::size_t header_len(u8 nh, u8 len_byte) noexcept {
  if (nh == kFragment) return 8;
  if (nh == kAh) return (std::size_t{len_byte} + 2) * 4;  // 4-octet units, minus 2
  return (std::size_t{len_byte} + 1) * 8;                 // 8-octet units, first 8 excluded
}

// A Jumbo Payload option among the TLVs of a whole Hop-by-Hop header. A TLV that runs
// past the header ends the scan (the options are not the adaptor's to judge).
[[nodiscard]] bool has_jumbo_option(Bytes hbh) noexcept {
  std::size_t i = 2;
  while (i < hbh.size()) {
    const u8 type = byte_at(hbh, i);
    if (type == 0) {  // Pad1
      ++i;
      continue;
    }
    if (type == kJumboOption) return true;
    if (i + 1 >= hbh.size()) return false;
    i += 2 + std::size_t{byte_at(hbh, i + 1)};
  }
  return false;
}

// Where the chain ends.
struct Chain {
  u8 upper = 0;                 // the value ending the chain: an upper layer, 59, or 50 (ESP)
  std::size_t nh_at = 6;        // the Next Header field holding `upper`
  std::size_t upper_at = 40;    // where the upper layer starts (the end of the bytes when cut)
  bool fragment = false;        // a Fragment header is present
  bool more = false;            // … with M set
  bool later_fragment = false;  // … with a non-zero offset: what follows is data
  bool cut = false;             // quoted mode: the bytes end inside the chain
  [[nodiscard]] bool whole() const noexcept { return !fragment || (!more && !later_fragment); }
};

enum class ChainError : u8 { truncated, incomplete, malformed, limits, jumbo };

// Walks the chain of the 40-byte-layout packet `p`, of which `end` bytes (at least 7)
// are present. A packet (quoted = false) must hold its whole chain; a quoted packet may
// stop anywhere, and then the last Next Header byte present is where it ends.
[[nodiscard]] Expected<Chain, ChainError> walk_chain(Bytes p, std::size_t end, bool quoted) noexcept {
  Chain c;
  u8 nh = byte_at(p, 6);
  std::size_t pos = kHeaderLen;
  int count = 0;
  std::size_t bytes = 0;
  auto cut = [&](u8 last) -> Expected<Chain, ChainError> {
    if (!quoted) return nextip::unexpected(c.more ? ChainError::incomplete : ChainError::truncated);
    c.cut = true;
    c.upper = last;
    c.upper_at = end;
    return c;
  };
  while (is_chain_header(nh)) {
    if (nh == kHopByHop && count > 0) return nextip::unexpected(ChainError::malformed);  // RFC 8200 §4.3
    if (nh == kFragment && c.fragment) return nextip::unexpected(ChainError::malformed);
    if (count == kMaxChainHeaders) return nextip::unexpected(ChainError::limits);
    if (nh == kEsp) break;  // the rest is encrypted
    if (pos >= end) return cut(nh);
    const u8 next = byte_at(p, pos);
    const bool len_known = nh == kFragment || pos + 2 <= end;
    // A Fragment header is 8 bytes whatever its second byte (which may be past the end).
    const std::size_t hlen = !len_known ? 0 : nh == kFragment ? 8 : header_len(nh, byte_at(p, pos + 1));
    if (len_known && bytes + hlen > kMaxChainBytes) return nextip::unexpected(ChainError::limits);
    if (!len_known || pos + hlen > end) {  // only this header's Next Header byte is known
      c.nh_at = pos;
      return cut(next);
    }
    if (nh == kHopByHop && !quoted && has_jumbo_option(p.subspan(pos, hlen))) {
      return nextip::unexpected(ChainError::jumbo);
    }
    c.nh_at = pos;
    ++count;
    bytes += hlen;
    if (nh == kFragment) {
      const u16 offset_m = base::load_be16(p.data() + pos + 2);
      c.fragment = true;
      c.more = (offset_m & 1) != 0;
      if ((offset_m >> 3) != 0) {
        c.later_fragment = true;
        c.upper = next;
        c.upper_at = pos + hlen;
        return c;
      }
    }
    nh = next;
    pos += hlen;
  }
  c.upper = nh;
  c.upper_at = pos;
  // RFC 7112 / 001 §14.12: a first fragment holds the chain through the upper header.
  if (!quoted && c.more && nh != kEsp && nh != kNoNextHeader && pos + inet::min_upper_header(nh) > end) {
    return nextip::unexpected(ChainError::incomplete);
  }
  return c;
}

// Neighbor Discovery (133-137), MLD (130-132, 143), Inverse ND (141, 142), SEND
// certification paths (148, 149), Multicast Router Discovery (151-153): link-scoped.
[[nodiscard]] bool link_scoped(u8 type) noexcept {
  return (type >= 130 && type <= 137) || (type >= 141 && type <= 143) || type == 148 || type == 149 ||
         (type >= 151 && type <= 153);
}

// RFC 1624 for one byte of the ICMP message at `msg` (to the end of `p`) becoming
// `value`: the 16-bit word holding it, zero-padded at an odd end (RFC 1071).
[[nodiscard]] u16 fold_byte(Bytes p, std::size_t msg, std::size_t at, u8 value, u16 checksum) noexcept {
  const std::size_t w = msg + ((at - msg) & ~std::size_t{1});
  const u8 hi = byte_at(p, w);
  const u8 lo = w + 1 < p.size() ? byte_at(p, w + 1) : u8{0};
  const u16 before = static_cast<u16>((hi << 8) | lo);
  const u16 after = at == w ? static_cast<u16>((value << 8) | lo) : static_cast<u16>((hi << 8) | value);
  return base::checksum::update16(checksum, before, after);
}

// The packet quoted by the ICMP error at `icmp` (type, code, checksum, 4 bytes, quote):
// its version nibble, the Next Header naming ICMP and a quoted ICMP message's checksum,
// as far as the quote's bytes go; each change is folded into `checksum` (the outer one).
// The quote ends at the bytes, at an RFC 4884 length (types 1 and 3) and at its own
// 40 + payload length, whichever comes first. Since all the words changed are distinct
// and one's-complement sums are linear, each change is folded from the original bytes.
[[nodiscard]] HostDrop plan_quoted(Bytes p, std::size_t icmp, Side in, Side out, u16& checksum, Plan& plan) noexcept {
  const std::size_t q_at = icmp + 8;
  std::size_t qlen = p.size() - q_at;
  const u8 type = byte_at(p, icmp);
  const u8 rfc4884_words = byte_at(p, icmp + 4);
  if ((type == inet::icmp6::kDestUnreachable || type == inet::icmp6::kTimeExceeded) && rfc4884_words != 0) {
    qlen = std::min(qlen, std::size_t{rfc4884_words} * 8);
  }
  if (qlen == 0) return HostDrop::none;  // nothing quoted
  const Bytes q = p.subspan(q_at, qlen);
  auto edit = [&](std::size_t q_off, u8 value) {
    checksum = fold_byte(p, icmp, q_at + q_off, value, checksum);
    plan.add(q_at + q_off, value);
  };
  if ((byte_at(q, 0) >> 4) != in.version) return HostDrop::inner_wrong_version;
  edit(0, version_byte(out.version, byte_at(q, 0)));
  plan.quoted = true;
  if (qlen < 7) return HostDrop::none;  // cut before its Next Header
  qlen = std::min(qlen, kHeaderLen + base::load_be16(q.data() + 4));
  const auto chain = walk_chain(q, qlen, true);
  if (!chain) return HostDrop::inner_malformed;
  const Chain& c = *chain;
  if (c.upper == out.icmp) return HostDrop::nh_ambiguous;
  if (c.upper != in.icmp) return HostDrop::none;
  edit(c.nh_at, out.icmp);
  if (c.cut || c.later_fragment) return HostDrop::none;
  const std::size_t u = c.upper_at;
  if (u < qlen && inet::icmp6::is_error(byte_at(q, u))) return HostDrop::icmp_nested_error;
  if (u + 4 <= qlen) {  // a checksum cut in half stays as it is
    const u16 inner = base::checksum::update16(base::load_be16(q.data() + u + 2), in.icmp, out.icmp);
    edit(u + 2, static_cast<u8>(inner >> 8));
    edit(u + 3, static_cast<u8>(inner));
  }
  return HostDrop::none;
}

// A partial checksum must lie in the transport header and the packet; GSO must match
// the transport protocol (tcp6 stays tcp6: same layout, same offsets).
[[nodiscard]] HostDrop check_offload(const base::Offload& off, const Chain& c, std::size_t len) noexcept {
  if (off.csum_partial && (off.csum_start < kHeaderLen || std::size_t{off.csum_start} + off.csum_offset + 2 > len)) {
    return HostDrop::offload_malformed;
  }
  switch (off.gso) {
    case base::Gso::none: return HostDrop::none;
    case base::Gso::tcp4: return HostDrop::offload_malformed;  // an IPv4 segmentation type on a 128-bit packet
    case base::Gso::tcp6: return c.upper == kTcp && !c.fragment ? HostDrop::none : HostDrop::offload_malformed;
    case base::Gso::udp_l4: return c.upper == kUdp && !c.fragment ? HostDrop::none : HostDrop::offload_malformed;
  }
  return HostDrop::offload_malformed;
}

[[nodiscard]] HostDrop chain_drop(ChainError e) noexcept {
  switch (e) {
    case ChainError::truncated: return HostDrop::ext_truncated;
    case ChainError::incomplete: return HostDrop::ext_incomplete;
    case ChainError::malformed: return HostDrop::ext_malformed;
    case ChainError::limits: return HostDrop::ext_limits;
    case ChainError::jumbo: return HostDrop::jumbogram;
  }
  return HostDrop::ext_malformed;
}

}  // namespace

Expected<std::size_t, HostDrop> check_header(Bytes packet, Direction d) noexcept {
  if (packet.size() < kHeaderLen) return nextip::unexpected(HostDrop::truncated);
  if ((byte_at(packet, 0) >> 4) != from_side(d).version) return nextip::unexpected(HostDrop::wrong_version);
  const std::size_t plen = base::load_be16(packet.data() + 4);
  // RFC 2675: a jumbogram says 0 here. Bytes after an empty packet (No Next Header)
  // are link padding instead.
  if (plen == 0 && packet.size() > kHeaderLen && byte_at(packet, 6) != kNoNextHeader) {
    return nextip::unexpected(HostDrop::jumbogram);
  }
  if (kHeaderLen + plen > packet.size()) return nextip::unexpected(HostDrop::payload_beyond_bytes);
  return kHeaderLen + plen;
}

Expected<Plan, HostDrop> plan_rewrite(Bytes p, const base::Offload& off, Direction d) noexcept {
  const Side in = from_side(d);
  const Side out = to_side(d);
  const std::size_t len = p.size();
  Plan plan;
  plan.add(0, version_byte(out.version, byte_at(p, 0)));
  const auto chain = walk_chain(p, len, false);
  if (!chain) return nextip::unexpected(chain_drop(chain.error()));
  const Chain& c = *chain;
  if (c.upper == out.icmp) return nextip::unexpected(HostDrop::nh_ambiguous);
  if (c.upper != in.icmp) {  // TCP, UDP, ESP, anything else: only the version changes
    if (const HostDrop r = check_offload(off, c, len); r != HostDrop::none) return nextip::unexpected(r);
    return plan;
  }
  plan.icmp = true;
  plan.add(c.nh_at, out.icmp);
  if (c.later_fragment) {  // ICMP data: only the Fragment header's Next Header changes
    if (off.any()) return nextip::unexpected(HostDrop::offload_malformed);
    return plan;
  }
  const std::size_t icmp = c.upper_at;
  if (icmp + inet::icmp6::kHeader > len) return nextip::unexpected(HostDrop::icmp_truncated);
  const u8 type = byte_at(p, icmp);
  if (link_scoped(type)) return nextip::unexpected(HostDrop::link_scoped_icmp);
  const bool error = inet::icmp6::is_error(type);
  if (error && !c.whole()) return nextip::unexpected(HostDrop::icmp_error_fragmented);
  if (error && icmp + 8 > len) return nextip::unexpected(HostDrop::icmp_truncated);
  if (off.gso != base::Gso::none) return nextip::unexpected(HostDrop::offload_malformed);

  const Bytes msg = p.subspan(icmp);
  const u16 field = base::load_be16(msg.data() + 2);
  u16 checksum = field;
  if (off.csum_partial) {
    // The kernel does not leave ICMP checksums partial, but a partial one must be
    // finished before the pseudo-header changes under it: the field holds the
    // pseudo-header sum, the message bytes are added here (what skb_checksum_help does).
    if (off.csum_start != icmp || off.csum_offset != 2) return nextip::unexpected(HostDrop::offload_malformed);
    checksum = Sum().add(msg).finish();
    plan.finish_checksum = true;
  }
  if (c.whole()) {  // a fragment's checksum covers bytes the adaptor does not see
    Sum s = base::checksum::ipv6_pseudo_header(std::span<const std::byte, 16>(p.data() + 8, 16),
                                               std::span<const std::byte, 16>(p.data() + 24, 16), in.icmp,
                                               static_cast<u32>(msg.size()));
    // The message with `checksum` in its field: a finished one verifies only if the
    // partial field held the right pseudo-header sum.
    s.add(msg).add16(static_cast<u16>(~field)).add16(checksum);
    if (!base::checksum::verifies(s)) return nextip::unexpected(HostDrop::icmp_bad_checksum);
  }
  checksum = base::checksum::update16(checksum, in.icmp, out.icmp);  // the pseudo-header's next header
  if (error) {
    if (const HostDrop r = plan_quoted(p, icmp, in, out, checksum, plan); r != HostDrop::none) {
      return nextip::unexpected(r);
    }
  }
  plan.add(icmp + 2, static_cast<u8>(checksum >> 8));
  plan.add(icmp + 3, static_cast<u8>(checksum));
  return plan;
}

void apply(MutBytes packet, const Plan& plan, base::Offload& off) noexcept {
  for (std::size_t i = 0; i < plan.count; ++i) base::store_u8(packet.data() + plan.edits[i].at, plan.edits[i].value);
  if (plan.finish_checksum) {
    off.csum_partial = false;
    off.csum_start = 0;
    off.csum_offset = 0;
  }
}

}  // namespace nextip::engine::host

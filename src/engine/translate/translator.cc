// The translation routines. Reading order: the helpers (checksums, headers, the
// extension-header walk), then Impl: address mapping, the errors the translator sends
// itself, IPv4 -> v6 (from_v4 and its ICMP error path), v6 -> IPv4 (from_v6 and its
// ICMP error path). Section numbers are RFC 7915's unless prefixed with 001 (ASIP).
#include "engine/translate/translator.h"

#include <algorithm>
#include <cstring>

#include "base/hash.h"
#include "engine/translate/icmp_map.h"
#include "wire/inet/ext_chain.h"
#include "wire/inet/icmpv4.h"
#include "wire/inet/ipv4.h"

namespace nextip::engine::translate {

using base::u64;
using base::checksum::Sum;

std::string_view name(Verdict v) noexcept {
  switch (v) {
    case Verdict::translated: return "translated";
    case Verdict::hairpinned: return "hairpinned";
    case Verdict::icmp_error: return "icmp-error";
    case Verdict::dropped: return "dropped";
  }
  return "?";
}

std::string_view name(DropReason r) noexcept {
  switch (r) {
    case DropReason::none: return "none";
#define NEXTIP_X(n, text) \
  case DropReason::n: return #n;
      NEXTIP_XLAT_DROPS(NEXTIP_X)
#undef NEXTIP_X
    case DropReason::count_: break;
  }
  return "?";
}

std::string_view describe(DropReason r) noexcept {
  switch (r) {
    case DropReason::none: return "not dropped";
#define NEXTIP_X(n, text) \
  case DropReason::n: return text;
      NEXTIP_XLAT_DROPS(NEXTIP_X)
#undef NEXTIP_X
    case DropReason::count_: break;
  }
  return "?";
}

struct Translator::Pass {
  bool hairpin_second = false;  // the 4 -> 6 half of a hairpin: no TTL decrement, pool6-only rules
};

namespace {

constexpr std::size_t kV4Header = 20;
constexpr std::size_t kV6Header = 40;
constexpr std::size_t kFragHeader = 8;
constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kV6ErrorCap = 1280;  // RFC 8200 minimum MTU; 001 §12.8
constexpr std::size_t kV4ErrorCap = 576;   // RFC 1812 §4.3.2.3
constexpr u8 kProtoIcmp = 1;
constexpr u8 kProtoTcp = 6;
constexpr u8 kProtoUdp = 17;

[[nodiscard]] u8 b(const std::byte* p, std::size_t i) noexcept {
  return static_cast<u8>(p[i]);
}

[[nodiscard]] Sum sum_v4_addrs(u32 src, u32 dst) noexcept {
  Sum s;
  s.add32(src).add32(dst);
  return s;
}

[[nodiscard]] Sum sum_v6_addrs(u128 src, u128 dst) noexcept {
  Sum s;
  for (int i = 0; i < 4; ++i) {
    s.add32(static_cast<u32>(src >> (96 - 32 * i)));
    s.add32(static_cast<u32>(dst >> (96 - 32 * i)));
  }
  return s;
}

// RFC 1624 eqn. 3 over several words at once: the checksum after the words summed in
// `removed` were replaced by those summed in `added`.
[[nodiscard]] u16 adjust(u16 checksum, const Sum& removed, const Sum& added) noexcept {
  Sum s;
  s.add16(static_cast<u16>(~checksum)).add16(static_cast<u16>(~removed.fold())).add(added);
  return s.finish();
}

[[nodiscard]] Sum v6_pseudo(u128 src, u128 dst, u8 nh, u32 length) noexcept {
  Sum s = sum_v6_addrs(src, dst);
  s.add32(length).add16(nh);
  return s;
}

void write_v6_header(std::byte* p, u8 version, u8 tc, u16 plen, u8 nh, u8 hlim, u128 src, u128 dst) noexcept {
  base::store_be32(p, (u32{version} << 28) | (u32{tc} << 20));
  base::store_be16(p + 4, plen);
  base::store_u8(p + 6, nh);
  base::store_u8(p + 7, hlim);
  store_u128(p + 8, src);
  store_u128(p + 24, dst);
}

void write_v4_header(std::byte* p, u8 tos, u16 total, u16 id, u16 flags_frag, u8 ttl, u8 proto, u32 src,
                     u32 dst) noexcept {
  base::store_u8(p, 0x45);
  base::store_u8(p + 1, tos);
  base::store_be16(p + 2, total);
  base::store_be16(p + 4, id);
  base::store_be16(p + 6, flags_frag);
  base::store_u8(p + 8, ttl);
  base::store_u8(p + 9, proto);
  base::store_be32(p + 12, src);
  base::store_be32(p + 16, dst);
  // The header checksum from the values, without reading them back.
  Sum s;
  s.add16(static_cast<u16>(0x4500 | tos)).add16(total).add16(id).add16(flags_frag);
  s.add16(static_cast<u16>(ttl << 8 | proto)).add32(src).add32(dst);
  base::store_be16(p + 10, s.finish());
}

// The transport checksum of a first fragment or whole datagram whose pseudo-header
// addresses changed; `l4` starts at the transport header and holds `n` bytes. UDP with
// checksum 0 is left alone (the caller has dealt with it); a UDP result of 0 is sent
// as 0xffff (RFC 768).
void fix_transport(std::byte* l4, std::size_t n, u8 proto, const Sum& removed, const Sum& added) noexcept {
  if (proto == kProtoTcp && n >= 18) {
    base::store_be16(l4 + 16, adjust(base::load_be16(l4 + 16), removed, added));
  } else if (proto == kProtoUdp && n >= 8) {
    const u16 c = base::load_be16(l4 + 6);
    if (c == 0) return;
    const u16 nc = adjust(c, removed, added);
    base::store_be16(l4 + 6, nc == 0 ? 0xffff : nc);
  }
}

// The same for a partial checksum (base::Offload::csum_partial): the field holds the
// pseudo-header sum itself, not its complement, and the kernel adds the data later.
void fix_partial(std::byte* field, const Sum& removed, const Sum& added) noexcept {
  base::store_be16(field, static_cast<u16>(~adjust(static_cast<u16>(~base::load_be16(field)), removed, added)));
}

// Whether `off` describes a transport checksum / segmentation this packet can keep:
// TCP or UDP, not a fragment, the checksum where the transport header says, the
// headers within hdr_len.
[[nodiscard]] bool offload_fits(const base::Offload& off, u8 proto, bool fragment, std::size_t l4_start,
                                std::size_t len) noexcept {
  if (!off.any()) return true;
  if (fragment || (proto != kProtoTcp && proto != kProtoUdp)) return false;
  const std::size_t l4_header = proto == kProtoTcp ? 20 : 8;
  if (len < l4_header) return false;
  if (off.csum_partial && (off.csum_start != l4_start || off.csum_offset != (proto == kProtoTcp ? 16 : 6))) {
    return false;
  }
  if (off.gso != base::Gso::none) {
    const bool kind_ok =
        proto == kProtoTcp ? (off.gso == base::Gso::tcp4 || off.gso == base::Gso::tcp6) : off.gso == base::Gso::udp_l4;
    if (!kind_ok || off.gso_size == 0 || off.hdr_len < l4_start + l4_header || off.hdr_len > l4_start + len) {
      return false;
    }
  }
  return true;
}

// `off` moved to a packet whose transport header starts at `l4_start` instead of
// `old_l4_start`, in the other family.
[[nodiscard]] base::Offload moved(const base::Offload& off, std::size_t old_l4_start, std::size_t l4_start,
                                  bool to_v6) noexcept {
  base::Offload o = off;
  if (o.csum_partial) o.csum_start = static_cast<u16>(l4_start);
  if (o.gso != base::Gso::none) {
    o.hdr_len = static_cast<u16>(o.hdr_len - old_l4_start + l4_start);
    if (o.gso == base::Gso::tcp4 || o.gso == base::Gso::tcp6) o.gso = to_v6 ? base::Gso::tcp6 : base::Gso::tcp4;
  }
  return o;
}

// An unexpired Loose or Strict Source Route option (RFC 7915 §4.1): the first LSRR or
// SSRR whose pointer has not passed its length.
[[nodiscard]] bool unexpired_source_route(const std::byte* h, std::size_t hlen) noexcept {
  std::size_t i = kV4Header;
  while (i < hlen) {
    const u8 type = b(h, i);
    if (type == 0) break;  // End of Option List
    if (type == 1) {       // No Operation
      ++i;
      continue;
    }
    if (i + 1 >= hlen) break;
    const u8 len = b(h, i + 1);
    if (len < 2) break;
    if ((type == 131 || type == 137) && i + 2 < hlen) return len >= b(h, i + 2);
    i += len;
  }
  return false;
}

// The extension-header walk of RFC 7915 §5.1: Hop-by-Hop, Destination Options and
// Routing headers are skipped, a Fragment header supplies ID/offset/M, anything else is
// the upper layer (copied verbatim if unknown). 001 §14.12's limits apply in ASIP mode.
struct Chain {
  u8 upper = 0;
  std::size_t upper_off = 0;  // from the start of the payload
  bool frag = false;
  u32 frag_id = 0;
  u16 frag_off = 0;  // 8-byte units
  bool frag_more = false;
  std::size_t segments_left_at = 0;  // offset from the IP header of a non-zero Segments Left
  [[nodiscard]] bool first() const noexcept { return !frag || frag_off == 0; }
};

[[nodiscard]] bool is_skipped_ext(u8 nh) noexcept {
  return nh == 0 || nh == 43 || nh == 60;
}

[[nodiscard]] Expected<Chain, DropReason> walk_chain(u8 nh, Bytes payload, bool asip_limits) noexcept {
  Chain c;
  std::size_t pos = 0;
  int count = 0;
  auto over_limits = [&] { return asip_limits && (count > 8 || pos > 256); };
  for (;;) {
    if (is_skipped_ext(nh)) {
      if (c.frag) return nextip::unexpected(DropReason::ext_after_fragment);
      if (nh == 0 && count > 0) return nextip::unexpected(DropReason::ext_malformed);
      if (pos + 8 > payload.size()) return nextip::unexpected(DropReason::ext_malformed);
      const std::byte* p = payload.data() + pos;
      const std::size_t len = (std::size_t{b(p, 1)} + 1) * 8;
      if (pos + len > payload.size()) return nextip::unexpected(DropReason::ext_malformed);
      if (nh == 43 && b(p, 3) != 0 && c.segments_left_at == 0) c.segments_left_at = kV6Header + pos + 3;
      nh = b(p, 0);
      pos += len;
      ++count;
      if (over_limits()) return nextip::unexpected(DropReason::ext_limits);
      continue;
    }
    if (nh == 44) {
      if (c.frag) return nextip::unexpected(DropReason::double_fragment);
      if (pos + kFragHeader > payload.size()) return nextip::unexpected(DropReason::ext_malformed);
      const std::byte* p = payload.data() + pos;
      const u16 off_flags = base::load_be16(p + 2);
      c.frag = true;
      c.frag_off = static_cast<u16>(off_flags >> 3);
      c.frag_more = (off_flags & 1) != 0;
      c.frag_id = base::load_be32(p + 4);
      nh = b(p, 0);
      pos += kFragHeader;
      ++count;
      if (over_limits()) return nextip::unexpected(DropReason::ext_limits);
      if (c.frag_off != 0) {  // fragment data follows, not headers
        if (is_skipped_ext(nh)) return nextip::unexpected(DropReason::ext_after_fragment);
        if (nh == 44) return nextip::unexpected(DropReason::double_fragment);
        break;
      }
      continue;
    }
    break;
  }
  c.upper = nh;
  c.upper_off = pos;
  return c;
}

[[nodiscard]] u128 asip_address(const Locator& l, u32 h) noexcept {
  return (u128{l.r} << 96) | (u128{l.z} << 64) | (u128{l.s} << 32) | h;
}

[[nodiscard]] bool asip_is_mapped(u128 a) noexcept {
  return (a >> 32) == 0;
}

[[nodiscard]] FlowClass class_of(u8 proto) noexcept {
  switch (proto) {
    case kProtoIcmp: return FlowClass::echo;
    case kProtoTcp: return FlowClass::tcp;
    case kProtoUdp: return FlowClass::udp;
    default: return FlowClass::other;
  }
}

// The ports of a flow as the locator table keys it: TCP/UDP ports, or the ICMP Echo
// identifier. `l4` is the transport header of a first fragment (IPv4 protocol numbers).
struct Ports {
  bool known = false;
  u16 src = 0;
  u16 dst = 0;
};
[[nodiscard]] Ports ports_of(u8 proto4, const std::byte* l4, std::size_t n) noexcept {
  if ((proto4 == kProtoTcp || proto4 == kProtoUdp) && n >= 4) {
    return Ports{true, base::load_be16(l4), base::load_be16(l4 + 2)};
  }
  if (proto4 == kProtoIcmp && n >= 6) return Ports{true, base::load_be16(l4 + 4), 0};
  if (proto4 != kProtoTcp && proto4 != kProtoUdp && proto4 != kProtoIcmp) return Ports{true, 0, 0};
  return Ports{};
}

}  // namespace

// ---------------------------------------------------------------------------------------

class Translator::Impl {
 public:
  Impl(Translator& t, Instant now) noexcept : t_(t), c_(t.cfg_), s_(t.stats_), now_(now) {}

  Outcome from_v4(Bytes pkt, const Pass& pass, const base::Offload& off) noexcept;
  Outcome from_v6(Bytes pkt, const base::Offload& off) noexcept;

 private:
  // --- output ---------------------------------------------------------------------------
  [[nodiscard]] std::byte* cursor() noexcept { return t_.arena_.get() + t_.arena_used_; }
  [[nodiscard]] std::size_t room() const noexcept { return kArenaSize - t_.arena_used_; }
  void commit(Side side, std::size_t n, const base::Offload& off = {}) noexcept {
    if (t_.n_out_ < kMaxOutputs) {
      t_.out_[t_.n_out_++] = Emitted{side, Bytes(cursor(), n), off};
      (side == Side::v4 ? s_.out_v4 : s_.out_v6) += 1;
    }
    t_.arena_used_ += n;
  }
  [[nodiscard]] Outcome result(Verdict v, DropReason r = DropReason::none) const noexcept {
    return Outcome{v, r, std::span<const Emitted>(t_.out_.data(), t_.n_out_)};
  }
  Outcome drop(DropReason r) noexcept {
    ++s_.drops[static_cast<std::size_t>(r)];
    return Outcome{Verdict::dropped, r, {}};
  }

  [[nodiscard]] bool asip() const noexcept { return c_.mode == Mode::asip; }
  [[nodiscard]] u8 version6() const noexcept { return asip() ? 8 : 6; }
  [[nodiscard]] u8 icmp6() const noexcept { return asip() ? 143 : 58; }
  [[nodiscard]] u8 nh_of(u8 proto4) const noexcept { return proto4 == kProtoIcmp ? icmp6() : proto4; }
  [[nodiscard]] u8 proto_of(u8 nh) const noexcept { return nh == icmp6() ? kProtoIcmp : nh; }
  [[nodiscard]] u8 tc_of(u8 tos) const noexcept { return c_.zeroize_traffic_class ? 0 : tos; }
  [[nodiscard]] u8 tos_of(u8 tc) const noexcept { return c_.override_tos ? *c_.override_tos : tc; }

  [[nodiscard]] bool owns(Ipv4Address a) const noexcept {
    return std::any_of(c_.pool4.begin(), c_.pool4.end(), [&](const Ipv4Prefix& p) { return p.contains(a); });
  }
  [[nodiscard]] bool is_own_v4(Ipv4Address a) const noexcept { return c_.own_v4 && *c_.own_v4 == a; }

  // --- IDs --------------------------------------------------------------------------------
  [[nodiscard]] u16 generated_id(u32 src, u32 dst) noexcept {
    return static_cast<u16>(base::mix64(c_.seed ^ (u64{src} << 32 | dst) ^ base::mix64(++t_.id_counter_)));
  }
  [[nodiscard]] u64 frag_key(u128 src, u128 dst, u32 id) const noexcept {
    return base::mix64(c_.seed ^ base::hash_u128(src) ^ base::mix64(base::hash_u128(dst) ^ id));
  }
  [[nodiscard]] u16 fragment_id(u128 src, u128 dst, u32 id) const noexcept {
    if (c_.fragment_id == FragmentIdPolicy::truncate) return static_cast<u16>(id);
    return static_cast<u16>(frag_key(src, dst, id) >> 16);
  }
  [[nodiscard]] u16 unfragmented_id(bool df, u32 src, u32 dst) noexcept {
    if (!df && c_.ipv4_id == Ipv4IdPolicy::zero_when_df_clear) return 0;
    return generated_id(src, dst);
  }

  // --- addresses ----------------------------------------------------------------------------
  // SIIT, IPv4 -> IPv6: EAM first, then pool6 (RFC 7757 §3.3). `eam` false = pool6 only.
  [[nodiscard]] std::optional<u128> siit_46(Ipv4Address a, bool eam) const noexcept {
    if (eam) {
      if (auto x = c_.eamt.to_v6(a)) return x;
    }
    if (c_.pool6) return c_.pool6->embed(a);
    return std::nullopt;
  }
  // SIIT, IPv6 -> IPv4; `via_pool6` tells which table answered (hairpinning).
  [[nodiscard]] std::optional<Ipv4Address> siit_64(u128 a, bool* via_pool6 = nullptr) const noexcept {
    if (auto x = c_.eamt.to_v4(a)) return x;
    if (c_.pool6) {
      if (auto x = c_.pool6->extract(a)) {
        if (via_pool6 != nullptr) *via_pool6 = true;
        return x;
      }
    }
    return std::nullopt;
  }

  // ASIP: the full address of the ASIP host behind h (001 §12.7.1-§12.7.3). Per-flow
  // state for this exact flow first, then the most recent flow between the same two
  // IPv4 addresses, then the static mapping; without any, the IPv4-mapped form (r=z=s=0)
  // and a count of the miss.
  [[nodiscard]] u128 asip_host(Ipv4Address h, Ipv4Address remote, const FlowKey* key, bool* missing) noexcept {
    LocatorTable& table = *t_.locators_;
    if (key != nullptr) {
      if (auto l = table.lookup(now_, *key)) {
        ++s_.locator_from_flow;
        return asip_address(*l, h.value());
      }
    }
    if (auto l = table.lookup_any(now_, h.value(), remote.value())) {
      ++s_.locator_from_pair;
      return asip_address(*l, h.value());
    }
    const StaticLocator* best = nullptr;
    for (const StaticLocator& sl : c_.static_locators) {
      if (sl.v4.contains(h) && (best == nullptr || sl.v4.length() > best->v4.length())) best = &sl;
    }
    if (best != nullptr) {
      ++s_.locator_from_static;
      return asip_address(best->locator, h.value());
    }
    ++s_.locator_missing;
    if (missing != nullptr) *missing = true;
    return h.value();
  }

  // RFC 6791: a source for a translated ICMPv4 error whose own source has no IPv4 form.
  [[nodiscard]] std::optional<Ipv4Address> rfc6791_v4() noexcept {
    ++s_.rfc6791_used;
    if (c_.rfc6791v4.empty()) return c_.own_v4;
    u64 total = 0;
    for (const Ipv4Prefix& p : c_.rfc6791v4) total += u64{1} << (32 - p.length());
    u64 pick = base::mix64(c_.seed ^ base::mix64(++t_.id_counter_)) % total;
    for (const Ipv4Prefix& p : c_.rfc6791v4) {
      const u64 n = u64{1} << (32 - p.length());
      if (pick < n) return Ipv4Address(static_cast<u32>(p.address().value() + pick));
      pick -= n;
    }
    return c_.own_v4;
  }
  [[nodiscard]] std::optional<u128> rfc6791_v6() noexcept {
    ++s_.rfc6791_used;
    if (c_.rfc6791v6) return c_.rfc6791v6;
    return c_.own_v6;
  }

  // --- errors the translator sends itself (RFC 7915 §4.4, §5.4) ---------------------------
  [[nodiscard]] bool may_send_error() noexcept {
    if (c_.icmp_errors == IcmpErrorPolicy::never) return false;
    if (c_.icmp_errors_per_second == 0) return true;
    if (!t_.refilled_once_) {
      t_.tokens_ = c_.icmp_error_burst;
      t_.last_refill_ = now_;
      t_.refilled_once_ = true;
    } else if (now_ > t_.last_refill_) {
      const double secs = std::chrono::duration<double>(now_ - t_.last_refill_).count();
      t_.tokens_ = std::min<double>(c_.icmp_error_burst, t_.tokens_ + secs * c_.icmp_errors_per_second);
      t_.last_refill_ = now_;
    }
    if (t_.tokens_ < 1) return false;
    t_.tokens_ -= 1;
    return true;
  }

  // An ICMPv4 error to the source of `orig` (an IPv4 packet), quoting as much of it as
  // fits in 576 bytes.
  Outcome error4(DropReason r, Bytes orig, u8 type, u8 code, u32 rest, const Pass& pass) noexcept {
    ++s_.drops[static_cast<std::size_t>(r)];
    const Ipv4Address dst(base::load_be32(orig.data() + 12));
    if (pass.hairpin_second || !c_.own_v4 || is_untranslatable_v4(dst) || !may_send_error()) {
      ++s_.icmp_suppressed;
      return Outcome{Verdict::dropped, r, {}};
    }
    const std::size_t quoted = std::min(orig.size(), kV4ErrorCap - kV4Header - kIcmpHeader);
    const std::size_t total = kV4Header + kIcmpHeader + quoted;
    std::byte* p = cursor();
    write_v4_header(p, 0, static_cast<u16>(total), 0, 0, 64, kProtoIcmp, c_.own_v4->value(), dst.value());
    std::byte* m = p + kV4Header;
    base::store_u8(m, type);
    base::store_u8(m + 1, code);
    base::store_be16(m + 2, 0);
    base::store_be32(m + 4, rest);
    std::memcpy(m + kIcmpHeader, orig.data(), quoted);
    base::store_be16(m + 2, base::checksum::internet_checksum(Bytes(m, kIcmpHeader + quoted)));
    commit(Side::v4, total);
    ++s_.icmp_generated;
    return result(Verdict::icmp_error, r);
  }

  // An ICMPv6 / ICMP-ASIP error to the source of `orig`, quoting up to 1280 bytes.
  Outcome error6(DropReason r, Bytes orig, u8 type, u8 code, u32 rest) noexcept {
    ++s_.drops[static_cast<std::size_t>(r)];
    const u128 dst = load_u128(orig.data() + 8);
    if (!c_.own_v6 || dst == 0 || (dst >> 120) == 0xff || !may_send_error()) {
      ++s_.icmp_suppressed;
      return Outcome{Verdict::dropped, r, {}};
    }
    const std::size_t quoted = std::min(orig.size(), kV6ErrorCap - kV6Header - kIcmpHeader);
    const std::size_t len = kIcmpHeader + quoted;
    std::byte* p = cursor();
    write_v6_header(p, version6(), 0, static_cast<u16>(len), icmp6(), 64, *c_.own_v6, dst);
    std::byte* m = p + kV6Header;
    base::store_u8(m, type);
    base::store_u8(m + 1, code);
    base::store_be16(m + 2, 0);
    base::store_be32(m + 4, rest);
    std::memcpy(m + kIcmpHeader, orig.data(), quoted);
    Sum s = v6_pseudo(*c_.own_v6, dst, icmp6(), static_cast<u32>(len));
    base::store_be16(m + 2, s.add(Bytes(m, len)).finish());
    commit(Side::v6, kV6Header + len);
    ++s_.icmp_generated;
    return result(Verdict::icmp_error, r);
  }

  // --- RFC 4884 (RFC 7915 §4.2 and §5.2 "ICMP Error Payload") -----------------------------
  // The message body after the 8-byte ICMP header is `t` bytes of translated quoted
  // packet at body[0..t), then the input's extension structure `ie` (if any). Returns
  // the body length and the value of the output length attribute.
  struct Body {
    std::size_t len = 0;
    u8 length_field = 0;
  };
  Body assemble_4884(std::byte* body, std::size_t t, Bytes ie, bool remove, std::size_t outer, std::size_t cap,
                     std::size_t unit) noexcept {
    const std::size_t head = outer + kIcmpHeader;
    if (ie.empty()) return Body{std::min(t, cap - head), 0};
    if (remove || ie.size() > cap - head - 128) {
      ++s_.rfc4884_removed;
      return Body{std::min(t, cap - head), 0};
    }
    const std::size_t keep = ((std::min(head + t + ie.size(), cap) - ie.size() - head) / unit) * unit;
    const std::size_t pad = keep < 128 ? 128 - keep : 0;
    std::memset(body + keep, 0, pad);
    std::memcpy(body + keep + pad, ie.data(), ie.size());
    ++s_.rfc4884_kept;
    return Body{keep + pad + ie.size(), static_cast<u8>((keep + pad) / unit)};
  }

  // --- IPv4 -> v6 -----------------------------------------------------------------------------
  struct Inner46 {
    std::size_t len = 0;
    u16 total_length = 0;  // the quoted header's Total Length field
    bool fragment = false;
    u128 src = 0;  // translated inner source (the outer destination, normally)
    bool missing_locator = false;
  };
  Expected<Inner46, DropReason> inner_46(Bytes in, std::byte* out, const Pass& pass) noexcept;
  Expected<std::size_t, DropReason> icmp_error_46(Bytes icmp, std::byte* out, const Pass& pass,
                                                  Inner46* inner) noexcept;

  // --- v6 -> IPv4 -----------------------------------------------------------------------------
  struct Inner64 {
    std::size_t len = 0;
    bool fragment = false;
    bool hairpin = false;  // RFC 7757 §4.2.2 condition (B)
  };
  Expected<Inner64, DropReason> inner_64(Bytes in, std::byte* out) noexcept;
  Expected<std::size_t, DropReason> icmp_error_64(Bytes icmp, std::byte* out, Inner64* inner) noexcept;

  Translator& t_;
  const Config& c_;
  Stats& s_;
  Instant now_;
};

// ---------------------------------------------------------------------------------------
// IPv4 -> v6

Expected<Translator::Impl::Inner46, DropReason> Translator::Impl::inner_46(Bytes in, std::byte* out,
                                                                           const Pass& pass) noexcept {
  if (in.size() < kV4Header) return nextip::unexpected(DropReason::inner_malformed);
  const std::byte* h = in.data();
  const std::size_t hlen = std::size_t{b(h, 0) & 0xfu} * 4;
  if ((b(h, 0) >> 4) != 4 || hlen < kV4Header || hlen > in.size()) {
    return nextip::unexpected(DropReason::inner_malformed);
  }
  const u16 total = base::load_be16(h + 2);
  if (total < hlen) return nextip::unexpected(DropReason::inner_malformed);
  const u16 ff = base::load_be16(h + 6);
  if ((ff & inet::kIpv4FragOffsetMask) != 0) return nextip::unexpected(DropReason::inner_fragment);
  const bool frag = (ff & inet::kIpv4FlagMf) != 0;
  const u8 proto = b(h, 9);
  const Bytes l4 = in.subspan(hlen);
  if (proto == kProtoIcmp && !l4.empty() && inet::icmpv4_is_error(b(l4.data(), 0))) {
    return nextip::unexpected(DropReason::icmp_nested_error);
  }
  const Ipv4Address src4(base::load_be32(h + 12));
  const Ipv4Address dst4(base::load_be32(h + 16));
  Inner46 r;
  u128 src6 = 0;
  u128 dst6 = 0;
  if (asip()) {
    // The quoted packet went from an ASIP host (src) to an IPv4 host (dst).
    if (!owns(src4)) return nextip::unexpected(DropReason::inner_untranslatable);
    const Ports ports = ports_of(proto, l4.data(), l4.size());
    const FlowKey key{src4.value(), dst4.value(), proto, ports.src, ports.dst};
    src6 = asip_host(src4, dst4, ports.known ? &key : nullptr, &r.missing_locator);
    dst6 = dst4.value();
  } else {
    const bool simple = c_.hairpin == HairpinMode::simple;
    auto s = siit_46(src4, true);
    auto d = siit_46(dst4, !(pass.hairpin_second || simple));
    if (!s || !d) return nextip::unexpected(DropReason::inner_untranslatable);
    src6 = *s;
    dst6 = *d;
  }
  const std::size_t hdr6 = kV6Header + (frag ? kFragHeader : 0);
  const u16 plen = static_cast<u16>(std::min<std::size_t>(total - hlen + (frag ? kFragHeader : 0), 0xffff));
  write_v6_header(out, version6(), tc_of(b(h, 1)), plen, frag ? u8{44} : nh_of(proto), b(h, 8), src6, dst6);
  if (frag) {
    inet::emit_fragment_header(MutBytes(out + kV6Header, kFragHeader), nh_of(proto), 0, true, base::load_be16(h + 4));
  }
  std::byte* o4 = out + hdr6;
  std::memcpy(o4, l4.data(), l4.size());
  if (proto == kProtoIcmp) {
    if (l4.size() >= 4) {
      const u8 type = b(o4, 0);
      const u8 ntype = type == 8 ? 128 : (type == 0 ? 129 : type);
      Sum removed;
      removed.add16(static_cast<u16>(type << 8 | b(o4, 1)));
      Sum added = v6_pseudo(src6, dst6, icmp6(), static_cast<u32>(total - hlen));
      added.add16(static_cast<u16>(ntype << 8 | b(o4, 1)));
      base::store_u8(o4, ntype);
      base::store_be16(o4 + 2, adjust(base::load_be16(o4 + 2), removed, added));
    }
  } else {
    fix_transport(o4, l4.size(), proto, sum_v4_addrs(src4.value(), dst4.value()), sum_v6_addrs(src6, dst6));
  }
  r.len = hdr6 + l4.size();
  r.total_length = total;
  r.fragment = frag;
  r.src = src6;
  return r;
}

Expected<std::size_t, DropReason> Translator::Impl::icmp_error_46(Bytes icmp, std::byte* out, const Pass& pass,
                                                                  Inner46* inner) noexcept {
  const u8 type = b(icmp.data(), 0);
  const u8 code = b(icmp.data(), 1);
  const auto m = icmp_map::v4_error_to_v6(type, code, c_.literal_host_unreach_code);
  if (!m) return nextip::unexpected(DropReason::icmp_untranslatable);

  // RFC 4884: types 3 and 11 carry a length attribute in byte 5; for 3/2, 3/4 and 12
  // the extension is removed (their ICMPv6 counterparts have no length field).
  const Bytes data = icmp.subspan(kIcmpHeader);
  const bool process = (type == 3 && code != 2 && code != 4) || type == 11;
  const bool remove = !process;
  Bytes quoted = data;
  Bytes ie;
  const std::size_t ipl = std::size_t{b(icmp.data(), 5)} * 4;
  if (ipl != 0 && (type == 3 || type == 11 || type == 12)) {
    if (ipl > data.size()) return nextip::unexpected(DropReason::rfc4884_length);
    quoted = data.first(ipl);
    ie = data.subspan(ipl);
  }

  auto in = inner_46(quoted, out + kIcmpHeader, pass);
  if (!in) return nextip::unexpected(in.error());
  *inner = *in;

  u32 rest = 0;
  switch (m->kind) {
    case icmp_map::Kind::plain: break;
    case icmp_map::Kind::packet_too_big: {
      const u16 delta = (in->fragment && c_.fragment_header_mtu_adjust) ? 28 : 20;
      rest = icmp_map::ptb_from_fn(base::load_be16(icmp.data() + 6), in->total_length, c_.mtu_v6, c_.mtu_v4, delta);
      break;
    }
    case icmp_map::Kind::parameter_problem: {
      const auto ptr = icmp_map::pointer_v4_to_v6(b(icmp.data(), 4));
      if (!ptr) return nextip::unexpected(DropReason::icmp_pointer);
      rest = *ptr;
      break;
    }
    case icmp_map::Kind::protocol_unreachable: rest = 6; break;
  }
  const Body body = assemble_4884(out + kIcmpHeader, in->len, ie, remove, kV6Header, kV6ErrorCap, 8);
  base::store_u8(out, m->type);
  base::store_u8(out + 1, m->code);
  base::store_be16(out + 2, 0);
  base::store_be32(out + 4, rest);
  if (body.length_field != 0) base::store_u8(out + 4, body.length_field);
  return kIcmpHeader + body.len;
}

Outcome Translator::Impl::from_v4(Bytes pkt, const Pass& pass, const base::Offload& off) noexcept {
  auto pv = inet::Ipv4View<Bytes>::checked(pkt);
  if (!pv) return drop(DropReason::v4_malformed);
  const inet::Ipv4View<Bytes> v = *pv;
  if (!v.checksum_ok()) return drop(DropReason::v4_bad_checksum);
  const Bytes whole = v.bytes();
  const Bytes payload = v.payload();
  const std::size_t len = payload.size();
  const u8 proto = v.protocol();
  const bool frag = v.is_fragment();
  const bool first = v.fragment_offset() == 0;
  const Ipv4Address src4 = v.src();
  const Ipv4Address dst4 = v.dst();
  if (!offload_fits(off, proto, frag, v.header_len(), len) || off.gso == base::Gso::tcp6) {
    return drop(DropReason::offload_unsupported);
  }
  const bool gso = off.gso != base::Gso::none;

  bool is_error = false;
  bool is_echo = false;
  if (proto == kProtoIcmp) {
    if (frag) return drop(DropReason::icmp_fragmented);
    if (len < kIcmpHeader) return drop(DropReason::icmp_malformed);
    if (!base::checksum::verifies(Sum().add(payload))) return drop(DropReason::icmp_bad_checksum);
    const u8 type = b(payload.data(), 0);
    is_echo = type == 0 || type == 8;
    is_error = type == 3 || type == 11 || type == 12;
    if (!is_echo && !is_error) return drop(DropReason::icmp_untranslatable);
  }

  // Addresses (RFC 7915 §4.1 and §6; 001 §12.2).
  u128 src6 = 0;
  u128 dst6 = 0;
  bool dst_pending = false;  // ASIP error: the destination follows the quoted packet
  if (asip()) {
    if (!owns(dst4)) return drop(DropReason::not_owned);
    if (is_untranslatable_v4(dst4)) return drop(DropReason::reserved_address);
    if (!is_error && (is_untranslatable_v4(src4) || is_own_v4(src4))) return drop(DropReason::reserved_address);
    src6 = src4.value();
    if (is_error) {
      dst_pending = true;
    } else {
      // A reply: its destination port is the ASIP host's (the Echo identifier is shared).
      const Ports ports = first ? ports_of(proto, payload.data(), len) : Ports{};
      const bool swap = proto == kProtoTcp || proto == kProtoUdp;
      const FlowKey key{dst4.value(), src4.value(), proto, swap ? ports.dst : ports.src, swap ? ports.src : ports.dst};
      dst6 = asip_host(dst4, src4, ports.known ? &key : nullptr, nullptr);
    }
  } else {
    if (is_untranslatable_v4(dst4) || is_own_v4(dst4)) return drop(DropReason::reserved_address);
    const auto d = siit_46(dst4, true);
    if (!d) return drop(DropReason::dst_untranslatable);
    dst6 = *d;
    const bool simple = c_.hairpin == HairpinMode::simple;
    const bool pool6_only = simple || pass.hairpin_second;
    // RFC 7757 §4.2.2: on a hairpin's second pass an error's source goes through pool6
    // only when it is the quoted packet's destination.
    bool src_pool6_only = pool6_only;
    if (pool6_only && is_error && len >= kIcmpHeader + kV4Header) {
      src_pool6_only = base::load_be32(payload.data() + kIcmpHeader + 16) == src4.value();
    }
    if (!is_error && (is_untranslatable_v4(src4) || is_own_v4(src4))) return drop(DropReason::reserved_address);
    auto s = siit_46(src4, !src_pool6_only);
    if (!s && is_error) s = rfc6791_v6();
    if (!s) return drop(DropReason::src_untranslatable);
    src6 = *s;
  }

  // Size (§4.1; 001 §12.7.6). Errors are never fragmented, only cut to 1280 below.
  const std::size_t hdr6 = kV6Header + (frag ? kFragHeader : 0);
  const std::size_t total6 = hdr6 + len;
  // A GSO super-packet is checked per segment and never fragmented here.
  const std::size_t checked6 = gso ? kV6Header + (off.hdr_len - v.header_len()) + off.gso_size : total6;
  std::size_t mpl = 0;
  if (!is_error) {
    if (v.dont_fragment() || gso) {
      if (checked6 > c_.mtu_v6) {
        if (!first) return drop(DropReason::too_big_fragment);
        const u16 delta = (frag && c_.fragment_header_mtu_adjust) ? 28 : 20;
        const u32 mtu = std::max<u32>(576, u32{c_.mtu_v6} - delta);
        return error4(DropReason::too_big, whole, 3, 4, mtu, pass);
      }
    } else {
      const std::size_t limit = std::min(c_.mtu_v6, c_.lowest_ipv6_mtu);
      if (total6 > limit) mpl = limit;
    }
  }
  if (unexpired_source_route(whole.data(), v.header_len())) {
    if (is_error) return drop(DropReason::source_route);
    return error4(DropReason::source_route, whole, 3, 5, 0, pass);
  }
  u8 hlim = v.ttl();
  if (c_.decrement_ttl && !pass.hairpin_second) {
    if (hlim <= 1) {
      if (is_error) return drop(DropReason::ttl_expired);
      return error4(DropReason::ttl_expired, whole, 11, 0, 0, pass);
    }
    --hlim;
  }

  bool amend = false;
  if (first && proto == kProtoUdp) {
    if (len < 8) return drop(DropReason::l4_truncated);
    if (!off.csum_partial && base::load_be16(payload.data() + 6) == 0) {
      if (frag || !c_.amend_udp_zero_checksum) return error4(DropReason::udp_zero_checksum, whole, 3, 13, 0, pass);
      amend = true;
    }
  }
  if (first && proto == kProtoTcp && len < 18) return drop(DropReason::l4_truncated);

  std::byte* p = cursor();
  std::byte* l4 = p + hdr6;
  std::size_t l4_len = len;
  if (is_error) {
    Inner46 inner;
    auto n = icmp_error_46(payload, l4, pass, &inner);
    if (!n) return drop(n.error());
    if (dst_pending) {  // ASIP: the error goes to the ASIP host that sent the quoted packet
      if (Ipv4Address(static_cast<u32>(inner.src)) == dst4) {
        dst6 = inner.src;
      } else {
        dst6 = asip_host(dst4, src4, nullptr, &inner.missing_locator);
      }
      if (inner.missing_locator) ++s_.icmp_error_no_state;
    }
    l4_len = *n;
    Sum s = v6_pseudo(src6, dst6, icmp6(), static_cast<u32>(l4_len));
    base::store_be16(l4 + 2, s.add(Bytes(l4, l4_len)).finish());
  } else {
    std::memcpy(l4, payload.data(), len);
    if (is_echo) {
      const u8 type = b(l4, 0);
      const u8 ntype = type == 8 ? 128 : 129;
      Sum removed;
      removed.add16(static_cast<u16>(type << 8 | b(l4, 1)));
      Sum added = v6_pseudo(src6, dst6, icmp6(), static_cast<u32>(len));
      added.add16(static_cast<u16>(ntype << 8 | b(l4, 1)));
      base::store_u8(l4, ntype);
      base::store_be16(l4 + 2, adjust(base::load_be16(l4 + 2), removed, added));
    } else if (amend) {
      base::store_be16(l4 + 6, 0);
      Sum s = v6_pseudo(src6, dst6, kProtoUdp, static_cast<u32>(len));
      const u16 c = s.add(Bytes(l4, len)).finish();
      base::store_be16(l4 + 6, c == 0 ? 0xffff : c);
      ++s_.udp_checksum_amended;
    } else if (off.csum_partial) {
      fix_partial(l4 + off.csum_offset, sum_v4_addrs(src4.value(), dst4.value()), sum_v6_addrs(src6, dst6));
    } else if (first) {
      fix_transport(l4, len, proto, sum_v4_addrs(src4.value(), dst4.value()), sum_v6_addrs(src6, dst6));
    }
  }
  const u8 nh = nh_of(proto);
  const std::size_t out_len = hdr6 + l4_len;
  write_v6_header(p, version6(), tc_of(v.tos()), static_cast<u16>(out_len - kV6Header), frag ? u8{44} : nh, hlim, src6,
                  dst6);
  if (frag) {
    inet::emit_fragment_header(MutBytes(p + kV6Header, kFragHeader), nh, v.fragment_offset(), v.more_fragments(),
                               v.identification());
  }
  const Verdict verdict = pass.hairpin_second ? Verdict::hairpinned : Verdict::translated;
  ++s_.translated;
  if (mpl == 0) {
    commit(Side::v6, out_len, moved(off, v.header_len(), hdr6, true));
    return result(verdict);
  }

  // §4.1 (RFC 7915 §4 "SHOULD fragment"): fragments of (mpl - 48) rounded down to 8.
  t_.arena_used_ += out_len;  // the whole packet stays as the source of the pieces
  const std::size_t chunk = (mpl - kV6Header - kFragHeader) & ~std::size_t{7};
  const std::size_t base_off = std::size_t{v.fragment_offset()} * 8;
  for (std::size_t k = 0; k < len; k += chunk) {
    const std::size_t n = std::min(chunk, len - k);
    const bool more = k + n < len ? true : v.more_fragments();
    std::byte* f = cursor();
    write_v6_header(f, version6(), tc_of(v.tos()), static_cast<u16>(kFragHeader + n), 44, hlim, src6, dst6);
    inet::emit_fragment_header(MutBytes(f + kV6Header, kFragHeader), nh, static_cast<u16>((base_off + k) / 8), more,
                               v.identification());
    std::memcpy(f + kV6Header + kFragHeader, l4 + k, n);
    commit(Side::v6, kV6Header + kFragHeader + n);
    if (k != 0) ++s_.fragments_made;
  }
  return result(verdict);
}

// ---------------------------------------------------------------------------------------
// v6 -> IPv4

Expected<Translator::Impl::Inner64, DropReason> Translator::Impl::inner_64(Bytes in, std::byte* out) noexcept {
  if (in.size() < kV6Header || (b(in.data(), 0) >> 4) != version6()) {
    return nextip::unexpected(DropReason::inner_malformed);
  }
  const std::byte* h = in.data();
  const u16 plen = base::load_be16(h + 4);
  const u128 src = load_u128(h + 8);
  const u128 dst = load_u128(h + 24);
  auto ch = walk_chain(b(h, 6), in.subspan(kV6Header), false);
  if (!ch) return nextip::unexpected(DropReason::inner_malformed);
  if (!ch->first()) return nextip::unexpected(DropReason::inner_fragment);
  if (ch->upper_off > plen) return nextip::unexpected(DropReason::inner_malformed);
  const Bytes l4 = in.subspan(kV6Header + ch->upper_off);
  if (ch->upper == icmp6() && !l4.empty() && b(l4.data(), 0) < 128) {
    return nextip::unexpected(DropReason::icmp_nested_error);
  }
  Inner64 r;
  Ipv4Address src4;
  Ipv4Address dst4;
  if (asip()) {
    // The quoted packet went from an IPv4 host (IPv4-mapped source) to an ASIP host.
    if (!asip_is_mapped(src)) return nextip::unexpected(DropReason::inner_untranslatable);
    src4 = Ipv4Address(static_cast<u32>(src));
    dst4 = Ipv4Address(static_cast<u32>(dst));
    if (!owns(dst4)) return nextip::unexpected(DropReason::inner_untranslatable);
    r.hairpin = owns(src4);
  } else {
    bool via_pool6 = false;
    auto s = siit_64(src, &via_pool6);
    auto d = siit_64(dst);
    if (!s || !d) return nextip::unexpected(DropReason::inner_untranslatable);
    src4 = *s;
    dst4 = *d;
    r.hairpin = c_.hairpin != HairpinMode::off && via_pool6 && c_.eamt.covers_v4(src4);
  }
  const std::size_t l4_declared = plen - ch->upper_off;
  const std::size_t total = std::min<std::size_t>(kV4Header + l4_declared, 0xffff);
  const u8 proto = proto_of(ch->upper);
  u16 ff = 0;
  u16 id = 0;
  if (ch->frag) {
    id = fragment_id(src, dst, ch->frag_id);
    ff = static_cast<u16>((ch->frag_more ? inet::kIpv4FlagMf : 0) | ch->frag_off);
  } else {
    const bool df = total > 1260;
    id = unfragmented_id(df, src4.value(), dst4.value());
    ff = df ? inet::kIpv4FlagDf : 0;
  }
  write_v4_header(out, tos_of(static_cast<u8>((base::load_be32(h) >> 20) & 0xff)), static_cast<u16>(total), id, ff,
                  b(h, 7), proto, src4.value(), dst4.value());
  std::byte* o4 = out + kV4Header;
  std::memcpy(o4, l4.data(), l4.size());
  if (proto == kProtoIcmp) {
    if (l4.size() >= 4) {
      const u8 type = b(o4, 0);
      const u8 ntype = type == 128 ? 8 : (type == 129 ? 0 : type);
      Sum removed = v6_pseudo(src, dst, icmp6(), static_cast<u32>(l4_declared));
      removed.add16(static_cast<u16>(type << 8 | b(o4, 1)));
      Sum added;
      added.add16(static_cast<u16>(ntype << 8 | b(o4, 1)));
      base::store_u8(o4, ntype);
      base::store_be16(o4 + 2, adjust(base::load_be16(o4 + 2), removed, added));
    }
  } else {
    fix_transport(o4, l4.size(), proto, sum_v6_addrs(src, dst), sum_v4_addrs(src4.value(), dst4.value()));
  }
  r.len = kV4Header + l4.size();
  r.fragment = ch->frag;
  return r;
}

Expected<std::size_t, DropReason> Translator::Impl::icmp_error_64(Bytes icmp, std::byte* out, Inner64* inner) noexcept {
  const u8 type = b(icmp.data(), 0);
  const u8 code = b(icmp.data(), 1);
  const auto m = icmp_map::v6_error_to_v4(type, code);
  if (!m) return nextip::unexpected(DropReason::icmp_untranslatable);

  // RFC 4884 applies to types 1 and 3 (length in byte 4, 64-bit words).
  const Bytes data = icmp.subspan(kIcmpHeader);
  const bool process = type == 1 || type == 3;
  Bytes quoted = data;
  Bytes ie;
  if (process) {
    const std::size_t ipl = std::size_t{b(icmp.data(), 4)} * 8;
    if (ipl > data.size()) return nextip::unexpected(DropReason::rfc4884_length);
    if (ipl != 0) {
      quoted = data.first(ipl);
      ie = data.subspan(ipl);
    }
  }
  auto in = inner_64(quoted, out + kIcmpHeader);
  if (!in) return nextip::unexpected(in.error());
  *inner = *in;

  u32 rest = 0;
  switch (m->kind) {
    case icmp_map::Kind::plain:
    case icmp_map::Kind::protocol_unreachable: break;
    case icmp_map::Kind::packet_too_big: {
      const u16 delta = (in->fragment && c_.fragment_header_mtu_adjust) ? 28 : 20;
      rest = icmp_map::fn_from_ptb(base::load_be32(icmp.data() + 4), c_.mtu_v4, c_.mtu_v6, delta);
      break;
    }
    case icmp_map::Kind::parameter_problem: {
      const auto ptr = icmp_map::pointer_v6_to_v4(base::load_be32(icmp.data() + 4));
      if (!ptr) return nextip::unexpected(DropReason::icmp_pointer);
      rest = u32{*ptr} << 24;
      break;
    }
  }
  const Body body = assemble_4884(out + kIcmpHeader, in->len, ie, false, kV4Header, kV4ErrorCap, 4);
  base::store_u8(out, m->type);
  base::store_u8(out + 1, m->code);
  base::store_be16(out + 2, 0);
  base::store_be32(out + 4, rest);
  if (body.length_field != 0) base::store_u8(out + 5, body.length_field);
  return kIcmpHeader + body.len;
}

Outcome Translator::Impl::from_v6(Bytes pkt, const base::Offload& off) noexcept {
  if (pkt.size() < kV6Header) return drop(DropReason::v6_malformed);
  if ((b(pkt.data(), 0) >> 4) != version6()) return drop(DropReason::wrong_version);
  const std::byte* h = pkt.data();
  const u16 plen = base::load_be16(h + 4);
  if (plen == 0 && b(h, 6) == 0 && pkt.size() > kV6Header) return drop(DropReason::jumbogram);
  if (kV6Header + plen > pkt.size()) return drop(DropReason::v6_malformed);
  const Bytes whole = pkt.first(kV6Header + plen);
  const Bytes payload = whole.subspan(kV6Header);
  const u128 src = load_u128(h + 8);
  const u128 dst = load_u128(h + 24);

  auto ch = walk_chain(b(h, 6), payload, asip());
  if (!ch) {
    // RFC 7915 §5.1.1 says drop; Jool (and nextip, decision SIIT-4) answers 1/1 as §5.4.
    if (ch.error() == DropReason::ext_after_fragment) return error6(ch.error(), whole, 1, 1, 0);
    return drop(ch.error());
  }
  const std::size_t upper_off = ch->upper_off;
  const std::size_t len = payload.size() - upper_off;
  const Bytes l4in = payload.subspan(upper_off);
  const u8 upper = ch->upper;
  const bool first = ch->first();
  if (ch->frag && first && upper != 59 && len < inet::min_upper_header(upper == icmp6() ? u8{58} : upper)) {
    return drop(DropReason::ext_incomplete);  // RFC 7112; 001 §14.12
  }
  const std::size_t l4_start = kV6Header + upper_off;
  if (!offload_fits(off, upper, ch->frag, l4_start, len) || off.gso == base::Gso::tcp4) {
    return drop(DropReason::offload_unsupported);
  }
  const bool gso = off.gso != base::Gso::none;

  bool is_error = false;
  bool is_echo = false;
  if (upper == icmp6()) {
    if (ch->frag) return drop(DropReason::icmp_fragmented);
    if (len < kIcmpHeader) return drop(DropReason::icmp_malformed);
    Sum s = v6_pseudo(src, dst, icmp6(), static_cast<u32>(len));
    if (!base::checksum::verifies(s.add(l4in))) return drop(DropReason::icmp_bad_checksum);
    const u8 type = b(l4in.data(), 0);
    is_echo = type == 128 || type == 129;
    is_error = type >= 1 && type <= 4;
    if (!is_echo && !is_error) return drop(DropReason::icmp_untranslatable);
  }

  // Addresses (§5.1, §6; 001 §12.2).
  Ipv4Address src4;
  Ipv4Address dst4;
  bool hairpin = false;
  Locator locator;
  if (asip()) {
    if (!asip_is_mapped(dst)) return drop(DropReason::not_ipv4_mapped);
    dst4 = Ipv4Address(static_cast<u32>(dst));
    if (is_untranslatable_v4(dst4) || is_own_v4(dst4)) return drop(DropReason::reserved_address);
    const Ipv4Address h4(static_cast<u32>(src));
    if (owns(h4) && !is_untranslatable_v4(h4)) {
      src4 = h4;
      locator = Locator{static_cast<u32>(src >> 96), static_cast<u32>(src >> 64), static_cast<u32>(src >> 32)};
    } else if (is_error) {
      auto a = rfc6791_v4();
      if (!a) return drop(DropReason::src_untranslatable);
      src4 = *a;
    } else {
      return drop(DropReason::source_not_owned);
    }
    hairpin = !is_error && owns(dst4);
  } else {
    bool dst_via_pool6 = false;
    const auto d = siit_64(dst, &dst_via_pool6);
    if (!d) return drop(DropReason::dst_untranslatable);
    dst4 = *d;
    if (is_untranslatable_v4(dst4) || is_own_v4(dst4)) return drop(DropReason::reserved_address);
    auto s = siit_64(src);
    if (s && !is_error && is_untranslatable_v4(*s)) return drop(DropReason::reserved_address);
    if (!s && is_error) s = rfc6791_v4();
    if (!s) return drop(DropReason::src_untranslatable);
    src4 = *s;
    hairpin = c_.hairpin != HairpinMode::off && !is_error && dst_via_pool6 && c_.eamt.covers_v4(dst4);
  }

  // Size (§5.1): the IPv4 side is never fragmented by the translator.
  const std::size_t total4 = kV4Header + len;
  const std::size_t checked4 = gso ? kV4Header + (off.hdr_len - l4_start) + off.gso_size : total4;
  if (!is_error && !hairpin && checked4 > c_.mtu_v4) {
    if (!first) return drop(DropReason::too_big_fragment);
    const u16 delta = (ch->frag && c_.fragment_header_mtu_adjust) ? 28 : 20;
    return error6(DropReason::too_big, whole, 2, 0, std::max<u32>(1280, u32{c_.mtu_v4} + delta));
  }
  u8 ttl = b(h, 7);
  if (c_.decrement_ttl) {
    if (ttl <= 1) {
      if (is_error) return drop(DropReason::ttl_expired);
      return error6(DropReason::ttl_expired, whole, 3, 0, 0);
    }
    --ttl;
  }
  if (ch->segments_left_at != 0) {
    if (is_error) return drop(DropReason::segments_left);
    return error6(DropReason::segments_left, whole, 4, 0, static_cast<u32>(ch->segments_left_at));
  }
  const u8 proto = proto_of(upper);
  if (first && proto == kProtoUdp && len < 8) return drop(DropReason::l4_truncated);
  if (first && proto == kProtoTcp && len < 18) return drop(DropReason::l4_truncated);
  if (ch->frag && c_.fragment_id == FragmentIdPolicy::truncate &&
      !t_.frag_limiter_.admit(frag_key(src, dst, ch->frag_id), now_)) {
    return drop(DropReason::fragment_flow_limit);
  }

  std::byte* p = cursor();
  std::byte* l4 = p + kV4Header;
  std::size_t l4_len = len;
  if (is_error) {
    Inner64 inner;
    auto n = icmp_error_64(l4in, l4, &inner);
    if (!n) return drop(n.error());
    hairpin = inner.hairpin && c_.hairpin != HairpinMode::off;
    l4_len = *n;
    base::store_be16(l4 + 2, base::checksum::internet_checksum(Bytes(l4, l4_len)));
  } else {
    std::memcpy(l4, l4in.data(), len);
    if (is_echo) {
      const u8 type = b(l4, 0);
      const u8 ntype = type == 128 ? 8 : 0;
      Sum removed = v6_pseudo(src, dst, icmp6(), static_cast<u32>(len));
      removed.add16(static_cast<u16>(type << 8 | b(l4, 1)));
      Sum added;
      added.add16(static_cast<u16>(ntype << 8 | b(l4, 1)));
      base::store_u8(l4, ntype);
      base::store_be16(l4 + 2, adjust(base::load_be16(l4 + 2), removed, added));
    } else if (off.csum_partial) {
      fix_partial(l4 + off.csum_offset, sum_v6_addrs(src, dst), sum_v4_addrs(src4.value(), dst4.value()));
    } else if (first) {
      fix_transport(l4, len, proto, sum_v6_addrs(src, dst), sum_v4_addrs(src4.value(), dst4.value()));
    }
  }
  const std::size_t total = kV4Header + l4_len;
  u16 ff = 0;
  u16 id = 0;
  if (ch->frag) {
    id = fragment_id(src, dst, ch->frag_id);
    ff = static_cast<u16>((ch->frag_more ? inet::kIpv4FlagMf : 0) | ch->frag_off);
  } else {
    const bool df = (gso ? checked4 : total) > 1260;  // §5.1: DF only where IPv6 would not fragment
    id = unfragmented_id(df, src4.value(), dst4.value());
    ff = df ? inet::kIpv4FlagDf : 0;
  }
  write_v4_header(p, tos_of(static_cast<u8>((base::load_be32(h) >> 20) & 0xff)), static_cast<u16>(total), id, ff, ttl,
                  proto, src4.value(), dst4.value());

  // ASIP: remember the source locator for replies and errors (001 §12.7.1-§12.7.3).
  if (asip() && !is_error && first && !asip_is_mapped(src)) {
    const Ports ports = ports_of(proto, l4, len);
    if (ports.known && !(proto == kProtoIcmp && b(l4, 0) != 8)) {
      t_.locators_->upsert(now_, FlowKey{src4.value(), dst4.value(), proto, ports.src, ports.dst}, locator,
                           class_of(proto));
    }
  }

  ++s_.translated;
  const base::Offload out_off = moved(off, l4_start, kV4Header, false);
  if (!hairpin) {
    commit(Side::v4, total, out_off);
    return result(Verdict::translated);
  }
  // RFC 7757 §4 (and ASIP pool4 to pool4): straight back in as IPv4.
  ++s_.hairpinned;
  --s_.translated;  // counted once, by the second pass
  t_.arena_used_ += total;
  return from_v4(Bytes(p, total), Pass{true}, out_off);
}

// ---------------------------------------------------------------------------------------

Translator::Translator(Config config)
    : cfg_(std::move(config)),
      locators_(std::make_unique<LocatorTable>(
          LocatorTableConfig{cfg_.locator_capacity == 0 ? 1 : cfg_.locator_capacity},
          HashKey{base::mix64(cfg_.seed ^ 0x6c6f6361746f7273ULL), base::mix64(cfg_.seed ^ 0x7461626c65ULL)})),
      frag_limiter_(cfg_.max_fragmented_flows, cfg_.fragmented_flow_window),
      arena_(std::make_unique<std::byte[]>(kArenaSize)) {}

Translator::~Translator() = default;

Outcome Translator::from_v4(Bytes packet, Instant now, const base::Offload& offload) noexcept {
  arena_used_ = 0;
  n_out_ = 0;
  ++stats_.in_v4;
  Impl impl(*this, now);
  return impl.from_v4(packet, Pass{}, offload);
}

Outcome Translator::from_v6(Bytes packet, Instant now, const base::Offload& offload) noexcept {
  arena_used_ = 0;
  n_out_ = 0;
  ++stats_.in_v6;
  Impl impl(*this, now);
  return impl.from_v6(packet, offload);
}

}  // namespace nextip::engine::translate

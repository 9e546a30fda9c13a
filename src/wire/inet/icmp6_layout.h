// ICMPv6-numbered messages (RFC 4443, Neighbor Discovery RFC 4861), as used by ICMPv6
// (next header 58) and by ICMP-ASIP (next header 143, 001 §9, Table 12: "follows ICMPv6
// numbering"; ND "adopted in full" with 128-bit ASIP addresses, §9.2). One codec; a
// Traits class gives the next-header value, the address type and the field names.
//
// Layouts after the 4-byte type/code/checksum:
//   1 Destination Unreachable, 3 Time Exceeded   unused(4)  quoted packet
//   2 Packet Too Big                              mtu(4)     quoted packet
//   4 Parameter Problem                           pointer(4) quoted packet
//   128/129 Echo                                  id(2) seq(2) data
//   133 RS   reserved(4) options
//   134 RA   cur hop limit(1) M|O flags(1) router lifetime(2) reachable(4) retrans(4) options
//   135 NS   reserved(4) target(16) options
//   136 NA   R|S|O flags(4) target(16) options
//   137 Redirect  reserved(4) target(16) destination(16) options
// ND options: type(1) length(1, 8-byte units, never 0) data; the Prefix Information
// option (type 3) carries the prefix (for ASIP the 96-bit r:z:s, length 96, §9.2).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

namespace icmp6 {
inline constexpr u8 kDestUnreachable = 1;
inline constexpr u8 kPacketTooBig = 2;
inline constexpr u8 kTimeExceeded = 3;
inline constexpr u8 kParameterProblem = 4;
inline constexpr u8 kEchoRequest = 128;
inline constexpr u8 kEchoReply = 129;
inline constexpr u8 kRouterSolicitation = 133;
inline constexpr u8 kRouterAdvertisement = 134;
inline constexpr u8 kNeighborSolicitation = 135;
inline constexpr u8 kNeighborAdvertisement = 136;
inline constexpr u8 kRedirect = 137;

// ND option types.
inline constexpr u8 kOptSourceLinkLayer = 1;
inline constexpr u8 kOptTargetLinkLayer = 2;
inline constexpr u8 kOptPrefixInformation = 3;
inline constexpr u8 kOptRedirectedHeader = 4;
inline constexpr u8 kOptMtu = 5;

inline constexpr std::size_t kHeader = 4;  // type, code, checksum

[[nodiscard]] constexpr bool is_error(u8 type) noexcept {
  return type < 128;
}

// Bytes needed by each type's fixed part (header included); 8 for unknown types.
[[nodiscard]] constexpr std::size_t fixed_len(u8 type) noexcept {
  switch (type) {
    case kRouterAdvertisement: return 16;
    case kNeighborSolicitation:
    case kNeighborAdvertisement: return 24;
    case kRedirect: return 40;
    default: return 8;
  }
}
[[nodiscard]] constexpr bool is_nd(u8 type) noexcept {
  return type >= kRouterSolicitation && type <= kRedirect;
}
}  // namespace icmp6

// Field names of one ICMP family ("icmpv6.mtu" or "icmpasip.mtu").
struct Icmp6Names {
  std::string_view type, code, checksum, rest, mtu, pointer, echo_id, echo_seq;
  std::string_view ra_fields, na_flags, target, destination, option_len;
};

struct NdOption {
  u8 type = 0;
  Bytes data;  // after type and length
  std::size_t offset = 0;
};

// Walks ND options; errors name `names.option_len`.
class NdOptionWalker {
 public:
  NdOptionWalker(Bytes options, std::string_view len_name, std::size_t base_offset) noexcept
      : o_(options), name_(len_name), base_(base_offset) {}
  [[nodiscard]] WireResult<std::optional<NdOption>> next() noexcept {
    if (pos_ >= o_.size()) return std::optional<NdOption>{};
    if (pos_ + 2 > o_.size()) return base::wire_fail(WireErrc::bad_option, name_, base_ + pos_ + 1);  // no length byte
    const std::size_t len = std::size_t{base::load_u8(o_.data() + pos_ + 1)} * 8;
    if (len == 0 || pos_ + len > o_.size()) return base::wire_fail(WireErrc::bad_option, name_, base_ + pos_ + 1);
    NdOption opt{base::load_u8(o_.data() + pos_), o_.subspan(pos_ + 2, len - 2), pos_};
    pos_ += len;
    return std::optional<NdOption>{opt};
  }

 private:
  Bytes o_;
  std::string_view name_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

template <class B, class Traits>
class Icmp6View : public base::ByteView<B> {
 public:
  using Address = typename Traits::Address;
  using base::ByteView<B>::ByteView;

  // The type's fixed part present; ND options well formed.
  [[nodiscard]] static WireResult<Icmp6View> checked(B buf) noexcept {
    const auto& n = Traits::kNames;
    const base::FieldSpan base_layout[] = {{n.type, 0, 1}, {n.code, 1, 1}, {n.checksum, 2, 2}};
    if (buf.size() < icmp6::kHeader) return nextip::unexpected(base::first_missing(base_layout, buf.size()));
    const Icmp6View v(buf);
    const std::size_t need = icmp6::fixed_len(v.type());
    if (buf.size() < need) {
      const base::FieldSpan f = v.fixed_field_at(buf.size());
      return base::wire_fail(WireErrc::truncated, f.name, f.offset);
    }
    if (icmp6::is_nd(v.type())) {
      NdOptionWalker w(v.nd_options(), n.option_len, need);
      for (;;) {
        auto o = w.next();
        if (!o) return nextip::unexpected(o.error());
        if (!*o) break;
      }
    }
    return v;
  }
  [[nodiscard]] static Icmp6View unchecked(B buf) noexcept { return Icmp6View(buf); }

  [[nodiscard]] u8 type() const noexcept { return this->get8(0); }
  [[nodiscard]] u8 code() const noexcept { return this->get8(1); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(2); }
  [[nodiscard]] u32 rest() const noexcept { return this->get32(4); }
  [[nodiscard]] u32 mtu() const noexcept { return this->get32(4); }
  [[nodiscard]] u32 pointer() const noexcept { return this->get32(4); }
  [[nodiscard]] u16 echo_id() const noexcept { return this->get16(4); }
  [[nodiscard]] u16 echo_seq() const noexcept { return this->get16(6); }
  // Echo payload or quoted packet (types < 128 and 128/129).
  [[nodiscard]] B data() const noexcept { return this->buf_.subspan(8); }
  // Router Advertisement.
  [[nodiscard]] u8 ra_cur_hop_limit() const noexcept { return this->get8(4); }
  [[nodiscard]] bool ra_managed() const noexcept { return (this->get8(5) & 0x80) != 0; }
  [[nodiscard]] bool ra_other() const noexcept { return (this->get8(5) & 0x40) != 0; }
  [[nodiscard]] u16 ra_router_lifetime() const noexcept { return this->get16(6); }
  [[nodiscard]] u32 ra_reachable_time() const noexcept { return this->get32(8); }
  [[nodiscard]] u32 ra_retrans_timer() const noexcept { return this->get32(12); }
  // Neighbor Advertisement flags R, S, O (top three bits of bytes 4-7).
  [[nodiscard]] u8 na_flags() const noexcept { return static_cast<u8>(this->get8(4) >> 5); }
  [[nodiscard]] Address target() const noexcept {
    return Address::from_bytes(std::span<const std::byte, 16>(this->buf_.data() + 8, 16));
  }
  [[nodiscard]] Address redirect_destination() const noexcept {
    return Address::from_bytes(std::span<const std::byte, 16>(this->buf_.data() + 24, 16));
  }
  [[nodiscard]] B nd_options() const noexcept { return this->buf_.subspan(icmp6::fixed_len(type())); }

  // `pseudo` is the network header's pseudo-header for (Traits::kNextHeader, size()).
  [[nodiscard]] bool checksum_ok(const base::checksum::Sum& pseudo) const noexcept {
    base::checksum::Sum s = pseudo;
    return base::checksum::verifies(s.add(Bytes(this->buf_.data(), this->buf_.size())));
  }
  void fill_checksum(const base::checksum::Sum& pseudo) const noexcept {
    this->set16(2, 0);
    base::checksum::Sum s = pseudo;
    this->set16(2, s.add(Bytes(this->buf_.data(), this->buf_.size())).finish());
  }

 private:
  // The RA field (cur hop limit @4, flags @5, router lifetime @6, reachable @8,
  // retrans @12) that `len` bytes cut into.
  [[nodiscard]] static base::FieldSpan ra_field_at(std::size_t len) noexcept {
    const auto& n = Traits::kNames;
    if (len < 5) return {n.ra_fields, 4, 1};
    if (len < 6) return {n.ra_fields, 5, 1};
    if (len < 8) return {n.ra_fields, 6, 2};
    if (len < 12) return {n.ra_fields, 8, 4};
    return {n.ra_fields, 12, 4};
  }

  // The fixed field that `len` bytes (4 <= len < fixed_len) cut into, with its offset.
  [[nodiscard]] base::FieldSpan fixed_field_at(std::size_t len) const noexcept {
    const auto& n = Traits::kNames;
    const u8 t = type();
    if (len < 8) {
      if (t == icmp6::kEchoRequest || t == icmp6::kEchoReply)
        return len < 6 ? base::FieldSpan{n.echo_id, 4, 2} : base::FieldSpan{n.echo_seq, 6, 2};
      if (t == icmp6::kPacketTooBig) return {n.mtu, 4, 4};
      if (t == icmp6::kParameterProblem) return {n.pointer, 4, 4};
      if (t == icmp6::kRouterAdvertisement) return ra_field_at(len);
      if (t == icmp6::kNeighborAdvertisement) return {n.na_flags, 4, 4};
      return {n.rest, 4, 4};
    }
    if (t == icmp6::kRouterAdvertisement) return ra_field_at(len);
    if (t == icmp6::kRedirect && len >= 24) return {n.destination, 24, 16};
    return {n.target, 8, 16};
  }
};

// One ICMPv6-numbered message. `data` is the echo payload or quoted packet, `options`
// the ND options (spans into the parsed buffer).
template <class Traits>
struct Icmp6Repr {
  using Address = typename Traits::Address;
  u8 type = 0;
  u8 code = 0;
  u32 rest = 0;  // the 4 bytes after the checksum: unused, mtu, pointer, echo id/seq, NA flags
  u8 ra_cur_hop_limit = 0;
  u8 ra_flags = 0;  // M = 0x80, O = 0x40
  u16 ra_router_lifetime = 0;
  u32 ra_reachable_time = 0;
  u32 ra_retrans_timer = 0;
  Address target{};
  Address destination{};
  Bytes data;
  Bytes options;

  [[nodiscard]] u32 mtu() const noexcept { return rest; }
  [[nodiscard]] u16 echo_id() const noexcept { return static_cast<u16>(rest >> 16); }
  [[nodiscard]] u16 echo_seq() const noexcept { return static_cast<u16>(rest); }

  // `pseudo` nullptr skips the checksum (dissectors report it instead).
  [[nodiscard]] static WireResult<Icmp6Repr> parse(const Icmp6View<Bytes, Traits>& v,
                                                   const base::checksum::Sum* pseudo) noexcept {
    if (pseudo != nullptr && !v.checksum_ok(*pseudo)) {
      return base::wire_fail(WireErrc::bad_checksum, Traits::kNames.checksum, 2);
    }
    Icmp6Repr r;
    r.type = v.type();
    r.code = v.code();
    r.rest = v.rest();
    switch (r.type) {
      case icmp6::kRouterAdvertisement:
        r.ra_cur_hop_limit = v.ra_cur_hop_limit();
        r.ra_flags = static_cast<u8>(base::load_u8(v.bytes().data() + 5));
        r.ra_router_lifetime = v.ra_router_lifetime();
        r.ra_reachable_time = v.ra_reachable_time();
        r.ra_retrans_timer = v.ra_retrans_timer();
        r.rest = 0;
        r.options = v.nd_options();
        break;
      case icmp6::kRouterSolicitation: r.options = v.nd_options(); break;
      case icmp6::kNeighborSolicitation:
      case icmp6::kNeighborAdvertisement:
        r.target = v.target();
        r.options = v.nd_options();
        break;
      case icmp6::kRedirect:
        r.target = v.target();
        r.destination = v.redirect_destination();
        r.options = v.nd_options();
        break;
      default: r.data = v.data(); break;
    }
    return r;
  }

  [[nodiscard]] std::size_t buffer_len() const noexcept {
    return icmp6::fixed_len(type) + (icmp6::is_nd(type) ? options.size() : data.size());
  }

  // Writes the whole message and its checksum over `pseudo` (for buffer_len() bytes).
  void emit(MutBytes buf, const base::checksum::Sum& pseudo) const noexcept {
    std::byte* p = buf.data();
    base::store_u8(p, type);
    base::store_u8(p + 1, code);
    base::store_be32(p + 4, rest);
    std::size_t at = 8;
    switch (type) {
      case icmp6::kRouterAdvertisement:
        base::store_u8(p + 4, ra_cur_hop_limit);
        base::store_u8(p + 5, ra_flags);
        base::store_be16(p + 6, ra_router_lifetime);
        base::store_be32(p + 8, ra_reachable_time);
        base::store_be32(p + 12, ra_retrans_timer);
        at = 16;
        break;
      case icmp6::kNeighborSolicitation:
      case icmp6::kNeighborAdvertisement:
        target.to_bytes(std::span<std::byte, 16>(p + 8, 16));
        at = 24;
        break;
      case icmp6::kRedirect:
        target.to_bytes(std::span<std::byte, 16>(p + 8, 16));
        destination.to_bytes(std::span<std::byte, 16>(p + 24, 16));
        at = 40;
        break;
      default: break;
    }
    const Bytes tail = icmp6::is_nd(type) ? options : data;
    for (std::size_t i = 0; i < tail.size(); ++i) p[at + i] = tail[i];
    Icmp6View<MutBytes, Traits>::unchecked(buf.first(buffer_len())).fill_checksum(pseudo);
  }

  friend bool operator==(const Icmp6Repr& a, const Icmp6Repr& b) noexcept {
    auto eq = [](Bytes x, Bytes y) { return std::equal(x.begin(), x.end(), y.begin(), y.end()); };
    return a.type == b.type && a.code == b.code && a.rest == b.rest && a.ra_cur_hop_limit == b.ra_cur_hop_limit &&
           a.ra_flags == b.ra_flags && a.ra_router_lifetime == b.ra_router_lifetime &&
           a.ra_reachable_time == b.ra_reachable_time && a.ra_retrans_timer == b.ra_retrans_timer &&
           a.target == b.target && a.destination == b.destination && eq(a.data, b.data) && eq(a.options, b.options);
  }
};

// The Prefix Information option (RFC 4861 §4.6.2), 32 bytes including type and length.
struct PrefixInformation {
  u8 prefix_length = 0;
  bool on_link = false;     // L
  bool autonomous = false;  // A
  u32 valid_lifetime = 0;
  u32 preferred_lifetime = 0;
  std::array<std::byte, 16> prefix{};

  // `data` is the option's bytes after type and length (30 bytes).
  [[nodiscard]] static std::optional<PrefixInformation> parse(Bytes data) noexcept {
    if (data.size() != 30) return std::nullopt;
    PrefixInformation p;
    p.prefix_length = base::load_u8(data.data());
    const u8 flags = base::load_u8(data.data() + 1);
    p.on_link = (flags & 0x80) != 0;
    p.autonomous = (flags & 0x40) != 0;
    p.valid_lifetime = base::load_be32(data.data() + 2);
    p.preferred_lifetime = base::load_be32(data.data() + 6);
    for (std::size_t i = 0; i < 16; ++i) p.prefix[i] = data[14 + i];
    return p;
  }
  // Writes the whole 32-byte option.
  void emit(MutBytes buf) const noexcept {
    std::byte* p = buf.data();
    base::store_u8(p, icmp6::kOptPrefixInformation);
    base::store_u8(p + 1, 4);
    base::store_u8(p + 2, prefix_length);
    base::store_u8(p + 3, static_cast<u8>((on_link ? 0x80 : 0) | (autonomous ? 0x40 : 0)));
    base::store_be32(p + 4, valid_lifetime);
    base::store_be32(p + 8, preferred_lifetime);
    base::store_be32(p + 12, 0);
    for (std::size_t i = 0; i < 16; ++i) p[16 + i] = prefix[i];
  }
};

}  // namespace nextip::inet

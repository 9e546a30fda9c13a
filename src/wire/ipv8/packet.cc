#include "wire/ipv8/packet.h"

#include <algorithm>

namespace nextip::ipv8 {

WireResult<HeaderRepr> HeaderRepr::parse(const HeaderView<Bytes>& v) noexcept {
  if (!v.checksum_ok()) return base::wire_fail(WireErrc::bad_checksum, "ipv8.checksum", field::kChecksum);
  if ((v.flags_fragment() & 0x8000) != 0) {
    return base::wire_fail(WireErrc::reserved_nonzero, "ipv8.flags", field::kFlagsFragment);
  }
  HeaderRepr r;
  r.src = v.src();
  r.dst = v.dst();
  r.protocol = v.protocol();
  r.tos = v.tos();
  r.ttl = v.ttl();
  r.identification = v.identification();
  r.dont_fragment = v.dont_fragment();
  r.more_fragments = v.more_fragments();
  r.fragment_offset = v.fragment_offset();
  r.payload_len = static_cast<u16>(v.total_length() - kHeaderLen);
  return r;
}

void HeaderRepr::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, static_cast<u8>((kVersion << 4) | kIhl));
  base::store_u8(p + field::kTos, tos);
  base::store_be16(p + field::kTotalLength, static_cast<u16>(buffer_len()));
  base::store_be16(p + field::kIdentification, identification);
  base::store_be16(
      p + field::kFlagsFragment,
      static_cast<u16>((dont_fragment ? 0x4000 : 0) | (more_fragments ? 0x2000 : 0) | (fragment_offset & 0x1fff)));
  base::store_u8(p + field::kTtl, ttl);
  base::store_u8(p + field::kProtocol, protocol);
  base::store_be64(p + field::kSource, src.to_uint());
  base::store_be64(p + field::kDestination, dst.to_uint());
  HeaderView<MutBytes>::unchecked(buf.first(kHeaderLen)).fill_checksum();
}

base::checksum::Sum HeaderRepr::pseudo_header(u8 proto, u16 length) const noexcept {
  base::checksum::Sum s;
  s.add32(src.r()).add32(src.h()).add32(dst.r()).add32(dst.h()).add16(proto).add16(length);
  return s;
}

WireResult<IcmpRepr> IcmpRepr::parse(Bytes msg, bool verify_checksum) noexcept {
  constexpr base::FieldSpan kHead[] = {{"icmpv8.type", 0, 1}, {"icmpv8.code", 1, 1}, {"icmpv8.checksum", 2, 2}};
  if (msg.size() < 4) return nextip::unexpected(base::first_missing(kHead, msg.size()));
  const u8 type = base::load_u8(msg.data());
  const bool redirect = type == inet::icmpv4_type::kRedirect;
  if (msg.size() < (redirect ? kIcmpRedirectDataOffset : inet::icmpv4_field::kData)) {
    return base::wire_fail(WireErrc::truncated, redirect ? "icmpv8.gateway" : "icmpv8.rest", 4);
  }
  if (verify_checksum && !base::checksum::verifies(base::checksum::Sum().add(msg))) {
    return base::wire_fail(WireErrc::bad_checksum, "icmpv8.checksum", 2);
  }
  IcmpRepr r;
  r.type = type;
  r.code = base::load_u8(msg.data() + 1);
  if (redirect) {
    r.gateway = Address::from_uint(base::load_be64(msg.data() + 4));
    r.data = msg.subspan(kIcmpRedirectDataOffset);
    return r;
  }
  const base::u32 raw = base::load_be32(msg.data() + 4);
  r.data = msg.subspan(inet::icmpv4_field::kData);
  if (type == inet::icmpv4_type::kEchoRequest || type == inet::icmpv4_type::kEchoReply) {
    r.echo_id = static_cast<u16>(raw >> 16);
    r.echo_seq = static_cast<u16>(raw);
  } else if (type == inet::icmpv4_type::kDestUnreachable && r.code == inet::icmpv4_unreach::kFragNeeded) {
    r.next_hop_mtu = static_cast<u16>(raw);
    r.rest = raw & 0xffff0000U;
  } else if (type == inet::icmpv4_type::kParameterProblem) {
    r.pointer = static_cast<u8>(raw >> 24);
    r.rest = raw & 0x00ffffffU;
  } else {
    r.rest = raw;
  }
  return r;
}

std::size_t IcmpRepr::buffer_len() const noexcept {
  return (type == inet::icmpv4_type::kRedirect ? kIcmpRedirectDataOffset : inet::icmpv4_field::kData) + data.size();
}

void IcmpRepr::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, type);
  base::store_u8(p + 1, code);
  std::size_t at = inet::icmpv4_field::kData;
  if (type == inet::icmpv4_type::kRedirect) {
    base::store_be64(p + 4, gateway.to_uint());
    at = kIcmpRedirectDataOffset;
  } else {
    // The raw word first, then the fields nextip models on top of it.
    base::store_be32(p + 4, rest);
    if (type == inet::icmpv4_type::kEchoRequest || type == inet::icmpv4_type::kEchoReply) {
      base::store_be16(p + 4, echo_id);
      base::store_be16(p + 6, echo_seq);
    } else if (type == inet::icmpv4_type::kDestUnreachable && code == inet::icmpv4_unreach::kFragNeeded) {
      base::store_be16(p + 6, next_hop_mtu);
    } else if (type == inet::icmpv4_type::kParameterProblem) {
      base::store_u8(p + 4, pointer);
    }
  }
  std::copy(data.begin(), data.end(), p + at);
  base::store_be16(p + 2, 0);
  base::store_be16(p + 2, base::checksum::internet_checksum(Bytes(p, buffer_len())));
}

bool operator==(const IcmpRepr& a, const IcmpRepr& b) noexcept {
  return a.type == b.type && a.code == b.code && a.echo_id == b.echo_id && a.echo_seq == b.echo_seq &&
         a.next_hop_mtu == b.next_hop_mtu && a.pointer == b.pointer && a.gateway == b.gateway && a.rest == b.rest &&
         std::ranges::equal(a.data, b.data);
}

}  // namespace nextip::ipv8

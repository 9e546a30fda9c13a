#include "wire/inet/icmpv4.h"

#include <algorithm>

namespace nextip::inet {

WireResult<Icmpv4Repr> Icmpv4Repr::parse(const Icmpv4View<Bytes>& v) noexcept {
  if (!v.checksum_ok()) return base::wire_fail(WireErrc::bad_checksum, "icmp.checksum", icmpv4_field::kChecksum);
  Icmpv4Repr r;
  r.type = v.type();
  r.code = v.code();
  r.data = v.data();
  switch (r.type) {
    case icmpv4_type::kEchoRequest:
    case icmpv4_type::kEchoReply:
      r.echo_id = v.echo_id();
      r.echo_seq = v.echo_seq();
      break;
    case icmpv4_type::kDestUnreachable:
      r.rfc4884_length = v.rfc4884_length();
      if (r.code == icmpv4_unreach::kFragNeeded) r.next_hop_mtu = v.next_hop_mtu();
      break;
    case icmpv4_type::kTimeExceeded: r.rfc4884_length = v.rfc4884_length(); break;
    case icmpv4_type::kParameterProblem:
      r.pointer = v.pointer();
      r.rfc4884_length = v.rfc4884_length();
      break;
    case icmpv4_type::kRedirect: r.gateway = v.gateway(); break;
    default: r.rest_raw = v.rest(); break;
  }
  return r;
}

void Icmpv4Repr::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, type);
  base::store_u8(p + 1, code);
  base::store_be32(p + 4, 0);
  switch (type) {
    case icmpv4_type::kEchoRequest:
    case icmpv4_type::kEchoReply:
      base::store_be16(p + 4, echo_id);
      base::store_be16(p + 6, echo_seq);
      break;
    case icmpv4_type::kDestUnreachable:
      base::store_u8(p + 5, rfc4884_length);
      if (code == icmpv4_unreach::kFragNeeded) base::store_be16(p + 6, next_hop_mtu);
      break;
    case icmpv4_type::kTimeExceeded: base::store_u8(p + 5, rfc4884_length); break;
    case icmpv4_type::kParameterProblem:
      base::store_u8(p + 4, pointer);
      base::store_u8(p + 5, rfc4884_length);
      break;
    case icmpv4_type::kRedirect: base::store_be32(p + 4, gateway.value()); break;
    default: base::store_be32(p + 4, rest_raw); break;
  }
  std::copy(data.begin(), data.end(), p + icmpv4_field::kData);
  Icmpv4View<MutBytes>::unchecked(buf.first(buffer_len())).fill_checksum();
}

bool operator==(const Icmpv4Repr& a, const Icmpv4Repr& b) noexcept {
  return a.type == b.type && a.code == b.code && a.echo_id == b.echo_id && a.echo_seq == b.echo_seq &&
         a.next_hop_mtu == b.next_hop_mtu && a.pointer == b.pointer && a.rfc4884_length == b.rfc4884_length &&
         a.gateway == b.gateway && a.rest_raw == b.rest_raw && std::ranges::equal(a.data, b.data);
}

}  // namespace nextip::inet

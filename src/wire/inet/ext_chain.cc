#include "wire/inet/ext_chain.h"

namespace nextip::inet {

WireResult<ExtChain> walk_ext_chain(u8 first_nh, Bytes payload, const ExtChainLimits& limits,
                                    const ExtChainNames& names, std::size_t base_offset) noexcept {
  ExtChain c;
  u8 nh = first_nh;
  std::size_t pos = 0;
  // In a first fragment a short chain is not "truncated" but a §14.12 / RFC 7112 drop.
  auto short_chain = [&](std::string_view field, std::size_t at) {
    const bool first_fragment = c.fragment && c.fragment->first() && limits.require_first_fragment_chain;
    return base::wire_fail(first_fragment ? WireErrc::chain_incomplete : WireErrc::truncated, field, base_offset + at);
  };

  while (is_extension_header(nh) || is_unrecognised_extension(nh)) {
    if (is_unrecognised_extension(nh) && limits.intermediate_node) {
      return base::wire_fail(WireErrc::unknown_header, names.next_header, base_offset + pos);
    }
    if (is_unrecognised_extension(nh)) break;  // a final node hands it to its upper layer
    if (nh == 0 && c.count > 0) {
      return base::wire_fail(WireErrc::bad_value, names.next_header, base_offset + pos);  // HbH only first
    }
    if (c.count == limits.max_headers) {
      return base::wire_fail(WireErrc::chain_too_many, names.chain, base_offset + pos);
    }
    if (nh == 50) {  // ESP: everything after its header is encrypted
      c.encrypted = true;
      break;
    }
    if (pos + 2 > payload.size()) return short_chain(nh == 44 ? names.fragment : names.ext_length, pos);
    const std::byte* p = payload.data() + pos;
    std::size_t len = 0;
    if (nh == 44) {
      len = 8;
    } else if (nh == 51) {
      len = (std::size_t{base::load_u8(p + 1)} + 2) * 4;  // AH: payload length in 4-octet units - 2
    } else {
      len = (std::size_t{base::load_u8(p + 1)} + 1) * 8;  // Hdr Ext Len in 8-octet units, first 8 excluded
    }
    if (c.chain_bytes + len > limits.max_bytes) {
      return base::wire_fail(WireErrc::chain_too_long, names.chain, base_offset + pos);
    }
    if (pos + len > payload.size()) return short_chain(nh == 44 ? names.fragment : names.ext_length, pos);
    if (static_cast<std::size_t>(c.count) < c.headers.size()) {
      c.headers[static_cast<std::size_t>(c.count)] = ExtHeader{nh, static_cast<u16>(pos), static_cast<u16>(len)};
    }
    ++c.count;
    c.chain_bytes += len;
    const u8 next = base::load_u8(p);
    if (nh == 44) {
      if (c.fragment) return base::wire_fail(WireErrc::bad_value, names.fragment, base_offset + pos);
      const u16 off_flags = base::load_be16(p + 2);
      c.fragment = FragmentInfo{pos,
                                next,
                                static_cast<u16>(off_flags >> 3),
                                (off_flags & 1) != 0,
                                base::load_be32(p + 4),
                                static_cast<u8>(base::load_u8(p + 1) | ((off_flags >> 1) & 3))};
      pos += len;
      if (!c.fragment->first()) {  // the rest is fragment data, not headers
        c.upper_protocol = next;
        c.upper_offset = pos;
        return c;
      }
    } else {
      if (nh == 51) c.has_ah = true;
      pos += len;
    }
    nh = next;
  }
  c.upper_protocol = nh;
  c.upper_offset = pos;
  if (c.fragment && c.fragment->first() && limits.require_first_fragment_chain && !c.encrypted && nh != 59 &&
      pos + min_upper_header(nh) > payload.size()) {
    return base::wire_fail(WireErrc::chain_incomplete, names.upper, base_offset + pos);
  }
  return c;
}

void emit_fragment_header(MutBytes buf, u8 next_header, u16 fragment_offset, bool more, u32 identification) noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, next_header);
  base::store_u8(p + 1, 0);
  base::store_be16(p + 2, static_cast<u16>((fragment_offset << 3) | (more ? 1 : 0)));
  base::store_be32(p + 4, identification);
}

}  // namespace nextip::inet

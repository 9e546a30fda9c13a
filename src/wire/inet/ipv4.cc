#include "wire/inet/ipv4.h"

#include <algorithm>

namespace nextip::inet {

WireResult<std::optional<Ipv4Option>> Ipv4OptionWalker::next() noexcept {
  if (pos_ >= end_) return std::optional<Ipv4Option>{};
  const u8 type = base::load_u8(h_.data() + pos_);
  if (type == 0) {  // End of Option List: reported once, the rest is padding
    const std::size_t at = pos_;
    pos_ = end_;
    return std::optional<Ipv4Option>{Ipv4Option{type, {}, at}};
  }
  if (type == 1) {  // No Operation
    return std::optional<Ipv4Option>{Ipv4Option{type, {}, pos_++}};
  }
  if (pos_ + 1 >= end_) return base::wire_fail(WireErrc::bad_option, "ip.opt.len", pos_ + 1);
  const u8 len = base::load_u8(h_.data() + pos_ + 1);
  if (len < 2 || pos_ + len > end_) return base::wire_fail(WireErrc::bad_option, "ip.opt.len", pos_ + 1);
  Ipv4Option o{type, h_.subspan(pos_ + 2, len - 2u), pos_};
  pos_ += len;
  return std::optional<Ipv4Option>{o};
}

WireResult<Ipv4Repr> Ipv4Repr::parse(const Ipv4View<Bytes>& v) noexcept {
  if (!v.checksum_ok()) return base::wire_fail(WireErrc::bad_checksum, "ip.checksum", ipv4_field::kChecksum);
  if (v.reserved_flag()) return base::wire_fail(WireErrc::reserved_nonzero, "ip.flags", ipv4_field::kFlagsFragment);
  Ipv4Repr r;
  r.src = v.src();
  r.dst = v.dst();
  r.protocol = v.protocol();
  r.tos = v.tos();
  r.ttl = v.ttl();
  r.identification = v.identification();
  r.dont_fragment = v.dont_fragment();
  r.more_fragments = v.more_fragments();
  r.fragment_offset = v.fragment_offset();
  r.payload_len = static_cast<u16>(v.total_length() - v.header_len());
  const Bytes opts = v.options();
  r.options_len = static_cast<u8>(opts.size());
  std::copy(opts.begin(), opts.end(), r.options.begin());
  return r;
}

void Ipv4Repr::emit(MutBytes buf) const noexcept {
  const auto v = Ipv4View<MutBytes>::unchecked(buf.first(header_len()));
  v.set_version_ihl(static_cast<u8>(header_len() / 4));
  v.set_tos(tos);
  v.set_total_length(static_cast<u16>(buffer_len()));
  v.set_identification(identification);
  v.set_flags_fragment(static_cast<u16>((dont_fragment ? kIpv4FlagDf : 0) | (more_fragments ? kIpv4FlagMf : 0) |
                                        (fragment_offset & kIpv4FragOffsetMask)));
  v.set_ttl(ttl);
  v.set_protocol(protocol);
  v.set_src(src);
  v.set_dst(dst);
  std::copy_n(options.begin(), options_len, buf.begin() + ipv4_field::kOptions);
  v.fill_checksum();
}

}  // namespace nextip::inet

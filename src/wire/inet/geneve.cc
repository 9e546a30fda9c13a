#include "wire/inet/geneve.h"

#include <algorithm>

namespace nextip::inet {

WireResult<std::optional<GeneveOption>> GeneveOptionWalker::next() noexcept {
  if (pos_ >= o_.size()) return std::optional<GeneveOption>{};
  if (pos_ + 4 > o_.size()) return base::wire_fail(WireErrc::bad_option, "geneve.option.length", pos_);
  const std::byte* p = o_.data() + pos_;
  const std::size_t len = 4u + 4u * (base::load_u8(p + 3) & 0x1fu);
  if (pos_ + len > o_.size()) return base::wire_fail(WireErrc::bad_option, "geneve.option.length", pos_ + 3);
  GeneveOption opt{base::load_be16(p), base::load_u8(p + 2), o_.subspan(pos_ + 4, len - 4), pos_};
  pos_ += len;
  return std::optional<GeneveOption>{opt};
}

WireResult<GeneveRepr> GeneveRepr::parse(const GeneveView<Bytes>& v) noexcept {
  // RFC 8926 §3.4: reserved fields MUST be zero on transmission and ignored on receipt.
  return GeneveRepr{v.oam(), v.critical(), v.protocol(), v.vni(), v.options()};
}

void GeneveRepr::emit(MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, static_cast<u8>(options.size() / 4));
  base::store_u8(p + 1, static_cast<u8>((oam ? 0x80 : 0) | (critical ? 0x40 : 0)));
  base::store_be16(p + 2, protocol);
  base::store_be32(p + 4, vni << 8);
  std::copy(options.begin(), options.end(), p + geneve_field::kHeader);
}

bool operator==(const GeneveRepr& a, const GeneveRepr& b) noexcept {
  return a.oam == b.oam && a.critical == b.critical && a.protocol == b.protocol && a.vni == b.vni &&
         std::ranges::equal(a.options, b.options);
}

}  // namespace nextip::inet

// libFuzzer: ASIP header, the §14.12 extension chain (final and intermediate node) and
// ICMP-ASIP including Neighbor Discovery; IPv6 and ICMPv6 through the same templates.
#include "fuzz/packet_fuzz.h"
#include "wire/asip/packet.h"
#include "wire/inet/ipv6.h"

using namespace nextip;
using base::Bytes;

namespace {

template <class View, class Repr, class IcmpViewT, class IcmpReprT>
void one(Bytes in, const inet::ExtChainNames& names) {
  auto v = View::checked(in);
  if (!v) return;
  auto r = Repr::parse(*v);
  fuzz::require(r.has_value());
  std::vector<std::byte> hdr(40);
  r->emit(hdr);
  fuzz::require(std::equal(hdr.begin(), hdr.end(), in.begin()));
  for (bool intermediate : {false, true}) {
    auto c = inet::walk_ext_chain(v->next_header(), v->payload(), inet::ExtChainLimits{8, 256, intermediate, true},
                                  names, 40);
    if (!c) continue;
    fuzz::require(c->upper_offset <= v->payload().size());
    fuzz::require(c->chain_bytes <= 256 && c->count <= 8);
    const Bytes upper = v->payload().subspan(c->upper_offset);
    if (c->upper_protocol == 58 || c->upper_protocol == 143) {
      auto iv = IcmpViewT::checked(upper);
      if (!iv) continue;
      auto ir = IcmpReprT::parse(*iv, nullptr);
      fuzz::require(ir.has_value());
      std::vector<std::byte> out(ir->buffer_len());
      ir->emit(out, base::checksum::Sum());
      auto back = IcmpViewT::checked(Bytes(out));
      fuzz::require(back.has_value());
      auto ir2 = IcmpReprT::parse(*back, nullptr);
      fuzz::require(ir2.has_value() && *ir2 == *ir);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes in = fuzz::as_bytes(data, size);
  one<asip::HeaderView<Bytes>, asip::HeaderRepr, asip::IcmpView<Bytes>, asip::IcmpRepr>(in, asip::kExtNames);
  one<inet::Ipv6View<Bytes>, inet::Ipv6Repr, inet::Icmpv6View<Bytes>, inet::Icmpv6Repr>(in, inet::kIpv6ExtNames);
  // The ICMP codec alone on the raw input.
  if (auto iv = asip::IcmpView<Bytes>::checked(in)) (void)asip::IcmpRepr::parse(*iv, nullptr);
  return 0;
}

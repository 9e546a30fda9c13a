// libFuzzer: IPv8 header and ICMPv8, IPxl detection and Repr round trips.
#include "fuzz/packet_fuzz.h"
#include "wire/ipv8/packet.h"
#include "wire/ipxl/packet.h"

using namespace nextip;
using base::Bytes;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes in = fuzz::as_bytes(data, size);
  if (auto v = ipv8::HeaderView<Bytes>::checked(in)) {
    if (auto r = ipv8::HeaderRepr::parse(*v)) {
      std::vector<std::byte> out(r->buffer_len());
      r->emit(out);
      std::copy(v->payload().begin(), v->payload().end(), out.begin() + ipv8::kHeaderLen);
      auto back = ipv8::HeaderView<Bytes>::checked(Bytes(out));
      fuzz::require(back.has_value() && *ipv8::HeaderRepr::parse(*back) == *r);
    }
  }
  if (auto m = ipv8::IcmpRepr::parse(in, false)) {
    std::vector<std::byte> out(m->buffer_len());
    m->emit(out);
    auto back = ipv8::IcmpRepr::parse(Bytes(out), true);
    fuzz::require(back.has_value() && *back == *m);
  }
  if (auto p = ipxl::PacketView<Bytes>::checked(in)) {
    (void)p->src();
    (void)p->dst();
    if (auto r = ipxl::PacketRepr::parse(*p)) {
      std::vector<std::byte> out(r->buffer_len());
      r->emit(out);
      std::copy(p->payload().begin(), p->payload().end(), out.begin() + static_cast<long>(r->header_len()));
      auto back = ipxl::PacketView<Bytes>::checked(Bytes(out));
      fuzz::require(back.has_value());
      auto r2 = ipxl::PacketRepr::parse(*back);
      fuzz::require(r2.has_value() && r2->src == r->src && r2->dst == r->dst && r2->protocol == r->protocol);
    }
  }
  return 0;
}

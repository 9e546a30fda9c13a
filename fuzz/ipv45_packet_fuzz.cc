// libFuzzer: IPv4.5 fixed header, extension chain, Mode C framing and every message
// body parser, with round trips.
#include "fuzz/packet_fuzz.h"
#include "wire/ipv45/messages.h"
#include "wire/ipv45/packet.h"

using namespace nextip;
using base::Bytes;

namespace {

template <class M>
void body_roundtrip(Bytes b) {
  auto m = M::parse(b);
  if (!m) return;
  std::vector<std::byte> out(m->buffer_len());
  m->emit(out);
  auto back = M::parse(Bytes(out));
  fuzz::require(back.has_value());
  std::vector<std::byte> out2(back->buffer_len());
  back->emit(out2);
  fuzz::require(out == out2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes in = fuzz::as_bytes(data, size);
  if (auto h = ipv45::HeaderView<Bytes>::checked(in)) {
    if (auto r = ipv45::HeaderRepr::parse(*h)) {
      std::vector<std::byte> out(ipv45::kHeaderLen);
      r->emit(out);
      fuzz::require(std::equal(out.begin(), out.end(), in.begin()));
    }
    if (auto c = ipv45::walk_chain(*h)) {
      fuzz::require(c->upper_offset <= h->payload().size());
      fuzz::require(c->count <= ipv45::kMaxExtHeaders && c->bytes <= ipv45::kMaxChainBytes);
    }
  }
  (void)ipv45::parse_mode_c(in);
  body_roundtrip<ipv45::ClientHello>(in);
  body_roundtrip<ipv45::ServerHello>(in);
  body_roundtrip<ipv45::Control>(in);
  body_roundtrip<ipv45::Echo>(in);
  body_roundtrip<ipv45::Error>(in);
  body_roundtrip<ipv45::Keepalive>(in);
  body_roundtrip<ipv45::Protected>(in);
  return 0;
}

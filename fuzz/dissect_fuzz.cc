// libFuzzer: the dissector from every starting point (Ethernet, auto-detected IP, each
// family forced). No crash, every layer inside the input, every field inside its layer.
#include "fuzz/packet_fuzz.h"
#include "wire/dissect/dissect.h"

using namespace nextip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const base::Bytes in = fuzz::as_bytes(data, size);
  for (auto start : {dissect::Start::ethernet, dissect::Start::ip, dissect::Start::ipv4, dissect::Start::ipv6,
                     dissect::Start::asip, dissect::Start::ipv8, dissect::Start::ipv45}) {
    const auto p = dissect::dissect(in, start);
    for (const auto& l : p.layers) {
      fuzz::require(l.offset <= size);
      for (const auto& f : l.fields) fuzz::require(f.offset + f.length <= size + 8);
    }
  }
  return 0;
}

// libFuzzer: IPxl address and signed-CIDR text (002).
#include "fuzz/address_fuzz.h"
#include "wire/ipxl/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nextip;
  const auto text = fuzz::as_text(data, size);
  fuzz::address_roundtrip<ipxl::Address>(text);
  fuzz::prefix_roundtrip<ipxl::Address>(
      text, [](std::string_view t, bool strict) { return ipxl::parse_prefix(t, strict); },
      [](const ipxl::Prefix& p, ipxl::Address::Form f) { return ipxl::format_prefix(p, f); });
  return 0;
}

// libFuzzer: IPv8 address and prefix text (thain facts, Addressing).
#include "fuzz/address_fuzz.h"
#include "wire/ipv8/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nextip;
  const auto text = fuzz::as_text(data, size);
  fuzz::address_roundtrip<ipv8::Address>(text);
  fuzz::prefix_roundtrip<ipv8::Address>(
      text, [](std::string_view t, bool strict) { return ipv8::parse_prefix(t, strict); },
      [](const ipv8::Prefix& p, ipv8::Address::Form f) { return ipv8::format_prefix(p, f); });
  return 0;
}

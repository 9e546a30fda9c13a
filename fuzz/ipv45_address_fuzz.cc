// libFuzzer: IPv4.5 address and prefix text (003 addr-text).
#include "fuzz/address_fuzz.h"
#include "wire/ipv45/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nextip;
  const auto text = fuzz::as_text(data, size);
  fuzz::address_roundtrip<ipv45::Address>(text);
  fuzz::prefix_roundtrip<ipv45::Address>(
      text, [](std::string_view t, bool strict) { return ipv45::parse_prefix(t, strict); },
      [](const ipv45::Prefix& p, ipv45::Address::Form f) { return ipv45::format_prefix(p, f); });
  return 0;
}

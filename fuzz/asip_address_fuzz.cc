// libFuzzer: ASIP address, prefix and URL-host text (001 §6, §13.3).
#include "fuzz/address_fuzz.h"
#include "wire/asip/address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nextip;
  const auto text = fuzz::as_text(data, size);
  fuzz::address_roundtrip<asip::Address>(text);
  fuzz::prefix_roundtrip<asip::Address>(
      text, [](std::string_view t, bool strict) { return asip::parse_prefix(t, strict); },
      [](const asip::Prefix& p, asip::Address::Form f) { return asip::format_prefix(p, f); });
  if (auto u = asip::parse_url_host(text)) {
    auto back = asip::parse_url_host(asip::format_url_host(*u).view());
    fuzz::require(back.has_value() && *back == *u);
  }
  return 0;
}

// libFuzzer: family detection (IPv4 and IPv6 parsers included) and every conversion
// of every reading: no crash, and a converted address prints and re-reads in its family.
#include "fuzz/address_fuzz.h"
#include "wire/family/convert.h"
#include "wire/family/detect.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nextip;
  const auto text = fuzz::as_text(data, size);
  family::ConvertOptions opts;
  opts.translator = inet::Ipv4Address(203, 0, 113, 1);
  const auto readings = family::read_address(text);
  for (const auto& a : readings.values) {
    for (auto to : base::kAllFamilies) {
      auto c = family::convert(a, to, opts);
      if (!c) continue;
      auto back = family::parse_as(to, family::to_string(c->address));
      fuzz::require(back.has_value() && *back == c->address);
    }
  }
  (void)family::read_prefix(text, std::nullopt, true);
  (void)family::read_prefix(text, std::nullopt, false);
  return 0;
}

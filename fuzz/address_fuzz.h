// Shared body of the address fuzz targets: any input must not crash a parser, and any
// text a parser accepts must print in every output form and parse back to the same
// value (parse -> emit -> parse). A mismatch aborts, which libFuzzer reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/prefix.h"

namespace nextip::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void require(bool ok) {
  if (!ok) std::abort();
}

// A has parse(), format(Form), kAllForms.
template <class A>
void address_roundtrip(std::string_view text) {
  auto a = A::parse(text);
  if (!a) {
    require(a.error().pos <= text.size());
    return;
  }
  for (auto form : A::kAllForms) {
    const auto t = a->format(form);
    auto back = A::parse(t.view());
    require(back.has_value() && *back == *a);
  }
}

// parse_prefix(text, strict) and format_prefix(p, form) of the family.
template <class A, class Parse, class Format>
void prefix_roundtrip(std::string_view text, Parse parse, Format format) {
  for (bool strict : {true, false}) {
    auto p = parse(text, strict);
    if (!p) {
      require(p.error().pos <= text.size());
      continue;
    }
    for (auto form : A::kAllForms) {
      auto back = parse(format(*p, form), true);
      require(back.has_value() && *back == *p);
    }
  }
}

}  // namespace nextip::fuzz

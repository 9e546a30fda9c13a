#include "wire/family/detect.h"

#include <fmt/format.h>

namespace nextip::family {

namespace {

template <class T, class E>
Expected<AnyAddress, base::ParseError> widen(Expected<T, E> r) {
  if (!r) return nextip::unexpected(r.error());
  return AnyAddress(*r);
}

template <class T, class E>
Expected<AnyPrefix, base::ParseError> widen_prefix(Expected<T, E> r) {
  if (!r) return nextip::unexpected(r.error());
  return AnyPrefix(*r);
}

template <class T, class Parse>
Readings<T> read_all(std::string_view text, std::optional<Family> only, Parse parse) {
  Readings<T> out;
  bool have_error = false;
  for (Family f : kDetectOrder) {
    if (only && *only != f) continue;
    auto r = parse(f, text);
    if (r) {
      out.values.push_back(*r);
    } else if (!have_error || r.error().pos > out.best_error.pos) {
      out.best_error = r.error();
      have_error = true;
    }
  }
  return out;
}

}  // namespace

Expected<AnyAddress, base::ParseError> parse_as(Family f, std::string_view text) {
  switch (f) {
    case Family::ipv4: return widen(inet::Ipv4Address::parse(text));
    case Family::ipv6: return widen(inet::Ipv6Address::parse(text));
    case Family::asip: return widen(asip::Address::parse(text));
    case Family::ipv8: return widen(ipv8::Address::parse(text));
    case Family::ipxl: return widen(ipxl::Address::parse(text));
    case Family::ipv45: return widen(ipv45::Address::parse(text));
  }
  return nextip::unexpected(base::ParseError{f, base::AddrErrc::no_family, 0});
}

Expected<AnyPrefix, base::ParseError> parse_prefix_as(Family f, std::string_view text, bool strict) {
  switch (f) {
    case Family::ipv4: return widen_prefix(inet::parse_ipv4_prefix(text, strict));
    case Family::ipv6: return widen_prefix(inet::parse_ipv6_prefix(text, strict));
    case Family::asip: return widen_prefix(asip::parse_prefix(text, strict));
    case Family::ipv8: return widen_prefix(ipv8::parse_prefix(text, strict));
    case Family::ipxl: return widen_prefix(ipxl::parse_prefix(text, strict));
    case Family::ipv45: return widen_prefix(ipv45::parse_prefix(text, strict));
  }
  return nextip::unexpected(base::ParseError{f, base::AddrErrc::no_family, 0});
}

Readings<AnyAddress> read_address(std::string_view text, std::optional<Family> only) {
  return read_all<AnyAddress>(text, only, [](Family f, std::string_view t) { return parse_as(f, t); });
}

Readings<AnyPrefix> read_prefix(std::string_view text, std::optional<Family> only, bool strict) {
  return read_all<AnyPrefix>(text, only,
                             [strict](Family f, std::string_view t) { return parse_prefix_as(f, t, strict); });
}

}  // namespace nextip::family

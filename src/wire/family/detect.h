// Reading a text as an address when the family is not given: every family's parser
// is tried, and every reading that succeeds is returned. Some texts are valid in more
// than one family ("1.192.168.100.1" is IPxl shorthand and IPv8 ASN-dot; eight dotted
// numbers are IPxl and IPv8; "::8.8.8.8" is ASIP and IPv6) and callers must show or
// refuse the ambiguity, never pick silently.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/addr_error.h"
#include "base/expected.h"
#include "wire/family/any_address.h"

namespace nextip::family {

// Detection order, which is also the order readings are listed in.
inline constexpr Family kDetectOrder[] = {Family::ipv4, Family::asip,  Family::ipv8,
                                          Family::ipxl, Family::ipv45, Family::ipv6};

[[nodiscard]] Expected<AnyAddress, base::ParseError> parse_as(Family f, std::string_view text);
[[nodiscard]] Expected<AnyPrefix, base::ParseError> parse_prefix_as(Family f, std::string_view text,
                                                                    bool strict = true);

template <class T>
struct Readings {
  std::vector<T> values;          // one per family that accepted the text
  base::ParseError best_error{};  // when none did: the error of the parser that got furthest
};

// `only`: restrict to one family (the --from option).
[[nodiscard]] Readings<AnyAddress> read_address(std::string_view text, std::optional<Family> only = {});
[[nodiscard]] Readings<AnyPrefix> read_prefix(std::string_view text, std::optional<Family> only = {},
                                              bool strict = true);

}  // namespace nextip::family

// What `nextip addr show` and `nextip addr prefix` report about one reading of a text:
// built once as a JSON object (the --json output), and rendered as text from that same
// object, so that both outputs always say the same thing.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "wire/family/any_address.h"
#include "wire/family/convert.h"

namespace nextip::cli {

using Json = nlohmann::ordered_json;

// family, address, hex, class, scope, fields, forms, maps_to, notes.
[[nodiscard]] Json describe_address(const family::AnyAddress& a, const family::ConvertOptions& opts);
// family, prefix, length, first, last, size, notes.
[[nodiscard]] Json describe_prefix(const family::AnyPrefix& p, bool host_bits_were_set);

// Indented text for people.
[[nodiscard]] std::string render_address(const Json& reading);
[[nodiscard]] std::string render_prefix(const Json& reading);

}  // namespace nextip::cli

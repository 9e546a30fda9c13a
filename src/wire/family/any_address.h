// One address of any family, for the code that must handle every family at once (the
// CLI, reports, detection). The data path uses the concrete types instead.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/family.h"
#include "wire/asip/address.h"
#include "wire/inet/ipv4_address.h"
#include "wire/inet/ipv6_address.h"
#include "wire/ipv45/address.h"
#include "wire/ipv8/address.h"
#include "wire/ipxl/address.h"

namespace nextip::family {

using base::Family;

// Alternative order matches base::Family.
using AnyAddress =
    std::variant<inet::Ipv4Address, inet::Ipv6Address, asip::Address, ipv8::Address, ipxl::Address, ipv45::Address>;
using AnyPrefix =
    std::variant<inet::Ipv4Prefix, inet::Ipv6Prefix, asip::Prefix, ipv8::Prefix, ipxl::Prefix, ipv45::Prefix>;

[[nodiscard]] inline Family family_of(const AnyAddress& a) noexcept {
  return static_cast<Family>(a.index());
}
[[nodiscard]] inline Family family_of(const AnyPrefix& p) noexcept {
  return static_cast<Family>(p.index());
}

// The family's default text form.
[[nodiscard]] std::string to_string(const AnyAddress& a);
[[nodiscard]] std::string to_string(const AnyPrefix& p);

// Every output form of the family, the default first ("compressed", "dotted", …).
struct FormText {
  std::string_view form;
  std::string text;
};
[[nodiscard]] std::vector<FormText> all_forms(const AnyAddress& a);
[[nodiscard]] std::vector<FormText> all_forms(const AnyPrefix& p);

// The address as big-endian bytes in lower-case hex (ASIP: 32 digits).
[[nodiscard]] std::string to_hex(const AnyAddress& a);

}  // namespace nextip::family

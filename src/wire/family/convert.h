// Converting an address from one family to another where a specification defines the
// mapping, and saying why not elsewhere.
//
//   IPv4  <-> ASIP    IPv4-mapped r = z = s = 0 (001 §3.3, §12.2)
//   IPv4  <-> IPv8    the r = 0 subset (thain facts, "Addressing")
//   IPv4  <-> IPxl    0.0.0.1.a.b.c.d (002)
//   IPv4  <-> IPv4.5  T::FFFF::FFFF:<ipv4> behind edge translator T (003 addr-reserved)
//   IPv4  <-> IPv6    ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
//   ASIP  <-> IPv6    the verbatim carrier: the same 128 bits (DESIGN.md)
//   IPv8, IPxl, IPv4.5 <-> IPv6   nextip's carrier mapping: the address in the low bits
//                     of a configurable IPv6 prefix (DESIGN.md; not a spec mapping)
// Between two of the new families no text defines a mapping (ASIP §1.3 says IPv8 has
// "different addressing semantics"); an address that is itself IPv4 in both converts
// through IPv4, and the result says so.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "wire/family/any_address.h"

namespace nextip::family {

// Default carrier prefixes (decision CARRIER-1); the host adaptor uses the same ones.
inline constexpr std::string_view kDefaultCarrierIpv8 = "fd00:0:0:8::/64";
inline constexpr std::string_view kDefaultCarrierIpxl = "fd00:0:0:1d::/64";
inline constexpr std::string_view kDefaultCarrierIpv45 = "fd45::/32";

struct ConvertOptions {
  std::optional<inet::Ipv4Address> translator;  // IPv4.5 edge translator locator T
  std::optional<inet::Ipv6Prefix> carrier_ipv8;
  std::optional<inet::Ipv6Prefix> carrier_ipxl;
  std::optional<inet::Ipv6Prefix> carrier_ipv45;
};

// The carrier prefix in effect for a 64- or 96-bit family.
[[nodiscard]] inet::Ipv6Prefix carrier_prefix(Family f, const ConvertOptions& o);

struct Converted {
  AnyAddress address;
  std::string rule;       // the mapping used, with its source ("001 §3.3 IPv4-mapped")
  bool via_ipv4 = false;  // composed of two mappings through IPv4
};

struct ConvertError {
  std::string reason;     // why no mapping applies, naming the rule
  bool not_ipv4 = false;  // the only route was through IPv4, and the address is not IPv4
};

[[nodiscard]] Expected<Converted, ConvertError> convert(const AnyAddress& a, Family to, const ConvertOptions& o = {});

}  // namespace nextip::family

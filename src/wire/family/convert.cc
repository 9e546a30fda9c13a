#include "wire/family/convert.h"

#include <fmt/format.h>

namespace nextip::family {

namespace {

using inet::Ipv4Address;
using inet::Ipv6Address;
using inet::Ipv6Prefix;

struct V4 {
  Ipv4Address v4;
  std::string rule;
};

auto fail(std::string reason) {
  return nextip::unexpected(ConvertError{std::move(reason)});
}

Expected<V4, ConvertError> to_ipv4(const AnyAddress& a) {
  return std::visit(
      [](const auto& x) -> Expected<V4, ConvertError> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Ipv4Address>) {
          return V4{x, "same family"};
        } else if constexpr (std::is_same_v<T, asip::Address>) {
          if (auto v = x.to_ipv4()) return V4{*v, "001 §3.3 IPv4-mapped (r = z = s = 0)"};
          return fail("not IPv4-mapped (001 §3.3 needs r = z = s = 0)");
        } else if constexpr (std::is_same_v<T, ipv8::Address>) {
          if (auto v = x.to_ipv4()) return V4{*v, "IPv8 r = 0 is IPv4 (thain facts, Addressing)"};
          return fail(fmt::format("routing prefix is ASN {}; only the r = 0 subset is IPv4", x.r()));
        } else if constexpr (std::is_same_v<T, ipxl::Address>) {
          if (auto v = x.to_ipv4()) return V4{*v, "002 IPv4 a.b.c.d is 0.0.0.1.a.b.c.d"};
          return fail(
              fmt::format("high word is {}; only 0.0.0.1 embeds IPv4 (002)", Ipv4Address(x.high()).format().view()));
        } else if constexpr (std::is_same_v<T, ipv45::Address>) {
          if (auto v = x.embedded_ipv4()) return V4{*v, "003 addr-reserved edge translator form T::FFFF::FFFF:<ipv4>"};
          return fail("not in the edge translator form T::FFFF::FFFF:<ipv4> (003 addr-reserved)");
        } else {
          if (auto v = x.to_ipv4_mapped()) return V4{*v, "RFC 4291 §2.5.5.2 IPv4-mapped ::ffff:0:0/96"};
          return fail("not an IPv4-mapped IPv6 address (::ffff:0:0/96, RFC 4291 §2.5.5.2)");
        }
      },
      a);
}

Expected<Converted, ConvertError> from_ipv4(Ipv4Address v4, Family to, const ConvertOptions& o) {
  switch (to) {
    case Family::ipv4: return Converted{v4, "same family"};
    case Family::ipv6: return Converted{Ipv6Address::ipv4_mapped(v4), "RFC 4291 §2.5.5.2 IPv4-mapped ::ffff:0:0/96"};
    case Family::asip: return Converted{asip::Address::ipv4_mapped(v4), "001 §3.3 IPv4-mapped (r = z = s = 0)"};
    case Family::ipv8: return Converted{ipv8::Address::from_ipv4(v4), "IPv8 r = 0 is IPv4 (thain facts, Addressing)"};
    case Family::ipxl: return Converted{ipxl::Address::from_ipv4(v4), "002 IPv4 a.b.c.d is 0.0.0.1.a.b.c.d"};
    case Family::ipv45:
      if (!o.translator) {
        return fail(
            "an IPv4 address becomes IPv4.5 only behind an edge translator: give its locator with "
            "--translator T (003 addr-reserved: T::FFFF::FFFF:<ipv4>)");
      }
      return Converted{ipv45::Address::translator_form(*o.translator, v4),
                       fmt::format("003 addr-reserved edge translator form behind {}", o.translator->format().view())};
  }
  return fail("unknown family");
}

// The value of a 64- or 96-bit address as an unsigned number.
base::u128 value_of(const AnyAddress& a) {
  return std::visit([](const auto& x) -> base::u128 { return x.to_uint(); }, a);
}

Expected<Converted, ConvertError> to_carrier(const AnyAddress& a, const ConvertOptions& o) {
  const Family f = family_of(a);
  const Ipv6Prefix p = carrier_prefix(f, o);
  const int width = base::bits(f);
  if (p.length() > 128 - width) {
    return fail(fmt::format("carrier prefix {} is longer than /{}: it leaves no room for {} bits of {}",
                            inet::format_prefix(p), 128 - width, width, name(f)));
  }
  return Converted{Ipv6Address::from_uint(p.address().to_uint() | value_of(a)),
                   fmt::format("nextip carrier mapping under {} (DESIGN.md; not defined by the {} text)",
                               inet::format_prefix(p), name(f))};
}

std::optional<Converted> from_carrier(const Ipv6Address& v6, Family to, const ConvertOptions& o) {
  const Ipv6Prefix p = carrier_prefix(to, o);
  const int width = base::bits(to);
  if (p.length() > 128 - width || !p.contains(v6)) return std::nullopt;
  const base::u128 low = v6.to_uint() & ((base::u128{1} << width) - 1);
  if ((v6.to_uint() & ~Ipv6Prefix::mask(p.length()) & ~((base::u128{1} << width) - 1)) != 0) return std::nullopt;
  const std::string rule = fmt::format("nextip carrier mapping under {} (DESIGN.md)", inet::format_prefix(p));
  switch (to) {
    case Family::ipv8: return Converted{ipv8::Address::from_uint(static_cast<base::u64>(low)), rule};
    case Family::ipxl: return Converted{ipxl::Address::from_uint(static_cast<base::u64>(low)), rule};
    case Family::ipv45: return Converted{ipv45::Address::from_uint(low), rule};
    default: return std::nullopt;
  }
}

}  // namespace

inet::Ipv6Prefix carrier_prefix(Family f, const ConvertOptions& o) {
  auto pick = [](const std::optional<Ipv6Prefix>& given, std::string_view dflt) {
    if (given) return *given;
    return *inet::parse_ipv6_prefix(dflt);
  };
  switch (f) {
    case Family::ipv8: return pick(o.carrier_ipv8, kDefaultCarrierIpv8);
    case Family::ipxl: return pick(o.carrier_ipxl, kDefaultCarrierIpxl);
    case Family::ipv45: return pick(o.carrier_ipv45, kDefaultCarrierIpv45);
    default: return Ipv6Prefix{};
  }
}

Expected<Converted, ConvertError> convert(const AnyAddress& a, Family to, const ConvertOptions& o) {
  const Family from = family_of(a);
  if (from == to) return Converted{a, "same family"};

  // Direct mappings that do not pass through IPv4.
  if (from == Family::asip && to == Family::ipv6) {
    return Converted{std::get<asip::Address>(a).to_ipv6(), "verbatim IPv6 carrier: the same 128 bits (DESIGN.md)"};
  }
  if (from == Family::ipv6 && to == Family::asip) {
    return Converted{asip::Address::from_ipv6(std::get<Ipv6Address>(a)),
                     "verbatim IPv6 carrier: the same 128 bits (DESIGN.md)"};
  }
  if (to == Family::ipv6 && (from == Family::ipv8 || from == Family::ipxl || from == Family::ipv45)) {
    return to_carrier(a, o);
  }
  if (from == Family::ipv6) {
    if (auto c = from_carrier(std::get<Ipv6Address>(a), to, o)) return *c;
  }

  if (from == Family::ipv4) return from_ipv4(std::get<Ipv4Address>(a), to, o);
  auto v4 = to_ipv4(a);
  if (to == Family::ipv4) {
    if (!v4) return nextip::unexpected(v4.error());
    return Converted{v4->v4, v4->rule};
  }
  if (!v4) {
    // The only route left is through IPv4, and the address is not IPv4.
    std::string reason;
    if (from == Family::ipv6) {
      reason = fmt::format("not under the {} carrier prefix {} (nextip carrier mapping), and not IPv4: {}", name(to),
                           inet::format_prefix(carrier_prefix(to, o)), v4.error().reason);
    } else {
      const bool asip_ipv8 =
          (from == Family::asip && to == Family::ipv8) || (from == Family::ipv8 && to == Family::asip);
      reason = fmt::format("no text defines a mapping from {} to {}{}, and the address is not IPv4: {}", name(from),
                           name(to), asip_ipv8 ? " (001 §1.3: IPv8 has different addressing semantics)" : "",
                           v4.error().reason);
    }
    return nextip::unexpected(ConvertError{std::move(reason), true});
  }
  auto out = from_ipv4(v4->v4, to, o);
  if (!out) return out;
  out->rule = fmt::format("{}, then {}", v4->rule, out->rule);
  out->via_ipv4 = true;
  return out;
}

}  // namespace nextip::family

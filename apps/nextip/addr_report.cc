#include "apps/nextip/addr_report.h"

#include <fmt/format.h>

#include "base/text.h"
#include "wire/asip/address_class.h"
#include "wire/ipv8/address_class.h"

namespace nextip::cli {

namespace {

using base::Family;
using family::AnyAddress;
using family::AnyPrefix;

std::string quad(base::u32 v) {
  return inet::Ipv4Address(v).to_string();
}

std::string ipv4_class(base::u32 v) {
  return std::string(inet::name(inet::classify(inet::Ipv4Address(v))));
}

std::string source_of(Family f) {
  switch (f) {
    case Family::ipv4: return "RFC 791";
    case Family::ipv6: return "RFC 4291";
    case Family::asip: return "001 draft-hause-asip-00";
    case Family::ipv8: return "draft-thain-ipv8 (facts)";
    case Family::ipxl: return "002 IPxl";
    case Family::ipv45: return "003 draft-matsukami-intarea-ipv45";
  }
  return "";
}

// Class, scope, fields and notes of each family.
void classify_into(Json& j, const inet::Ipv4Address& a) {
  j["class"] = inet::name(inet::classify(a));
  j["fields"] = Json::object();
}

void classify_into(Json& j, const inet::Ipv6Address& a) {
  j["class"] = a.to_ipv4_mapped() ? "ipv4-mapped" : "ipv6";
  j["fields"] = Json::object();
}

void classify_into(Json& j, const asip::Address& a) {
  const asip::Classification c = asip::classify(a);
  j["class"] = asip::name(c.cls);
  j["section"] = fmt::format("001 {}", asip::section(c.cls));
  j["scope"] = asip::name(c.scope);
  Json f;
  f["r"] = quad(a.r());
  f["asn"] = a.r();
  f["z"] = quad(a.z());
  f["s"] = quad(a.s());
  f["h"] = quad(a.h());
  j["fields"] = f;
  Json notes = Json::array();
  if (c.cls == asip::Class::terrestrial && c.asn != asip::AsnKind::public_asn) {
    notes.push_back(fmt::format("ASN {}: {}", a.r(), asip::name(c.asn)));
  }
  if (c.cls == asip::Class::mesh) notes.push_back(fmt::format("mesh domain {}", quad(c.mesh_domain).substr(2)));
  if (c.cls == asip::Class::multicast) {
    notes.push_back(fmt::format("multicast assignment {} (§4.2), scope nibble 0x{:X} {} (§10.1)",
                                asip::name(c.mc_assignment), c.mc_scope, asip::multicast_scope_name(c.mc_scope)));
  }
  if (c.intra_asn_multicast) notes.push_back("intra-ASN multicast: never forwarded beyond the AS (§10.2)");
  if (c.interior_link_host)
    notes.push_back("host in 222/8: interior-link convention (§3.8; never a data-plane filter)");
  if (c.rfc1918_host) notes.push_back("host in RFC 1918 space: not routable on the IPv4 side (§12.2, §14.5)");
  if (a.is_ipv4_mapped()) notes.push_back(fmt::format("host {} is IPv4 {}", quad(a.h()), ipv4_class(a.h())));
  j["drop"] = asip::name(c.drop);
  if (c.drop != asip::Drop::none) {
    notes.push_back(fmt::format("routers MUST drop packets with this address ({}: {})",
                                c.drop == asip::Drop::r0_with_zone_or_subnet ? "§3.3" : "§10.1/§10.4",
                                asip::name(c.drop)));
  }
  j["notes"] = notes;
}

void classify_into(Json& j, const ipv8::Address& a) {
  const ipv8::Classification c = ipv8::classify(a);
  j["class"] = ipv8::name(c.cls);
  Json f;
  f["r"] = quad(a.r());
  f["asn"] = a.r();
  f["h"] = quad(a.h());
  j["fields"] = f;
  Json notes = Json::array();
  if (c.protocol != ipv8::MulticastProtocol::none) {
    notes.push_back(fmt::format("cross-ASN multicast protocol prefix: {}", ipv8::name(c.protocol)));
  }
  if (!c.well_known_group.empty()) notes.push_back(fmt::format("well-known group: {}", c.well_known_group));
  if (c.interior_link_host) notes.push_back("host part in 222/8: interior-link convention (<asn>.222.x.x)");
  if (c.filtered_at_border) notes.push_back("filtered at AS borders");
  if (a.is_ipv4()) notes.push_back(fmt::format("host {} is IPv4 {}", quad(a.h()), ipv4_class(a.h())));
  j["notes"] = notes;
}

void classify_into(Json& j, const ipxl::Address& a) {
  const ipxl::Class c = ipxl::classify(a);
  j["class"] = ipxl::name(c);
  Json f;
  f["high"] = quad(a.high());
  f["low"] = quad(a.low());
  j["fields"] = f;
  Json notes = Json::array();
  notes.push_back(fmt::format("low word {} is IPv4 {}", quad(a.low()), ipv4_class(a.low())));
  notes.push_back(ipxl::legacy_routable(a)
                      ? "routers without IPxl forward it toward the right AS (they route on the low word)"
                      : "only IPxl routers route it correctly (002: non-IPxl routers route on the low word)");
  j["notes"] = notes;
}

void classify_into(Json& j, const ipv45::Address& a) {
  const ipv45::Classification c = ipv45::classify(a);
  j["class"] = ipv45::name(c.cls);
  if (c.cls != ipv45::Class::unicast) j["pattern"] = ipv45::pattern(c.cls);
  Json also = Json::array();
  for (auto x : c.also) also.push_back(ipv45::name(x));
  j["also_matches"] = also;
  Json f;
  f["locator"] = quad(a.locator());
  f["site"] = fmt::format("{:04X}", a.site());
  f["eid"] = fmt::format("{:012X}", a.eid());
  j["fields"] = f;
  Json notes = Json::array();
  notes.push_back(fmt::format("locator {} is IPv4 {}", quad(a.locator()), ipv4_class(a.locator())));
  if (c.cls != ipv45::Class::unicast) notes.push_back("reserved: MUST NOT be assigned to operational endpoints (003)");
  if (auto v4 = a.embedded_ipv4()) {
    notes.push_back(
        fmt::format("edge translator form of IPv4 {} behind translator {}", v4->to_string(), quad(a.locator())));
  }
  j["notes"] = notes;
}

Json forms_of(const AnyAddress& a) {
  Json forms = Json::object();
  for (const auto& f : family::all_forms(a)) forms[std::string(f.form)] = f.text;
  if (const auto* x = std::get_if<asip::Address>(&a)) {
    forms["url"] = std::string(asip::format_url_host({*x, std::nullopt}).view());
  }
  return forms;
}

}  // namespace

Json describe_address(const AnyAddress& a, const family::ConvertOptions& opts) {
  const Family fam = family::family_of(a);
  Json j;
  j["family"] = base::name(fam);
  j["bits"] = base::bits(fam);
  j["source"] = source_of(fam);
  j["address"] = family::to_string(a);
  j["hex"] = family::to_hex(a);
  std::visit([&j](const auto& x) { classify_into(j, x); }, a);
  j["forms"] = forms_of(a);
  Json maps = Json::object();
  for (Family to : base::kAllFamilies) {
    if (to == fam) continue;
    auto c = family::convert(a, to, opts);
    Json m;
    if (c) {
      m["address"] = family::to_string(c->address);
      m["rule"] = c->rule;
      m["via_ipv4"] = c->via_ipv4;
    } else {
      m["error"] = c.error().reason;
      m["not_ipv4"] = c.error().not_ipv4;
    }
    maps[std::string(base::name(to))] = m;
  }
  j["maps_to"] = maps;
  return j;
}

Json describe_prefix(const AnyPrefix& p, bool host_bits_were_set) {
  const Family fam = family::family_of(p);
  Json j;
  j["family"] = base::name(fam);
  j["prefix"] = family::to_string(p);
  std::visit(
      [&j, fam](const auto& x) {
        const int host_bits = x.host_bits();
        j["length"] = x.length();
        j["first"] = family::to_string(AnyAddress(x.first()));
        j["last"] = family::to_string(AnyAddress(x.last()));
        j["size"] = base::text::decimal_pow2(host_bits);
        j["size_pow2"] = host_bits;
        Json forms = Json::object();
        for (const auto& f : family::all_forms(AnyPrefix(x))) forms[std::string(f.form)] = f.text;
        j["forms"] = forms;
        (void)fam;
      },
      p);
  Json notes = Json::array();
  if (host_bits_were_set)
    notes.push_back("the input had bits set beyond the prefix length; shown is the containing prefix");
  const int len = j["length"].get<int>();
  switch (fam) {
    case Family::asip:
      if (len == 32) notes.push_back("/32: all addresses within one AS (§6.7 Table 9)");
      if (len == 64) notes.push_back("/64: all subnets and hosts within one zone (§6.7 Table 9)");
      if (len == 96) notes.push_back("/96: all hosts within one subnet (§6.7 Table 9)");
      if (len > 0 && len < 32) notes.push_back("shorter than /32: spans several ASN locators");
      break;
    case Family::ipv8: {
      const auto& x = std::get<ipv8::Prefix>(p);
      notes.push_back(fmt::format("host-part length /{}", ipv8::host_part_length(x)));
      notes.push_back(ipv8::injectable_across_as(x)
                          ? "may cross an AS boundary (one ASN, host part /16 or shorter)"
                          : "may not cross an AS boundary: the /16 minimum injectable prefix needs one ASN "
                            "(length >= 32) and a host part no longer than /16 (length <= 48)");
      j["injectable_across_as"] = ipv8::injectable_across_as(x);
      break;
    }
    case Family::ipxl:
      j["signed_length"] = ipxl::signed_length(len);
      if (len >= 32) {
        notes.push_back(fmt::format("IPxl length /{}: the high word and the first {} bits of the low word are fixed",
                                    len - 32, len - 32));
      } else {
        notes.push_back(fmt::format("IPxl length /-{}: the last {} bits of the high word and the whole low word vary",
                                    32 - len, 32 - len));
      }
      break;
    default: break;
  }
  j["notes"] = notes;
  return j;
}

std::string render_address(const Json& r) {
  std::string out = fmt::format("{} {}\n", r["family"].get<std::string>(), r["address"].get<std::string>());
  std::string cls = r["class"].get<std::string>();
  if (r.contains("section")) cls += " (" + r["section"].get<std::string>() + ")";
  out += fmt::format("  {:<10}{}\n", "class", cls);
  if (r.contains("scope")) out += fmt::format("  {:<10}{}\n", "scope", r["scope"].get<std::string>());
  if (r.contains("pattern")) out += fmt::format("  {:<10}{}\n", "pattern", r["pattern"].get<std::string>());
  if (r.contains("also_matches") && !r["also_matches"].empty()) {
    std::string also;
    for (const auto& x : r["also_matches"]) also += (also.empty() ? "" : ", ") + x.get<std::string>();
    out += fmt::format("  {:<10}{}\n", "also", also);
  }
  if (!r["fields"].empty()) {
    std::string fields;
    for (const auto& [k, v] : r["fields"].items()) {
      fields += fmt::format("{}{}={}", fields.empty() ? "" : "  ", k, v.is_string() ? v.get<std::string>() : v.dump());
    }
    out += fmt::format("  {:<10}{}\n", "fields", fields);
  }
  out += fmt::format("  {:<10}{}\n", "hex", r["hex"].get<std::string>());
  out += "  forms\n";
  for (const auto& [k, v] : r["forms"].items()) out += fmt::format("    {:<18}{}\n", k, v.get<std::string>());
  out += "  maps to\n";
  std::string only_through_ipv4;  // families reachable only through IPv4, which this is not
  for (const auto& [k, v] : r["maps_to"].items()) {
    if (v.contains("address")) {
      out +=
          fmt::format("    {:<6}{}\n          {}\n", k, v["address"].get<std::string>(), v["rule"].get<std::string>());
    } else if (v.value("not_ipv4", false)) {
      only_through_ipv4 += (only_through_ipv4.empty() ? "" : ", ") + k;
    } else {
      out += fmt::format("    {:<6}-  {}\n", k, v["error"].get<std::string>());
    }
  }
  if (!only_through_ipv4.empty()) {
    out += fmt::format("    {}: -  no direct mapping, and the address is not IPv4 (--json has each reason)\n",
                       only_through_ipv4);
  }
  if (r.contains("notes") && !r["notes"].empty()) {
    out += "  notes\n";
    for (const auto& n : r["notes"]) out += fmt::format("    {}\n", n.get<std::string>());
  }
  return out;
}

std::string render_prefix(const Json& r) {
  std::string out = fmt::format("{} {}\n", r["family"].get<std::string>(), r["prefix"].get<std::string>());
  out += fmt::format("  {:<8}{}\n", "first", r["first"].get<std::string>());
  out += fmt::format("  {:<8}{}\n", "last", r["last"].get<std::string>());
  out += fmt::format("  {:<8}{} addresses (2^{})\n", "size", r["size"].get<std::string>(), r["size_pow2"].get<int>());
  if (r["forms"].size() > 1) {
    out += "  forms\n";
    for (const auto& [k, v] : r["forms"].items()) out += fmt::format("    {:<18}{}\n", k, v.get<std::string>());
  }
  if (!r["notes"].empty()) {
    out += "  notes\n";
    for (const auto& n : r["notes"]) out += fmt::format("    {}\n", n.get<std::string>());
  }
  return out;
}

}  // namespace nextip::cli

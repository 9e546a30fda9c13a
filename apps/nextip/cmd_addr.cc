// nextip addr show | convert | prefix
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/nextip/addr_report.h"
#include "apps/nextip/cli.h"
#include "wire/family/convert.h"
#include "wire/family/detect.h"

namespace nextip::cli {

namespace {

using base::Family;

struct AddrOptions {
  std::string from;
  std::string to;
  bool json = false;
  std::string translator;
  std::vector<std::string> carriers;  // FAMILY=PREFIX
  std::vector<std::string> inputs;
};

constexpr std::string_view kFamilyList = "asip, ipv8, ipxl, ipv45, ipv4, ipv6";

std::optional<Family> family_option(const std::string& s, std::string_view option) {
  if (s.empty()) return std::nullopt;
  if (auto f = base::family_from_name(s)) return f;
  throw CLI::ValidationError(std::string(option), fmt::format("unknown family '{}' (one of {})", s, kFamilyList));
}

// --translator and --carrier-prefix into ConvertOptions; throws CLI::ValidationError
// naming the option and the value.
family::ConvertOptions convert_options(const AddrOptions& o) {
  family::ConvertOptions c;
  if (!o.translator.empty()) {
    auto t = inet::Ipv4Address::parse(o.translator);
    if (!t) throw CLI::ValidationError("--translator", base::to_string(t.error(), o.translator));
    c.translator = *t;
  }
  for (const std::string& spec : o.carriers) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos) {
      throw CLI::ValidationError("--carrier-prefix", fmt::format("'{}' is not FAMILY=IPV6PREFIX", spec));
    }
    const std::string fam = spec.substr(0, eq);
    const std::string text = spec.substr(eq + 1);
    auto p = inet::parse_ipv6_prefix(text);
    if (!p) throw CLI::ValidationError("--carrier-prefix", base::to_string(p.error(), text));
    if (fam == "ipv8") {
      c.carrier_ipv8 = *p;
    } else if (fam == "ipxl") {
      c.carrier_ipxl = *p;
    } else if (fam == "ipv45") {
      c.carrier_ipv45 = *p;
    } else {
      throw CLI::ValidationError("--carrier-prefix",
                                 fmt::format("family '{}' has no carrier prefix (one of ipv8, ipxl, ipv45)", fam));
    }
  }
  return c;
}

void print_json_line(const Json& j) {
  std::fputs((j.dump() + "\n").c_str(), stdout);
}

int run_show(const AddrOptions& o) {
  const auto from = family_option(o.from, "--from");
  const auto opts = convert_options(o);
  int status = kExitOk;
  bool first = true;
  for (const std::string& text : o.inputs) {
    const auto readings = family::read_address(text, from);
    Json out;
    out["input"] = text;
    if (readings.values.empty()) {
      status = kExitInvalidInput;
      if (o.json) {
        const auto& e = readings.best_error;
        out["valid"] = false;
        out["error"] = {{"family", base::name(e.family)},
                        {"code", base::code_name(e.code)},
                        {"pos", e.pos},
                        {"message", base::to_string(e, text)}};
        print_json_line(out);
      } else {
        print_parse_error(text, readings.best_error);
      }
      continue;
    }
    out["valid"] = true;
    out["ambiguous"] = readings.values.size() > 1;
    Json list = Json::array();
    for (const auto& a : readings.values) list.push_back(describe_address(a, opts));
    out["readings"] = list;
    if (o.json) {
      print_json_line(out);
      continue;
    }
    if (!first) std::fputs("\n", stdout);
    first = false;
    if (list.size() > 1) {
      std::string names;
      for (const auto& r : list) names += (names.empty() ? "" : ", ") + r["family"].get<std::string>();
      std::fputs(
          fmt::format("{}: valid in {} families ({}); every reading follows\n\n", text, list.size(), names).c_str(),
          stdout);
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) std::fputs("\n", stdout);
      std::fputs(render_address(list[i]).c_str(), stdout);
    }
  }
  return status;
}

int run_convert(const AddrOptions& o) {
  const auto from = family_option(o.from, "--from");
  const auto to = family_option(o.to, "--to");
  const auto opts = convert_options(o);
  const std::string& text = o.inputs.front();
  const auto readings = family::read_address(text, from);
  if (readings.values.empty()) {
    print_parse_error(text, readings.best_error);
    return kExitInvalidInput;
  }
  struct Outcome {
    family::AnyAddress input;
    Expected<family::Converted, family::ConvertError> result;
  };
  std::vector<Outcome> outcomes;
  for (const auto& a : readings.values) outcomes.push_back({a, family::convert(a, *to, opts)});

  const Outcome* chosen = nullptr;
  int converted = 0;
  for (const auto& oc : outcomes) {
    if (!oc.result) continue;
    if (chosen != nullptr && family::to_string(chosen->result->address) != family::to_string(oc.result->address)) {
      std::string list;
      for (const auto& x : outcomes) {
        list +=
            fmt::format("\n  --from {:<6} {} -> {}", base::name(family::family_of(x.input)), family::to_string(x.input),
                        x.result ? family::to_string(x.result->address) : "(no mapping)");
      }
      print_error(
          fmt::format("'{}' is ambiguous: it reads in {} families with different results; choose one with "
                      "--from:{}",
                      text, outcomes.size(), list));
      return kExitInvalidInput;
    }
    if (chosen == nullptr) chosen = &oc;
    ++converted;
  }
  if (chosen == nullptr) {
    for (const auto& oc : outcomes) {
      print_error(fmt::format("cannot convert {} '{}' to {}: {}", base::name(family::family_of(oc.input)), text,
                              base::name(*to), oc.result.error().reason));
    }
    return kExitInvalidInput;
  }
  if (outcomes.size() > 1 && converted == 1) {
    for (const auto& oc : outcomes) {
      if (&oc == chosen) continue;
      std::fputs(fmt::format("nextip: note: '{}' also reads as {}, which has no mapping to {}\n", text,
                             base::name(family::family_of(oc.input)), base::name(*to))
                     .c_str(),
                 stderr);
    }
  }
  const family::Converted& c = *chosen->result;
  if (o.json) {
    Json j;
    j["input"] = text;
    j["from"] = base::name(family::family_of(chosen->input));
    j["to"] = base::name(*to);
    j["address"] = family::to_string(c.address);
    j["rule"] = c.rule;
    j["via_ipv4"] = c.via_ipv4;
    print_json_line(j);
  } else {
    std::fputs((family::to_string(c.address) + "\n").c_str(), stdout);
  }
  return kExitOk;
}

int run_prefix(const AddrOptions& o) {
  const auto from = family_option(o.from, "--from");
  int status = kExitOk;
  for (const std::string& text : o.inputs) {
    auto readings = family::read_prefix(text, from, true);
    bool lenient = false;
    if (readings.values.empty()) {
      // Bits set beyond the length: show the containing prefix, with a note.
      auto masked = family::read_prefix(text, from, false);
      if (!masked.values.empty()) {
        readings = std::move(masked);
        lenient = true;
      }
    }
    if (readings.values.empty()) {
      status = kExitInvalidInput;
      print_parse_error(text, readings.best_error);
      continue;
    }
    Json out;
    out["input"] = text;
    out["ambiguous"] = readings.values.size() > 1;
    Json list = Json::array();
    for (const auto& p : readings.values) list.push_back(describe_prefix(p, lenient));
    out["readings"] = list;
    if (o.json) {
      print_json_line(out);
      continue;
    }
    for (std::size_t i = 0; i < list.size(); ++i) std::fputs(render_prefix(list[i]).c_str(), stdout);
  }
  return status;
}

const char* kAddrFooter = R"(
DESCRIPTION
  Reads, prints, classifies and converts the addresses of the four proposals nextip
  implements, and of IPv4 and IPv6:

    asip   128 bits, r.r.r.r:z.z.z.z:s.s.s.s:h.h.h.h        (001 draft-hause-asip-00)
    ipv8   64 bits, r.r.r.r:h.h.h.h, IPv4 is r = 0           (draft-thain-ipv8)
    ipxl   64 bits, 0.0.0.1.192.168.100.1 / 1.192.168.100.1  (002 IPxl)
    ipv45  96 bits, locator::site::eid                       (003 draft-matsukami)

  Without --from the family is detected. A text valid in several families is shown
  under every reading; convert refuses it when the readings disagree.

EXIT STATUS
  0  success
  2  an input could not be read, or a conversion is not defined (the message says
     why, naming the family, the position and the rule)

See docs/cli.md and docs/spec-decisions.md for the text forms and their rules.)";

const char* kShowFooter = R"(
DESCRIPTION
  For each ADDR prints the family, every text form, the class and scope (ASIP Tables 2-4,
  the IPv8 fact sheet ranges, the IPxl allocation plan, the IPv4.5 reserved patterns),
  the fields, the bytes in hex, and what the address maps to in every other family.

OUTPUT FORMS
  asip   compressed (default), uncompressed, dotted (§6.1), dotted-compressed,
         integer (r as ASN), flat (§6.6), url (§13.3)
  ipv8   canonical r.r.r.r:h.h.h.h, dotted (8 octets), asn-dot (ASN.h.h.h.h)
  ipxl   full (8 numbers), shorthand (leading zeros dropped)
  ipv45  canonical (upper case, 4 digits a group), compact

EXAMPLES
  nextip addr show 64496::192.0.2.1
  nextip addr show 1.192.168.100.1              (IPxl and IPv8: both readings)
  nextip addr show --json 127.1.0.0::10.0.0.1 | jq .readings[0].class
  nextip addr show --translator 203.0.113.1 198.51.100.42)";

const char* kConvertFooter = R"(
DESCRIPTION
  Prints ADDR converted to FAMILY, alone on a line, where a specification defines the
  mapping; otherwise says why not and exits with 2.

MAPPINGS
  ipv4  <-> asip    ::a.b.c.d, IPv4-mapped r = z = s = 0       (001 §3.3)
  ipv4  <-> ipv8    r = 0                                      (IPv8 facts)
  ipv4  <-> ipxl    0.0.0.1.a.b.c.d                            (002)
  ipv4  <-> ipv45   T::FFFF::FFFF:<ipv4>, needs --translator T  (003)
  ipv4  <-> ipv6    ::ffff:a.b.c.d                             (RFC 4291)
  asip  <-> ipv6    the verbatim carrier: the same 128 bits
  ipv8, ipxl, ipv45 <-> ipv6   nextip's carrier mapping (--carrier-prefix)
  Between new families only through IPv4, when the address is IPv4 in both.

EXAMPLES
  nextip addr convert --to ipv4 ::8.8.8.8
  nextip addr convert --to ipv6 64496::192.0.2.1
  nextip addr convert --to ipv45 --translator 203.0.113.1 198.51.100.42
  nextip addr convert --from ipxl --to asip 1.192.168.100.1)";

const char* kPrefixFooter = R"(
DESCRIPTION
  Prints the first and last address and the size of a prefix, with the family's
  rules: ASIP boundaries (§6.7), the IPv8 /16 minimum injectable prefix, IPxl's signed
  lengths (4.0.0.0.0/-2 is 64-bit /30). Bits beyond the length are masked, with a note.

EXAMPLES
  nextip addr prefix 15169::/32
  nextip addr prefix 4.0.0.0.0/-2
  nextip addr prefix 0.0.251.240:10.0.0.0/48)";

}  // namespace

void add_addr_commands(CLI::App& app, int& status) {
  auto o = std::make_shared<AddrOptions>();
  CLI::App* addr = app.add_subcommand("addr", "Read, classify, convert addresses of every family");
  addr->footer(kAddrFooter);
  addr->require_subcommand(1);

  auto add_common = [&o](CLI::App* cmd) {
    cmd->add_option("--from", o->from, "Read the input only as FAMILY (asip, ipv8, ipxl, ipv45, ipv4, ipv6)")
        ->type_name("FAMILY");
    cmd->add_option("--translator", o->translator, "IPv4.5 edge translator locator T, for IPv4 <-> IPv4.5")
        ->type_name("IPV4");
    cmd->add_option("--carrier-prefix", o->carriers,
                    "IPv6 carrier prefix of a 64/96-bit family, e.g. ipv8=fd00:0:0:8::/64 (repeatable)")
        ->type_name("FAMILY=PREFIX");
  };

  CLI::App* show = addr->add_subcommand("show", "Print every form, the class and the mappings of each ADDR");
  show->footer(kShowFooter);
  add_common(show);
  show->add_flag("--json", o->json, "One JSON object per ADDR, one per line");
  show->add_option("ADDR", o->inputs, "Addresses in any family")->required();
  show->callback([o, &status] { status = run_show(*o); });

  CLI::App* convert = addr->add_subcommand("convert", "Convert ADDR to another family");
  convert->footer(kConvertFooter);
  add_common(convert);
  convert->add_option("--to", o->to, "Target family (asip, ipv8, ipxl, ipv45, ipv4, ipv6)")
      ->type_name("FAMILY")
      ->required();
  convert->add_flag("--json", o->json, "A JSON object with the result and the rule used");
  convert->add_option("ADDR", o->inputs, "The address")->required()->expected(1);
  convert->callback([o, &status] { status = run_convert(*o); });

  CLI::App* prefix = addr->add_subcommand("prefix", "Print first/last address and size of a CIDR prefix");
  prefix->footer(kPrefixFooter);
  prefix->add_option("--from", o->from, "Read the input only as FAMILY")->type_name("FAMILY");
  prefix->add_flag("--json", o->json, "One JSON object per CIDR, one per line");
  prefix->add_option("CIDR", o->inputs, "Prefixes in any family")->required();
  prefix->callback([o, &status] { status = run_prefix(*o); });
}

}  // namespace nextip::cli

#include "engine/translate/config.h"

#include <charconv>

#include "wire/asip/address.h"

namespace nextip::engine::translate {

namespace {

std::string bad(std::string_view key, std::string_view value, std::string_view why) {
  std::string s = "--";
  s += key;
  s += " '";
  s += value;
  s += "': ";
  s += why;
  return s;
}

Expected<base::u64, std::string> number(std::string_view key, std::string_view v, base::u64 lo, base::u64 hi) {
  base::u64 n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi) {
    return nextip::unexpected(
        bad(key, v, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi)));
  }
  return n;
}

Expected<bool, std::string> boolean(std::string_view key, std::string_view v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return nextip::unexpected(bad(key, v, "expected 1/0, true/false, yes/no or on/off"));
}

// "a.b.c.d" or "a.b.c.d/len".
Expected<Ipv4Prefix, std::string> v4_prefix(std::string_view key, std::string_view v) {
  if (v.find('/') == std::string_view::npos) {
    auto a = Ipv4Address::parse(v);
    if (!a) return nextip::unexpected(bad(key, v, base::to_string(a.error(), v)));
    return Ipv4Prefix::containing(*a, 32);
  }
  auto p = inet::parse_ipv4_prefix(v);
  if (!p) return nextip::unexpected(bad(key, v, base::to_string(p.error(), v)));
  return *p;
}

Expected<Ipv6Prefix, std::string> v6_prefix(std::string_view key, std::string_view v) {
  if (v.find('/') == std::string_view::npos) {
    auto a = Ipv6Address::parse(v);
    if (!a) return nextip::unexpected(bad(key, v, base::to_string(a.error(), v)));
    return Ipv6Prefix::containing(*a, 128);
  }
  auto p = inet::parse_ipv6_prefix(v);
  if (!p) return nextip::unexpected(bad(key, v, base::to_string(p.error(), v)));
  return *p;
}

// An address of the 128-bit side: IPv6 text in SIIT mode, ASIP text in ASIP mode.
Expected<u128, std::string> side_address(const Config& c, std::string_view key, std::string_view v) {
  std::string_view text = v.substr(0, v.find('/'));
  if (c.mode == Mode::asip) {
    auto a = asip::Address::parse(text);
    if (!a) return nextip::unexpected(bad(key, v, "not an ASIP address: " + base::to_string(a.error(), text)));
    return a->to_uint();
  }
  auto a = Ipv6Address::parse(text);
  if (!a) return nextip::unexpected(bad(key, v, "not an IPv6 address: " + base::to_string(a.error(), text)));
  return a->to_uint();
}

// r.r.r.r[:z.z.z.z:s.s.s.s]; each field a dotted quad or a plain 32-bit number.
Expected<Locator, std::string> locator(std::string_view key, std::string_view v) {
  base::u32 f[3] = {0, 0, 0};
  std::size_t i = 0;
  std::string_view rest = v;
  for (;;) {
    const std::size_t colon = rest.find(':');
    const std::string_view part = rest.substr(0, colon);
    if (i == 3) return nextip::unexpected(bad(key, v, "a locator has at most three fields, r:z:s"));
    if (part.find('.') != std::string_view::npos) {
      auto a = Ipv4Address::parse(part);
      if (!a) return nextip::unexpected(bad(key, v, "field '" + std::string(part) + "' is not a dotted quad"));
      f[i] = a->value();
    } else {
      auto n = number(key, part, 0, 0xffffffffu);
      if (!n) return nextip::unexpected(n.error());
      f[i] = static_cast<base::u32>(*n);
    }
    ++i;
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
  if (i != 1 && i != 3) return nextip::unexpected(bad(key, v, "give r, or r:z:s"));
  return Locator{f[0], f[1], f[2]};
}

template <class F>
Expected<void, std::string> each(std::string_view v, char sep, F&& f) {
  while (true) {
    const std::size_t at = v.find(sep);
    auto r = f(v.substr(0, at));
    if (!r) return r;
    if (at == std::string_view::npos) return {};
    v = v.substr(at + 1);
  }
}

constexpr OptionHelp kHelp[] = {
    {"mode", "siit|asip", "IPv6<->IPv4 (RFC 7915) or ASIP<->IPv4 (001 §12.2); set it before the addresses"},
    {"pool6", "PREFIX|null", "RFC 6052 prefix, length 32, 40, 48, 56, 64 or 96 (SIIT)"},
    {"eamt", "V6PREFIX=V4PREFIX", "an Explicit Address Mapping (RFC 7757); repeatable, or joined by '|' (SIIT)"},
    {"rfc6791v4-prefix", "PREFIX|null", "IPv4 sources for errors whose source has no IPv4 form; null = own-v4"},
    {"rfc6791v6-prefix", "ADDRESS|null", "the 128-bit-side counterpart; null = own-v6"},
    {"own-v4", "ADDRESS", "the translator's IPv4 address (source of the errors it sends)"},
    {"own-v6", "ADDRESS", "the translator's IPv6 (SIIT) or ASIP (ASIP mode) address"},
    {"lowest-ipv6-mtu", "BYTES", "smallest MTU assumed on the v6 path; DF-clear IPv4 is fragmented to it (>= 1280)"},
    {"mtu.translator.v6", "BYTES", "MTU of the translator's link on the IPv6/ASIP side (>= 1280)"},
    {"mtu.translator.v4", "BYTES", "MTU of the translator's link on the IPv4 side (>= 68)"},
    {"mtu.n4.v4", "BYTES", "accepted for the vectors' sake and ignored (the IPv4 neighbour's link)"},
    {"amend-udp-checksum-zero", "BOOL", "compute a checksum for unfragmented IPv4 UDP with checksum 0 (RFC 7915 §4.5)"},
    {"decrement-ttl", "BOOL", "decrement TTL / Hop Limit (a translator is a router; decision ASIP-10)"},
    {"zeroize-traffic-class", "BOOL", "write Traffic Class 0 instead of copying the TOS (RFC 7915 §4.1)"},
    {"override-tos", "0-255|off", "write this TOS instead of copying the Traffic Class (RFC 7915 §5.1)"},
    {"hairpin", "off|simple|intrinsic", "EAM hairpinning (RFC 7757 §4.2)"},
    {"ipv4-id", "zero|generate", "ID of unfragmented DF-clear IPv4 output: 0 (001 §12.7.1) or generated"},
    {"fragment-id", "truncate|hash", "IPv4 ID of translated fragments: low 16 bits, or hashed (001 §12.7.5)"},
    {"fragment-header-mtu-adjust", "BOOL", "+28/-28 instead of +20/-20 when a Fragment header is involved"},
    {"max-fragmented-flows", "N", "refuse new fragmented flows above N live ones (0 = no limit; 001 §12.7.5)"},
    {"fragmented-flow-window", "SECONDS", "how long a fragmented flow stays live after its last fragment"},
    {"literal-host-unreach-code", "BOOL", "map ICMPv4 3/1 to code 1 as 001 §12.7.3 prints it (decision ASIP-12)"},
    {"icmp-errors", "send|never", "whether the translator sends ICMP errors itself (RFC 7915 §4.4, §5.4)"},
    {"icmp-errors-per-second", "N", "token-bucket rate of those errors (0 = unlimited)"},
    {"icmp-error-burst", "N", "token-bucket depth"},
    {"pool4", "PREFIX", "IPv4 addresses the translator owns (ASIP); repeatable or comma-separated"},
    {"locator", "V4PREFIX=R[:Z:S]", "static source locator for ASIP hosts in V4PREFIX (001 §12.7.3 (ii)); repeatable"},
    {"locator-capacity", "N", "entries of the per-flow locator table (001 §14.15)"},
    {"seed", "N", "seed of the ID generator and RFC 6791 pick"},
};

}  // namespace

std::span<const OptionHelp> option_help() noexcept {
  return kHelp;
}

Config Config::defaults(Mode m) {
  Config c;
  c.mode = m;
  if (m == Mode::asip) {
    c.ipv4_id = Ipv4IdPolicy::zero_when_df_clear;
    c.fragment_id = FragmentIdPolicy::hash;
    c.fragment_header_mtu_adjust = true;
    c.max_fragmented_flows = 4096;
    c.hairpin = HairpinMode::intrinsic;
  }
  return c;
}

Expected<void, std::string> Config::validate() const {
  if (mtu_v6 < 1280) return nextip::unexpected(bad("mtu.translator.v6", std::to_string(mtu_v6), "must be >= 1280"));
  if (lowest_ipv6_mtu < 1280) {
    return nextip::unexpected(bad("lowest-ipv6-mtu", std::to_string(lowest_ipv6_mtu), "must be >= 1280"));
  }
  if (mtu_v4 < 68) return nextip::unexpected(bad("mtu.translator.v4", std::to_string(mtu_v4), "must be >= 68"));
  if (mode == Mode::siit) {
    if (!pool6 && eamt.empty()) {
      return nextip::unexpected(std::string("siit mode needs --pool6 or at least one --eamt"));
    }
    if (!pool4.empty() || !static_locators.empty()) {
      return nextip::unexpected(std::string("--pool4 and --locator apply to --mode asip only"));
    }
  } else {
    if (pool6 || !eamt.empty()) return nextip::unexpected(std::string("--pool6 and --eamt apply to --mode siit only"));
    if (pool4.empty()) return nextip::unexpected(std::string("asip mode needs --pool4 (the IPv4 addresses it owns)"));
    if (fragment_id == FragmentIdPolicy::truncate && max_fragmented_flows == 0) {
      return nextip::unexpected(
          std::string("--fragment-id truncate needs --max-fragmented-flows > 0 in asip mode (001 §12.7.5 MUST)"));
    }
    for (const StaticLocator& s : static_locators) {
      bool inside = false;
      for (const Ipv4Prefix& p : pool4) inside = inside || p.contains(s.v4);
      if (!inside) {
        return nextip::unexpected(bad("locator", inet::format_prefix(s.v4), "is not inside any --pool4 prefix"));
      }
    }
  }
  return {};
}

Expected<void, std::string> apply_option(Config& c, std::string_view key, std::string_view v) {
  if (key == "mode") {
    if (v == "siit") {
      c.mode = Mode::siit;
    } else if (v == "asip") {
      c.mode = Mode::asip;
    } else {
      return nextip::unexpected(bad(key, v, "expected siit or asip"));
    }
    return {};
  }
  if (key == "pool6") {
    if (v == "null" || v.empty()) {
      c.pool6.reset();
      return {};
    }
    auto p = v6_prefix(key, v);
    if (!p) return nextip::unexpected(p.error());
    auto r = Rfc6052Prefix::make(*p);
    if (!r) return nextip::unexpected(bad(key, v, r.error()));
    c.pool6 = *r;
    return {};
  }
  if (key == "eamt") {
    if (v == "null" || v.empty()) {
      c.eamt = Eamt();
      return {};
    }
    return each(v, '|', [&](std::string_view one) -> Expected<void, std::string> {
      const std::size_t eq = one.find('=');
      if (eq == std::string_view::npos) return nextip::unexpected(bad(key, one, "expected V6PREFIX=V4PREFIX"));
      auto p6 = v6_prefix(key, one.substr(0, eq));
      if (!p6) return nextip::unexpected(p6.error());
      auto p4 = v4_prefix(key, one.substr(eq + 1));
      if (!p4) return nextip::unexpected(p4.error());
      return c.eamt.add(Eam{*p6, *p4});
    });
  }
  if (key == "rfc6791v4-prefix") {
    if (v == "null" || v.empty()) {
      c.rfc6791v4.clear();
      return {};
    }
    return each(v, ',', [&](std::string_view one) -> Expected<void, std::string> {
      auto p = v4_prefix(key, one);
      if (!p) return nextip::unexpected(p.error());
      c.rfc6791v4.push_back(*p);
      return {};
    });
  }
  if (key == "rfc6791v6-prefix") {
    if (v == "null" || v.empty()) {
      c.rfc6791v6.reset();
      return {};
    }
    auto a = side_address(c, key, v);
    if (!a) return nextip::unexpected(a.error());
    c.rfc6791v6 = *a;
    return {};
  }
  if (key == "own-v4") {
    auto a = Ipv4Address::parse(v);
    if (!a) return nextip::unexpected(bad(key, v, base::to_string(a.error(), v)));
    c.own_v4 = *a;
    return {};
  }
  if (key == "own-v6" || key == "own-asip") {
    auto a = side_address(c, key, v);
    if (!a) return nextip::unexpected(a.error());
    c.own_v6 = *a;
    return {};
  }
  auto set_u16 = [&](u16& field, base::u64 lo) -> Expected<void, std::string> {
    auto n = number(key, v, lo, 65535);
    if (!n) return nextip::unexpected(n.error());
    field = static_cast<u16>(*n);
    return {};
  };
  if (key == "lowest-ipv6-mtu") return set_u16(c.lowest_ipv6_mtu, 1280);
  if (key == "mtu.translator.v6") return set_u16(c.mtu_v6, 1280);
  if (key == "mtu.translator.v4") return set_u16(c.mtu_v4, 68);
  if (key == "mtu.n4.v4") {
    auto n = number(key, v, 68, 65535);
    if (!n) return nextip::unexpected(n.error());
    return {};
  }
  auto set_bool = [&](bool& field) -> Expected<void, std::string> {
    auto x = boolean(key, v);
    if (!x) return nextip::unexpected(x.error());
    field = *x;
    return {};
  };
  if (key == "amend-udp-checksum-zero") return set_bool(c.amend_udp_zero_checksum);
  if (key == "decrement-ttl") return set_bool(c.decrement_ttl);
  if (key == "zeroize-traffic-class") return set_bool(c.zeroize_traffic_class);
  if (key == "fragment-header-mtu-adjust") return set_bool(c.fragment_header_mtu_adjust);
  if (key == "literal-host-unreach-code") return set_bool(c.literal_host_unreach_code);
  if (key == "override-tos") {
    if (v == "off" || v == "null") {
      c.override_tos.reset();
      return {};
    }
    auto n = number(key, v, 0, 255);
    if (!n) return nextip::unexpected(n.error());
    c.override_tos = static_cast<u8>(*n);
    return {};
  }
  if (key == "hairpin" || key == "eam-hairpin-mode") {
    if (v == "off") {
      c.hairpin = HairpinMode::off;
    } else if (v == "simple") {
      c.hairpin = HairpinMode::simple;
    } else if (v == "intrinsic") {
      c.hairpin = HairpinMode::intrinsic;
    } else {
      return nextip::unexpected(bad(key, v, "expected off, simple or intrinsic"));
    }
    return {};
  }
  if (key == "ipv4-id") {
    if (v == "zero") {
      c.ipv4_id = Ipv4IdPolicy::zero_when_df_clear;
    } else if (v == "generate") {
      c.ipv4_id = Ipv4IdPolicy::generate;
    } else {
      return nextip::unexpected(bad(key, v, "expected zero or generate"));
    }
    return {};
  }
  if (key == "fragment-id") {
    if (v == "truncate") {
      c.fragment_id = FragmentIdPolicy::truncate;
    } else if (v == "hash") {
      c.fragment_id = FragmentIdPolicy::hash;
    } else {
      return nextip::unexpected(bad(key, v, "expected truncate or hash"));
    }
    return {};
  }
  auto set_u32 = [&](u32& field, base::u64 lo, base::u64 hi) -> Expected<void, std::string> {
    auto n = number(key, v, lo, hi);
    if (!n) return nextip::unexpected(n.error());
    field = static_cast<u32>(*n);
    return {};
  };
  if (key == "max-fragmented-flows") return set_u32(c.max_fragmented_flows, 0, 1u << 24);
  if (key == "fragmented-flow-window") {
    auto n = number(key, v, 1, 3600);
    if (!n) return nextip::unexpected(n.error());
    c.fragmented_flow_window = base::seconds(static_cast<std::int64_t>(*n));
    return {};
  }
  if (key == "icmp-errors") {
    if (v == "send") {
      c.icmp_errors = IcmpErrorPolicy::send;
    } else if (v == "never") {
      c.icmp_errors = IcmpErrorPolicy::never;
    } else {
      return nextip::unexpected(bad(key, v, "expected send or never"));
    }
    return {};
  }
  if (key == "icmp-errors-per-second") return set_u32(c.icmp_errors_per_second, 0, 10'000'000);
  if (key == "icmp-error-burst") return set_u32(c.icmp_error_burst, 1, 10'000'000);
  if (key == "pool4") {
    return each(v, ',', [&](std::string_view one) -> Expected<void, std::string> {
      auto p = v4_prefix(key, one);
      if (!p) return nextip::unexpected(p.error());
      c.pool4.push_back(*p);
      return {};
    });
  }
  if (key == "locator") {
    const std::size_t eq = v.find('=');
    if (eq == std::string_view::npos) return nextip::unexpected(bad(key, v, "expected V4PREFIX=R[:Z:S]"));
    auto p = v4_prefix(key, v.substr(0, eq));
    if (!p) return nextip::unexpected(p.error());
    auto l = locator(key, v.substr(eq + 1));
    if (!l) return nextip::unexpected(l.error());
    c.static_locators.push_back(StaticLocator{*p, *l});
    return {};
  }
  if (key == "locator-capacity") {
    auto n = number(key, v, 1, LocatorTable::kMaxCapacity);
    if (!n) return nextip::unexpected(n.error());
    c.locator_capacity = static_cast<std::size_t>(*n);
    return {};
  }
  if (key == "seed") {
    auto n = number(key, v, 0, ~base::u64{0});
    if (!n) return nextip::unexpected(n.error());
    c.seed = *n;
    return {};
  }
  return nextip::unexpected("unknown option --" + std::string(key));
}

Expected<void, std::string> apply_options(Config& c, std::string_view text) {
  return each(text, ';', [&](std::string_view kv) -> Expected<void, std::string> {
    if (kv.empty()) return {};
    const std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos) return nextip::unexpected("expected KEY=VALUE, got '" + std::string(kv) + "'");
    return apply_option(c, kv.substr(0, eq), kv.substr(eq + 1));
  });
}

}  // namespace nextip::engine::translate

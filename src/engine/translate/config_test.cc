// The translator's configuration: every option key with a value that must take effect and
// one that must be refused (the error naming the key and the value), the "k=v;k=v" form
// of the vectors' config column, the mode defaults, and validate()'s cross-checks.
#include "engine/translate/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

namespace nextip::engine::translate {
namespace {

u128 v6(std::string_view s) {
  auto a = Ipv6Address::parse(s);
  EXPECT_TRUE(a.has_value()) << "bad test address " << s;
  return a.value_or(Ipv6Address{}).to_uint();
}

Ipv4Prefix p4(std::string_view s) {
  auto p = inet::parse_ipv4_prefix(s);
  EXPECT_TRUE(p.has_value()) << "bad test prefix " << s;
  return p.value_or(Ipv4Prefix{});
}

Ipv6Prefix p6(std::string_view s) {
  auto p = inet::parse_ipv6_prefix(s);
  EXPECT_TRUE(p.has_value()) << "bad test prefix " << s;
  return p.value_or(Ipv6Prefix{});
}

// 15169::192.0.2.1 (r = AS 15169 = 0.0.59.65, z = s = 0, h = 192.0.2.1), 001 §6.
constexpr u128 kAsip15169 = (u128{15169} << 96) | 0xc0000201u;

// --- apply_option: every key ---------------------------------------------------------------

// A value that must be accepted, and what it must do to a config of the given mode.
struct Valid {
  std::string_view key;
  std::string_view value;
  Mode mode;
  bool (*holds)(const Config&);
};

const Valid kValid[] = {
    {"mode", "asip", Mode::siit, +[](const Config& c) { return c.mode == Mode::asip; }},
    {"mode", "siit", Mode::asip, +[](const Config& c) { return c.mode == Mode::siit; }},
    {"pool6", "64:ff9b::/96", Mode::siit,
     +[](const Config& c) { return c.pool6 && c.pool6->prefix() == inet::parse_ipv6_prefix("64:ff9b::/96").value(); }},
    {"pool6", "2001:db8:100::/40", Mode::siit,
     +[](const Config& c) { return c.pool6 && c.pool6->prefix().length() == 40; }},
    {"pool6", "null", Mode::siit, +[](const Config& c) { return !c.pool6.has_value(); }},
    {"eamt", "2001:db8:3::/120=1.0.0.0/24", Mode::siit,
     +[](const Config& c) {
       return c.eamt.entries().size() == 1 &&
              c.eamt.to_v6(Ipv4Address(1, 0, 0, 8)) == Ipv6Address::parse("2001:db8:3::8")->to_uint();
     }},
    {"eamt", "2001:db8:aaaa::5=192.0.2.1", Mode::siit,  // bare addresses are /128 and /32
     +[](const Config& c) {
       return c.eamt.entries().size() == 1 && c.eamt.entries()[0].v6.length() == 128 &&
              c.eamt.entries()[0].v4.length() == 32;
     }},
    {"eamt", "null", Mode::siit, +[](const Config& c) { return c.eamt.empty(); }},
    {"rfc6791v4-prefix", "192.0.2.0/24,198.51.100.1", Mode::siit,
     +[](const Config& c) {
       return c.rfc6791v4.size() == 2 && c.rfc6791v4[0] == inet::parse_ipv4_prefix("192.0.2.0/24").value() &&
              c.rfc6791v4[1] == inet::parse_ipv4_prefix("198.51.100.1/32").value();
     }},
    {"rfc6791v4-prefix", "null", Mode::siit, +[](const Config& c) { return c.rfc6791v4.empty(); }},
    {"rfc6791v6-prefix", "2001:db8:ffff::1", Mode::siit,
     +[](const Config& c) { return c.rfc6791v6 == Ipv6Address::parse("2001:db8:ffff::1")->to_uint(); }},
    {"rfc6791v6-prefix", "15169::192.0.2.1", Mode::asip, +[](const Config& c) { return c.rfc6791v6 == kAsip15169; }},
    {"rfc6791v6-prefix", "null", Mode::siit, +[](const Config& c) { return !c.rfc6791v6.has_value(); }},
    {"own-v4", "192.0.2.254", Mode::siit, +[](const Config& c) { return c.own_v4 == Ipv4Address(192, 0, 2, 254); }},
    {"own-v6", "2001:db8::1", Mode::siit,
     +[](const Config& c) { return c.own_v6 == Ipv6Address::parse("2001:db8::1")->to_uint(); }},
    {"own-v6", "0.0.59.65:0.0.0.0:0.0.0.0:192.0.2.1", Mode::asip,
     +[](const Config& c) { return c.own_v6 == kAsip15169; }},
    {"own-v6", "15169::192.0.2.1", Mode::asip, +[](const Config& c) { return c.own_v6 == kAsip15169; }},
    {"lowest-ipv6-mtu", "1400", Mode::siit, +[](const Config& c) { return c.lowest_ipv6_mtu == 1400; }},
    {"lowest-ipv6-mtu", "1280", Mode::siit, +[](const Config& c) { return c.lowest_ipv6_mtu == 1280; }},
    {"mtu.translator.v6", "9000", Mode::siit, +[](const Config& c) { return c.mtu_v6 == 9000; }},
    {"mtu.translator.v6", "1280", Mode::siit, +[](const Config& c) { return c.mtu_v6 == 1280; }},
    {"mtu.translator.v4", "68", Mode::siit, +[](const Config& c) { return c.mtu_v4 == 68; }},
    {"mtu.translator.v4", "65535", Mode::siit, +[](const Config& c) { return c.mtu_v4 == 65535; }},
    {"mtu.n4.v4", "1400", Mode::siit,  // accepted and ignored
     +[](const Config& c) { return c.mtu_v4 == 1500 && c.mtu_v6 == 1500 && c.lowest_ipv6_mtu == 1280; }},
    {"amend-udp-checksum-zero", "true", Mode::siit, +[](const Config& c) { return c.amend_udp_zero_checksum; }},
    {"amend-udp-checksum-zero", "1", Mode::siit, +[](const Config& c) { return c.amend_udp_zero_checksum; }},
    {"decrement-ttl", "off", Mode::siit, +[](const Config& c) { return !c.decrement_ttl; }},
    {"decrement-ttl", "no", Mode::siit, +[](const Config& c) { return !c.decrement_ttl; }},
    {"zeroize-traffic-class", "yes", Mode::siit, +[](const Config& c) { return c.zeroize_traffic_class; }},
    {"zeroize-traffic-class", "on", Mode::siit, +[](const Config& c) { return c.zeroize_traffic_class; }},
    {"override-tos", "184", Mode::siit, +[](const Config& c) { return c.override_tos == u8{184}; }},
    {"override-tos", "0", Mode::siit, +[](const Config& c) { return c.override_tos == u8{0}; }},
    {"override-tos", "off", Mode::siit, +[](const Config& c) { return !c.override_tos.has_value(); }},
    {"hairpin", "off", Mode::siit, +[](const Config& c) { return c.hairpin == HairpinMode::off; }},
    {"hairpin", "simple", Mode::siit, +[](const Config& c) { return c.hairpin == HairpinMode::simple; }},
    {"hairpin", "intrinsic", Mode::siit, +[](const Config& c) { return c.hairpin == HairpinMode::intrinsic; }},
    {"ipv4-id", "zero", Mode::siit, +[](const Config& c) { return c.ipv4_id == Ipv4IdPolicy::zero_when_df_clear; }},
    {"ipv4-id", "generate", Mode::asip, +[](const Config& c) { return c.ipv4_id == Ipv4IdPolicy::generate; }},
    {"fragment-id", "hash", Mode::siit, +[](const Config& c) { return c.fragment_id == FragmentIdPolicy::hash; }},
    {"fragment-id", "truncate", Mode::asip,
     +[](const Config& c) { return c.fragment_id == FragmentIdPolicy::truncate; }},
    {"fragment-header-mtu-adjust", "true", Mode::siit, +[](const Config& c) { return c.fragment_header_mtu_adjust; }},
    {"fragment-header-mtu-adjust", "false", Mode::asip, +[](const Config& c) { return !c.fragment_header_mtu_adjust; }},
    {"max-fragmented-flows", "1000", Mode::siit, +[](const Config& c) { return c.max_fragmented_flows == 1000; }},
    {"max-fragmented-flows", "0", Mode::asip, +[](const Config& c) { return c.max_fragmented_flows == 0; }},
    {"max-fragmented-flows", "16777216", Mode::siit,
     +[](const Config& c) { return c.max_fragmented_flows == 16777216; }},
    {"fragmented-flow-window", "60", Mode::siit,
     +[](const Config& c) { return c.fragmented_flow_window == base::seconds(60); }},
    {"fragmented-flow-window", "1", Mode::siit,
     +[](const Config& c) { return c.fragmented_flow_window == base::seconds(1); }},
    {"literal-host-unreach-code", "on", Mode::asip, +[](const Config& c) { return c.literal_host_unreach_code; }},
    {"icmp-errors", "never", Mode::siit, +[](const Config& c) { return c.icmp_errors == IcmpErrorPolicy::never; }},
    {"icmp-errors", "send", Mode::siit, +[](const Config& c) { return c.icmp_errors == IcmpErrorPolicy::send; }},
    {"icmp-errors-per-second", "0", Mode::siit, +[](const Config& c) { return c.icmp_errors_per_second == 0; }},
    {"icmp-errors-per-second", "250", Mode::siit, +[](const Config& c) { return c.icmp_errors_per_second == 250; }},
    {"icmp-error-burst", "5", Mode::siit, +[](const Config& c) { return c.icmp_error_burst == 5; }},
    {"pool4", "192.0.2.0/24,198.51.100.7", Mode::asip,
     +[](const Config& c) {
       return c.pool4.size() == 2 && c.pool4[0] == inet::parse_ipv4_prefix("192.0.2.0/24").value() &&
              c.pool4[1] == inet::parse_ipv4_prefix("198.51.100.7/32").value();
     }},
    {"locator", "192.0.2.0/25=64496:0.0.0.1:7", Mode::asip,
     +[](const Config& c) {
       return c.static_locators.size() == 1 &&
              c.static_locators[0].v4 == inet::parse_ipv4_prefix("192.0.2.0/25").value() &&
              c.static_locators[0].locator == Locator{64496, 1, 7};
     }},
    {"locator", "192.0.2.9=0.0.251.240", Mode::asip,
     +[](const Config& c) {
       return c.static_locators.size() == 1 &&
              c.static_locators[0].v4 == inet::parse_ipv4_prefix("192.0.2.9/32").value() &&
              c.static_locators[0].locator == Locator{64496, 0, 0};
     }},
    {"locator-capacity", "5000", Mode::asip, +[](const Config& c) { return c.locator_capacity == 5000; }},
    {"seed", "18446744073709551615", Mode::siit, +[](const Config& c) { return c.seed == ~base::u64{0}; }},
    {"seed", "0", Mode::siit, +[](const Config& c) { return c.seed == 0; }},
};

// A value that must be refused; the error must name the key and `offending` (the value,
// or the part of it that is wrong).
struct Invalid {
  std::string_view key;
  std::string_view value;
  Mode mode;
  std::string_view offending;
};

const Invalid kInvalid[] = {
    {"mode", "ipv9", Mode::siit, "ipv9"},
    {"mode", "", Mode::siit, "''"},
    {"pool6", "2001:db8::/33", Mode::siit, "2001:db8::/33"},  // RFC 6052 §2.2 lengths only
    {"pool6", "2001:db8::/128", Mode::siit, "2001:db8::/128"},
    {"pool6", "not-a-prefix", Mode::siit, "not-a-prefix"},
    {"eamt", "2001:db8::/128=192.0.2.0/24", Mode::siit, "2001:db8::/128=192.0.2.0/24"},  // RFC 7757 §3
    {"eamt", "2001:db8::/120", Mode::siit, "2001:db8::/120"},                            // no '='
    {"eamt", "2001:db8::zz/120=192.0.2.0/24", Mode::siit, "2001:db8::zz/120"},
    {"eamt", "2001:db8::/120=192.0.2.300/24", Mode::siit, "192.0.2.300/24"},
    {"rfc6791v4-prefix", "192.0.2.0/33", Mode::siit, "192.0.2.0/33"},
    {"rfc6791v4-prefix", "192.0.2.1,banana", Mode::siit, "banana"},
    {"rfc6791v6-prefix", "2001:db8::g", Mode::siit, "2001:db8::g"},
    {"rfc6791v6-prefix", "15169::192.0.2.1", Mode::siit, "15169::192.0.2.1"},  // not IPv6 text
    {"own-v4", "192.0.2", Mode::siit, "192.0.2"},
    {"own-v4", "192.0.2.256", Mode::siit, "192.0.2.256"},
    {"own-v6", "2001:db8::g", Mode::siit, "2001:db8::g"},
    {"own-v6", "0.0.59.65:0.0.0.0:0.0.0.0:192.0.2.1", Mode::siit, "0.0.59.65:0.0.0.0:0.0.0.0:192.0.2.1"},
    {"own-v6", "not-an-address", Mode::asip, "not-an-address"},
    {"lowest-ipv6-mtu", "1279", Mode::siit, "1279"},
    {"lowest-ipv6-mtu", "65536", Mode::siit, "65536"},
    {"lowest-ipv6-mtu", "1400x", Mode::siit, "1400x"},
    {"mtu.translator.v6", "1279", Mode::siit, "1279"},
    {"mtu.translator.v6", "-1500", Mode::siit, "-1500"},
    {"mtu.translator.v4", "67", Mode::siit, "67"},
    {"mtu.translator.v4", "65536", Mode::siit, "65536"},
    {"mtu.n4.v4", "67", Mode::siit, "67"},
    {"mtu.n4.v4", "lots", Mode::siit, "lots"},
    {"amend-udp-checksum-zero", "maybe", Mode::siit, "maybe"},
    {"decrement-ttl", "2", Mode::siit, "2"},
    {"zeroize-traffic-class", "TRUE!", Mode::siit, "TRUE!"},
    {"override-tos", "256", Mode::siit, "256"},
    {"override-tos", "0x10", Mode::siit, "0x10"},
    {"hairpin", "always", Mode::siit, "always"},
    {"ipv4-id", "random", Mode::siit, "random"},
    {"fragment-id", "xor", Mode::siit, "xor"},
    {"fragment-header-mtu-adjust", "yess", Mode::siit, "yess"},
    {"max-fragmented-flows", "16777217", Mode::siit, "16777217"},
    {"max-fragmented-flows", "-1", Mode::siit, "-1"},
    {"fragmented-flow-window", "0", Mode::siit, "0"},
    {"fragmented-flow-window", "3601", Mode::siit, "3601"},
    {"literal-host-unreach-code", "sometimes", Mode::siit, "sometimes"},
    {"icmp-errors", "sometimes", Mode::siit, "sometimes"},
    {"icmp-errors-per-second", "10000001", Mode::siit, "10000001"},
    {"icmp-errors-per-second", "fast", Mode::siit, "fast"},
    {"icmp-error-burst", "0", Mode::siit, "0"},
    {"pool4", "192.0.2.0/33", Mode::asip, "192.0.2.0/33"},
    {"pool4", "192.0.2.0/24,192.0.2.1/24", Mode::asip, "192.0.2.1/24"},  // host bits set
    {"locator", "192.0.2.0/24", Mode::asip, "192.0.2.0/24"},             // no '='
    {"locator", "192.0.2.0/24=1:2", Mode::asip, "1:2"},                  // r, or r:z:s
    {"locator", "192.0.2.0/24=1:2:3:4", Mode::asip, "1:2:3:4"},
    {"locator", "192.0.2.0/24=1.2.3:0:0", Mode::asip, "1.2.3"},
    {"locator", "192.0.2.0/33=1", Mode::asip, "192.0.2.0/33"},
    {"locator-capacity", "0", Mode::asip, "0"},
    {"seed", "18446744073709551616", Mode::siit, "18446744073709551616"},
    {"seed", "x", Mode::siit, "x"},
};

std::string_view mode_name(Mode m) {
  return m == Mode::asip ? "asip" : "siit";
}

// Every key in option_help() is exercised by both tables below, so a new key cannot go
// untested.
TEST(ConfigOptions, EveryHelpKeyHasValidAndInvalidCases) {
  std::set<std::string_view> keys;
  for (const OptionHelp& h : option_help()) {
    EXPECT_TRUE(keys.insert(h.key).second) << "duplicate key " << h.key;
    EXPECT_FALSE(h.value.empty()) << h.key;
    EXPECT_FALSE(h.help.empty()) << h.key;
    EXPECT_TRUE(std::any_of(std::begin(kValid), std::end(kValid), [&](const Valid& v) { return v.key == h.key; }))
        << "no valid-value case for --" << h.key;
    EXPECT_TRUE(std::any_of(std::begin(kInvalid), std::end(kInvalid), [&](const Invalid& v) { return v.key == h.key; }))
        << "no invalid-value case for --" << h.key;
  }
  for (const Valid& v : kValid) EXPECT_TRUE(keys.contains(v.key)) << v.key << " is not in option_help()";
  for (const Invalid& v : kInvalid) EXPECT_TRUE(keys.contains(v.key)) << v.key << " is not in option_help()";
}

TEST(ConfigOptions, ValidValuesTakeEffect) {
  for (const Valid& v : kValid) {
    Config c = Config::defaults(v.mode);
    auto r = apply_option(c, v.key, v.value);
    ASSERT_TRUE(r.has_value()) << "--" << v.key << " " << v.value << " (" << mode_name(v.mode) << "): " << r.error();
    EXPECT_TRUE(v.holds(c)) << "--" << v.key << " " << v.value << " (" << mode_name(v.mode) << ") did not take effect";
  }
}

TEST(ConfigOptions, InvalidValuesAreRefusedNamingKeyAndValue) {
  for (const Invalid& v : kInvalid) {
    Config c = Config::defaults(v.mode);
    auto r = apply_option(c, v.key, v.value);
    ASSERT_FALSE(r.has_value()) << "--" << v.key << " '" << v.value << "' (" << mode_name(v.mode) << ") was accepted";
    EXPECT_NE(r.error().find(v.key), std::string::npos) << "error does not name the key: " << r.error();
    EXPECT_NE(r.error().find(v.offending), std::string::npos)
        << "error does not name '" << v.offending << "': " << r.error();
  }
}

TEST(ConfigOptions, UnknownKeysAreRejected) {
  for (std::string_view key : {"no-such-option", "pool-6", "POOL6", "mtu", "eamt "}) {
    Config c = Config::defaults(Mode::siit);
    auto r = apply_option(c, key, "1");
    ASSERT_FALSE(r.has_value()) << key;
    EXPECT_NE(r.error().find(key), std::string::npos) << r.error();
  }
  Config c = Config::defaults(Mode::siit);
  EXPECT_FALSE(apply_option(c, "", "1").has_value());
}

// The EAM table accumulates over repeated --eamt; "null" clears it.
TEST(ConfigOptions, EamtIsRepeatableAndNullClears) {
  Config c = Config::defaults(Mode::siit);
  ASSERT_TRUE(apply_option(c, "eamt", "2001:db8:3::/120=1.0.0.0/24").has_value());
  ASSERT_TRUE(apply_option(c, "eamt", "2001:db8:1c0:2::/72=192.0.2.0/24").has_value());
  EXPECT_EQ(c.eamt.entries().size(), 2u);
  // A duplicate IPv4 prefix is refused (RFC 7757 §3) and names the key.
  auto dup = apply_option(c, "eamt", "2001:db8:4::/120=1.0.0.0/24");
  ASSERT_FALSE(dup.has_value());
  EXPECT_NE(dup.error().find("eamt"), std::string::npos) << dup.error();
  EXPECT_EQ(c.eamt.entries().size(), 2u);
  ASSERT_TRUE(apply_option(c, "eamt", "null").has_value());
  EXPECT_TRUE(c.eamt.empty());
}

// --- apply_options ---------------------------------------------------------------------------

TEST(ConfigApplyOptions, AppliesEveryPairInOrder) {
  Config c = Config::defaults(Mode::siit);
  auto r = apply_options(c, "pool6=64:ff9b::/96;mtu.translator.v6=1400;decrement-ttl=0;own-v4=192.0.2.254");
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_TRUE(c.pool6.has_value());
  EXPECT_EQ(c.pool6->prefix(), p6("64:ff9b::/96"));
  EXPECT_EQ(c.mtu_v6, 1400);
  EXPECT_FALSE(c.decrement_ttl);
  EXPECT_EQ(c.own_v4, Ipv4Address(192, 0, 2, 254));
  EXPECT_TRUE(c.validate().has_value());
}

// The vectors' EAMT form: several mappings joined by '|' in one value.
TEST(ConfigApplyOptions, EamtPipeForm) {
  Config c = Config::defaults(Mode::siit);
  auto r = apply_options(c, "eamt=2001:db8:3::/120=1.0.0.0/24|2001:db8:1c0:2::/72=192.0.2.0/24");
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_EQ(c.eamt.entries().size(), 2u);
  EXPECT_EQ(c.eamt.to_v6(Ipv4Address(1, 0, 0, 8)), v6("2001:db8:3::8"));
  EXPECT_EQ(c.eamt.to_v6(Ipv4Address(192, 0, 2, 33)), v6("2001:db8:1c0:2:21::"));
  EXPECT_TRUE(c.validate().has_value());

  Config bad = Config::defaults(Mode::siit);
  auto e = apply_options(bad, "eamt=2001:db8:3::/120=1.0.0.0/24|2001:db8:9::/128=10.0.0.0/8");
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().find("eamt"), std::string::npos) << e.error();
}

// "null" switches an optional setting back off.
TEST(ConfigApplyOptions, NullValues) {
  Config c = Config::defaults(Mode::siit);
  ASSERT_TRUE(apply_options(c,
                            "pool6=64:ff9b::/96;eamt=2001:db8:3::/120=1.0.0.0/24;rfc6791v4-prefix=192.0.2.0/24;"
                            "rfc6791v6-prefix=2001:db8::1;override-tos=7")
                  .has_value());
  ASSERT_TRUE(c.pool6 && !c.eamt.empty() && !c.rfc6791v4.empty() && c.rfc6791v6 && c.override_tos);
  auto r = apply_options(c, "pool6=null;eamt=null;rfc6791v4-prefix=null;rfc6791v6-prefix=null;override-tos=null");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_FALSE(c.pool6.has_value());
  EXPECT_TRUE(c.eamt.empty());
  EXPECT_TRUE(c.rfc6791v4.empty());
  EXPECT_FALSE(c.rfc6791v6.has_value());
  EXPECT_FALSE(c.override_tos.has_value());
}

TEST(ConfigApplyOptions, EmptySegmentsAreSkipped) {
  Config c = Config::defaults(Mode::siit);
  EXPECT_TRUE(apply_options(c, "").has_value());
  auto r = apply_options(c, ";hairpin=off;;");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(c.hairpin, HairpinMode::off);
}

TEST(ConfigApplyOptions, MalformedPairsAndUnknownKeysAreRefused) {
  Config c = Config::defaults(Mode::siit);
  auto no_eq = apply_options(c, "hairpin=off;decrement-ttl");
  ASSERT_FALSE(no_eq.has_value());
  EXPECT_NE(no_eq.error().find("decrement-ttl"), std::string::npos) << no_eq.error();

  auto unknown = apply_options(c, "hairpin=off;frobnicate=1");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().find("frobnicate"), std::string::npos) << unknown.error();

  auto bad_value = apply_options(c, "mtu.translator.v4=1500;mtu.translator.v6=1000");
  ASSERT_FALSE(bad_value.has_value());
  EXPECT_NE(bad_value.error().find("mtu.translator.v6"), std::string::npos) << bad_value.error();
  EXPECT_NE(bad_value.error().find("1000"), std::string::npos) << bad_value.error();
}

// own-v6 / rfc6791v6-prefix are read in the mode set so far: ASIP text only after
// mode=asip, IPv6 text otherwise.
TEST(ConfigApplyOptions, ModeMustComeBeforeTheAddresses) {
  Config late = Config::defaults(Mode::siit);
  EXPECT_FALSE(apply_options(late, "own-v6=0.0.59.65:0.0.0.0:0.0.0.0:192.0.2.1;mode=asip").has_value());

  Config c = Config::defaults(Mode::siit);
  auto r = apply_options(c,
                         "mode=asip;own-v6=0.0.59.65:0.0.0.0:0.0.0.0:192.0.2.1;rfc6791v6-prefix=15169::192.0.2.1;"
                         "pool4=192.0.2.0/24");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(c.mode, Mode::asip);
  EXPECT_EQ(c.own_v6, kAsip15169);
  EXPECT_EQ(c.rfc6791v6, kAsip15169);
  ASSERT_EQ(c.pool4.size(), 1u);
  EXPECT_EQ(c.pool4[0], p4("192.0.2.0/24"));
}

// --- defaults --------------------------------------------------------------------------------

// SIIT takes RFC 7915's choices (§5.1: generated IDs, truncated fragment IDs, +20/-20);
// ASIP takes 001 §12.7's (ID 0 when DF is clear, hashed IDs, +28/-28, a flow limit).
TEST(ConfigDefaults, SiitAndAsipDiffer) {
  const Config siit = Config::defaults(Mode::siit);
  const Config asip = Config::defaults(Mode::asip);
  EXPECT_EQ(siit.mode, Mode::siit);
  EXPECT_EQ(asip.mode, Mode::asip);

  EXPECT_EQ(siit.ipv4_id, Ipv4IdPolicy::generate);
  EXPECT_EQ(asip.ipv4_id, Ipv4IdPolicy::zero_when_df_clear);
  EXPECT_EQ(siit.fragment_id, FragmentIdPolicy::truncate);
  EXPECT_EQ(asip.fragment_id, FragmentIdPolicy::hash);
  EXPECT_FALSE(siit.fragment_header_mtu_adjust);
  EXPECT_TRUE(asip.fragment_header_mtu_adjust);
  EXPECT_EQ(siit.max_fragmented_flows, 0u);
  EXPECT_GT(asip.max_fragmented_flows, 0u);
}

TEST(ConfigDefaults, SharedSettings) {
  for (Mode m : {Mode::siit, Mode::asip}) {
    const Config c = Config::defaults(m);
    SCOPED_TRACE(std::string(mode_name(m)));
    EXPECT_EQ(c.mtu_v6, 1500);
    EXPECT_EQ(c.mtu_v4, 1500);
    EXPECT_EQ(c.lowest_ipv6_mtu, 1280);
    EXPECT_EQ(c.hairpin, HairpinMode::intrinsic);
    EXPECT_TRUE(c.decrement_ttl);
    EXPECT_FALSE(c.amend_udp_zero_checksum);
    EXPECT_FALSE(c.zeroize_traffic_class);
    EXPECT_FALSE(c.override_tos.has_value());
    EXPECT_FALSE(c.literal_host_unreach_code);
    EXPECT_EQ(c.icmp_errors, IcmpErrorPolicy::send);
    EXPECT_FALSE(c.pool6.has_value());
    EXPECT_TRUE(c.eamt.empty());
    EXPECT_TRUE(c.pool4.empty());
    EXPECT_TRUE(c.static_locators.empty());
  }
}

// --- validate ---------------------------------------------------------------------------------

Config siit_with_pool6() {
  Config c = Config::defaults(Mode::siit);
  EXPECT_TRUE(apply_option(c, "pool6", "64:ff9b::/96").has_value());
  return c;
}

Config asip_with_pool4() {
  Config c = Config::defaults(Mode::asip);
  EXPECT_TRUE(apply_option(c, "pool4", "192.0.2.0/24").has_value());
  return c;
}

TEST(ConfigValidate, SiitNeedsPool6OrEamt) {
  const Config bare = Config::defaults(Mode::siit);
  auto r = bare.validate();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("pool6"), std::string::npos) << r.error();

  EXPECT_TRUE(siit_with_pool6().validate().has_value());

  Config eamt_only = Config::defaults(Mode::siit);
  ASSERT_TRUE(apply_option(eamt_only, "eamt", "2001:db8:3::/120=1.0.0.0/24").has_value());
  EXPECT_TRUE(eamt_only.validate().has_value());
}

// RFC 8200 §5: IPv6 links are at least 1280; RFC 791: IPv4 modules handle 68 unfragmented.
TEST(ConfigValidate, MtuLimits) {
  struct Case {
    u16 Config::*field;
    std::string_view key;
    u16 lowest_ok;
  };
  const Case kCases[] = {
      {&Config::mtu_v6, "mtu.translator.v6", 1280},
      {&Config::lowest_ipv6_mtu, "lowest-ipv6-mtu", 1280},
      {&Config::mtu_v4, "mtu.translator.v4", 68},
  };
  for (const Case& k : kCases) {
    for (Mode m : {Mode::siit, Mode::asip}) {
      Config c = m == Mode::siit ? siit_with_pool6() : asip_with_pool4();
      c.*k.field = k.lowest_ok;
      EXPECT_TRUE(c.validate().has_value()) << k.key << " " << k.lowest_ok;
      c.*k.field = static_cast<u16>(k.lowest_ok - 1);
      auto r = c.validate();
      ASSERT_FALSE(r.has_value()) << k.key << " " << k.lowest_ok - 1 << " was accepted";
      EXPECT_NE(r.error().find(k.key), std::string::npos) << r.error();
      EXPECT_NE(r.error().find(std::to_string(k.lowest_ok - 1)), std::string::npos) << r.error();
      c.*k.field = 0;
      EXPECT_FALSE(c.validate().has_value()) << k.key << " 0";
    }
  }
}

TEST(ConfigValidate, SiitRefusesPool4AndLocators) {
  Config with_pool4 = siit_with_pool6();
  ASSERT_TRUE(apply_option(with_pool4, "pool4", "192.0.2.0/24").has_value());
  auto r = with_pool4.validate();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("pool4"), std::string::npos) << r.error();

  Config with_locator = siit_with_pool6();
  ASSERT_TRUE(apply_option(with_locator, "locator", "192.0.2.0/24=64496").has_value());
  EXPECT_FALSE(with_locator.validate().has_value());
}

TEST(ConfigValidate, AsipNeedsPool4) {
  auto r = Config::defaults(Mode::asip).validate();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("pool4"), std::string::npos) << r.error();
  EXPECT_TRUE(asip_with_pool4().validate().has_value());
}

// 001 §12.7.5: truncated fragment IDs "MUST rate-limit the number of distinct fragmented
// flows", so asip with fragment-id truncate needs max-fragmented-flows > 0.
TEST(ConfigValidate, AsipTruncatedFragmentIdsNeedAFlowLimit) {
  Config c = asip_with_pool4();
  ASSERT_TRUE(apply_options(c, "fragment-id=truncate;max-fragmented-flows=0").has_value());
  auto r = c.validate();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("max-fragmented-flows"), std::string::npos) << r.error();

  ASSERT_TRUE(apply_option(c, "max-fragmented-flows", "1").has_value());
  EXPECT_TRUE(c.validate().has_value());

  Config hashed = asip_with_pool4();
  ASSERT_TRUE(apply_options(hashed, "fragment-id=hash;max-fragmented-flows=0").has_value());
  EXPECT_TRUE(hashed.validate().has_value());

  // SIIT follows RFC 7915 §5.1.1 and has no such requirement.
  Config siit = siit_with_pool6();
  ASSERT_TRUE(apply_options(siit, "fragment-id=truncate;max-fragmented-flows=0").has_value());
  EXPECT_TRUE(siit.validate().has_value());
}

// 001 §12.7.3 (ii): a static locator serves addresses the translator owns.
TEST(ConfigValidate, LocatorMustLieInsidePool4) {
  struct Case {
    std::string_view pool4;
    std::string_view locator;
    bool ok;
  };
  constexpr Case kCases[] = {
      {"192.0.2.0/24", "192.0.2.0/24=64496", true},  {"192.0.2.0/24", "192.0.2.128/25=64496", true},
      {"192.0.2.0/24", "192.0.2.7=64496", true},     {"192.0.2.0/24,198.51.100.0/24", "198.51.100.1=64496", true},
      {"192.0.2.0/24", "198.51.100.1=64496", false}, {"192.0.2.0/24", "192.0.3.0/24=64496", false},
      {"192.0.2.0/25", "192.0.2.0/24=64496", false},  // only half of it is owned
      {"192.0.2.0/25", "192.0.2.128=64496", false},
  };
  for (const Case& k : kCases) {
    Config c = Config::defaults(Mode::asip);
    ASSERT_TRUE(apply_option(c, "pool4", k.pool4).has_value());
    ASSERT_TRUE(apply_option(c, "locator", k.locator).has_value());
    auto r = c.validate();
    EXPECT_EQ(r.has_value(), k.ok) << "pool4 " << k.pool4 << " locator " << k.locator;
    if (!r) {
      EXPECT_NE(r.error().find("locator"), std::string::npos) << r.error();
    }
  }
}

TEST(ConfigValidate, AsipRefusesPool6AndEamt) {
  Config with_pool6 = asip_with_pool4();
  ASSERT_TRUE(apply_option(with_pool6, "pool6", "64:ff9b::/96").has_value());
  auto r = with_pool6.validate();
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("pool6"), std::string::npos) << r.error();

  Config with_eamt = asip_with_pool4();
  ASSERT_TRUE(apply_option(with_eamt, "eamt", "2001:db8:3::/120=1.0.0.0/24").has_value());
  auto e = with_eamt.validate();
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().find("eamt"), std::string::npos) << e.error();
}

}  // namespace
}  // namespace nextip::engine::translate

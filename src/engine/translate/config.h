// The translator's configuration. Keys follow Jool's names where one exists (so the
// `config` column of the RFC 7915 vectors applies as is) and nextip's own otherwise;
// `apply_option` takes the same KEY VALUE pairs as `nextip translate --KEY VALUE`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "base/time.h"
#include "engine/translate/addr_map.h"
#include "engine/translate/locator_table.h"

namespace nextip::engine::translate {

enum class Mode : u8 {
  siit,  // IPv6 <-> IPv4, RFC 7915 with RFC 6052 / RFC 7757 addressing
  asip,  // ASIP (version 8, ICMP-ASIP 143) <-> IPv4, 001 §12.2 and §12.7
};

enum class HairpinMode : u8 { off, simple, intrinsic };  // RFC 7757 §4.2

enum class Ipv4IdPolicy : u8 {
  zero_when_df_clear,  // 001 §12.7.1: ID 0 for small unfragmented packets (DF clear)
  generate,            // RFC 7915 §5.1: every unfragmented packet gets a generated ID
};

enum class FragmentIdPolicy : u8 {
  truncate,  // RFC 7915 §5.1.1: the low 16 bits of the 32-bit Identification
  hash,      // 001 §12.7.5: a keyed hash of (source, destination, Identification)
};

enum class IcmpErrorPolicy : u8 { send, never };

struct StaticLocator {
  Ipv4Prefix v4;
  Locator locator;
};

struct Config {
  Mode mode = Mode::siit;

  // SIIT addressing.
  std::optional<Rfc6052Prefix> pool6;
  Eamt eamt;
  HairpinMode hairpin = HairpinMode::intrinsic;

  // Sources for ICMP errors whose own source cannot be translated (RFC 6791). Empty /
  // nullopt: the translator's own address on that side.
  std::vector<Ipv4Prefix> rfc6791v4;
  std::optional<u128> rfc6791v6;

  // The translator's own addresses: the source of the errors it sends itself.
  std::optional<Ipv4Address> own_v4;
  std::optional<u128> own_v6;  // an IPv6 address, or an ASIP address in ASIP mode

  // MTUs (RFC 7915 §4.1, §5.1): the next-hop link on each side, and the smallest IPv6
  // MTU assumed on the path for DF-clear IPv4 packets (fragment size).
  u16 mtu_v6 = 1500;
  u16 mtu_v4 = 1500;
  u16 lowest_ipv6_mtu = 1280;

  bool amend_udp_zero_checksum = false;  // RFC 7915 §4.5
  bool decrement_ttl = true;             // decision ASIP-10
  bool zeroize_traffic_class = false;    // RFC 7915 §4.1
  std::optional<u8> override_tos;        // RFC 7915 §5.1
  Ipv4IdPolicy ipv4_id = Ipv4IdPolicy::generate;
  FragmentIdPolicy fragment_id = FragmentIdPolicy::truncate;
  // Count the 8-byte Fragment header in MTU arithmetic: +28/-28 instead of +20/-20
  // when a Fragment header is involved (001 §12.7.6). Jool does not (decision SIIT-3).
  bool fragment_header_mtu_adjust = false;
  // Above this many distinct fragmented flows per window, refuse further ones (001
  // §12.7.5, required when fragment IDs are truncated). 0 = no limit.
  u32 max_fragmented_flows = 0;
  base::Duration fragmented_flow_window = base::seconds(30);
  bool literal_host_unreach_code = false;  // decision ASIP-12

  IcmpErrorPolicy icmp_errors = IcmpErrorPolicy::send;
  u32 icmp_errors_per_second = 1000;  // token bucket; 0 = unlimited
  u32 icmp_error_burst = 100;

  // ASIP mode (001 §12.2): the IPv4 addresses the translator owns (h.h.h.h of the ASIP
  // hosts it serves), static source-locator mappings, and the per-flow table.
  std::vector<Ipv4Prefix> pool4;
  std::vector<StaticLocator> static_locators;
  std::size_t locator_capacity = 100000;

  // Seed of the ID generator and the RFC 6791 pick (fixed in tests, random in daemons).
  base::u64 seed = 0x6e657874697021ULL;

  // Mode defaults: ASIP mode takes 001 §12.7's choices (ID 0 when DF is clear, hashed
  // fragment IDs, +28/-28, a fragmented-flow limit); SIIT mode takes RFC 7915's.
  [[nodiscard]] static Config defaults(Mode m);
  // Checks the whole configuration; the error names the key and the value.
  [[nodiscard]] Expected<void, std::string> validate() const;
};

// Sets one option from text: `key` as in `nextip translate --KEY VALUE` (or the
// vectors' config column). The error names the key and the value.
[[nodiscard]] Expected<void, std::string> apply_option(Config& c, std::string_view key, std::string_view value);
// Applies "k=v;k=v;…" (the manifest's config column).
[[nodiscard]] Expected<void, std::string> apply_options(Config& c, std::string_view text);

// Every key apply_option knows, with a one-line help text, for --help and docs.
struct OptionHelp {
  std::string_view key;
  std::string_view value;
  std::string_view help;
};
[[nodiscard]] std::span<const OptionHelp> option_help() noexcept;

}  // namespace nextip::engine::translate

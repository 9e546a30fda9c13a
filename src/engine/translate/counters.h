// Why the translator dropped a packet (one counter each), and the other counters it
// keeps. Every MUST-drop rule of RFC 7915 and of 001 §12 / §14 has its own reason so an
// operator can tell them apart (`nextip translate` prints the name; the daemon exports
// the counters).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace nextip::engine::translate {

// X(name, description)
#define NEXTIP_XLAT_DROPS(X)                                                                             \
  X(v4_malformed, "IPv4 header truncated or malformed")                                                  \
  X(v4_bad_checksum, "IPv4 header checksum does not verify")                                             \
  X(v6_malformed, "IPv6/ASIP header truncated or malformed")                                             \
  X(wrong_version, "version nibble is not the one this side of the translator carries")                  \
  X(jumbogram, "payload length 0 (jumbogram): not translatable")                                         \
  X(ext_malformed, "extension header truncated, or Hop-by-Hop not first")                                \
  X(ext_limits, "extension header chain over the 001 §14.12 limits (8 headers, 256 bytes)")              \
  X(ext_incomplete, "first fragment does not hold the whole header chain (RFC 7112, 001 §14.12)")        \
  X(ext_after_fragment, "extension header after the Fragment header (RFC 7915 §5.1.1)")                  \
  X(double_fragment, "two Fragment headers")                                                             \
  X(segments_left, "Routing header with Segments Left not zero (RFC 7915 §5.1)")                         \
  X(source_route, "unexpired IPv4 source route option (RFC 7915 §4.1)")                                  \
  X(ttl_expired, "TTL or Hop Limit would reach zero")                                                    \
  X(too_big, "larger than the next-hop MTU and not to be fragmented")                                    \
  X(too_big_fragment, "non-first fragment larger than the next-hop MTU (no error for it)")               \
  X(l4_truncated, "transport header missing from an unfragmented packet or first fragment")              \
  X(udp_zero_checksum, "IPv4 UDP with checksum 0 (RFC 7915 §4.5)")                                       \
  X(icmp_malformed, "ICMP message shorter than its header")                                              \
  X(icmp_bad_checksum, "ICMP checksum does not verify")                                                  \
  X(icmp_fragmented, "fragmented ICMP: the checksum cannot be fixed without reassembly (RFC 7915 §1.2)") \
  X(icmp_untranslatable, "ICMP type or code with no translation (RFC 7915 §4.2, §5.2)")                  \
  X(icmp_pointer, "Parameter Problem pointer with no counterpart (RFC 7915 Figures 3 and 6)")            \
  X(icmp_nested_error, "ICMP error quoting an ICMP error (RFC 7915 §4.3, §5.3)")                         \
  X(inner_malformed, "the packet quoted by an ICMP error is malformed")                                  \
  X(inner_fragment, "the packet quoted by an ICMP error is a non-first fragment")                        \
  X(inner_untranslatable, "an address of the quoted packet cannot be translated")                        \
  X(rfc4884_length, "RFC 4884 length attribute longer than the message")                                 \
  X(dst_untranslatable, "destination address cannot be translated")                                      \
  X(src_untranslatable, "source address cannot be translated")                                           \
  X(reserved_address, "address in a range never translated (0/8, 127/8, 169.254/16, 224/4, broadcast)")  \
  X(not_owned, "ASIP: IPv4 destination outside the translator's pool4 (001 §12.2)")                      \
  X(source_not_owned, "ASIP: source h.h.h.h outside the translator's pool4 (001 §12.2)")                 \
  X(not_ipv4_mapped, "ASIP: destination is not IPv4-mapped (r=z=s=0, 001 §12.2)")                        \
  X(fragment_flow_limit, "more concurrent fragmented flows than configured (001 §12.7.5)")               \
  X(offload_unsupported, "offload metadata that cannot be kept (partial checksum or GSO on this packet)")

enum class DropReason : std::uint8_t {
  none,
#define NEXTIP_X(name, text) name,
  NEXTIP_XLAT_DROPS(NEXTIP_X)
#undef NEXTIP_X
      count_
};

inline constexpr std::size_t kDropReasons = static_cast<std::size_t>(DropReason::count_);

[[nodiscard]] std::string_view name(DropReason r) noexcept;
[[nodiscard]] std::string_view describe(DropReason r) noexcept;

struct Stats {
  std::uint64_t in_v4 = 0;            // packets offered on the IPv4 side
  std::uint64_t in_v6 = 0;            // … on the IPv6/ASIP side
  std::uint64_t out_v4 = 0;           // packets emitted toward the IPv4 side (errors included)
  std::uint64_t out_v6 = 0;           // … toward the IPv6/ASIP side
  std::uint64_t translated = 0;       // input packets translated (one per input)
  std::uint64_t fragments_made = 0;   // extra packets made by fragmenting (4 -> 6)
  std::uint64_t hairpinned = 0;       // RFC 7757 §4 / ASIP pool4 loops
  std::uint64_t icmp_generated = 0;   // errors the translator sent itself
  std::uint64_t icmp_suppressed = 0;  // … that policy or the rate limit kept back
  std::uint64_t udp_checksum_amended = 0;
  std::uint64_t rfc6791_used = 0;  // error sources replaced (RFC 6791)
  std::uint64_t rfc4884_kept = 0;  // extensions carried over
  std::uint64_t rfc4884_removed = 0;
  // ASIP (001 §12.7.1-§12.7.3, §14.15)
  std::uint64_t locator_from_flow = 0;
  std::uint64_t locator_from_static = 0;
  std::uint64_t locator_from_pair = 0;
  std::uint64_t locator_missing = 0;      // emitted IPv4-mapped (r=z=s=0)
  std::uint64_t icmp_error_no_state = 0;  // §14.15: ICMP error translations without state
  std::array<std::uint64_t, kDropReasons> drops{};

  [[nodiscard]] std::uint64_t dropped() const noexcept {
    std::uint64_t n = 0;
    for (auto d : drops) n += d;
    return n;
  }
};

}  // namespace nextip::engine::translate

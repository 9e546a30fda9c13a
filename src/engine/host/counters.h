// Why the host adaptor dropped a packet (one counter each), and the other counters it
// keeps. The adaptor rewrites kernel IPv6 <-> ASIP in place (adaptor.h); a packet it
// cannot rewrite faithfully, or that has no meaning on the other side, is dropped with
// one of these reasons. `routine()` marks the ones the kernel produces in normal
// operation (MLD, Router Solicitations … sent into every TUN): count them, do not log.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nextip::engine::host {

// X(name, description)
#define NEXTIP_HOST_DROPS(X)                                                                                        \
  X(truncated, "shorter than the 40-byte header")                                                                   \
  X(wrong_version, "version is not 6 (from the kernel) or 8 (from the ASIP link)")                                  \
  X(payload_beyond_bytes, "payload length runs past the bytes present")                                             \
  X(jumbogram, "payload length 0 with a payload, or a Jumbo Payload option (RFC 2675): ASIP has no jumbograms")     \
  X(unspecified, "unspecified (::) or loopback (::1) source or destination")                                        \
  X(multicast, "multicast or broadcast address (IPv6 ff00::/8 = ASIP 255/8; IPv4-mapped 224/4, 255.255.255.255)")   \
  X(v6_link_local, "IPv6 link-local address (fe80::/10 = ASIP 254.128.0.0/10): link scope on the kernel side")      \
  X(reserved_address,                                                                                               \
    "no ASIP unicast meaning: r = 0 with z or s set (001 §3.3), a reserved range (Table 3), "                      \
    "IPv4-mapped 0/8, 127/8, 169.254/16")                                                                           \
  X(source_not_owned, "from the kernel: source outside the host's own prefixes")                                    \
  X(destination_not_owned, "from the ASIP link: destination outside the host's own prefixes")                       \
  X(peer_not_allowed, "the other end is outside the configured peer prefixes")                                      \
  X(ext_truncated, "an extension header runs past the payload")                                                     \
  X(ext_malformed, "Hop-by-Hop header not first, or two Fragment headers")                                          \
  X(ext_limits, "extension chain over the 001 §14.12 limits (8 headers, 256 bytes)")                                \
  X(ext_incomplete, "first fragment does not hold the chain through the upper-layer header (RFC 7112, 001 §14.12)") \
  X(nh_ambiguous,                                                                                                   \
    "next header 143 from the kernel (IPv6 'Ethernet', RFC 8986) or 58 from the ASIP link "                         \
    "(001 §9): it would cross as the other ICMP")                                                                   \
  X(icmp_truncated, "ICMP message shorter than its header (4 bytes; 8 for an error)")                               \
  X(link_scoped_icmp,                                                                                               \
    "Neighbor Discovery, MLD or router message (types 130-137, 141-143, 148-153): per link, "                       \
    "never crosses (001 §9.2)")                                                                                     \
  X(icmp_bad_checksum, "ICMP checksum does not verify")                                                             \
  X(icmp_error_fragmented, "fragmented ICMP error: its quoted packet cannot be rewritten without reassembly")       \
  X(icmp_nested_error, "ICMP error quoting an ICMP error (RFC 4443 §2.4 e.1)")                                      \
  X(inner_wrong_version, "the packet quoted by an ICMP error is not of the sending side's version")                 \
  X(inner_malformed,                                                                                                \
    "the quoted packet's chain is malformed (Hop-by-Hop not first, two Fragment headers, "                          \
    "over the 001 §14.12 limits)")                                                                                  \
  X(offload_malformed,                                                                                              \
    "offload metadata that does not fit the packet (partial checksum outside the transport "                        \
    "header, GSO type against the protocol)")

enum class HostDrop : std::uint8_t {
  none,
#define NEXTIP_X(name, text) name,
  NEXTIP_HOST_DROPS(NEXTIP_X)
#undef NEXTIP_X
      count_
};

inline constexpr std::size_t kHostDrops = static_cast<std::size_t>(HostDrop::count_);

[[nodiscard]] std::string_view name(HostDrop r) noexcept;
[[nodiscard]] std::string_view describe(HostDrop r) noexcept;
// Drops that a healthy kernel causes all the time (MLD reports, Router Solicitations,
// link-local chatter): the daemon counts them but does not log them.
[[nodiscard]] bool routine(HostDrop r) noexcept;

struct HostStats {
  std::uint64_t to_asip = 0;                      // packets rewritten kernel -> ASIP
  std::uint64_t to_kernel = 0;                    // packets rewritten ASIP -> kernel
  std::uint64_t icmp_renamed = 0;                 // ICMP messages (or fragments) whose next header changed 58 <-> 143
  std::uint64_t quoted_rewritten = 0;             // ICMP errors whose quoted packet was rewritten too
  std::uint64_t checksums_finished = 0;           // partial ICMP checksums finished in software (offload cleared)
  std::uint64_t dropped_to_asip = 0;              // drops, kernel -> ASIP
  std::uint64_t dropped_to_kernel = 0;            // drops, ASIP -> kernel
  std::array<std::uint64_t, kHostDrops> drops{};  // by reason, both directions

  [[nodiscard]] std::uint64_t drops_for(HostDrop r) const noexcept { return drops[static_cast<std::size_t>(r)]; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_to_asip + dropped_to_kernel; }
};

}  // namespace nextip::engine::host

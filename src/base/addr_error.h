// ParseError: why an address text was refused, where, and in which family.
// Parsers return it by value (no allocation); describe() renders it for people:
//   asip: at 14: host field (h.h.h.h) may not be compressed (§6.3 rule 5)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/family.h"

namespace nextip::base {

// One list, three uses: the enum, code_name() and describe(). Each entry says what
// was wrong and what was expected instead.
#define NEXTIP_ADDR_ERRORS(X)                                                                         \
  X(ok, "no error")                                                                                   \
  /* shared lexical errors */                                                                         \
  X(empty, "empty text; expected an address")                                                         \
  X(too_long, "text too long for this family")                                                        \
  X(unexpected_char, "unexpected character")                                                          \
  X(expected_digit, "expected a decimal digit")                                                       \
  X(expected_hex_digit, "expected a hexadecimal digit")                                               \
  X(expected_dot, "expected '.'")                                                                     \
  X(expected_colon, "expected ':'")                                                                   \
  X(leading_zero, "leading zero in a decimal number (write numbers without leading zeros)")           \
  X(octet_range, "octet out of range (expected 0-255)")                                               \
  X(asn_range, "ASN out of range (expected 0-4294967295)")                                            \
  X(hex_group_too_long, "hex group too long (expected 1-4 hex digits)")                               \
  X(trailing_text, "unexpected text after the address")                                               \
  /* IPv4 dotted quad */                                                                              \
  X(ipv4_octet_count, "IPv4 address needs exactly 4 octets (a.b.c.d)")                                \
  /* ASIP, 001 section 6 */                                                                           \
  X(asip_too_many_fields, "more than four fields (r.r.r.r:z.z.z.z:s.s.s.s:h.h.h.h)")                  \
  X(asip_too_few_fields, "fewer than four fields and no '::' (§6.5 step 5)")                          \
  X(asip_double_compression, "'::' may appear only once (§6.3 rule 2)")                               \
  X(asip_host_compressed, "host field (h.h.h.h) may not be compressed (§6.3 rule 5)")                 \
  X(asip_compression_empty, "'::' with four explicit fields compresses nothing (§6.5)")               \
  X(asip_integer_not_first,                                                                           \
    "only the first field (r.r.r.r) may be an ASN integer (§6.2); expected z.z.z.z, "                \
    "s.s.s.s or h.h.h.h")                                                                             \
  X(asip_host_not_dotted, "host field must be dotted decimal h.h.h.h (§6.3 rule 5)")                  \
  X(asip_field_octet_count, "field needs exactly 4 octets (or an ASN integer in r.r.r.r)")            \
  X(asip_flat_octet_count, "flat dotted form needs exactly 16 octets (§6.6)")                         \
  /* IPv8, thain facts "Addressing" */                                                                \
  X(ipv8_part_count, "expected 8 octets (r.r.r.r.h.h.h.h), ASN-dot (ASN.h.h.h.h) or r.r.r.r:h.h.h.h") \
  X(ipv8_colon_form, "colon form needs r.r.r.r:h.h.h.h with two dotted quads")                        \
  /* IPxl, 002 "Shorthand" */                                                                         \
  X(ipxl_part_count,                                                                                  \
    "IPxl address needs 5 to 8 numbers; only leading zeros may be dropped, never "                    \
    "trailing numbers")                                                                               \
  /* IPv4.5, 003 addr-text */                                                                         \
  X(ipv45_separator_count, "expected exactly two '::' separators (locator::site::eid)")               \
  X(ipv45_eid_group_count, "EID needs exactly three 16-bit hex groups (g:g:g)")                       \
  X(ipv45_site_empty, "site ID needs 1-4 hex digits")                                                 \
  /* IPv6 text */                                                                                     \
  X(ipv6_syntax, "not an IPv6 address (RFC 4291 section 2.2)")                                        \
  /* prefixes */                                                                                      \
  X(prefix_missing_length, "expected '/' and a prefix length")                                        \
  X(prefix_length_range, "prefix length out of range for this family")                                \
  X(prefix_host_bits_set, "address has bits set beyond the prefix length")                            \
  X(ipxl_prefix_negative_zero, "'/-0' is not a prefix length (use /-32../-1 or /0../32)")             \
  /* URL form, 001 section 13.3 */                                                                    \
  X(url_missing_close_bracket, "expected ']' closing the bracketed address")                          \
  X(url_port_range, "port out of range (expected 0-65535)")                                           \
  X(url_expected_port, "expected ':' and a port after ']'")                                           \
  /* detection */                                                                                     \
  X(no_family, "not an address of any known family")

enum class AddrErrc : std::uint8_t {
#define NEXTIP_X(name, text) name,
  NEXTIP_ADDR_ERRORS(NEXTIP_X)
#undef NEXTIP_X
};

struct ParseError {
  Family family = Family::ipv4;
  AddrErrc code = AddrErrc::ok;
  std::uint16_t pos = 0;  // 0-based offset into the parsed text

  friend constexpr bool operator==(const ParseError&, const ParseError&) = default;
};

// What went wrong and what was expected, without family or position.
[[nodiscard]] std::string_view describe(AddrErrc code) noexcept;

// "family: at POS: description", quoting the offending character when `input` is given.
[[nodiscard]] std::string to_string(const ParseError& e, std::string_view input = {});

// The name of the code as written in tests and JSON ("asip_host_compressed").
[[nodiscard]] std::string_view code_name(AddrErrc code) noexcept;

}  // namespace nextip::base

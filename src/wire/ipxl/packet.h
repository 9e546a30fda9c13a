// IPxl packets (002): IPv4 with option 29 at bit 160 carrying 64-bit addresses.
//
//   bytes 12-19  64-bit destination (where IPv4 keeps source and destination)
//   bytes 20-23  option 0x9d (copy 1, class 0, number 29), length 12, two unused bytes
//   bytes 24-31  64-bit source
//   bytes 32-    further options, IHL >= 8
// Detection is exactly the text's rule: IHL >= 8 and the 16 bits at bit 160 are 0x9d0c
// (decision IPXL-10: "Set to 0x9e" is a typo). A packet without the option is plain
// IPv4 between 0.0.0.1-prefixed addresses, and a builder emits that plain form
// whenever both ends are 0.0.0.1-prefixed (002, Sockets API).
#pragma once

#include <array>

#include "wire/inet/ipv4.h"
#include "wire/ipxl/address.h"

namespace nextip::ipxl {

using base::Bytes;
using base::MutBytes;
using base::u16;
using base::u8;
using base::WireErrc;
using base::WireResult;

inline constexpr u8 kOptionType = 0x9d;
inline constexpr u8 kOptionLength = 12;
inline constexpr std::size_t kOptionOffset = 20;
inline constexpr std::size_t kSourceOffset = 24;
inline constexpr std::size_t kExtendedHeaderLen = 32;

// The detection rule of 002 "How it works", on any IPv4 header bytes.
[[nodiscard]] inline bool is_extended(const inet::Ipv4View<Bytes>& v) noexcept {
  return v.ihl() >= 8 && base::load_be16(v.bytes().data() + kOptionOffset) == ((kOptionType << 8) | kOptionLength);
}

template <class B>
class PacketView {
 public:
  // A checked IPv4 packet; extended or plain form.
  [[nodiscard]] static WireResult<PacketView> checked(B buf) noexcept {
    auto v = inet::Ipv4View<B>::checked(buf);
    if (!v) return nextip::unexpected(v.error());
    return PacketView(*v);
  }
  explicit PacketView(inet::Ipv4View<B> v) noexcept : ip_(v) {}

  [[nodiscard]] const inet::Ipv4View<B>& ip() const noexcept { return ip_; }
  [[nodiscard]] bool extended() const noexcept {
    return is_extended(inet::Ipv4View<Bytes>::unchecked(Bytes(ip_.bytes().data(), ip_.bytes().size())));
  }
  [[nodiscard]] Address dst() const noexcept {
    return extended() ? Address::from_uint(base::load_be64(ip_.bytes().data() + 12)) : Address::from_ipv4(ip_.dst());
  }
  [[nodiscard]] Address src() const noexcept {
    return extended() ? Address::from_uint(base::load_be64(ip_.bytes().data() + kSourceOffset))
                      : Address::from_ipv4(ip_.src());
  }
  [[nodiscard]] u16 option_unused() const noexcept {
    return extended() ? base::load_be16(ip_.bytes().data() + kOptionOffset + 2) : 0;
  }
  // Options after option 29 (or all options of a plain packet).
  [[nodiscard]] B more_options() const noexcept {
    const std::size_t from = extended() ? kExtendedHeaderLen : inet::ipv4_field::kOptions;
    return ip_.bytes().subspan(from, ip_.header_len() - from);
  }
  [[nodiscard]] B payload() const noexcept { return ip_.payload(); }
  // Decision IPXL-4: the IPv4 pseudo-header over the 32-bit words at bytes 12 and 16,
  // as an unmodified IPv4 stack or middlebox computes it.
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 proto, u16 length) const noexcept {
    return base::checksum::ipv4_pseudo_header(base::load_be32(ip_.bytes().data() + 12),
                                              base::load_be32(ip_.bytes().data() + 16), proto, length);
  }

 private:
  inet::Ipv4View<B> ip_;
};

struct PacketRepr {
  Address src;
  Address dst;
  u8 protocol = 0;
  u8 tos = 0;
  u8 ttl = 64;
  u16 identification = 0;
  bool dont_fragment = false;
  bool more_fragments = false;
  u16 fragment_offset = 0;
  u16 payload_len = 0;
  std::array<std::byte, 40> more_options{};  // after option 29 (at most 28), or all of a plain packet's (40)
  u8 more_options_len = 0;

  // Verifies the IPv4 header checksum.
  [[nodiscard]] static WireResult<PacketRepr> parse(const PacketView<Bytes>& v) noexcept;
  // Plain IPv4 when both addresses are 0.0.0.1-prefixed, else the option 29 form.
  [[nodiscard]] bool needs_option() const noexcept { return !(src.is_ipv4() && dst.is_ipv4()); }
  [[nodiscard]] std::size_t header_len() const noexcept {
    return (needs_option() ? kExtendedHeaderLen : inet::ipv4_field::kMinHeader) + more_options_len;
  }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return header_len() + payload_len; }
  void emit(MutBytes buf) const noexcept;
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 proto, u16 length) const noexcept;
  friend bool operator==(const PacketRepr&, const PacketRepr&) = default;
};

}  // namespace nextip::ipxl

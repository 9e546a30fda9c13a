// IPv4 header (RFC 791): view, options walker and Repr.
//
// Ipv4View::checked() checks what every reader needs before touching a field: 20 bytes
// present, version 4, IHL >= 5 and within the buffer, total length within the buffer
// and not below the header, and every option well formed and inside the header. The
// returned view is cut to the total length (link padding dropped). The header checksum
// is checked by Ipv4Repr::parse() (a dissector reports it instead of refusing).
#pragma once

#include <array>
#include <optional>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"
#include "wire/inet/ipv4_address.h"

namespace nextip::inet {

namespace ipv4_field {
inline constexpr std::size_t kVersionIhl = 0;
inline constexpr std::size_t kTos = 1;
inline constexpr std::size_t kTotalLength = 2;
inline constexpr std::size_t kIdentification = 4;
inline constexpr std::size_t kFlagsFragment = 6;
inline constexpr std::size_t kTtl = 8;
inline constexpr std::size_t kProtocol = 9;
inline constexpr std::size_t kChecksum = 10;
inline constexpr std::size_t kSource = 12;
inline constexpr std::size_t kDestination = 16;
inline constexpr std::size_t kOptions = 20;
inline constexpr std::size_t kMinHeader = 20;
inline constexpr std::size_t kMaxHeader = 60;

inline constexpr FieldSpan kLayout[] = {
    {"ip.version", 0, 1}, {"ip.tos", 1, 1},   {"ip.len", 2, 2},       {"ip.id", 4, 2},   {"ip.flags", 6, 2},
    {"ip.ttl", 8, 1},     {"ip.proto", 9, 1}, {"ip.checksum", 10, 2}, {"ip.src", 12, 4}, {"ip.dst", 16, 4},
};
}  // namespace ipv4_field

inline constexpr u16 kIpv4FlagDf = 0x4000;
inline constexpr u16 kIpv4FlagMf = 0x2000;
inline constexpr u16 kIpv4FragOffsetMask = 0x1fff;

// IP protocol numbers used across nextip.
namespace proto {
inline constexpr u8 kHopByHop = 0;
inline constexpr u8 kIcmp = 1;
inline constexpr u8 kIpv4 = 4;
inline constexpr u8 kTcp = 6;
inline constexpr u8 kUdp = 17;
inline constexpr u8 kIpv6 = 41;
inline constexpr u8 kRouting = 43;
inline constexpr u8 kFragment = 44;
inline constexpr u8 kEsp = 50;
inline constexpr u8 kAh = 51;
inline constexpr u8 kIcmpv6 = 58;
inline constexpr u8 kNoNextHeader = 59;
inline constexpr u8 kDestinationOptions = 60;
inline constexpr u8 kIcmpAsip = 143;  // 001 §15.5 (requested value)
inline constexpr u8 kIpv45 = 144;     // 003 iana-proto (requested value)
}  // namespace proto

// One IPv4 option as found by the walker.
struct Ipv4Option {
  u8 type = 0;
  Bytes data;              // the option's bytes after type and length (empty for EOL/NOP)
  std::size_t offset = 0;  // of the type byte, from the start of the IPv4 header
};

// Walks the options area [20, header_len). next() returns the next option (End of
// Option List too, once: what follows it is padding), nullopt at the end, or an error
// naming the bad option.
class Ipv4OptionWalker {
 public:
  Ipv4OptionWalker(Bytes header, std::size_t header_len) noexcept : h_(header), end_(header_len) {}
  [[nodiscard]] WireResult<std::optional<Ipv4Option>> next() noexcept;

 private:
  Bytes h_;
  std::size_t pos_ = ipv4_field::kOptions;
  std::size_t end_;
};

template <class B>
class Ipv4View : public base::ByteView<B> {
  using Base = base::ByteView<B>;

 public:
  using Base::Base;

  [[nodiscard]] static WireResult<Ipv4View> checked(B buf) noexcept {
    using namespace ipv4_field;
    if (buf.size() < kMinHeader) return nextip::unexpected(base::first_missing(kLayout, buf.size()));
    const Ipv4View v(buf);
    if (v.version() != 4) return base::wire_fail(WireErrc::bad_version, "ip.version", 0);
    if (v.ihl() < 5) return base::wire_fail(WireErrc::bad_header_length, "ip.hdr_len", 0);
    if (v.header_len() > buf.size()) return base::wire_fail(WireErrc::truncated, "ip.options", kOptions);
    if (v.total_length() < v.header_len()) return base::wire_fail(WireErrc::bad_length, "ip.len", kTotalLength);
    if (v.total_length() > buf.size()) return base::wire_fail(WireErrc::truncated, "ip.payload", v.header_len());
    Ipv4OptionWalker w(base::Bytes(buf.data(), buf.size()), v.header_len());
    for (;;) {
      auto o = w.next();
      if (!o) return nextip::unexpected(o.error());
      if (!*o) break;
    }
    return Ipv4View(buf.first(v.total_length()));
  }
  [[nodiscard]] static Ipv4View unchecked(B buf) noexcept { return Ipv4View(buf); }

  [[nodiscard]] u8 version() const noexcept { return static_cast<u8>(this->get8(ipv4_field::kVersionIhl) >> 4); }
  [[nodiscard]] u8 ihl() const noexcept { return static_cast<u8>(this->get8(ipv4_field::kVersionIhl) & 0xf); }
  [[nodiscard]] std::size_t header_len() const noexcept { return std::size_t{ihl()} * 4; }
  [[nodiscard]] u8 tos() const noexcept { return this->get8(ipv4_field::kTos); }
  [[nodiscard]] u16 total_length() const noexcept { return this->get16(ipv4_field::kTotalLength); }
  [[nodiscard]] u16 identification() const noexcept { return this->get16(ipv4_field::kIdentification); }
  [[nodiscard]] u16 flags_fragment() const noexcept { return this->get16(ipv4_field::kFlagsFragment); }
  [[nodiscard]] bool reserved_flag() const noexcept { return (flags_fragment() & 0x8000) != 0; }
  [[nodiscard]] bool dont_fragment() const noexcept { return (flags_fragment() & kIpv4FlagDf) != 0; }
  [[nodiscard]] bool more_fragments() const noexcept { return (flags_fragment() & kIpv4FlagMf) != 0; }
  // In 8-byte units.
  [[nodiscard]] u16 fragment_offset() const noexcept {
    return static_cast<u16>(flags_fragment() & kIpv4FragOffsetMask);
  }
  [[nodiscard]] bool is_fragment() const noexcept { return more_fragments() || fragment_offset() != 0; }
  [[nodiscard]] u8 ttl() const noexcept { return this->get8(ipv4_field::kTtl); }
  [[nodiscard]] u8 protocol() const noexcept { return this->get8(ipv4_field::kProtocol); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(ipv4_field::kChecksum); }
  [[nodiscard]] Ipv4Address src() const noexcept { return Ipv4Address(this->get32(ipv4_field::kSource)); }
  [[nodiscard]] Ipv4Address dst() const noexcept { return Ipv4Address(this->get32(ipv4_field::kDestination)); }
  [[nodiscard]] B options() const noexcept {
    return this->buf_.subspan(ipv4_field::kOptions, header_len() - ipv4_field::kOptions);
  }
  [[nodiscard]] B header() const noexcept { return this->buf_.first(header_len()); }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(header_len()); }
  [[nodiscard]] bool checksum_ok() const noexcept {
    return base::checksum::verifies(base::checksum::Sum().add(base::Bytes(header().data(), header_len())));
  }

  void set_version_ihl(u8 ihl) const noexcept {
    this->set8(ipv4_field::kVersionIhl, static_cast<u8>(0x40 | (ihl & 0xf)));
  }
  void set_tos(u8 v) const noexcept { this->set8(ipv4_field::kTos, v); }
  void set_total_length(u16 v) const noexcept { this->set16(ipv4_field::kTotalLength, v); }
  void set_identification(u16 v) const noexcept { this->set16(ipv4_field::kIdentification, v); }
  void set_flags_fragment(u16 v) const noexcept { this->set16(ipv4_field::kFlagsFragment, v); }
  void set_ttl(u8 v) const noexcept { this->set8(ipv4_field::kTtl, v); }
  void set_protocol(u8 v) const noexcept { this->set8(ipv4_field::kProtocol, v); }
  void set_checksum(u16 v) const noexcept { this->set16(ipv4_field::kChecksum, v); }
  void set_src(Ipv4Address a) const noexcept { this->set32(ipv4_field::kSource, a.value()); }
  void set_dst(Ipv4Address a) const noexcept { this->set32(ipv4_field::kDestination, a.value()); }
  // Computes and stores the header checksum.
  void fill_checksum() const noexcept {
    set_checksum(0);
    set_checksum(base::checksum::internet_checksum(base::Bytes(this->buf_.data(), header_len())));
  }
};

// The semantic content of an IPv4 header.
struct Ipv4Repr {
  Ipv4Address src;
  Ipv4Address dst;
  u8 protocol = 0;
  u8 tos = 0;
  u8 ttl = 64;
  u16 identification = 0;
  bool dont_fragment = false;
  bool more_fragments = false;
  u16 fragment_offset = 0;  // 8-byte units
  u16 payload_len = 0;
  std::array<std::byte, 40> options{};
  u8 options_len = 0;  // a multiple of 4, at most 40

  // Refuses a bad header checksum and a set reserved flag.
  [[nodiscard]] static WireResult<Ipv4Repr> parse(const Ipv4View<Bytes>& v) noexcept;
  [[nodiscard]] std::size_t header_len() const noexcept { return ipv4_field::kMinHeader + options_len; }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return header_len() + payload_len; }
  // Writes the header (with checksum) into the first header_len() bytes of `buf`.
  void emit(MutBytes buf) const noexcept;

  friend bool operator==(const Ipv4Repr&, const Ipv4Repr&) = default;
};

}  // namespace nextip::inet

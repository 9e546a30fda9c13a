// IPv8 packets (thain-ipv8-facts.md, "Header"): IPv4's header with both addresses
// widened to 64 bits, 28 bytes: first byte 0x87 (version 8, IHL 7), ToS, total length,
// identification, flags/fragment offset, TTL, protocol (IPv4 numbers), header checksum
// (IPv4 one's complement over the 28 bytes), source r, source h, destination r,
// destination h. IHL other than 7 is refused: the draft defines no options (IPV8-8).
//
// ICMPv8 (decision IPV8-5): protocol 1 inside IPv8 with ICMPv4 numbering and layout;
// the Redirect gateway is 64 bits (8 bytes after the checksum) and errors quote the
// IPv8 header (28 bytes) plus the first 8 bytes of its payload.
#pragma once

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"
#include "wire/inet/icmpv4.h"
#include "wire/ipv8/address.h"

namespace nextip::ipv8 {

using base::Bytes;
using base::MutBytes;
using base::u16;
using base::u8;
using base::WireErrc;
using base::WireResult;

inline constexpr u8 kVersion = 8;
inline constexpr u8 kIhl = 7;
inline constexpr std::size_t kHeaderLen = 28;

namespace field {
inline constexpr std::size_t kVersionIhl = 0;
inline constexpr std::size_t kTos = 1;
inline constexpr std::size_t kTotalLength = 2;
inline constexpr std::size_t kIdentification = 4;
inline constexpr std::size_t kFlagsFragment = 6;
inline constexpr std::size_t kTtl = 8;
inline constexpr std::size_t kProtocol = 9;
inline constexpr std::size_t kChecksum = 10;
inline constexpr std::size_t kSource = 12;
inline constexpr std::size_t kDestination = 20;
inline constexpr base::FieldSpan kLayout[] = {{"ipv8.version", 0, 1}, {"ipv8.tos", 1, 1},       {"ipv8.len", 2, 2},
                                              {"ipv8.id", 4, 2},      {"ipv8.flags", 6, 2},     {"ipv8.ttl", 8, 1},
                                              {"ipv8.proto", 9, 1},   {"ipv8.checksum", 10, 2}, {"ipv8.src.r", 12, 4},
                                              {"ipv8.src.h", 16, 4},  {"ipv8.dst.r", 20, 4},    {"ipv8.dst.h", 24, 4}};
}  // namespace field

template <class B>
class HeaderView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  [[nodiscard]] static WireResult<HeaderView> checked(B buf) noexcept {
    if (buf.size() < kHeaderLen) return nextip::unexpected(base::first_missing(field::kLayout, buf.size()));
    const HeaderView v(buf);
    if (v.version() != kVersion) return base::wire_fail(WireErrc::bad_version, "ipv8.version", 0);
    if (v.ihl() != kIhl) return base::wire_fail(WireErrc::bad_header_length, "ipv8.hdr_len", 0);
    if (v.total_length() < kHeaderLen) return base::wire_fail(WireErrc::bad_length, "ipv8.len", field::kTotalLength);
    if (v.total_length() > buf.size()) return base::wire_fail(WireErrc::truncated, "ipv8.payload", kHeaderLen);
    return HeaderView(buf.first(v.total_length()));
  }
  [[nodiscard]] static HeaderView unchecked(B buf) noexcept { return HeaderView(buf); }

  [[nodiscard]] u8 version() const noexcept { return static_cast<u8>(this->get8(0) >> 4); }
  [[nodiscard]] u8 ihl() const noexcept { return static_cast<u8>(this->get8(0) & 0xf); }
  [[nodiscard]] u8 tos() const noexcept { return this->get8(field::kTos); }
  [[nodiscard]] u16 total_length() const noexcept { return this->get16(field::kTotalLength); }
  [[nodiscard]] u16 identification() const noexcept { return this->get16(field::kIdentification); }
  [[nodiscard]] u16 flags_fragment() const noexcept { return this->get16(field::kFlagsFragment); }
  [[nodiscard]] bool dont_fragment() const noexcept { return (flags_fragment() & 0x4000) != 0; }
  [[nodiscard]] bool more_fragments() const noexcept { return (flags_fragment() & 0x2000) != 0; }
  [[nodiscard]] u16 fragment_offset() const noexcept { return static_cast<u16>(flags_fragment() & 0x1fff); }
  [[nodiscard]] u8 ttl() const noexcept { return this->get8(field::kTtl); }
  [[nodiscard]] u8 protocol() const noexcept { return this->get8(field::kProtocol); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(field::kChecksum); }
  [[nodiscard]] Address src() const noexcept { return Address::from_uint(this->get64(field::kSource)); }
  [[nodiscard]] Address dst() const noexcept { return Address::from_uint(this->get64(field::kDestination)); }
  [[nodiscard]] B header() const noexcept { return this->buf_.first(kHeaderLen); }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(kHeaderLen); }
  [[nodiscard]] bool checksum_ok() const noexcept {
    return base::checksum::verifies(base::checksum::Sum().add(Bytes(this->buf_.data(), kHeaderLen)));
  }
  // Decision IPV8-6: the IPv4 pseudo-header with 64-bit addresses (src, dst, zero,
  // protocol, upper-layer length) for TCP/UDP over IPv8.
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 proto, u16 length) const noexcept {
    base::checksum::Sum s;
    s.add(Bytes(this->buf_.data() + field::kSource, 16)).add16(proto).add16(length);
    return s;
  }

  void set_checksum(u16 v) const noexcept { this->set16(field::kChecksum, v); }
  void set_ttl(u8 v) const noexcept { this->set8(field::kTtl, v); }
  void fill_checksum() const noexcept {
    set_checksum(0);
    set_checksum(base::checksum::internet_checksum(Bytes(this->buf_.data(), kHeaderLen)));
  }
};

struct HeaderRepr {
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

  [[nodiscard]] static WireResult<HeaderRepr> parse(const HeaderView<Bytes>& v) noexcept;
  [[nodiscard]] static constexpr std::size_t header_len() noexcept { return kHeaderLen; }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return kHeaderLen + payload_len; }
  void emit(MutBytes buf) const noexcept;
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 proto, u16 length) const noexcept;
  friend bool operator==(const HeaderRepr&, const HeaderRepr&) = default;
};

// ICMPv8 (decision IPV8-5): ICMPv4 types and layout; Redirect carries a 64-bit gateway.
inline constexpr std::size_t kIcmpRedirectDataOffset = 12;

struct IcmpRepr {
  u8 type = 0;
  u8 code = 0;
  u16 echo_id = 0;
  u16 echo_seq = 0;
  u16 next_hop_mtu = 0;
  u8 pointer = 0;
  Address gateway;     // Redirect
  base::u32 rest = 0;  // the bits of the 4 bytes after the checksum that no field above
                       // models (all 32 for types nextip does not model; the RFC 4884
                       // length byte of errors), so every message survives a round trip
  Bytes data;          // echo payload or the quoted packet

  // Checks length, type layout and checksum (no pseudo-header, as ICMPv4).
  [[nodiscard]] static WireResult<IcmpRepr> parse(Bytes msg, bool verify_checksum = true) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept;
  void emit(MutBytes buf) const noexcept;
  friend bool operator==(const IcmpRepr& a, const IcmpRepr& b) noexcept;
};

}  // namespace nextip::ipv8

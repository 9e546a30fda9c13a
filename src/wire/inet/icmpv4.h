// ICMPv4 (RFC 792, RFC 1191 next-hop MTU, RFC 4884 length field): echo, destination
// unreachable (with the quoted packet and, for code 4, the next-hop MTU), time
// exceeded, parameter problem, redirect. One view, one Repr for every type.
#pragma once

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"
#include "wire/inet/ipv4_address.h"

namespace nextip::inet {

namespace icmpv4_type {
inline constexpr u8 kEchoReply = 0;
inline constexpr u8 kDestUnreachable = 3;
inline constexpr u8 kRedirect = 5;
inline constexpr u8 kEchoRequest = 8;
inline constexpr u8 kTimeExceeded = 11;
inline constexpr u8 kParameterProblem = 12;
}  // namespace icmpv4_type

namespace icmpv4_unreach {
inline constexpr u8 kNet = 0;
inline constexpr u8 kHost = 1;
inline constexpr u8 kProtocol = 2;
inline constexpr u8 kPort = 3;
inline constexpr u8 kFragNeeded = 4;
inline constexpr u8 kSourceRoute = 5;
inline constexpr u8 kAdminProhibited = 13;
}  // namespace icmpv4_unreach

namespace icmpv4_field {
inline constexpr std::size_t kType = 0;
inline constexpr std::size_t kCode = 1;
inline constexpr std::size_t kChecksum = 2;
inline constexpr std::size_t kRest = 4;
inline constexpr std::size_t kData = 8;
inline constexpr base::FieldSpan kLayout[] = {
    {"icmp.type", 0, 1}, {"icmp.code", 1, 1}, {"icmp.checksum", 2, 2}, {"icmp.rest", 4, 4}};
}  // namespace icmpv4_field

// Whether a type is an error message that quotes the offending packet.
[[nodiscard]] constexpr bool icmpv4_is_error(u8 type) noexcept {
  return type == icmpv4_type::kDestUnreachable || type == icmpv4_type::kTimeExceeded ||
         type == icmpv4_type::kParameterProblem || type == icmpv4_type::kRedirect || type == 4 /* source quench */;
}

template <class B>
class Icmpv4View : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  [[nodiscard]] static WireResult<Icmpv4View> checked(B buf) noexcept {
    if (buf.size() < icmpv4_field::kData) {
      return nextip::unexpected(base::first_missing(icmpv4_field::kLayout, buf.size()));
    }
    return Icmpv4View(buf);
  }
  [[nodiscard]] static Icmpv4View unchecked(B buf) noexcept { return Icmpv4View(buf); }

  [[nodiscard]] u8 type() const noexcept { return this->get8(icmpv4_field::kType); }
  [[nodiscard]] u8 code() const noexcept { return this->get8(icmpv4_field::kCode); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(icmpv4_field::kChecksum); }
  [[nodiscard]] base::u32 rest() const noexcept { return this->get32(icmpv4_field::kRest); }
  [[nodiscard]] u16 echo_id() const noexcept { return this->get16(4); }
  [[nodiscard]] u16 echo_seq() const noexcept { return this->get16(6); }
  [[nodiscard]] u16 next_hop_mtu() const noexcept { return this->get16(6); }                  // unreachable code 4
  [[nodiscard]] u8 pointer() const noexcept { return this->get8(4); }                         // parameter problem
  [[nodiscard]] Ipv4Address gateway() const noexcept { return Ipv4Address(this->get32(4)); }  // redirect
  // RFC 4884: length of the original datagram in 32-bit words (0 = not used).
  [[nodiscard]] u8 rfc4884_length() const noexcept { return this->get8(5); }
  [[nodiscard]] B data() const noexcept { return this->buf_.subspan(icmpv4_field::kData); }
  [[nodiscard]] bool checksum_ok() const noexcept {
    return base::checksum::verifies(base::checksum::Sum().add(Bytes(this->buf_.data(), this->buf_.size())));
  }

  void set_checksum(u16 v) const noexcept { this->set16(icmpv4_field::kChecksum, v); }
  void fill_checksum() const noexcept {
    set_checksum(0);
    set_checksum(base::checksum::internet_checksum(Bytes(this->buf_.data(), this->buf_.size())));
  }
};

// Every ICMPv4 message: the type-specific 4 bytes are kept as typed fields, `data` is
// the echo payload or the quoted packet (a span into the parsed buffer).
struct Icmpv4Repr {
  u8 type = 0;
  u8 code = 0;
  u16 echo_id = 0;
  u16 echo_seq = 0;
  u16 next_hop_mtu = 0;
  u8 pointer = 0;
  u8 rfc4884_length = 0;
  Ipv4Address gateway;
  base::u32 rest_raw = 0;  // for types nextip does not model
  Bytes data;

  [[nodiscard]] static WireResult<Icmpv4Repr> parse(const Icmpv4View<Bytes>& v) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return icmpv4_field::kData + data.size(); }
  // Writes the whole message (header, data, checksum) into buffer_len() bytes.
  void emit(MutBytes buf) const noexcept;
  friend bool operator==(const Icmpv4Repr& a, const Icmpv4Repr& b) noexcept;
};

}  // namespace nextip::inet

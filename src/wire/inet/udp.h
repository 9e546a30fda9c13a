// UDP (RFC 768). The checksum covers a pseudo-header the caller supplies (IPv4, IPv6,
// ASIP, IPv8…), so the same codec serves every network layer.
#pragma once

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

namespace udp_field {
inline constexpr std::size_t kSrcPort = 0;
inline constexpr std::size_t kDstPort = 2;
inline constexpr std::size_t kLength = 4;
inline constexpr std::size_t kChecksum = 6;
inline constexpr std::size_t kHeader = 8;
inline constexpr base::FieldSpan kLayout[] = {
    {"udp.srcport", 0, 2}, {"udp.dstport", 2, 2}, {"udp.length", 4, 2}, {"udp.checksum", 6, 2}};
}  // namespace udp_field

template <class B>
class UdpView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  // 8 bytes present, length field >= 8 and within the buffer; the view is cut to it.
  [[nodiscard]] static WireResult<UdpView> checked(B buf) noexcept {
    if (buf.size() < udp_field::kHeader) return nextip::unexpected(base::first_missing(udp_field::kLayout, buf.size()));
    const UdpView v(buf);
    if (v.length() < udp_field::kHeader) return base::wire_fail(WireErrc::bad_length, "udp.length", udp_field::kLength);
    if (v.length() > buf.size()) return base::wire_fail(WireErrc::truncated, "udp.payload", udp_field::kHeader);
    return UdpView(buf.first(v.length()));
  }
  [[nodiscard]] static UdpView unchecked(B buf) noexcept { return UdpView(buf); }

  [[nodiscard]] u16 src_port() const noexcept { return this->get16(udp_field::kSrcPort); }
  [[nodiscard]] u16 dst_port() const noexcept { return this->get16(udp_field::kDstPort); }
  [[nodiscard]] u16 length() const noexcept { return this->get16(udp_field::kLength); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(udp_field::kChecksum); }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(udp_field::kHeader); }
  // `pseudo` is the network layer's pseudo-header sum. A zero checksum means "none"
  // (allowed over IPv4 only; the caller decides).
  [[nodiscard]] bool checksum_ok(const base::checksum::Sum& pseudo) const noexcept {
    base::checksum::Sum s = pseudo;
    return base::checksum::verifies(s.add(Bytes(this->buf_.data(), this->buf_.size())));
  }

  void set_src_port(u16 v) const noexcept { this->set16(udp_field::kSrcPort, v); }
  void set_dst_port(u16 v) const noexcept { this->set16(udp_field::kDstPort, v); }
  void set_length(u16 v) const noexcept { this->set16(udp_field::kLength, v); }
  void set_checksum(u16 v) const noexcept { this->set16(udp_field::kChecksum, v); }
  // Computes the checksum over the whole datagram; 0 is sent as 0xffff (RFC 768).
  void fill_checksum(const base::checksum::Sum& pseudo) const noexcept {
    set_checksum(0);
    base::checksum::Sum s = pseudo;
    const u16 c = s.add(Bytes(this->buf_.data(), this->buf_.size())).finish();
    set_checksum(c == 0 ? 0xffff : c);
  }
};

struct UdpRepr {
  u16 src_port = 0;
  u16 dst_port = 0;
  u16 payload_len = 0;

  // `pseudo` = nullopt skips the checksum (for a zero IPv4 checksum, or a dissector).
  [[nodiscard]] static WireResult<UdpRepr> parse(const UdpView<Bytes>& v, const base::checksum::Sum* pseudo) noexcept {
    if (pseudo != nullptr && !v.checksum_ok(*pseudo)) {
      return base::wire_fail(WireErrc::bad_checksum, "udp.checksum", udp_field::kChecksum);
    }
    return UdpRepr{v.src_port(), v.dst_port(), static_cast<u16>(v.length() - udp_field::kHeader)};
  }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return udp_field::kHeader + payload_len; }
  // Writes the header; the payload must already be in place after it. The checksum
  // covers `pseudo` (whose length must be buffer_len()).
  void emit(MutBytes buf, const base::checksum::Sum& pseudo) const noexcept {
    const auto v = UdpView<MutBytes>::unchecked(buf.first(buffer_len()));
    v.set_src_port(src_port);
    v.set_dst_port(dst_port);
    v.set_length(static_cast<u16>(buffer_len()));
    v.fill_checksum(pseudo);
  }
  friend bool operator==(const UdpRepr&, const UdpRepr&) = default;
};

}  // namespace nextip::inet

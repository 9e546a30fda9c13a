// The 40-byte header layout of IPv6 (RFC 8200 §3), which ASIP reuses field for field
// with Version = 8 and 128-bit ASIP addresses (001 §5.1). One template serves both;
// a Traits class gives the version, the address type and the field names:
//
//   struct Traits {
//     static constexpr u8 kVersion;            // 6 or 8
//     using Address = …;                       // from_bytes / to_bytes over 16 bytes
//     static constexpr FieldSpan kLayout[8];   // version … dst, with family names
//     static constexpr std::string_view kPayloadName;  // "ipv6.payload"
//   };
#pragma once

#include <array>
#include <span>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

namespace v6_field {
inline constexpr std::size_t kVersionClassFlow = 0;
inline constexpr std::size_t kPayloadLength = 4;
inline constexpr std::size_t kNextHeader = 6;
inline constexpr std::size_t kHopLimit = 7;
inline constexpr std::size_t kSource = 8;
inline constexpr std::size_t kDestination = 24;
inline constexpr std::size_t kHeader = 40;
}  // namespace v6_field

template <class B, class Traits>
class V6LayoutView : public base::ByteView<B> {
 public:
  using Address = typename Traits::Address;
  using base::ByteView<B>::ByteView;

  // 40 bytes present, the right version, payload length within the buffer; the view
  // is cut to 40 + payload length.
  [[nodiscard]] static WireResult<V6LayoutView> checked(B buf) noexcept {
    if (buf.size() < v6_field::kHeader) return nextip::unexpected(base::first_missing(Traits::kLayout, buf.size()));
    const V6LayoutView v(buf);
    if (v.version() != Traits::kVersion) return base::wire_fail(WireErrc::bad_version, Traits::kLayout[0].name, 0);
    if (v6_field::kHeader + v.payload_length() > buf.size()) {
      return base::wire_fail(WireErrc::truncated, Traits::kPayloadName, v6_field::kHeader);
    }
    return V6LayoutView(buf.first(v6_field::kHeader + v.payload_length()));
  }
  [[nodiscard]] static V6LayoutView unchecked(B buf) noexcept { return V6LayoutView(buf); }

  [[nodiscard]] u8 version() const noexcept { return static_cast<u8>(this->get8(0) >> 4); }
  [[nodiscard]] u8 traffic_class() const noexcept { return static_cast<u8>((this->get32(0) >> 20) & 0xff); }
  [[nodiscard]] u32 flow_label() const noexcept { return this->get32(0) & 0xfffff; }
  [[nodiscard]] u16 payload_length() const noexcept { return this->get16(v6_field::kPayloadLength); }
  [[nodiscard]] u8 next_header() const noexcept { return this->get8(v6_field::kNextHeader); }
  [[nodiscard]] u8 hop_limit() const noexcept { return this->get8(v6_field::kHopLimit); }
  [[nodiscard]] std::span<const std::byte, 16> src_bytes() const noexcept {
    return std::span<const std::byte, 16>(this->buf_.data() + v6_field::kSource, 16);
  }
  [[nodiscard]] std::span<const std::byte, 16> dst_bytes() const noexcept {
    return std::span<const std::byte, 16>(this->buf_.data() + v6_field::kDestination, 16);
  }
  [[nodiscard]] Address src() const noexcept { return Address::from_bytes(src_bytes()); }
  [[nodiscard]] Address dst() const noexcept { return Address::from_bytes(dst_bytes()); }
  [[nodiscard]] B header() const noexcept { return this->buf_.first(v6_field::kHeader); }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(v6_field::kHeader); }

  // The pseudo-header sum for an upper-layer message of `length` bytes (RFC 8200 §8.1;
  // for ASIP the same with ASIP addresses, 001 §12.7.1).
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 next_header, u32 length) const noexcept {
    return base::checksum::ipv6_pseudo_header(src_bytes(), dst_bytes(), next_header, length);
  }

  void set_version_class_flow(u8 traffic_class, u32 flow) const noexcept {
    this->set32(0, (u32{Traits::kVersion} << 28) | (u32{traffic_class} << 20) | (flow & 0xfffff));
  }
  void set_payload_length(u16 v) const noexcept { this->set16(v6_field::kPayloadLength, v); }
  void set_next_header(u8 v) const noexcept { this->set8(v6_field::kNextHeader, v); }
  void set_hop_limit(u8 v) const noexcept { this->set8(v6_field::kHopLimit, v); }
  void set_src(const Address& a) const noexcept {
    a.to_bytes(std::span<std::byte, 16>(this->buf_.data() + v6_field::kSource, 16));
  }
  void set_dst(const Address& a) const noexcept {
    a.to_bytes(std::span<std::byte, 16>(this->buf_.data() + v6_field::kDestination, 16));
  }
};

template <class Traits>
struct V6LayoutRepr {
  using Address = typename Traits::Address;
  u8 traffic_class = 0;
  u32 flow_label = 0;
  u16 payload_len = 0;
  u8 next_header = 0;
  u8 hop_limit = 64;
  Address src{};
  Address dst{};

  [[nodiscard]] static WireResult<V6LayoutRepr> parse(const V6LayoutView<Bytes, Traits>& v) noexcept {
    return V6LayoutRepr{v.traffic_class(), v.flow_label(), v.payload_length(), v.next_header(), v.hop_limit(),
                        v.src(),           v.dst()};
  }
  [[nodiscard]] static constexpr std::size_t header_len() noexcept { return v6_field::kHeader; }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return v6_field::kHeader + payload_len; }
  void emit(MutBytes buf) const noexcept {
    const auto v = V6LayoutView<MutBytes, Traits>::unchecked(buf.first(v6_field::kHeader));
    v.set_version_class_flow(traffic_class, flow_label);
    v.set_payload_length(payload_len);
    v.set_next_header(next_header);
    v.set_hop_limit(hop_limit);
    v.set_src(src);
    v.set_dst(dst);
  }
  [[nodiscard]] base::checksum::Sum pseudo_header(u8 nh, u32 length) const noexcept {
    std::array<std::byte, 16> s{}, d{};
    src.to_bytes(s);
    dst.to_bytes(d);
    return base::checksum::ipv6_pseudo_header(s, d, nh, length);
  }
  friend bool operator==(const V6LayoutRepr&, const V6LayoutRepr&) = default;
};

}  // namespace nextip::inet

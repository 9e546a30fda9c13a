// Ethernet II framing (for captures and AF_PACKET links) and the EtherTypes nextip
// uses. Native ASIP and IPv8 frames have no assigned EtherType; nextip uses the two
// IEEE 802 local-experimental values (decision ASIP-11 / IPV8-7, configurable).
#pragma once

#include <array>

#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

namespace ethertype {
inline constexpr u16 kIpv4 = 0x0800;
inline constexpr u16 kArp = 0x0806;
inline constexpr u16 kVlan = 0x8100;
inline constexpr u16 kIpv6 = 0x86dd;
inline constexpr u16 kAsip = 0x88b5;  // IEEE 802 local experimental 1
inline constexpr u16 kIpv8 = 0x88b6;  // IEEE 802 local experimental 2
}  // namespace ethertype

namespace ethernet_field {
inline constexpr std::size_t kHeader = 14;
inline constexpr base::FieldSpan kLayout[] = {{"eth.dst", 0, 6}, {"eth.src", 6, 6}, {"eth.type", 12, 2}};
}  // namespace ethernet_field

using MacAddress = std::array<std::byte, 6>;

template <class B>
class EthernetView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;
  [[nodiscard]] static WireResult<EthernetView> checked(B buf) noexcept {
    if (buf.size() < ethernet_field::kHeader) {
      return nextip::unexpected(base::first_missing(ethernet_field::kLayout, buf.size()));
    }
    return EthernetView(buf);
  }
  [[nodiscard]] MacAddress dst() const noexcept { return mac(0); }
  [[nodiscard]] MacAddress src() const noexcept { return mac(6); }
  [[nodiscard]] u16 ethertype() const noexcept { return this->get16(12); }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(ethernet_field::kHeader); }

 private:
  [[nodiscard]] MacAddress mac(std::size_t o) const noexcept {
    MacAddress m{};
    for (std::size_t i = 0; i < 6; ++i) m[i] = this->buf_[o + i];
    return m;
  }
};

// Writes a 14-byte Ethernet II header.
inline void emit_ethernet(MutBytes buf, const MacAddress& dst, const MacAddress& src, u16 type) noexcept {
  for (std::size_t i = 0; i < 6; ++i) {
    buf[i] = dst[i];
    buf[6 + i] = src[i];
  }
  base::store_be16(buf.data() + 12, type);
}

}  // namespace nextip::inet

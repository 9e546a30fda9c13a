// IPv4.5 packets (003 "Packet Format", docs/wire/ipv45.md): the 24-byte fixed header,
// the extension-header chain with its flag-scoped Next Header rule, the Fragmentation
// header, and Mode C framing (outer IPv4 with DF, UDP port 4242).
#pragma once

#include <array>
#include <optional>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/udp.h"
#include "wire/ipv45/address.h"

namespace nextip::ipv45 {

using base::Bytes;
using base::MutBytes;
using base::u8;
using base::WireErrc;
using base::WireResult;

inline constexpr u8 kVersion = 1;
inline constexpr std::size_t kHeaderLen = 24;  // decision IPV45-3 (the draft says 20)
inline constexpr u16 kPort = 4242;
inline constexpr u8 kProtocolNumber = 144;  // Mode D
inline constexpr std::size_t kMinPathMtu = 1280;
inline constexpr std::size_t kMinModeCPayload = kMinPathMtu - 20 - 8 - kHeaderLen;  // 1228

enum class Type : u8 { data = 0, handshake = 1, control = 2, echo = 3, error = 4, keepalive = 5 };
[[nodiscard]] std::string_view name(Type t) noexcept;
[[nodiscard]] constexpr bool is_assigned(u8 type) noexcept {
  return type <= 5;
}

namespace flag {
inline constexpr u8 kE = 0x80;  // AEAD-protected payload
inline constexpr u8 kF = 0x40;  // Fragmentation header present
inline constexpr u8 kX = 0x20;  // other extension headers present
inline constexpr u8 kM = 0x10;  // more fragments
inline constexpr u8 kC = 0x08;  // compression (reserved)
inline constexpr u8 kN = 0x04;  // NAT traversal
inline constexpr u8 kReserved = 0x03;
}  // namespace flag

namespace ext {
inline constexpr u8 kHopByHop = 0x00;
inline constexpr u8 kRouting = 0x01;
inline constexpr u8 kMobility = 0x02;
inline constexpr u8 kFragmentation = 0x03;
inline constexpr u8 kAuthentication = 0x04;
inline constexpr u8 kEspX = 0x05;
inline constexpr u8 kDestinationOptions = 0x06;
inline constexpr u8 kNoNextHeader = 0xff;
inline constexpr u8 kFlagNextIsExtension = 0x80;
[[nodiscard]] constexpr bool is_extension(u8 t) noexcept {
  return t <= 0x06;
}
}  // namespace ext

namespace field {
inline constexpr std::size_t kVersionType = 0;
inline constexpr std::size_t kHopLimit = 1;
inline constexpr std::size_t kPayloadLength = 2;
inline constexpr std::size_t kNextHeader = 4;
inline constexpr std::size_t kFlags = 5;
inline constexpr std::size_t kFlowLabel = 6;
inline constexpr std::size_t kSrcSite = 8;
inline constexpr std::size_t kSrcEid = 10;
inline constexpr std::size_t kDstSite = 16;
inline constexpr std::size_t kDstEid = 18;
inline constexpr base::FieldSpan kLayout[] = {
    {"ipv45.version", 0, 1},   {"ipv45.hlim", 1, 1},    {"ipv45.plen", 2, 2},     {"ipv45.nh", 4, 1},
    {"ipv45.flags", 5, 1},     {"ipv45.flow", 6, 2},    {"ipv45.src.site", 8, 2}, {"ipv45.src.eid", 10, 6},
    {"ipv45.dst.site", 16, 2}, {"ipv45.dst.eid", 18, 6}};
}  // namespace field

template <class B>
class HeaderView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  // 24 bytes, version 1, payload length within the buffer (cut to it).
  [[nodiscard]] static WireResult<HeaderView> checked(B buf) noexcept {
    if (buf.size() < kHeaderLen) return nextip::unexpected(base::first_missing(field::kLayout, buf.size()));
    const HeaderView v(buf);
    if (v.version() != kVersion) return base::wire_fail(WireErrc::bad_version, "ipv45.version", 0);
    if (kHeaderLen + v.payload_length() > buf.size()) {
      return base::wire_fail(WireErrc::truncated, "ipv45.payload", kHeaderLen);
    }
    return HeaderView(buf.first(kHeaderLen + v.payload_length()));
  }
  [[nodiscard]] static HeaderView unchecked(B buf) noexcept { return HeaderView(buf); }

  [[nodiscard]] u8 version() const noexcept { return static_cast<u8>(this->get8(0) >> 4); }
  [[nodiscard]] u8 type() const noexcept { return static_cast<u8>(this->get8(0) & 0xf); }
  [[nodiscard]] u8 hop_limit() const noexcept { return this->get8(field::kHopLimit); }
  [[nodiscard]] u16 payload_length() const noexcept { return this->get16(field::kPayloadLength); }
  [[nodiscard]] u8 next_header() const noexcept { return this->get8(field::kNextHeader); }
  [[nodiscard]] u8 flags() const noexcept { return this->get8(field::kFlags); }
  [[nodiscard]] u16 flow_label() const noexcept { return this->get16(field::kFlowLabel); }
  [[nodiscard]] u16 src_site() const noexcept { return this->get16(field::kSrcSite); }
  [[nodiscard]] base::u64 src_eid() const noexcept { return this->get64(field::kSrcSite) & kEidMask; }
  [[nodiscard]] u16 dst_site() const noexcept { return this->get16(field::kDstSite); }
  [[nodiscard]] base::u64 dst_eid() const noexcept { return this->get64(field::kDstSite) & kEidMask; }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(kHeaderLen); }

  void set_hop_limit(u8 v) const noexcept { this->set8(field::kHopLimit, v); }
};

struct HeaderRepr {
  Type type = Type::data;
  u8 hop_limit = 64;
  u16 payload_len = 0;
  u8 next_header = ext::kNoNextHeader;
  u8 flags = 0;
  u16 flow_label = 0;
  u16 src_site = 0;
  base::u64 src_eid = 0;
  u16 dst_site = 0;
  base::u64 dst_eid = 0;

  // Refuses unassigned/reserved types, reserved flag bits, C (compression), and M
  // without F.
  [[nodiscard]] static WireResult<HeaderRepr> parse(const HeaderView<Bytes>& v) noexcept;
  [[nodiscard]] static constexpr std::size_t header_len() noexcept { return kHeaderLen; }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return kHeaderLen + payload_len; }
  void emit(MutBytes buf) const noexcept;
  // Full addresses given the locators (Mode C: the outer IPv4 source and destination).
  [[nodiscard]] Address src(base::u32 locator) const noexcept { return Address(locator, src_site, src_eid); }
  [[nodiscard]] Address dst(base::u32 locator) const noexcept { return Address(locator, dst_site, dst_eid); }
  friend bool operator==(const HeaderRepr&, const HeaderRepr&) = default;
};

struct FragmentHeader {
  u8 next_header = ext::kNoNextHeader;
  u16 fragment_offset = 0;  // 8-octet units
  bool more = false;
  base::u32 identification = 0;
  std::size_t offset = 0;  // from the start of the fixed header's payload
};

struct ExtHeaderEntry {
  u8 type = 0;
  u16 offset = 0;  // from the start of the payload
  u16 length = 0;
};

struct Chain {
  u8 upper = ext::kNoNextHeader;  // upper-layer protocol, or 0xFF (Type body / nothing)
  std::size_t upper_offset = 0;   // from the start of the payload
  int count = 0;
  std::size_t bytes = 0;
  std::array<ExtHeaderEntry, 8> headers{};
  std::optional<FragmentHeader> fragment;
};

inline constexpr int kMaxExtHeaders = 8;
inline constexpr std::size_t kMaxChainBytes = 256;

// The chain rule of docs/wire/ipv45.md (IPV45-4) over a checked header.
[[nodiscard]] WireResult<Chain> walk_chain(const HeaderView<Bytes>& h) noexcept;

// Writes an 8-byte Fragmentation header.
void emit_fragment_header(MutBytes buf, const FragmentHeader& f) noexcept;

// IPV45-5: pseudo-header for TCP/UDP carried without E.
[[nodiscard]] base::checksum::Sum pseudo_header(const Address& src, const Address& dst, u8 next_header,
                                                base::u32 length) noexcept;

// A Mode C packet: outer IPv4 (DF set), UDP to or from port 4242, the IPv4.5 packet.
struct ModeC {
  inet::Ipv4View<Bytes> ip;
  inet::UdpView<Bytes> udp;
  HeaderView<Bytes> header;
  [[nodiscard]] Address src() const noexcept { return Address(ip.src().value(), header.src_site(), header.src_eid()); }
  [[nodiscard]] Address dst() const noexcept { return Address(ip.dst().value(), header.dst_site(), header.dst_eid()); }
};

// Checks the framing: IPv4 protocol 17, UDP port 4242 at either end, DF set (Mode C
// senders MUST set it), then the IPv4.5 header.
[[nodiscard]] WireResult<ModeC> parse_mode_c(Bytes ipv4_packet) noexcept;

// Writes outer IPv4 + UDP around an IPv4.5 packet of `inner_len` bytes that must
// already be at buf[28…]. Returns the total length.
std::size_t emit_mode_c(MutBytes buf, inet::Ipv4Address src_locator, inet::Ipv4Address dst_locator, u16 src_port,
                        std::size_t inner_len, u16 ip_id = 0) noexcept;

}  // namespace nextip::ipv45

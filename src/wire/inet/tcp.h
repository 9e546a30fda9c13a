// TCP header (RFC 9293): fixed fields, and options passed through byte for byte after
// a bounds walk. The checksum covers a caller-supplied pseudo-header.
#pragma once

#include <array>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

namespace tcp_field {
inline constexpr std::size_t kSrcPort = 0;
inline constexpr std::size_t kDstPort = 2;
inline constexpr std::size_t kSeq = 4;
inline constexpr std::size_t kAck = 8;
inline constexpr std::size_t kOffsetFlags = 12;
inline constexpr std::size_t kWindow = 14;
inline constexpr std::size_t kChecksum = 16;
inline constexpr std::size_t kUrgent = 18;
inline constexpr std::size_t kOptions = 20;
inline constexpr std::size_t kMinHeader = 20;
inline constexpr base::FieldSpan kLayout[] = {{"tcp.srcport", 0, 2}, {"tcp.dstport", 2, 2},   {"tcp.seq", 4, 4},
                                              {"tcp.ack", 8, 4},     {"tcp.hdr_len", 12, 1},  {"tcp.flags", 13, 1},
                                              {"tcp.window", 14, 2}, {"tcp.checksum", 16, 2}, {"tcp.urgent", 18, 2}};
}  // namespace tcp_field

namespace tcp_flag {
inline constexpr u8 kFin = 0x01;
inline constexpr u8 kSyn = 0x02;
inline constexpr u8 kRst = 0x04;
inline constexpr u8 kPsh = 0x08;
inline constexpr u8 kAck = 0x10;
inline constexpr u8 kUrg = 0x20;
inline constexpr u8 kEce = 0x40;
inline constexpr u8 kCwr = 0x80;
}  // namespace tcp_flag

// Checks the option list of a TCP header: kinds 0 (end) and 1 (no-op) are one byte,
// every other kind has a length >= 2 that stays inside the options area.
[[nodiscard]] WireResult<int> walk_tcp_options(Bytes options, std::size_t base_offset) noexcept;

template <class B>
class TcpView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  [[nodiscard]] static WireResult<TcpView> checked(B buf) noexcept {
    using namespace tcp_field;
    if (buf.size() < kMinHeader) return nextip::unexpected(base::first_missing(kLayout, buf.size()));
    const TcpView v(buf);
    if (v.data_offset() < 5) return base::wire_fail(WireErrc::bad_header_length, "tcp.hdr_len", kOffsetFlags);
    if (v.header_len() > buf.size()) return base::wire_fail(WireErrc::truncated, "tcp.options", kOptions);
    if (auto w = walk_tcp_options(Bytes(buf.data() + kOptions, v.header_len() - kOptions), kOptions); !w) {
      return nextip::unexpected(w.error());
    }
    return v;
  }
  [[nodiscard]] static TcpView unchecked(B buf) noexcept { return TcpView(buf); }

  [[nodiscard]] u16 src_port() const noexcept { return this->get16(tcp_field::kSrcPort); }
  [[nodiscard]] u16 dst_port() const noexcept { return this->get16(tcp_field::kDstPort); }
  [[nodiscard]] u32 seq() const noexcept { return this->get32(tcp_field::kSeq); }
  [[nodiscard]] u32 ack() const noexcept { return this->get32(tcp_field::kAck); }
  [[nodiscard]] u8 data_offset() const noexcept { return static_cast<u8>(this->get8(tcp_field::kOffsetFlags) >> 4); }
  [[nodiscard]] std::size_t header_len() const noexcept { return std::size_t{data_offset()} * 4; }
  [[nodiscard]] u8 flags() const noexcept { return this->get8(tcp_field::kOffsetFlags + 1); }
  [[nodiscard]] u16 window() const noexcept { return this->get16(tcp_field::kWindow); }
  [[nodiscard]] u16 checksum() const noexcept { return this->get16(tcp_field::kChecksum); }
  [[nodiscard]] u16 urgent() const noexcept { return this->get16(tcp_field::kUrgent); }
  [[nodiscard]] B options() const noexcept {
    return this->buf_.subspan(tcp_field::kOptions, header_len() - tcp_field::kOptions);
  }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(header_len()); }
  [[nodiscard]] bool checksum_ok(const base::checksum::Sum& pseudo) const noexcept {
    base::checksum::Sum s = pseudo;
    return base::checksum::verifies(s.add(Bytes(this->buf_.data(), this->buf_.size())));
  }

  void set_checksum(u16 v) const noexcept { this->set16(tcp_field::kChecksum, v); }
  void fill_checksum(const base::checksum::Sum& pseudo) const noexcept {
    set_checksum(0);
    base::checksum::Sum s = pseudo;
    set_checksum(s.add(Bytes(this->buf_.data(), this->buf_.size())).finish());
  }
};

struct TcpRepr {
  u16 src_port = 0;
  u16 dst_port = 0;
  u32 seq = 0;
  u32 ack = 0;
  u8 flags = 0;
  u16 window = 0;
  u16 urgent = 0;
  std::array<std::byte, 40> options{};
  u8 options_len = 0;  // multiple of 4
  u16 payload_len = 0;

  [[nodiscard]] static WireResult<TcpRepr> parse(const TcpView<Bytes>& v, const base::checksum::Sum* pseudo) noexcept;
  [[nodiscard]] std::size_t header_len() const noexcept { return tcp_field::kMinHeader + options_len; }
  [[nodiscard]] std::size_t buffer_len() const noexcept { return header_len() + payload_len; }
  // Writes the header; the payload must already follow it. Checksum over `pseudo`.
  void emit(MutBytes buf, const base::checksum::Sum& pseudo) const noexcept;
  friend bool operator==(const TcpRepr&, const TcpRepr&) = default;
};

}  // namespace nextip::inet

#include "io/gro.h"

#include <cstring>

#include "base/checksum.h"
#include "base/wire.h"

namespace nextip::io {
namespace {

namespace checksum = base::checksum;
using base::Bytes;
using base::MutBytes;

constexpr std::size_t kIp = 40;
constexpr unsigned kTcp = 6;
constexpr unsigned kPsh = 0x08, kAck = 0x10;  // of the TCP flags; any other flag keeps a segment apart

unsigned byte(Bytes p, std::size_t i) noexcept {
  return std::to_integer<unsigned>(p[i]);
}

// The TCP segment's header length and payload, if it is eligible; 0 otherwise.
struct Shape {
  std::size_t length = 0;  // IP packet, padding cut off
  std::size_t tcp_len = 0;
  std::size_t payload = 0;
  unsigned flags = 0;
};

bool shape_of(Bytes p, Shape& s) noexcept {
  if (p.size() < kIp + 20) return false;
  const unsigned version = byte(p, 0) >> 4;
  if (version != 6 && version != 8) return false;
  if (byte(p, 6) != kTcp) return false;
  const std::size_t plen = base::load_be16(p.data() + 4);
  if (plen < 20 || kIp + plen > p.size()) return false;
  const std::size_t tcp_len = std::size_t{byte(p, kIp + 12) >> 4} * 4;
  if (tcp_len < 20 || tcp_len >= plen) return false;  // no data: nothing to coalesce
  const unsigned flags = byte(p, kIp + 13);
  if ((flags & kAck) == 0 || (flags & ~(kAck | kPsh)) != 0) return false;
  s.length = kIp + plen;
  s.tcp_len = tcp_len;
  s.payload = plen - tcp_len;
  s.flags = flags;
  return true;
}

bool checksum_ok(Bytes p) noexcept {
  const std::size_t l4 = p.size() - kIp;
  checksum::Sum sum =
      checksum::ipv6_pseudo_header(p.subspan<8, 16>(), p.subspan<24, 16>(), kTcp, static_cast<std::uint32_t>(l4));
  sum.add(p.subspan(kIp));
  return checksum::verifies(sum);
}

}  // namespace

bool TcpCoalescer::start(Bytes packet) noexcept {
  Shape s;
  if (!shape_of(packet, s)) return false;
  packet = packet.first(s.length);
  ++stats_.segments_in;
  if (!checksum_ok(packet)) {
    ++stats_.bad_checksum;
    return false;
  }
  if (s.length > buf_.size()) return false;
  std::memcpy(buf_.data(), packet.data(), s.length);
  len_ = s.length;
  hdr_len_ = kIp + s.tcp_len;
  gso_size_ = s.payload;
  next_seq_ = base::load_be32(packet.data() + kIp + 4) + static_cast<std::uint32_t>(s.payload);
  segments_ = 1;
  psh_ = (s.flags & kPsh) != 0;
  closed_ = psh_;
  return true;
}

bool TcpCoalescer::merge(Bytes packet) noexcept {
  if (len_ == 0 || closed_) return false;
  Shape s;
  if (!shape_of(packet, s)) return false;
  if (kIp + s.tcp_len != hdr_len_ || s.payload > gso_size_ || len_ + s.payload > buf_.size() ||
      len_ + s.payload - kIp > 0xffff) {
    return false;
  }
  const std::byte* a = buf_.data();
  const std::byte* b = packet.data();
  // IP: everything but the payload length (bytes 4-5).
  if (std::memcmp(a, b, 4) != 0 || std::memcmp(a + 6, b + 6, kIp - 6) != 0) return false;
  // TCP: ports; ack .. window with PSH masked; urgent pointer and options.
  if (std::memcmp(a + kIp, b + kIp, 4) != 0) return false;
  if (base::load_be32(b + kIp + 4) != next_seq_) return false;
  if (std::memcmp(a + kIp + 8, b + kIp + 8, 5) != 0) return false;  // ack, data offset
  if ((std::to_integer<unsigned>(a[kIp + 13]) & ~kPsh) != (s.flags & ~kPsh)) return false;
  if (std::memcmp(a + kIp + 14, b + kIp + 14, 2) != 0) return false;                    // window
  if (std::memcmp(a + kIp + 18, b + kIp + 18, hdr_len_ - kIp - 18) != 0) return false;  // urgent, options
  packet = packet.first(s.length);
  ++stats_.segments_in;
  if (!checksum_ok(packet)) {
    ++stats_.bad_checksum;
    return false;
  }
  std::memcpy(buf_.data() + len_, packet.data() + hdr_len_, s.payload);
  len_ += s.payload;
  next_seq_ += static_cast<std::uint32_t>(s.payload);
  ++segments_;
  if ((s.flags & kPsh) != 0) psh_ = true;
  if (s.payload < gso_size_ || psh_) closed_ = true;
  return true;
}

MutBytes TcpCoalescer::take(base::Offload& off) noexcept {
  off = {};
  if (len_ == 0) return {};
  MutBytes p = buf_.first(len_);
  if (segments_ > 1) {
    std::byte* d = p.data();
    base::store_be16(d + 4, static_cast<std::uint16_t>(len_ - kIp));
    if (psh_) d[kIp + 13] |= std::byte{kPsh};
    const checksum::Sum pseudo = checksum::ipv6_pseudo_header(p.subspan<8, 16>(), p.subspan<24, 16>(), kTcp,
                                                              static_cast<std::uint32_t>(len_ - kIp));
    base::store_be16(d + kIp + 16, pseudo.fold());
    off.csum_partial = true;
    off.csum_start = static_cast<std::uint16_t>(kIp);
    off.csum_offset = 16;
    off.gso = base::Gso::tcp6;
    off.gso_size = static_cast<std::uint16_t>(gso_size_);
    off.hdr_len = static_cast<std::uint16_t>(hdr_len_);
  }
  ++stats_.packets_out;
  len_ = 0;
  segments_ = 0;
  closed_ = false;
  psh_ = false;
  return p;
}

}  // namespace nextip::io

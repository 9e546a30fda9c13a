#include "wire/inet/tcp.h"

#include <algorithm>

namespace nextip::inet {

WireResult<int> walk_tcp_options(Bytes options, std::size_t base_offset) noexcept {
  int count = 0;
  for (std::size_t i = 0; i < options.size();) {
    const u8 kind = base::load_u8(options.data() + i);
    if (kind == 0) break;
    if (kind == 1) {
      ++i;
      ++count;
      continue;
    }
    if (i + 1 >= options.size()) return base::wire_fail(WireErrc::bad_option, "tcp.option.len", base_offset + i + 1);
    const u8 len = base::load_u8(options.data() + i + 1);
    if (len < 2 || i + len > options.size()) {
      return base::wire_fail(WireErrc::bad_option, "tcp.option.len", base_offset + i + 1);
    }
    i += len;
    ++count;
  }
  return count;
}

WireResult<TcpRepr> TcpRepr::parse(const TcpView<Bytes>& v, const base::checksum::Sum* pseudo) noexcept {
  if (pseudo != nullptr && !v.checksum_ok(*pseudo)) {
    return base::wire_fail(WireErrc::bad_checksum, "tcp.checksum", tcp_field::kChecksum);
  }
  TcpRepr r;
  r.src_port = v.src_port();
  r.dst_port = v.dst_port();
  r.seq = v.seq();
  r.ack = v.ack();
  r.flags = v.flags();
  r.window = v.window();
  r.urgent = v.urgent();
  const Bytes o = v.options();
  r.options_len = static_cast<u8>(o.size());
  std::copy(o.begin(), o.end(), r.options.begin());
  r.payload_len = static_cast<u16>(v.payload().size());
  return r;
}

void TcpRepr::emit(MutBytes buf, const base::checksum::Sum& pseudo) const noexcept {
  std::byte* p = buf.data();
  base::store_be16(p + tcp_field::kSrcPort, src_port);
  base::store_be16(p + tcp_field::kDstPort, dst_port);
  base::store_be32(p + tcp_field::kSeq, seq);
  base::store_be32(p + tcp_field::kAck, ack);
  base::store_u8(p + tcp_field::kOffsetFlags, static_cast<u8>((header_len() / 4) << 4));
  base::store_u8(p + tcp_field::kOffsetFlags + 1, flags);
  base::store_be16(p + tcp_field::kWindow, window);
  base::store_be16(p + tcp_field::kUrgent, urgent);
  std::copy_n(options.begin(), options_len, p + tcp_field::kOptions);
  TcpView<MutBytes>::unchecked(buf.first(buffer_len())).fill_checksum(pseudo);
}

}  // namespace nextip::inet

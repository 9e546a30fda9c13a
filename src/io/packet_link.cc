#include "io/packet_link.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>

#include <algorithm>
#include <cstring>

#include "io/netdev.h"

namespace nextip::io {

// The syscall arguments for one batch, allocated once per link.
struct PacketLink::Batch {
  std::array<mmsghdr, kMaxLinkBatch> msgs{};
  std::array<iovec, kMaxLinkBatch> iov{};
};

PacketLink::PacketLink(Sys& sys, std::string name)
    : sys_(&sys), name_(std::move(name)), batch_(std::make_unique<Batch>()) {}

PacketLink::~PacketLink() = default;
PacketLink::PacketLink(PacketLink&&) noexcept = default;
PacketLink& PacketLink::operator=(PacketLink&&) noexcept = default;

Expected<PacketLink, IoError> PacketLink::open(const PacketLinkConfig& config, Sys& sys) {
  PacketLink link(sys, config.interface);
  link.ethertype_ = config.ethertype;
  auto index = netdev::index(sys, config.interface);
  if (!index) return nextip::unexpected(index.error());
  auto mac = netdev::hardware_address(sys, config.interface);
  if (!mac) return nextip::unexpected(mac.error());
  auto mtu = netdev::mtu(sys, config.interface);
  if (!mtu) return nextip::unexpected(mtu.error());
  link.ifindex_ = *index;
  link.mac_ = *mac;
  link.mtu_ = *mtu;

  // Protocol 0 until bind(): the socket receives nothing from other interfaces.
  auto s = sys.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (!s) return nextip::unexpected(io_error("socket(AF_PACKET)", s.error(), config.interface));
  link.fd_ = Fd(sys, *s);
  const int one = 1;
  // Since Linux 4.20; older kernels loop our own frames back, which the engines drop
  // as coming from their own MAC.
  (void)sys.setsockopt(*s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  if (config.buffer_bytes > 0) {
    const int bytes = config.buffer_bytes;
    if (!sys.setsockopt(*s, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes)) {
      (void)sys.setsockopt(*s, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
    if (!sys.setsockopt(*s, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes)) {
      (void)sys.setsockopt(*s, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    }
  }
  if (config.qdisc_bypass) {
    if (auto r = sys.setsockopt(*s, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one); !r) {
      return nextip::unexpected(io_error("PACKET_QDISC_BYPASS", r.error(), config.interface));
    }
  }
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(config.ethertype);
  sll.sll_ifindex = *index;
  if (auto r = sys.bind(*s, reinterpret_cast<const sockaddr*>(&sll), sizeof sll); !r) {
    return nextip::unexpected(io_error("bind(AF_PACKET)", r.error(), config.interface));
  }
  return link;
}

std::uint64_t PacketLink::kernel_drops() noexcept {
  tpacket_stats st{};
  socklen_t len = sizeof st;
  if (sys_->getsockopt(fd_.get(), SOL_PACKET, PACKET_STATISTICS, &st, &len)) kernel_drops_ += st.tp_drops;
  return kernel_drops_;
}

Expected<std::size_t, IoError> PacketLink::receive(std::span<const base::MutBytes> bufs,
                                                   std::span<LinkFrame> frames) noexcept {
  const std::size_t want = std::min({bufs.size(), frames.size(), kMaxLinkBatch});
  if (want == 0) return std::size_t{0};
  Batch& b = *batch_;
  for (std::size_t i = 0; i < want; ++i) {
    b.iov[i] = iovec{bufs[i].data(), bufs[i].size()};
    b.msgs[i] = mmsghdr{};
    b.msgs[i].msg_hdr.msg_iov = &b.iov[i];
    b.msgs[i].msg_hdr.msg_iovlen = 1;
  }
  SysResult<std::size_t> r;
  do {
    // MSG_TRUNC: msg_len is the frame's real length, so a cut frame is noticed.
    r = sys_->recvmmsg(fd_.get(), std::span(b.msgs.data(), want), MSG_TRUNC);
  } while (!r && r.error() == EINTR);
  if (!r) {
    if (r.error() == EAGAIN || r.error() == EWOULDBLOCK) return std::size_t{0};
    return nextip::unexpected(io_error("recvmmsg", r.error(), name_));
  }
  for (std::size_t i = 0; i < *r; ++i) {
    const std::size_t real = b.msgs[i].msg_len;
    const std::size_t got = std::min(real, bufs[i].size());
    LinkFrame& f = frames[i];
    f.truncated = real > bufs[i].size() || (b.msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    if (got < kEthernetHeadroom) {
      f = LinkFrame{};
      f.truncated = true;
      continue;
    }
    const inet::EthernetView<base::MutBytes> eth(bufs[i].first(got));
    f.dst = eth.dst();
    f.src = eth.src();
    f.payload = eth.payload();
  }
  return *r;
}

Expected<std::size_t, IoError> PacketLink::send(std::span<const OutFrame> frames) noexcept {
  std::size_t sent = 0;
  Batch& b = *batch_;
  while (sent < frames.size()) {
    const std::size_t limit = std::min(frames.size() - sent, kMaxLinkBatch);
    std::size_t n = 0;
    for (; n < limit; ++n) {
      const OutFrame& f = frames[sent + n];
      if (f.frame.size() < kEthernetHeadroom) break;  // reported when it comes first
      inet::emit_ethernet(f.frame, f.dst, mac_, ethertype_);
      b.iov[n] = iovec{f.frame.data(), f.frame.size()};
      b.msgs[n] = mmsghdr{};
      b.msgs[n].msg_hdr.msg_iov = &b.iov[n];
      b.msgs[n].msg_hdr.msg_iovlen = 1;
    }
    if (n == 0) {
      if (sent > 0) return sent;
      return nextip::unexpected(io_error("sendmmsg", EINVAL, name_, "frame shorter than the Ethernet headroom"));
    }
    SysResult<std::size_t> r;
    do {
      r = sys_->sendmmsg(fd_.get(), std::span(b.msgs.data(), n), 0);
    } while (!r && r.error() == EINTR);
    if (!r) {
      if (r.error() == EAGAIN || r.error() == EWOULDBLOCK || sent > 0) return sent;
      return nextip::unexpected(io_error("sendmmsg", r.error(), name_));
    }
    sent += *r;
    if (*r < n) break;
  }
  return sent;
}

}  // namespace nextip::io

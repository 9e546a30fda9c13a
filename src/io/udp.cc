#include "io/udp.h"

#include <netinet/in.h>
#include <netinet/udp.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace nextip::io {
namespace {

constexpr std::size_t kControl = 64;  // room for one UDP_SEGMENT / UDP_GRO message

bool would_block(int err) noexcept {
  return err == EAGAIN || err == EWOULDBLOCK;
}

std::uint16_t gro_segment_size(const msghdr& m) noexcept {
  for (const cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr;
       c = CMSG_NXTHDR(const_cast<msghdr*>(&m), const_cast<cmsghdr*>(c))) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
      int v = 0;
      std::memcpy(&v, CMSG_DATA(c), sizeof v);
      return static_cast<std::uint16_t>(v);
    }
  }
  return 0;
}

}  // namespace

// The syscall arguments of one batch, allocated once per socket.
struct UdpSocket::Batch {
  std::array<mmsghdr, kMaxUdpBatch> msgs{};
  std::array<iovec, kMaxUdpBatch> iov{};
  std::array<sockaddr_in6, kMaxUdpBatch> names{};
  alignas(cmsghdr) std::byte control[kMaxUdpBatch][kControl]{};
  // send: the item each message carries and the item's bytes sent after it.
  std::array<std::size_t, kMaxUdpBatch> item{};
  std::array<std::size_t, kMaxUdpBatch> item_end{};
  std::size_t first_offset = 0;  // bytes of the first item already sent (software cutting)
};

UdpSocket::UdpSocket(Sys& sys, SocketAddress local) : sys_(&sys), local_(local), batch_(std::make_unique<Batch>()) {
  label_.append("udp ");
  label_.append(local.format().view());
}

UdpSocket::UdpSocket(UdpSocket&&) noexcept = default;
UdpSocket& UdpSocket::operator=(UdpSocket&&) noexcept = default;
UdpSocket::~UdpSocket() = default;

Expected<UdpSocket, IoError> UdpSocket::open(const UdpConfig& config, Sys& sys) {
  UdpSocket u(sys, config.bind);
  const int family = config.bind.is_v6() ? AF_INET6 : AF_INET;
  if (config.bind.empty()) return nextip::unexpected(io_error("bind", EINVAL, u.label_, "no address to bind"));
  auto s = sys.socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (!s) return nextip::unexpected(io_error("socket(udp)", s.error(), u.label_));
  u.fd_ = Fd(sys, *s);
  const int one = 1;
  const int v6only = config.v6only ? 1 : 0;
  if (family == AF_INET6) {
    if (auto r = sys.setsockopt(*s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only); !r) {
      return nextip::unexpected(io_error("IPV6_V6ONLY", r.error(), u.label_));
    }
  }
  if (config.reuse_port) {
    if (auto r = sys.setsockopt(*s, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one); !r) {
      return nextip::unexpected(io_error("SO_REUSEPORT", r.error(), u.label_));
    }
  }
  if (config.send_buffer) {
    if (auto r = sys.setsockopt(*s, SOL_SOCKET, SO_SNDBUF, &*config.send_buffer, sizeof(int)); !r) {
      return nextip::unexpected(io_error("SO_SNDBUF", r.error(), u.label_));
    }
  }
  if (config.receive_buffer) {
    if (auto r = sys.setsockopt(*s, SOL_SOCKET, SO_RCVBUF, &*config.receive_buffer, sizeof(int)); !r) {
      return nextip::unexpected(io_error("SO_RCVBUF", r.error(), u.label_));
    }
  }
  if (auto r = sys.bind(*s, config.bind.sockaddr_ptr(), config.bind.sockaddr_len()); !r) {
    return nextip::unexpected(io_error("bind", r.error(), u.label_));
  }
  sockaddr_in6 name{};
  socklen_t len = sizeof name;
  if (auto r = sys.getsockname(*s, reinterpret_cast<sockaddr*>(&name), &len); !r) {
    return nextip::unexpected(io_error("getsockname", r.error(), u.label_));
  }
  if (auto local = SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), len)) {
    u.local_ = *local;
    u.label_.clear();
    u.label_.append("udp ");
    u.label_.append(local->format().view());
  }
  if (config.gso) {
    const int zero = 0;  // a socket-wide size of 0: GSO only where a message asks for it
    u.gso_ = sys.setsockopt(*s, SOL_UDP, UDP_SEGMENT, &zero, sizeof zero).has_value();
  }
  if (config.gro) u.gro_ = sys.setsockopt(*s, SOL_UDP, UDP_GRO, &one, sizeof one).has_value();
  return u;
}

Expected<std::size_t, IoError> UdpSocket::receive(std::span<const base::MutBytes> bufs,
                                                  std::span<UdpDatagram> out) noexcept {
  const std::size_t want = std::min({bufs.size(), out.size(), kMaxUdpBatch});
  if (want == 0) return std::size_t{0};
  Batch& b = *batch_;
  for (std::size_t i = 0; i < want; ++i) {
    b.iov[i] = iovec{bufs[i].data(), bufs[i].size()};
    b.msgs[i] = mmsghdr{};
    msghdr& m = b.msgs[i].msg_hdr;
    m.msg_iov = &b.iov[i];
    m.msg_iovlen = 1;
    m.msg_name = &b.names[i];
    m.msg_namelen = sizeof(sockaddr_in6);
    m.msg_control = b.control[i];
    m.msg_controllen = kControl;
  }
  SysResult<std::size_t> r;
  do {
    r = sys_->recvmmsg(fd_.get(), std::span(b.msgs.data(), want), 0);
  } while (!r && r.error() == EINTR);
  if (!r) {
    if (would_block(r.error())) return std::size_t{0};
    return nextip::unexpected(io_error("recvmmsg", r.error(), label_));
  }
  for (std::size_t i = 0; i < *r; ++i) {
    const msghdr& m = b.msgs[i].msg_hdr;
    UdpDatagram& d = out[i];
    d.peer = SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&b.names[i]), m.msg_namelen)
                 .value_or(SocketAddress());
    d.data = bufs[i].first(std::min<std::size_t>(b.msgs[i].msg_len, bufs[i].size()));
    d.truncated = (m.msg_flags & MSG_TRUNC) != 0;
    d.segment_size = gro_segment_size(m);
  }
  return *r;
}

std::size_t UdpSocket::fill(std::span<const UdpOutgoing> items, std::size_t& messages) noexcept {
  Batch& b = *batch_;
  messages = 0;
  std::size_t n = 0;
  for (; n < items.size(); ++n) {
    const UdpOutgoing& it = items[n];
    const std::size_t offset = n == 0 ? b.first_offset : 0;
    const base::Bytes data = it.data.subspan(std::min(offset, it.data.size()));
    const std::size_t seg = it.segment_size;
    const bool several = seg > 0 && data.size() > seg;
    const bool cut = several && !gso_;
    const std::size_t need = cut ? (data.size() + seg - 1) / seg : 1;
    if (messages + need > kMaxUdpBatch) break;
    for (std::size_t k = 0; k < need; ++k) {
      const std::size_t from = cut ? k * seg : 0;
      const std::size_t len = cut ? std::min(seg, data.size() - from) : data.size();
      const std::size_t m = messages++;
      b.iov[m] = iovec{const_cast<std::byte*>(data.data() + from), len};
      b.msgs[m] = mmsghdr{};
      msghdr& h = b.msgs[m].msg_hdr;
      h.msg_iov = &b.iov[m];
      h.msg_iovlen = 1;
      h.msg_name = const_cast<sockaddr*>(it.peer.sockaddr_ptr());
      h.msg_namelen = it.peer.sockaddr_len();
      if (several && !cut) {
        h.msg_control = b.control[m];
        h.msg_controllen = CMSG_SPACE(sizeof(std::uint16_t));
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
        const std::uint16_t size = it.segment_size;
        std::memcpy(CMSG_DATA(c), &size, sizeof size);
      }
      b.item[m] = n;
      b.item_end[m] = offset + from + len;
    }
  }
  return n;
}

Expected<std::size_t, IoError> UdpSocket::send(std::span<const UdpOutgoing> datagrams) noexcept {
  Batch& b = *batch_;
  b.first_offset = 0;
  std::size_t done = 0;
  while (done < datagrams.size()) {
    std::size_t messages = 0;
    const std::size_t items = fill(datagrams.subspan(done), messages);
    if (items == 0) {
      if (done > 0) return done;
      return nextip::unexpected(io_error("sendmmsg", EMSGSIZE, label_, "more segments than a batch holds"));
    }
    SysResult<std::size_t> r;
    do {
      r = sys_->sendmmsg(fd_.get(), std::span(b.msgs.data(), messages), 0);
    } while (!r && r.error() == EINTR);
    if (!r) {
      if (r.error() == EIO && gso_ && b.msgs[0].msg_hdr.msg_controllen != 0) {
        gso_ = false;  // the route cannot do GSO: cut in software from now on
        continue;
      }
      if (would_block(r.error()) || done > 0) return done;
      return nextip::unexpected(io_error("sendmmsg", r.error(), label_));
    }
    const std::size_t m = *r;
    if (m == messages) {
      done += items;
      b.first_offset = 0;
      continue;
    }
    // Stopped at message m: items before its item are done; its item may be part way.
    done += b.item[m];
    b.first_offset = m > 0 && b.item[m - 1] == b.item[m] ? b.item_end[m - 1] : 0;
    if (m == 0) return done;
  }
  return done;
}

}  // namespace nextip::io

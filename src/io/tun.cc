#include "io/tun.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <bit>
#include <cstring>

#include "io/netdev.h"
#include "io/vnet.h"

// Linux 6.2 (commit e3e3c423): UDP segmentation offload for TUN. Older headers lack it.
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

namespace nextip::io {
namespace {

void* ioctl_value(unsigned long v) noexcept {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(v));
}

// Asks for `want` and then for less, in the order the kernel grew these offloads
// (USO in 6.2, TSO and checksums since 2.6): the first set accepted wins.
Expected<TunOffloads, IoError> negotiate(Sys& sys, int fd, const std::string& name, TunOffloads want) noexcept {
  if (!want.csum) want = TunOffloads::none();  // the kernel ignores TSO/USO without TUN_F_CSUM
  const TunOffloads steps[] = {
      want,
      {want.csum, want.tso4, want.tso6, false},
      {want.csum, false, false, false},
      TunOffloads::none(),
  };
  int last = 0;
  for (const TunOffloads& t : steps) {
    auto r = sys.ioctl(fd, TUNSETOFFLOAD, ioctl_value(t.bits()));
    if (r) return t;
    last = r.error();
    if (last != EINVAL) break;
  }
  return nextip::unexpected(io_error("TUNSETOFFLOAD", last, name));
}

}  // namespace

unsigned TunOffloads::bits() const noexcept {
  unsigned b = 0;
  if (csum) b |= TUN_F_CSUM;
  if (tso4) b |= TUN_F_TSO4;
  if (tso6) b |= TUN_F_TSO6;
  if (uso) b |= TUN_F_USO4 | TUN_F_USO6;
  return b;
}

std::string TunOffloads::to_string() const {
  std::string s;
  auto add = [&s](bool on, const char* n) {
    if (!on) return;
    if (!s.empty()) s += ' ';
    s += n;
  };
  add(csum, "csum");
  add(tso4, "tso4");
  add(tso6, "tso6");
  add(uso, "uso");
  return s.empty() ? "none" : s;
}

Expected<Tun, IoError> Tun::open(const TunConfig& config, Sys& sys) {
  if (config.name.size() >= IFNAMSIZ || config.queues == 0) {
    return nextip::unexpected(io_error("TUNSETIFF", EINVAL, config.name));
  }
  Tun tun(sys, config.name);
  tun.vnet_hdr_ = config.vnet_hdr;
  short flags = IFF_TUN | IFF_NO_PI;
  if (config.vnet_hdr) flags = static_cast<short>(flags | IFF_VNET_HDR);
  if (config.queues > 1) flags = static_cast<short>(flags | IFF_MULTI_QUEUE);

  for (std::size_t q = 0; q < config.queues; ++q) {
    auto fd = sys.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (!fd) return nextip::unexpected(io_error("open", fd.error(), "/dev/net/tun"));
    tun.fds_.emplace_back(sys, *fd);
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, tun.name_.data(), tun.name_.size());
    ifr.ifr_flags = flags;
    if (auto r = sys.ioctl(*fd, TUNSETIFF, &ifr); !r)
      return nextip::unexpected(io_error("TUNSETIFF", r.error(), tun.name_));
    tun.name_ = std::string(ifr.ifr_name, strnlen(ifr.ifr_name, IFNAMSIZ));  // "nx%d" -> "nx0"
  }

  const int fd0 = tun.fds_.front().get();
  if (config.vnet_hdr) {
    int size = static_cast<int>(vnet::kHeaderLen);
    if (auto r = sys.ioctl(fd0, TUNSETVNETHDRSZ, &size); !r) {
      return nextip::unexpected(io_error("TUNSETVNETHDRSZ", r.error(), tun.name_));
    }
    if constexpr (std::endian::native == std::endian::big) {
      int le = 1;  // vnet.h encodes little endian
      if (auto r = sys.ioctl(fd0, TUNSETVNETLE, &le); !r) {
        return nextip::unexpected(io_error("TUNSETVNETLE", r.error(), tun.name_));
      }
    }
    auto accepted = negotiate(sys, fd0, tun.name_, config.offloads);
    if (!accepted) return nextip::unexpected(accepted.error());
    tun.offloads_ = *accepted;
  }
  if (config.mtu) {
    if (auto r = tun.set_mtu(*config.mtu); !r) return nextip::unexpected(r.error());
  }
  if (config.up) {
    if (auto r = tun.set_up(true); !r) return nextip::unexpected(r.error());
  }
  return tun;
}

Expected<std::optional<TunPacket>, IoError> Tun::read(std::size_t queue, base::MutBytes buf) noexcept {
  const int fd = fds_[queue].get();
  std::array<std::byte, vnet::kHeaderLen> hdr{};
  SysResult<std::size_t> r;
  do {
    if (vnet_hdr_) {
      const iovec iov[2] = {{hdr.data(), hdr.size()}, {buf.data(), buf.size()}};
      r = sys_->readv(fd, iov);
    } else {
      r = sys_->read(fd, buf);
    }
  } while (!r && r.error() == EINTR);
  if (!r) {
    if (r.error() == EAGAIN || r.error() == EWOULDBLOCK) return std::optional<TunPacket>{};
    return nextip::unexpected(io_error("read", r.error(), name_));
  }
  if (!vnet_hdr_) return std::optional<TunPacket>(TunPacket{{}, buf.first(*r)});
  if (*r < vnet::kHeaderLen) {
    return nextip::unexpected(io_error("virtio_net_hdr", EBADMSG, name_, "shorter than 10 bytes"));
  }
  const base::MutBytes packet = buf.first(*r - vnet::kHeaderLen);
  auto offload = vnet::decode(hdr, packet);
  if (!offload)
    return nextip::unexpected(io_error("virtio_net_hdr", EBADMSG, name_, vnet::describe(offload.error()).data()));
  return std::optional<TunPacket>(TunPacket{*offload, packet});
}

Expected<bool, IoError> Tun::write(std::size_t queue, const base::Offload& offload, base::Bytes packet) noexcept {
  const int fd = fds_[queue].get();
  std::array<std::byte, vnet::kHeaderLen> hdr{};
  if (vnet_hdr_) {
    if (auto e = vnet::encode(offload, hdr); !e) {
      return nextip::unexpected(io_error("virtio_net_hdr", EINVAL, name_, vnet::describe(e.error()).data()));
    }
  } else if (offload.any()) {
    return nextip::unexpected(io_error("write", EINVAL, name_, "offload on a TUN without a virtio-net header"));
  }
  SysResult<std::size_t> r;
  do {
    if (vnet_hdr_) {
      const iovec iov[2] = {{hdr.data(), hdr.size()}, {const_cast<std::byte*>(packet.data()), packet.size()}};
      r = sys_->writev(fd, iov);
    } else {
      r = sys_->write(fd, packet);
    }
  } while (!r && r.error() == EINTR);
  if (!r) {
    if (r.error() == EAGAIN || r.error() == EWOULDBLOCK) return false;
    return nextip::unexpected(io_error("write", r.error(), name_));
  }
  return true;
}

Expected<int, IoError> Tun::mtu() const noexcept {
  return netdev::mtu(*sys_, name_);
}
Expected<void, IoError> Tun::set_mtu(int mtu) const noexcept {
  return netdev::set_mtu(*sys_, name_, mtu);
}
Expected<void, IoError> Tun::set_up(bool up) const noexcept {
  return netdev::set_up(*sys_, name_, up);
}

}  // namespace nextip::io

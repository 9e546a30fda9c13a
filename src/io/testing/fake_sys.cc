#include "io/testing/fake_sys.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>

namespace nextip::io::testing {
namespace {

std::size_t iov_total(std::span<const iovec> iov) {
  std::size_t n = 0;
  for (const auto& v : iov) n += v.iov_len;
  return n;
}

// Copies `src` into the iovecs; returns the bytes copied.
std::size_t scatter(Bytes src, std::span<const iovec> iov) {
  std::size_t done = 0;
  for (const auto& v : iov) {
    if (done == src.size()) break;
    const std::size_t n = std::min(v.iov_len, src.size() - done);
    std::memcpy(v.iov_base, src.data() + done, n);
    done += n;
  }
  return done;
}

Buffer gather(std::span<const iovec> iov, std::size_t limit) {
  Buffer out;
  for (const auto& v : iov) {
    const auto* p = static_cast<const std::byte*>(v.iov_base);
    const std::size_t n = std::min(v.iov_len, limit - out.size());
    out.insert(out.end(), p, p + n);
    if (out.size() == limit) break;
  }
  return out;
}

Buffer bytes_of(const void* p, std::size_t n) {
  const auto* b = static_cast<const std::byte*>(p);
  return p == nullptr ? Buffer{} : Buffer(b, b + n);
}

}  // namespace

FakeSys::FakeSys() {
  sigemptyset(&mask_);
}
FakeSys::~FakeSys() = default;

// --- scripting and inspection

void FakeSys::fail_next(Op op, int err, int fd, int times) {
  for (int i = 0; i < times; ++i) scripts_.push_back(Script{op, fd, err, 0});
}

void FakeSys::limit_next(Op op, std::size_t n, int fd) {
  scripts_.push_back(Script{op, fd, 0, n});
}

std::optional<FakeSys::Script> FakeSys::take_script(Op op, int fd) {
  for (auto it = scripts_.begin(); it != scripts_.end(); ++it) {
    if (it->op == op && (it->fd == -1 || it->fd == fd)) {
      Script s = *it;
      scripts_.erase(it);
      return s;
    }
  }
  return std::nullopt;
}

int FakeSys::new_fd(File f) {
  int fd = 3;
  while (files_.contains(fd)) ++fd;
  files_.emplace(fd, std::move(f));
  return fd;
}

FakeSys::File* FakeSys::file(int fd) {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : &it->second;
}

const FakeSys::File* FakeSys::file(int fd) const {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : &it->second;
}

int FakeSys::add_fd(std::string label, bool stream) {
  File f;
  f.label = std::move(label);
  f.stream = stream;
  return new_fd(std::move(f));
}

void FakeSys::push_inbound(int fd, Inbound in) {
  if (File* f = file(fd)) f->inbound.push_back(std::move(in));
}

const std::vector<Outbound>& FakeSys::outbound(int fd) const {
  static const std::vector<Outbound> kNone;
  const File* f = file(fd);
  return f != nullptr ? f->outbound : kNone;
}

std::vector<Outbound> FakeSys::take_outbound(int fd) {
  File* f = file(fd);
  return f != nullptr ? std::exchange(f->outbound, {}) : std::vector<Outbound>{};
}

std::size_t FakeSys::inbound_size(int fd) const {
  const File* f = file(fd);
  return f != nullptr ? f->inbound.size() : 0;
}

void FakeSys::set_writable(int fd, bool writable) {
  if (File* f = file(fd)) f->writable = writable;
}

void FakeSys::set_hangup(int fd, bool hup) {
  if (File* f = file(fd)) f->hangup = hup;
}

bool FakeSys::is_open(int fd) const {
  return files_.contains(fd);
}

std::string FakeSys::label(int fd) const {
  const File* f = file(fd);
  return f != nullptr ? f->label : std::string();
}

int FakeSys::flags_of(int fd) const {
  const File* f = file(fd);
  return f != nullptr ? f->flags : 0;
}

std::map<int, std::uint32_t> FakeSys::epoll_interest(int epfd) const {
  std::map<int, std::uint32_t> out;
  if (const File* f = file(epfd)) {
    for (const auto& [fd, ev] : f->interest) out[fd] = ev.events;
  }
  return out;
}

void FakeSys::raise(int signo) {
  pending_signals_.push_back(signo);
}

FakeInterface& FakeSys::add_interface(const std::string& name) {
  auto [it, fresh] = interfaces_.try_emplace(name);
  if (fresh) {
    it->second.name = name;
    it->second.index = static_cast<int>(interfaces_.size()) + 1;
    it->second.mac = {std::byte{0x02}, std::byte{0}, std::byte{0},
                      std::byte{0},    std::byte{0}, static_cast<std::byte>(it->second.index)};
  }
  return it->second;
}

FakeInterface* FakeSys::find_interface(const std::string& name) {
  auto it = interfaces_.find(name);
  return it == interfaces_.end() ? nullptr : &it->second;
}

void FakeSys::refuse_sockopt(int level, int name, int err) {
  refused_[{level, name}] = err;
}

std::optional<int> FakeSys::sockopt(int fd, int level, int name) const {
  const File* f = file(fd);
  if (f == nullptr) return std::nullopt;
  auto it = f->options.find({level, name});
  if (it == f->options.end() || it->second.size() < sizeof(int)) return std::nullopt;
  int v = 0;
  std::memcpy(&v, it->second.data(), sizeof v);
  return v;
}

void FakeSys::set_sockname(int fd, Buffer address) {
  if (File* f = file(fd)) f->sockname = std::move(address);
}

std::size_t FakeSys::count(Op op) const {
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(), [op](const CallRecord& c) { return c.op == op; }));
}

bool FakeSys::readable(int fd) const {
  const File* f = file(fd);
  if (f == nullptr) return false;
  if (!f->inbound.empty()) return true;
  if (f->kind == Kind::pipe_read && !files_.contains(f->peer)) return true;  // EOF
  if (f->kind == Kind::signal) {
    return std::any_of(pending_signals_.begin(), pending_signals_.end(),
                       [f](int s) { return sigismember(&f->sigmask, s) == 1; });
  }
  return false;
}

std::uint32_t FakeSys::ready_events(int fd, std::uint32_t wanted) const {
  const File* f = file(fd);
  if (f == nullptr) return 0;
  std::uint32_t ev = 0;
  if ((wanted & EPOLLIN) != 0 && readable(fd)) ev |= EPOLLIN;
  if ((wanted & EPOLLOUT) != 0 && f->writable) ev |= EPOLLOUT;
  if (f->hangup) ev |= EPOLLHUP;
  return ev;
}

// --- files

SysResult<int> FakeSys::open(const char* path, int flags) noexcept {
  log(Op::open, -1, flags);
  if (auto s = take_script(Op::open, -1); s && s->err != 0) return nextip::unexpected(s->err);
  File f;
  f.label = path;
  f.flags = flags;
  return new_fd(std::move(f));
}

SysResult<void> FakeSys::close(int fd) noexcept {
  log(Op::close, fd);
  if (files_.erase(fd) == 0) return nextip::unexpected(EBADF);
  for (auto& [n, f] : files_) f.interest.erase(fd);
  return {};
}

SysResult<std::size_t> FakeSys::read_into(int fd, std::span<const iovec> iov, std::optional<std::size_t> limit) {
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  if (f->kind == Kind::signal) {
    // One signalfd_siginfo per pending signal in the mask.
    std::size_t done = 0;
    const std::size_t room = iov_total(iov);
    for (auto it = pending_signals_.begin(); it != pending_signals_.end() && room - done >= sizeof(signalfd_siginfo);) {
      if (sigismember(&f->sigmask, *it) != 1) {
        ++it;
        continue;
      }
      signalfd_siginfo si{};
      si.ssi_signo = static_cast<std::uint32_t>(*it);
      Buffer b = bytes_of(&si, sizeof si);
      // Skip the bytes already filled: scatter into the remaining iovec room.
      std::vector<iovec> rest;
      std::size_t skip = done;
      for (const auto& v : iov) {
        if (skip >= v.iov_len) {
          skip -= v.iov_len;
          continue;
        }
        rest.push_back(iovec{static_cast<char*>(v.iov_base) + skip, v.iov_len - skip});
        skip = 0;
      }
      done += scatter(b, rest);
      it = pending_signals_.erase(it);
    }
    if (done == 0) return nextip::unexpected(EAGAIN);
    return done;
  }
  if (f->inbound.empty()) {
    if (f->kind == Kind::pipe_read && !files_.contains(f->peer)) return std::size_t{0};
    return nextip::unexpected(EAGAIN);
  }
  Inbound& in = f->inbound.front();
  std::size_t room = iov_total(iov);
  if (limit) room = std::min(room, *limit);
  const std::size_t n = std::min(room, in.data.size());
  std::vector<iovec> cut;
  std::size_t left = n;
  for (const auto& v : iov) {
    if (left == 0) break;
    cut.push_back(iovec{v.iov_base, std::min(v.iov_len, left)});
    left -= cut.back().iov_len;
  }
  scatter(in.data, cut);
  if (f->stream && n < in.data.size()) {
    in.data.erase(in.data.begin(), in.data.begin() + static_cast<std::ptrdiff_t>(n));
  } else {
    f->inbound.pop_front();  // a datagram: the rest of it is lost, as with read(2)
  }
  return n;
}

SysResult<std::size_t> FakeSys::write_from(int fd, std::span<const iovec> iov, Bytes address, Bytes control,
                                           std::optional<std::size_t> limit) {
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  std::size_t n = iov_total(iov);
  if (limit) {
    if (*limit == 0) return nextip::unexpected(EAGAIN);
    n = std::min(n, *limit);
  }
  Outbound out{gather(iov, n), Buffer(address.begin(), address.end()), Buffer(control.begin(), control.end())};
  if (f->kind == Kind::pipe_write) {
    if (File* r = file(f->peer)) r->inbound.push_back(Inbound{out.data, {}, {}});
  }
  f->outbound.push_back(std::move(out));
  return n;
}

SysResult<std::size_t> FakeSys::read(int fd, MutBytes buf) noexcept {
  log(Op::read, fd);
  auto s = take_script(Op::read, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  const iovec v{buf.data(), buf.size()};
  return read_into(fd, {&v, 1}, s ? std::optional(s->limit) : std::nullopt);
}

SysResult<std::size_t> FakeSys::write(int fd, Bytes buf) noexcept {
  log(Op::write, fd);
  auto s = take_script(Op::write, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  const iovec v{const_cast<std::byte*>(buf.data()), buf.size()};
  return write_from(fd, {&v, 1}, {}, {}, s ? std::optional(s->limit) : std::nullopt);
}

SysResult<std::size_t> FakeSys::readv(int fd, std::span<const iovec> iov) noexcept {
  log(Op::readv, fd);
  auto s = take_script(Op::readv, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  return read_into(fd, iov, s ? std::optional(s->limit) : std::nullopt);
}

SysResult<std::size_t> FakeSys::writev(int fd, std::span<const iovec> iov) noexcept {
  log(Op::writev, fd);
  auto s = take_script(Op::writev, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  return write_from(fd, iov, {}, {}, s ? std::optional(s->limit) : std::nullopt);
}

SysResult<int> FakeSys::ioctl(int fd, unsigned long request, void* arg) noexcept {
  log(Op::ioctl, fd, static_cast<long>(request));
  if (auto s = take_script(Op::ioctl, fd); s && s->err != 0) return nextip::unexpected(s->err);
  if (file(fd) == nullptr) return nextip::unexpected(EBADF);
  auto* ifr = static_cast<ifreq*>(arg);
  auto iface = [&]() -> FakeInterface* { return find_interface(ifr->ifr_name); };
  switch (request) {
    case TUNSETIFF: {
      std::string name = ifr->ifr_name;
      if (auto p = name.find("%d"); p != std::string::npos) name.replace(p, 2, "0");
      if (name.empty()) name = "tun0";
      add_interface(name);
      std::snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name.c_str());
      tun_setiff_flags.push_back(ifr->ifr_flags);
      file(fd)->label = name;
      return 0;
    }
    case TUNSETVNETHDRSZ: tun_vnet_hdr_sz = *static_cast<int*>(arg); return 0;
    case TUNSETVNETLE: return 0;
    case TUNSETOFFLOAD: {
      const auto bits = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(arg));
      if ((bits & ~tun_offloads_supported) != 0) return nextip::unexpected(EINVAL);
      tun_offloads = bits;
      return 0;
    }
    case SIOCGIFMTU:
    case SIOCSIFMTU:
    case SIOCGIFFLAGS:
    case SIOCSIFFLAGS:
    case SIOCGIFINDEX:
    case SIOCGIFHWADDR: {
      FakeInterface* i = iface();
      if (i == nullptr) return nextip::unexpected(ENODEV);
      if (request == SIOCGIFMTU) ifr->ifr_mtu = i->mtu;
      if (request == SIOCSIFMTU) i->mtu = ifr->ifr_mtu;
      if (request == SIOCGIFFLAGS) ifr->ifr_flags = i->flags;
      if (request == SIOCSIFFLAGS) i->flags = ifr->ifr_flags;
      if (request == SIOCGIFINDEX) ifr->ifr_ifindex = i->index;
      if (request == SIOCGIFHWADDR) {
        ifr->ifr_hwaddr.sa_family = 1;  // ARPHRD_ETHER
        std::memcpy(ifr->ifr_hwaddr.sa_data, i->mac.data(), 6);
      }
      return 0;
    }
    default: return nextip::unexpected(ENOTTY);
  }
}

SysResult<void> FakeSys::pipe2(int fds[2], int flags) noexcept {
  log(Op::pipe2, -1, flags);
  if (auto s = take_script(Op::pipe2, -1); s && s->err != 0) return nextip::unexpected(s->err);
  File r;
  r.kind = Kind::pipe_read;
  r.label = "pipe";
  r.stream = true;
  r.flags = flags;
  File w = r;
  w.kind = Kind::pipe_write;
  fds[0] = new_fd(std::move(r));
  fds[1] = new_fd(std::move(w));
  file(fds[0])->peer = fds[1];
  file(fds[1])->peer = fds[0];
  return {};
}

SysResult<void> FakeSys::unlink(const char* path) noexcept {
  (void)path;
  log(Op::unlink, -1);
  if (auto s = take_script(Op::unlink, -1); s && s->err != 0) return nextip::unexpected(s->err);
  return {};
}

SysResult<void> FakeSys::lstat(const char* path, struct stat* st) noexcept {
  (void)path;
  log(Op::lstat, -1);
  if (auto s = take_script(Op::lstat, -1); s && s->err != 0) return nextip::unexpected(s->err);
  *st = {};
  st->st_mode = S_IFSOCK;
  return {};
}

SysResult<void> FakeSys::access(const char* path, int mode) noexcept {
  (void)path;
  log(Op::access, -1, mode);
  if (auto s = take_script(Op::access, -1); s && s->err != 0) return nextip::unexpected(s->err);
  return {};
}

SysResult<std::size_t> FakeSys::poll(std::span<pollfd> fds, int timeout_ms) noexcept {
  log(Op::poll, -1, timeout_ms);
  if (auto s = take_script(Op::poll, -1); s && s->err != 0) return nextip::unexpected(s->err);
  std::size_t ready = 0;
  for (auto& p : fds) {
    p.revents = 0;
    if (p.fd < 0) continue;  // ignored, as by poll(2)
    const std::uint32_t ev = ready_events(p.fd, static_cast<std::uint32_t>(p.events) & (POLLIN | POLLOUT));
    p.revents = static_cast<short>(ev & (POLLIN | POLLOUT | POLLHUP));
    if (file(p.fd) == nullptr) p.revents = POLLNVAL;
    if (p.revents != 0) ++ready;
  }
  if (ready == 0 && timeout_ms > 0) advance(base::milliseconds(timeout_ms));
  return ready;
}

// --- sockets

SysResult<int> FakeSys::socket(int domain, int type, int protocol) noexcept {
  log(Op::socket, -1, domain);
  (void)protocol;
  if (auto s = take_script(Op::socket, -1); s && s->err != 0) return nextip::unexpected(s->err);
  File f;
  f.kind = Kind::socket;
  f.label = "socket";
  f.flags = type;
  return new_fd(std::move(f));
}

SysResult<void> FakeSys::bind(int fd, const sockaddr* addr, socklen_t len) noexcept {
  log(Op::bind, fd);
  if (auto s = take_script(Op::bind, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  if (f->sockname.empty()) f->sockname = bytes_of(addr, len);
  return {};
}

SysResult<void> FakeSys::listen(int fd, int backlog) noexcept {
  log(Op::listen, fd, backlog);
  if (auto s = take_script(Op::listen, fd); s && s->err != 0) return nextip::unexpected(s->err);
  return file(fd) != nullptr ? SysResult<void>{} : nextip::unexpected(EBADF);
}

SysResult<int> FakeSys::accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept {
  log(Op::accept4, fd, flags);
  (void)addr;
  (void)len;
  if (auto s = take_script(Op::accept4, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  if (f->inbound.empty()) return nextip::unexpected(EAGAIN);
  f->inbound.pop_front();  // each inbound item on a listener is one pending connection
  File c;
  c.kind = Kind::socket;
  c.label = "accepted";
  c.stream = true;
  c.flags = flags;
  return new_fd(std::move(c));
}

SysResult<void> FakeSys::connect(int fd, const sockaddr* addr, socklen_t len) noexcept {
  log(Op::connect, fd);
  (void)addr;
  (void)len;
  if (auto s = take_script(Op::connect, fd); s && s->err != 0) return nextip::unexpected(s->err);
  return file(fd) != nullptr ? SysResult<void>{} : nextip::unexpected(EBADF);
}

SysResult<void> FakeSys::shutdown(int fd, int how) noexcept {
  log(Op::shutdown, fd, how);
  if (auto s = take_script(Op::shutdown, fd); s && s->err != 0) return nextip::unexpected(s->err);
  return file(fd) != nullptr ? SysResult<void>{} : nextip::unexpected(EBADF);
}

SysResult<void> FakeSys::setsockopt(int fd, int level, int name, const void* value, socklen_t len) noexcept {
  log(Op::setsockopt, fd, name);
  if (auto s = take_script(Op::setsockopt, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  if (auto it = refused_.find({level, name}); it != refused_.end()) return nextip::unexpected(it->second);
  f->options[{level, name}] = bytes_of(value, len);
  return {};
}

SysResult<void> FakeSys::getsockopt(int fd, int level, int name, void* value, socklen_t* len) noexcept {
  log(Op::getsockopt, fd, name);
  if (auto s = take_script(Op::getsockopt, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  std::memset(value, 0, *len);
  if (auto it = f->options.find({level, name}); it != f->options.end()) {
    const auto n = std::min<std::size_t>(*len, it->second.size());
    std::memcpy(value, it->second.data(), n);
    *len = static_cast<socklen_t>(n);
  }
  return {};
}

SysResult<void> FakeSys::getsockname(int fd, sockaddr* addr, socklen_t* len) noexcept {
  log(Op::getsockname, fd);
  if (auto s = take_script(Op::getsockname, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  const auto n = std::min<std::size_t>(*len, f->sockname.size());
  std::memcpy(addr, f->sockname.data(), n);
  *len = static_cast<socklen_t>(f->sockname.size());
  return {};
}

SysResult<std::size_t> FakeSys::recv_one(File& f, msghdr& m) {
  Inbound in = std::move(f.inbound.front());
  f.inbound.pop_front();
  const std::span<const iovec> iov(m.msg_iov, m.msg_iovlen);
  const std::size_t n = scatter(in.data, iov);
  m.msg_flags = n < in.data.size() ? MSG_TRUNC : 0;
  if (m.msg_name != nullptr) {
    const auto k = std::min<std::size_t>(m.msg_namelen, in.address.size());
    std::memcpy(m.msg_name, in.address.data(), k);
    m.msg_namelen = static_cast<socklen_t>(in.address.size());
  }
  if (in.control.size() <= m.msg_controllen) {
    if (!in.control.empty()) std::memcpy(m.msg_control, in.control.data(), in.control.size());
    m.msg_controllen = in.control.size();
  } else {
    m.msg_controllen = 0;
    m.msg_flags |= MSG_CTRUNC;
  }
  return n;
}

SysResult<std::size_t> FakeSys::sendmsg(int fd, const msghdr* msg, int flags) noexcept {
  log(Op::sendmsg, fd, flags);
  auto s = take_script(Op::sendmsg, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  return write_from(fd, {msg->msg_iov, msg->msg_iovlen}, bytes_of(msg->msg_name, msg->msg_namelen),
                    bytes_of(msg->msg_control, msg->msg_controllen), s ? std::optional(s->limit) : std::nullopt);
}

SysResult<std::size_t> FakeSys::recvmsg(int fd, msghdr* msg, int flags) noexcept {
  log(Op::recvmsg, fd, flags);
  if (auto s = take_script(Op::recvmsg, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  if (f->inbound.empty()) return nextip::unexpected(EAGAIN);
  return recv_one(*f, *msg);
}

SysResult<std::size_t> FakeSys::sendmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept {
  log(Op::sendmmsg, fd, flags);
  auto s = take_script(Op::sendmmsg, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  std::size_t n = msgs.size();
  if (s) {
    if (s->limit == 0) return nextip::unexpected(EAGAIN);
    n = std::min(n, s->limit);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const msghdr& m = msgs[i].msg_hdr;
    auto r = write_from(fd, {m.msg_iov, m.msg_iovlen}, bytes_of(m.msg_name, m.msg_namelen),
                        bytes_of(m.msg_control, m.msg_controllen), std::nullopt);
    if (!r) return i > 0 ? SysResult<std::size_t>(i) : nextip::unexpected(r.error());
    msgs[i].msg_len = static_cast<unsigned>(*r);
  }
  return n;
}

SysResult<std::size_t> FakeSys::recvmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept {
  log(Op::recvmmsg, fd, flags);
  auto s = take_script(Op::recvmmsg, fd);
  if (s && s->err != 0) return nextip::unexpected(s->err);
  File* f = file(fd);
  if (f == nullptr) return nextip::unexpected(EBADF);
  std::size_t max = msgs.size();
  if (s) max = std::min(max, s->limit);
  std::size_t n = 0;
  while (n < max && !f->inbound.empty()) {
    auto r = recv_one(*f, msgs[n].msg_hdr);
    msgs[n].msg_len = static_cast<unsigned>(*r);
    ++n;
  }
  if (n == 0) return nextip::unexpected(EAGAIN);
  return n;
}

// --- events, signals

SysResult<int> FakeSys::epoll_create1(int flags) noexcept {
  log(Op::epoll_create1, -1, flags);
  if (auto s = take_script(Op::epoll_create1, -1); s && s->err != 0) return nextip::unexpected(s->err);
  File f;
  f.kind = Kind::epoll;
  f.label = "epoll";
  f.flags = flags;
  return new_fd(std::move(f));
}

SysResult<void> FakeSys::epoll_ctl(int epfd, int op, int fd, epoll_event* event) noexcept {
  log(Op::epoll_ctl, fd, op);
  if (auto s = take_script(Op::epoll_ctl, fd); s && s->err != 0) return nextip::unexpected(s->err);
  File* ep = file(epfd);
  if (ep == nullptr || ep->kind != Kind::epoll || file(fd) == nullptr) return nextip::unexpected(EBADF);
  const bool present = ep->interest.contains(fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (present) return nextip::unexpected(EEXIST);
      ep->interest[fd] = *event;
      return {};
    case EPOLL_CTL_MOD:
      if (!present) return nextip::unexpected(ENOENT);
      ep->interest[fd] = *event;
      return {};
    case EPOLL_CTL_DEL:
      if (!present) return nextip::unexpected(ENOENT);
      ep->interest.erase(fd);
      return {};
    default: return nextip::unexpected(EINVAL);
  }
}

SysResult<std::size_t> FakeSys::epoll_wait(int epfd, std::span<epoll_event> events,
                                           std::optional<base::Duration> timeout) noexcept {
  log(Op::epoll_wait, epfd, timeout ? static_cast<long>(timeout->count()) : -1);
  if (auto s = take_script(Op::epoll_wait, epfd); s && s->err != 0) return nextip::unexpected(s->err);
  auto collect = [&]() -> std::size_t {
    const File* ep = file(epfd);
    if (ep == nullptr) return 0;
    std::size_t n = 0;
    for (const auto& [fd, ev] : ep->interest) {
      if (n == events.size()) break;
      const std::uint32_t ready = ready_events(fd, ev.events);
      if (ready == 0) continue;
      events[n].events = ready;
      events[n].data = ev.data;
      ++n;
    }
    return n;
  };
  if (file(epfd) == nullptr) return nextip::unexpected(EBADF);
  if (std::size_t n = collect(); n > 0) return n;
  if (timeout) {
    if (*timeout > base::Duration::zero()) advance(*timeout);
    return collect();
  }
  if (on_idle) on_idle();
  if (std::size_t n = collect(); n > 0) return n;
  return nextip::unexpected(EDEADLK);
}

SysResult<int> FakeSys::signalfd(int fd, const sigset_t& mask, int flags) noexcept {
  log(Op::signalfd, fd, flags);
  if (auto s = take_script(Op::signalfd, fd); s && s->err != 0) return nextip::unexpected(s->err);
  if (fd >= 0) {
    File* f = file(fd);
    if (f == nullptr || f->kind != Kind::signal) return nextip::unexpected(EINVAL);
    f->sigmask = mask;
    return fd;
  }
  File f;
  f.kind = Kind::signal;
  f.label = "signalfd";
  f.flags = flags;
  f.sigmask = mask;
  return new_fd(std::move(f));
}

SysResult<void> FakeSys::sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept {
  log(Op::sigprocmask, -1, how);
  if (auto s = take_script(Op::sigprocmask, -1); s && s->err != 0) return nextip::unexpected(s->err);
  if (old != nullptr) *old = mask_;
  if (set == nullptr) return {};
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(set, sig) != 1) continue;
    if (how == SIG_BLOCK) sigaddset(&mask_, sig);
    if (how == SIG_UNBLOCK) sigdelset(&mask_, sig);
  }
  if (how == SIG_SETMASK) mask_ = *set;
  return {};
}

// --- processes

SysResult<pid_t> FakeSys::spawn(const char* path, const char* const* argv, SpawnStdio stdio) noexcept {
  log(Op::spawn, -1);
  if (auto s = take_script(Op::spawn, -1); s && s->err != 0) return nextip::unexpected(s->err);
  Spawned rec{path, {}};
  for (const char* const* a = argv; *a != nullptr; ++a) rec.argv.emplace_back(*a);
  spawned.push_back(std::move(rec));
  if (children_.empty()) return nextip::unexpected(ENOENT);
  Child c = std::move(children_.front());
  children_.pop_front();
  auto emit = [&](int fd, const std::string& text) {
    if (fd < 0 || text.empty()) return;
    const iovec v{text.data() == nullptr ? nullptr : const_cast<char*>(text.data()), text.size()};
    (void)write_from(fd, {&v, 1}, {}, {}, std::nullopt);
  };
  emit(stdio.out, c.out);
  emit(stdio.err, c.err);
  const pid_t pid = next_pid_++;
  exited_[pid] = c.exit_status;
  return pid;
}

SysResult<int> FakeSys::waitpid(pid_t pid) noexcept {
  log(Op::waitpid, -1, pid);
  if (auto s = take_script(Op::waitpid, -1); s && s->err != 0) return nextip::unexpected(s->err);
  auto it = exited_.find(pid);
  if (it == exited_.end()) return nextip::unexpected(ECHILD);
  const int status = (it->second & 0xff) << 8;  // as W_EXITCODE(status, 0)
  exited_.erase(it);
  return status;
}

}  // namespace nextip::io::testing

#include "io/listener.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>

#include "io/socket_address.h"

namespace nextip::io {
namespace {

Expected<sockaddr_un, IoError> unix_address(const std::string& path, const char* call) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(sa.sun_path)) {
    return nextip::unexpected(io_error(call, ENAMETOOLONG, path, "unix socket path empty or over 107 bytes"));
  }
  std::memcpy(sa.sun_path, path.data(), path.size());
  return sa;
}

socklen_t unix_len(const std::string& path) {
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
}

// Waits until `fd` is ready for `events`, at most timeout_ms. False on timeout.
Expected<bool, IoError> wait_for(Sys& sys, int fd, short events, int timeout_ms, std::string_view object) {
  pollfd p{fd, events, 0};
  auto r = sys.poll(std::span<pollfd>(&p, 1), timeout_ms);
  if (!r) return nextip::unexpected(io_error("poll", r.error(), object));
  return *r > 0;
}

// Writes all of `data` to a non-blocking socket within the timeout.
Expected<void, IoError> write_all(Sys& sys, int fd, std::string_view data, int timeout_ms, std::string_view object) {
  const auto* p = reinterpret_cast<const std::byte*>(data.data());
  std::size_t left = data.size();
  while (left > 0) {
    auto w = sys.write(fd, Bytes(p, left));
    if (w) {
      p += *w;
      left -= *w;
      continue;
    }
    if (w.error() != EAGAIN && w.error() != EINTR) return nextip::unexpected(io_error("write", w.error(), object));
    auto ready = wait_for(sys, fd, POLLOUT, timeout_ms, object);
    if (!ready) return nextip::unexpected(ready.error());
    if (!*ready) return nextip::unexpected(io_error("write", ETIMEDOUT, object, "the peer stopped reading"));
  }
  return {};
}

bool request_complete(std::string_view req) {
  if (req.starts_with("GET ") || req.starts_with("HEAD ") || req.starts_with("POST ")) {
    return req.find("\r\n\r\n") != std::string_view::npos || req.find("\n\n") != std::string_view::npos;
  }
  return req.find('\n') != std::string_view::npos;
}

}  // namespace

Listener::Listener(Sys& sys, Fd fd, std::string local, std::string unlink_path) noexcept
    : sys_(&sys), fd_(std::move(fd)), local_(std::move(local)), unlink_path_(std::move(unlink_path)) {}

Listener::Listener(Listener&& o) noexcept
    : sys_(o.sys_),
      fd_(std::move(o.fd_)),
      local_(std::move(o.local_)),
      unlink_path_(std::exchange(o.unlink_path_, {})) {}

Listener& Listener::operator=(Listener&& o) noexcept {
  if (this != &o) {
    if (!unlink_path_.empty()) (void)sys_->unlink(unlink_path_.c_str());
    sys_ = o.sys_;
    fd_ = std::move(o.fd_);
    local_ = std::move(o.local_);
    unlink_path_ = std::exchange(o.unlink_path_, {});
  }
  return *this;
}

Listener::~Listener() {
  if (!unlink_path_.empty()) (void)sys_->unlink(unlink_path_.c_str());
}

Expected<Listener, IoError> Listener::tcp(std::string_view address, Sys& sys) {
  const auto sa = SocketAddress::parse(address);
  if (!sa) return nextip::unexpected(io_error("listen", EINVAL, address, "expected ADDRESS:PORT, e.g. 127.0.0.1:9100"));
  auto s = sys.socket(sa->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (!s) return nextip::unexpected(io_error("socket", s.error(), address));
  Fd fd(sys, *s);
  const int one = 1;
  (void)sys.setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (auto b = sys.bind(fd.get(), sa->sockaddr_ptr(), sa->sockaddr_len()); !b) {
    return nextip::unexpected(io_error("bind", b.error(), address));
  }
  if (auto l = sys.listen(fd.get(), 16); !l) return nextip::unexpected(io_error("listen", l.error(), address));
  sockaddr_in6 bound{};
  socklen_t len = sizeof bound;
  std::string local(address);
  if (sys.getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len)) {
    if (auto b = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&bound), len)) local = b->to_string();
  }
  return Listener(sys, std::move(fd), std::move(local), {});
}

Expected<Listener, IoError> Listener::unix_socket(const std::string& path, Sys& sys) {
  auto sa = unix_address(path, "bind");
  if (!sa) return nextip::unexpected(sa.error());
  auto s = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (!s) return nextip::unexpected(io_error("socket", s.error(), path));
  Fd fd(sys, *s);
  // A socket file left by a daemon that died: replace it (a live one would answer).
  struct stat st {};
  if (sys.lstat(path.c_str(), &st) && S_ISSOCK(st.st_mode)) (void)sys.unlink(path.c_str());
  if (auto b = sys.bind(fd.get(), reinterpret_cast<const sockaddr*>(&*sa), unix_len(path)); !b) {
    return nextip::unexpected(io_error("bind", b.error(), path));
  }
  if (auto l = sys.listen(fd.get(), 16); !l) {
    (void)sys.unlink(path.c_str());
    return nextip::unexpected(io_error("listen", l.error(), path));
  }
  return Listener(sys, std::move(fd), path, path);
}

Expected<bool, IoError> Listener::serve_one(const Handler& handler) {
  auto c = sys_->accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (!c) {
    if (c.error() == EAGAIN || c.error() == EINTR || c.error() == ECONNABORTED) return false;
    return nextip::unexpected(io_error("accept4", c.error(), local_));
  }
  Fd conn(*sys_, *c);
  std::string req;
  std::array<std::byte, 1024> buf{};
  while (req.size() < kMaxRequest && !request_complete(req)) {
    auto r = sys_->read(conn.get(), buf);
    if (r) {
      if (*r == 0) break;  // the peer finished its request
      req.append(reinterpret_cast<const char*>(buf.data()), *r);
      continue;
    }
    if (r.error() != EAGAIN && r.error() != EINTR) return true;  // that client's problem
    auto ready = wait_for(*sys_, conn.get(), POLLIN, kClientTimeoutMs, local_);
    if (!ready || !*ready) return true;  // silent client: give up on it
  }
  const std::string answer = handler(req);
  (void)write_all(*sys_, conn.get(), answer, kClientTimeoutMs, local_);
  (void)sys_->shutdown(conn.get(), SHUT_WR);
  return true;
}

Expected<std::string, IoError> unix_request(const std::string& path, std::string_view request, int timeout_ms,
                                            Sys& sys) {
  auto sa = unix_address(path, "connect");
  if (!sa) return nextip::unexpected(sa.error());
  auto s = sys.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!s) return nextip::unexpected(io_error("socket", s.error(), path));
  Fd fd(sys, *s);
  if (auto c = sys.connect(fd.get(), reinterpret_cast<const sockaddr*>(&*sa), unix_len(path)); !c) {
    return nextip::unexpected(io_error("connect", c.error(), path));
  }
  if (auto w = write_all(sys, fd.get(), request, timeout_ms, path); !w) return nextip::unexpected(w.error());
  std::string out;
  std::array<std::byte, 4096> buf{};
  for (;;) {
    auto ready = wait_for(sys, fd.get(), POLLIN, timeout_ms, path);
    if (!ready) return nextip::unexpected(ready.error());
    if (!*ready) return nextip::unexpected(io_error("read", ETIMEDOUT, path, "no answer from the daemon"));
    auto r = sys.read(fd.get(), buf);
    if (!r) {
      if (r.error() == EINTR) continue;
      return nextip::unexpected(io_error("read", r.error(), path));
    }
    if (*r == 0) break;
    out.append(reinterpret_cast<const char*>(buf.data()), *r);
  }
  return out;
}

std::string http_answer(std::string_view request, const std::vector<HttpRoute>& routes) {
  auto reply = [](std::string_view status, std::string_view type, std::string_view body) {
    std::string r = "HTTP/1.0 ";
    r += status;
    r += "\r\nContent-Type: ";
    r += type;
    r += "\r\nContent-Length: ";
    r += std::to_string(body.size());
    r += "\r\nConnection: close\r\n\r\n";
    r += body;
    return r;
  };
  const std::size_t sp1 = request.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : request.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) {
    return reply("400 Bad Request", "text/plain", "bad request\n");
  }
  const std::string_view method = request.substr(0, sp1);
  std::string_view path = request.substr(sp1 + 1, sp2 - sp1 - 1);
  if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (method != "GET") return reply("405 Method Not Allowed", "text/plain", "only GET\n");
  for (const HttpRoute& r : routes) {
    if (r.path == path) return reply("200 OK", r.content_type, r.body());
  }
  std::string body = "not found; try";
  for (const HttpRoute& r : routes) body += " " + r.path;
  body += "\n";
  return reply("404 Not Found", "text/plain", body);
}

}  // namespace nextip::io

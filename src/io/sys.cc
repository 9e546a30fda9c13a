#include "io/sys.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

extern char** environ;

namespace nextip::io {
namespace {

template <class T>
SysResult<T> result(T rc) noexcept {
  if (rc < 0) return nextip::unexpected(errno);
  return rc;
}

SysResult<std::size_t> size_result(ssize_t rc) noexcept {
  if (rc < 0) return nextip::unexpected(errno);
  return static_cast<std::size_t>(rc);
}

SysResult<void> void_result(int rc) noexcept {
  if (rc < 0) return nextip::unexpected(errno);
  return {};
}

// Milliseconds for epoll_wait(), rounded up so that a timer never fires early.
int round_up_ms(base::Duration d) noexcept {
  if (d <= base::Duration::zero()) return 0;
  const auto ms = (d.count() + 999'999) / 1'000'000;
  return ms > 0x7fffffff ? 0x7fffffff : static_cast<int>(ms);
}

class RealSys final : public Sys {
 public:
  SysResult<int> open(const char* path, int flags) noexcept override { return result(::open(path, flags)); }
  SysResult<void> close(int fd) noexcept override { return void_result(::close(fd)); }
  SysResult<std::size_t> read(int fd, MutBytes buf) noexcept override {
    return size_result(::read(fd, buf.data(), buf.size()));
  }
  SysResult<std::size_t> write(int fd, Bytes buf) noexcept override {
    return size_result(::write(fd, buf.data(), buf.size()));
  }
  SysResult<std::size_t> readv(int fd, std::span<const iovec> iov) noexcept override {
    return size_result(::readv(fd, iov.data(), static_cast<int>(iov.size())));
  }
  SysResult<std::size_t> writev(int fd, std::span<const iovec> iov) noexcept override {
    return size_result(::writev(fd, iov.data(), static_cast<int>(iov.size())));
  }
  SysResult<int> ioctl(int fd, unsigned long request, void* arg) noexcept override {
    return result(::ioctl(fd, request, arg));
  }
  SysResult<void> pipe2(int fds[2], int flags) noexcept override { return void_result(::pipe2(fds, flags)); }
  SysResult<void> unlink(const char* path) noexcept override { return void_result(::unlink(path)); }
  SysResult<void> lstat(const char* path, struct stat* st) noexcept override { return void_result(::lstat(path, st)); }
  SysResult<void> access(const char* path, int mode) noexcept override { return void_result(::access(path, mode)); }
  SysResult<std::size_t> poll(std::span<pollfd> fds, int timeout_ms) noexcept override {
    const int rc = ::poll(fds.data(), fds.size(), timeout_ms);
    if (rc < 0) return nextip::unexpected(errno);
    return static_cast<std::size_t>(rc);
  }

  SysResult<int> socket(int domain, int type, int protocol) noexcept override {
    return result(::socket(domain, type, protocol));
  }
  SysResult<void> bind(int fd, const sockaddr* addr, socklen_t len) noexcept override {
    return void_result(::bind(fd, addr, len));
  }
  SysResult<void> listen(int fd, int backlog) noexcept override { return void_result(::listen(fd, backlog)); }
  SysResult<int> accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept override {
    return result(::accept4(fd, addr, len, flags));
  }
  SysResult<void> connect(int fd, const sockaddr* addr, socklen_t len) noexcept override {
    return void_result(::connect(fd, addr, len));
  }
  SysResult<void> shutdown(int fd, int how) noexcept override { return void_result(::shutdown(fd, how)); }
  SysResult<void> setsockopt(int fd, int level, int name, const void* value, socklen_t len) noexcept override {
    return void_result(::setsockopt(fd, level, name, value, len));
  }
  SysResult<void> getsockopt(int fd, int level, int name, void* value, socklen_t* len) noexcept override {
    return void_result(::getsockopt(fd, level, name, value, len));
  }
  SysResult<void> getsockname(int fd, sockaddr* addr, socklen_t* len) noexcept override {
    return void_result(::getsockname(fd, addr, len));
  }
  SysResult<std::size_t> sendmsg(int fd, const msghdr* msg, int flags) noexcept override {
    return size_result(::sendmsg(fd, msg, flags));
  }
  SysResult<std::size_t> recvmsg(int fd, msghdr* msg, int flags) noexcept override {
    return size_result(::recvmsg(fd, msg, flags));
  }
  SysResult<std::size_t> sendmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept override {
    const int rc = ::sendmmsg(fd, msgs.data(), static_cast<unsigned>(msgs.size()), flags);
    if (rc < 0) return nextip::unexpected(errno);
    return static_cast<std::size_t>(rc);
  }
  SysResult<std::size_t> recvmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept override {
    const int rc = ::recvmmsg(fd, msgs.data(), static_cast<unsigned>(msgs.size()), flags, nullptr);
    if (rc < 0) return nextip::unexpected(errno);
    return static_cast<std::size_t>(rc);
  }

  SysResult<int> epoll_create1(int flags) noexcept override { return result(::epoll_create1(flags)); }
  SysResult<void> epoll_ctl(int epfd, int op, int fd, epoll_event* event) noexcept override {
    return void_result(::epoll_ctl(epfd, op, fd, event));
  }
  SysResult<std::size_t> epoll_wait(int epfd, std::span<epoll_event> events,
                                    std::optional<base::Duration> timeout) noexcept override {
    const int max = static_cast<int>(events.size());
    int rc = -1;
    if (have_pwait2_.load(std::memory_order_relaxed)) {
      timespec ts{};
      if (timeout) {
        const auto ns = timeout->count() < 0 ? 0 : timeout->count();
        ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
        ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
      }
      rc = ::epoll_pwait2(epfd, events.data(), max, timeout ? &ts : nullptr, nullptr);
      if (rc < 0 && errno == ENOSYS) have_pwait2_.store(false, std::memory_order_relaxed);
    }
    if (!have_pwait2_.load(std::memory_order_relaxed)) {
      rc = ::epoll_wait(epfd, events.data(), max, timeout ? round_up_ms(*timeout) : -1);
    }
    if (rc < 0) return nextip::unexpected(errno);
    return static_cast<std::size_t>(rc);
  }
  SysResult<int> signalfd(int fd, const sigset_t& mask, int flags) noexcept override {
    return result(::signalfd(fd, &mask, flags));
  }
  SysResult<void> sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept override {
    const int rc = ::pthread_sigmask(how, set, old);
    if (rc != 0) return nextip::unexpected(rc);
    return {};
  }
  base::Instant now() noexcept override {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return base::Instant::from_ns(static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
  }

  SysResult<pid_t> spawn(const char* path, const char* const* argv, SpawnStdio stdio) noexcept override {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    if (const int rc = posix_spawn_file_actions_init(&fa); rc != 0) return nextip::unexpected(rc);
    if (const int rc = posix_spawnattr_init(&attr); rc != 0) {
      posix_spawn_file_actions_destroy(&fa);
      return nextip::unexpected(rc);
    }
    int rc = 0;
    const int targets[3] = {0, 1, 2};
    const int sources[3] = {stdio.in, stdio.out, stdio.err};
    for (int i = 0; i < 3 && rc == 0; ++i) {
      rc = sources[i] >= 0
               ? posix_spawn_file_actions_adddup2(&fa, sources[i], targets[i])
               : posix_spawn_file_actions_addopen(&fa, targets[i], "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
    }
    sigset_t empty;
    sigset_t defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    for (const int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, s);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    if (rc == 0) {
      // posix_spawn's argv is `char* const[]` for historical reasons; it does not write.
      rc = posix_spawn(&pid, path, &fa, &attr, const_cast<char* const*>(argv), environ);
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return nextip::unexpected(rc);
    return pid;
  }
  SysResult<int> waitpid(pid_t pid) noexcept override {
    int status = 0;
    if (::waitpid(pid, &status, 0) < 0) return nextip::unexpected(errno);
    return status;
  }

 private:
  std::atomic<bool> have_pwait2_{true};
};

}  // namespace

Sys& real_sys() noexcept {
  static RealSys sys;
  return sys;
}

}  // namespace nextip::io

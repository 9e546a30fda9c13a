// Sys: every syscall the I/O layer makes, behind one virtual interface (STYLE.md rule
// 4; QUICHE's `Kernel`, wireguard-go's fakeable binds). Production code uses
// real_sys(); tests use io::testing::FakeSys (src/io/testing/fake_sys.h), which
// scripts EAGAIN, EINTR, short transfers and failures without a kernel.
//
// Conventions: each call returns its result or the errno as a value (SysResult<T>);
// RealSys never retries on EINTR (callers decide; the event loop does); every
// function is noexcept and none allocates. Pointers and spans are borrowed for the
// duration of the call, exactly as by the syscall itself.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <optional>
#include <span>

#include "base/bytes.h"
#include "base/expected.h"
#include "base/time.h"

namespace nextip::io {

using base::Bytes;
using base::MutBytes;

// A syscall's result, or its errno.
template <class T>
using SysResult = Expected<T, int>;

// The child's standard streams for Sys::spawn: a descriptor to dup2() onto 0, 1, 2,
// or -1 for /dev/null.
struct SpawnStdio {
  int in = -1;
  int out = -1;
  int err = -1;
};

class Sys {
 public:
  virtual ~Sys() = default;

  // Files and descriptors.
  virtual SysResult<int> open(const char* path, int flags) noexcept = 0;
  virtual SysResult<void> close(int fd) noexcept = 0;
  virtual SysResult<std::size_t> read(int fd, MutBytes buf) noexcept = 0;
  virtual SysResult<std::size_t> write(int fd, Bytes buf) noexcept = 0;
  virtual SysResult<std::size_t> readv(int fd, std::span<const iovec> iov) noexcept = 0;
  virtual SysResult<std::size_t> writev(int fd, std::span<const iovec> iov) noexcept = 0;
  virtual SysResult<int> ioctl(int fd, unsigned long request, void* arg) noexcept = 0;
  virtual SysResult<void> pipe2(int fds[2], int flags) noexcept = 0;
  virtual SysResult<void> unlink(const char* path) noexcept = 0;
  virtual SysResult<void> lstat(const char* path, struct stat* st) noexcept = 0;
  virtual SysResult<void> access(const char* path, int mode) noexcept = 0;
  virtual SysResult<std::size_t> poll(std::span<pollfd> fds, int timeout_ms) noexcept = 0;

  // Sockets.
  virtual SysResult<int> socket(int domain, int type, int protocol) noexcept = 0;
  virtual SysResult<void> bind(int fd, const sockaddr* addr, socklen_t len) noexcept = 0;
  virtual SysResult<void> listen(int fd, int backlog) noexcept = 0;
  // `addr`/`len` may be null.
  virtual SysResult<int> accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept = 0;
  virtual SysResult<void> connect(int fd, const sockaddr* addr, socklen_t len) noexcept = 0;
  virtual SysResult<void> shutdown(int fd, int how) noexcept = 0;
  virtual SysResult<void> setsockopt(int fd, int level, int name, const void* value, socklen_t len) noexcept = 0;
  virtual SysResult<void> getsockopt(int fd, int level, int name, void* value, socklen_t* len) noexcept = 0;
  virtual SysResult<void> getsockname(int fd, sockaddr* addr, socklen_t* len) noexcept = 0;
  virtual SysResult<std::size_t> sendmsg(int fd, const msghdr* msg, int flags) noexcept = 0;
  virtual SysResult<std::size_t> recvmsg(int fd, msghdr* msg, int flags) noexcept = 0;
  // The number of messages transferred (msg_len of each is set), as the syscalls.
  virtual SysResult<std::size_t> sendmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept = 0;
  virtual SysResult<std::size_t> recvmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept = 0;

  // Events, signals and time.
  virtual SysResult<int> epoll_create1(int flags) noexcept = 0;
  virtual SysResult<void> epoll_ctl(int epfd, int op, int fd, epoll_event* event) noexcept = 0;
  // Waits at most `timeout` (nullopt: forever; nanosecond precision where the kernel
  // has epoll_pwait2, else rounded up to milliseconds). Returns the ready count.
  virtual SysResult<std::size_t> epoll_wait(int epfd, std::span<epoll_event> events,
                                            std::optional<base::Duration> timeout) noexcept = 0;
  virtual SysResult<int> signalfd(int fd, const sigset_t& mask, int flags) noexcept = 0;
  // pthread_sigmask(): the calling thread's mask (the process's, before threads start).
  virtual SysResult<void> sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept = 0;
  // CLOCK_MONOTONIC, as an Instant whose origin is the clock's.
  virtual base::Instant now() noexcept = 0;

  // Processes: posix_spawn() of an absolute `path` with `argv` (null-terminated),
  // no shell, standard streams from `stdio`, an empty signal mask and SIGPIPE, SIGINT,
  // SIGTERM and SIGHUP at their defaults in the child. waitpid() returns the status.
  virtual SysResult<pid_t> spawn(const char* path, const char* const* argv, SpawnStdio stdio) noexcept = 0;
  virtual SysResult<int> waitpid(pid_t pid) noexcept = 0;
};

// The process-wide Sys that makes the real syscalls.
[[nodiscard]] Sys& real_sys() noexcept;

}  // namespace nextip::io

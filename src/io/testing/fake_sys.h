// FakeSys: an in-memory Sys for unit tests (the `tuntest`/`bindtest` idea of
// wireguard-go, QUICHE's mock Kernel). No kernel, no privileges, no real time.
//
// What it models:
//   descriptors   lowest free number from 3, like the kernel; each is a "file" with a
//                 queue of inbound datagrams (or a byte stream for pipes) and a log of
//                 what was written to it; reading an empty one gives EAGAIN
//                 (or 0 = EOF for a pipe whose write end is closed);
//   epoll         level-triggered readiness: readable = inbound data, EOF or a pending
//                 signal; writable unless set_writable(fd, false);
//   epoll_wait    with a timeout and nothing ready: advances the clock by the timeout
//                 and returns 0; without one: calls on_idle (the test's chance to
//                 inject data, raise a signal or stop), and fails with EDEADLK if
//                 still nothing is ready (a test that would hang fails instead);
//   signals       raise(signo) queues a signal that signalfd descriptors whose mask
//                 holds it then read as signalfd_siginfo;
//   interfaces    TUNSETIFF creates one; SIOC[GS]IF{MTU,FLAGS}, SIOCGIFINDEX and
//                 SIOCGIFHWADDR read and write it; TUNSETOFFLOAD accepts only the bits
//                 in tun_offloads_supported (EINVAL otherwise, like the kernel);
//   sockets       socket/bind/setsockopt/getsockname record what was asked;
//                 refuse_sockopt() makes one option fail; recvmmsg/recvmsg take
//                 Inbound datagrams with their address and control (cmsg) bytes;
//   processes     spawn() plays the next scripted Child: its stdout/stderr bytes go
//                 to the descriptors given, waitpid() returns its exit status.
//
// Scripting: fail_next(op, errno[, fd][, times]) makes the next call(s) fail;
// limit_next(op, n[, fd]) makes the next transfer short (n bytes, or n messages for
// the *mmsg calls; n = 0 on a write-like call gives EAGAIN). Scripts are consumed in
// the order they were added, the first matching one per call.
#pragma once

#include <signal.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/sys.h"

namespace nextip::io::testing {

enum class Op : std::uint8_t {
  open,
  close,
  read,
  write,
  readv,
  writev,
  ioctl,
  pipe2,
  unlink,
  lstat,
  access,
  poll,
  socket,
  bind,
  listen,
  accept4,
  connect,
  shutdown,
  setsockopt,
  getsockopt,
  getsockname,
  sendmsg,
  recvmsg,
  sendmmsg,
  recvmmsg,
  epoll_create1,
  epoll_ctl,
  epoll_wait,
  signalfd,
  sigprocmask,
  spawn,
  waitpid,
};

using Buffer = std::vector<std::byte>;

// One datagram (or stream chunk) waiting to be read, with the peer address and the
// control messages recvmsg/recvmmsg should report.
struct Inbound {
  Buffer data;
  Buffer address;  // raw sockaddr bytes, may be empty
  Buffer control;  // raw cmsg bytes, may be empty
};
// One datagram written, as the syscall saw it.
struct Outbound {
  Buffer data;
  Buffer address;
  Buffer control;
};

struct CallRecord {
  Op op;
  int fd = -1;
  long detail = 0;  // the ioctl request, the sockopt name, the epoll_ctl op …
};

struct FakeInterface {
  std::string name;
  int index = 0;
  int mtu = 1500;
  short flags = 0;
  std::array<std::byte, 6> mac{};
};

struct Child {
  int exit_status = 0;
  std::string out;
  std::string err;
};

class FakeSys final : public Sys {
 public:
  FakeSys();
  ~FakeSys() override;

  // --- scripting
  void fail_next(Op op, int err, int fd = -1, int times = 1);
  void limit_next(Op op, std::size_t n, int fd = -1);

  // --- descriptors
  // A new open descriptor not tied to any syscall (a "device" for a test); `stream`
  // makes reads take bytes from a byte stream rather than whole datagrams.
  int add_fd(std::string label = "fake", bool stream = false);
  void push_inbound(int fd, Inbound in);
  void push_inbound(int fd, Bytes data) { push_inbound(fd, Inbound{Buffer(data.begin(), data.end()), {}, {}}); }
  [[nodiscard]] const std::vector<Outbound>& outbound(int fd) const;
  std::vector<Outbound> take_outbound(int fd);
  [[nodiscard]] std::size_t inbound_size(int fd) const;
  void set_writable(int fd, bool writable);
  void set_hangup(int fd, bool hup);
  [[nodiscard]] bool is_open(int fd) const;
  [[nodiscard]] std::size_t open_count() const { return files_.size(); }
  [[nodiscard]] std::string label(int fd) const;
  [[nodiscard]] int flags_of(int fd) const;  // open()/socket() flags (O_NONBLOCK, SOCK_NONBLOCK …)
  // Registrations of an epoll descriptor: fd -> events.
  [[nodiscard]] std::map<int, std::uint32_t> epoll_interest(int epfd) const;

  // --- time and signals
  void advance(base::Duration d) noexcept { now_ += d; }
  void raise(int signo);
  [[nodiscard]] const sigset_t& blocked() const noexcept { return mask_; }
  std::function<void()> on_idle;

  // --- interfaces and options
  FakeInterface& add_interface(const std::string& name);
  [[nodiscard]] FakeInterface* find_interface(const std::string& name);
  unsigned tun_offloads_supported = 0x7f;  // every TUN_F_* bit up to USO6
  unsigned tun_offloads = 0;               // the last TUNSETOFFLOAD accepted
  int tun_vnet_hdr_sz = 0;                 // the last TUNSETVNETHDRSZ
  std::vector<int> tun_setiff_flags;       // the flags of every TUNSETIFF
  void refuse_sockopt(int level, int name, int err);
  // The value of the last setsockopt(level, name) as an int, if any.
  [[nodiscard]] std::optional<int> sockopt(int fd, int level, int name) const;
  void set_sockname(int fd, Buffer address);

  // --- processes
  void script_child(Child c) { children_.push_back(std::move(c)); }
  struct Spawned {
    std::string path;
    std::vector<std::string> argv;
  };
  std::vector<Spawned> spawned;

  // --- the call log
  std::vector<CallRecord> calls;
  [[nodiscard]] std::size_t count(Op op) const;

  // --- Sys
  SysResult<int> open(const char* path, int flags) noexcept override;
  SysResult<void> close(int fd) noexcept override;
  SysResult<std::size_t> read(int fd, MutBytes buf) noexcept override;
  SysResult<std::size_t> write(int fd, Bytes buf) noexcept override;
  SysResult<std::size_t> readv(int fd, std::span<const iovec> iov) noexcept override;
  SysResult<std::size_t> writev(int fd, std::span<const iovec> iov) noexcept override;
  SysResult<int> ioctl(int fd, unsigned long request, void* arg) noexcept override;
  SysResult<void> pipe2(int fds[2], int flags) noexcept override;
  SysResult<void> unlink(const char* path) noexcept override;
  SysResult<void> lstat(const char* path, struct stat* st) noexcept override;
  SysResult<void> access(const char* path, int mode) noexcept override;
  SysResult<std::size_t> poll(std::span<pollfd> fds, int timeout_ms) noexcept override;
  SysResult<int> socket(int domain, int type, int protocol) noexcept override;
  SysResult<void> bind(int fd, const sockaddr* addr, socklen_t len) noexcept override;
  SysResult<void> listen(int fd, int backlog) noexcept override;
  SysResult<int> accept4(int fd, sockaddr* addr, socklen_t* len, int flags) noexcept override;
  SysResult<void> connect(int fd, const sockaddr* addr, socklen_t len) noexcept override;
  SysResult<void> shutdown(int fd, int how) noexcept override;
  SysResult<void> setsockopt(int fd, int level, int name, const void* value, socklen_t len) noexcept override;
  SysResult<void> getsockopt(int fd, int level, int name, void* value, socklen_t* len) noexcept override;
  SysResult<void> getsockname(int fd, sockaddr* addr, socklen_t* len) noexcept override;
  SysResult<std::size_t> sendmsg(int fd, const msghdr* msg, int flags) noexcept override;
  SysResult<std::size_t> recvmsg(int fd, msghdr* msg, int flags) noexcept override;
  SysResult<std::size_t> sendmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept override;
  SysResult<std::size_t> recvmmsg(int fd, std::span<mmsghdr> msgs, int flags) noexcept override;
  SysResult<int> epoll_create1(int flags) noexcept override;
  SysResult<void> epoll_ctl(int epfd, int op, int fd, epoll_event* event) noexcept override;
  SysResult<std::size_t> epoll_wait(int epfd, std::span<epoll_event> events,
                                    std::optional<base::Duration> timeout) noexcept override;
  SysResult<int> signalfd(int fd, const sigset_t& mask, int flags) noexcept override;
  SysResult<void> sigprocmask(int how, const sigset_t* set, sigset_t* old) noexcept override;
  base::Instant now() noexcept override { return now_; }
  SysResult<pid_t> spawn(const char* path, const char* const* argv, SpawnStdio stdio) noexcept override;
  SysResult<int> waitpid(pid_t pid) noexcept override;

 private:
  enum class Kind : std::uint8_t { plain, epoll, signal, pipe_read, pipe_write, socket };
  struct File {
    Kind kind = Kind::plain;
    std::string label;
    int flags = 0;
    bool stream = false;
    bool writable = true;
    bool hangup = false;
    int peer = -1;  // the other end of a pipe
    std::deque<Inbound> inbound;
    std::vector<Outbound> outbound;
    std::map<int, epoll_event> interest;  // Kind::epoll
    sigset_t sigmask{};                   // Kind::signal
    Buffer sockname;
    std::map<std::pair<int, int>, Buffer> options;
  };
  struct Script {
    Op op;
    int fd;
    int err;            // 0: a limit
    std::size_t limit;  // bytes or messages
  };

  int new_fd(File f);
  File* file(int fd);
  const File* file(int fd) const;
  // The first matching script for this call, removed from the queue.
  std::optional<Script> take_script(Op op, int fd);
  void log(Op op, int fd, long detail = 0) { calls.push_back(CallRecord{op, fd, detail}); }
  [[nodiscard]] bool readable(int fd) const;
  [[nodiscard]] std::uint32_t ready_events(int fd, std::uint32_t wanted) const;
  SysResult<std::size_t> read_into(int fd, std::span<const iovec> iov, std::optional<std::size_t> limit);
  SysResult<std::size_t> write_from(int fd, std::span<const iovec> iov, Bytes address, Bytes control,
                                    std::optional<std::size_t> limit);
  SysResult<std::size_t> recv_one(File& f, msghdr& m);

  std::map<int, File> files_;
  std::deque<Script> scripts_;
  base::Instant now_ = base::Instant::from_ns(1'000'000'000);
  sigset_t mask_{};
  std::deque<int> pending_signals_;
  std::map<std::string, FakeInterface> interfaces_;
  std::map<std::pair<int, int>, int> refused_;
  std::deque<Child> children_;
  std::map<pid_t, int> exited_;
  pid_t next_pid_ = 1000;
};

}  // namespace nextip::io::testing

#include "io/event_loop.h"

#include <sys/signalfd.h>

#include <algorithm>
#include <utility>

namespace nextip::io {
namespace {

constexpr std::uint64_t pack(int fd, std::uint32_t generation) noexcept {
  return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}

std::string fd_name(int fd) {
  return "fd " + std::to_string(fd);
}

}  // namespace

EventLoop::EventLoop(Sys& sys, Fd epoll) noexcept : sys_(&sys), epoll_(std::move(epoll)) {
  sigemptyset(&signals_);
  now_ = sys.now();
}

EventLoop::~EventLoop() = default;

Expected<std::unique_ptr<EventLoop>, IoError> EventLoop::create(Sys& sys) {
  auto ep = sys.epoll_create1(EPOLL_CLOEXEC);
  if (!ep) return nextip::unexpected(io_error("epoll_create1", ep.error(), ""));
  return std::unique_ptr<EventLoop>(new EventLoop(sys, Fd(sys, *ep)));
}

// --- descriptors

Expected<void, IoError> EventLoop::update(Watch& w, int op) {
  epoll_event ev{};
  ev.events = (w.reader ? std::uint32_t{EPOLLIN} : 0u) | (w.writer ? std::uint32_t{EPOLLOUT} : 0u);
  ev.data.u64 = pack(w.fd, w.generation);
  if (auto r = sys_->epoll_ctl(epoll_.get(), op, w.fd, &ev); !r) {
    return nextip::unexpected(io_error("epoll_ctl", r.error(), fd_name(w.fd)));
  }
  return {};
}

Expected<void, IoError> EventLoop::add_reader(int fd, Callback on_readable) {
  if (auto it = watches_.find(fd); it != watches_.end()) {
    Watch& w = *it->second;
    if (w.reader) return nextip::unexpected(io_error("add_reader", EEXIST, fd_name(fd)));
    w.reader = std::move(on_readable);
    return update(w, EPOLL_CTL_MOD);
  }
  auto w = std::make_unique<Watch>();
  w->fd = fd;
  w->generation = ++generation_;
  w->reader = std::move(on_readable);
  if (auto r = update(*w, EPOLL_CTL_ADD); !r) return r;
  watches_.emplace(fd, std::move(w));
  return {};
}

Expected<void, IoError> EventLoop::set_writer(int fd, Callback on_writable) {
  if (auto it = watches_.find(fd); it != watches_.end()) {
    Watch& w = *it->second;
    if (w.writer) {
      // Keep the replaced callable alive until the round ends: it may be the one
      // running (a writer that replaces itself).
      auto keep = std::make_unique<Watch>();
      keep->writer = std::exchange(w.writer, std::move(on_writable));
      retired_.push_back(std::move(keep));
      return {};
    }
    w.writer = std::move(on_writable);
    return update(w, EPOLL_CTL_MOD);
  }
  auto w = std::make_unique<Watch>();
  w->fd = fd;
  w->generation = ++generation_;
  w->writer = std::move(on_writable);
  if (auto r = update(*w, EPOLL_CTL_ADD); !r) return r;
  watches_.emplace(fd, std::move(w));
  return {};
}

Expected<void, IoError> EventLoop::clear_writer(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || !it->second->writer) return {};
  Watch& w = *it->second;
  if (!w.reader) {
    remove(fd);
    return {};
  }
  // Keep the callable alive until the round ends: it may be the one running.
  auto keep = std::make_unique<Watch>();
  keep->writer = std::move(w.writer);
  w.writer = nullptr;
  retired_.push_back(std::move(keep));
  return update(w, EPOLL_CTL_MOD);
}

void EventLoop::remove(int fd) noexcept {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  // The descriptor may already be closed (the kernel then forgot it): ignore errors.
  (void)sys_->epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  retired_.push_back(std::move(it->second));  // it may be running: freed after the round
  watches_.erase(it);
}

void EventLoop::dispatch(const epoll_event& ev) {
  const int fd = static_cast<int>(static_cast<std::uint32_t>(ev.data.u64));
  const auto generation = static_cast<std::uint32_t>(ev.data.u64 >> 32);
  auto current = [&]() -> Watch* {
    auto it = watches_.find(fd);
    return it != watches_.end() && it->second->generation == generation ? it->second.get() : nullptr;
  };
  Watch* w = current();
  if (w == nullptr) return;  // removed earlier in this round
  const bool failed = (ev.events & (EPOLLERR | EPOLLHUP)) != 0;
  if (w->reader && ((ev.events & EPOLLIN) != 0 || failed)) {
    w->reader();
    w = current();
    if (w == nullptr) return;
  }
  if (w->writer && ((ev.events & EPOLLOUT) != 0 || (failed && !w->reader))) w->writer();
}

// --- timers

void EventLoop::schedule(std::uint64_t id, base::Instant at) {
  heap_.push_back(Due{at, id});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
}

TimerId EventLoop::add_timer(base::Instant at, Callback cb) {
  const std::uint64_t id = next_timer_id_++;
  timers_.emplace(id, Timer{at, base::Duration(0), std::move(cb)});
  schedule(id, at);
  return TimerId{id};
}

TimerId EventLoop::add_periodic(base::Instant first, base::Duration period, Callback cb) {
  const std::uint64_t id = next_timer_id_++;
  timers_.emplace(id, Timer{first, period, std::move(cb)});
  schedule(id, first);
  return TimerId{id};
}

bool EventLoop::cancel(TimerId id) noexcept {
  const bool found = timers_.erase(static_cast<std::uint64_t>(id)) > 0;
  prune();
  return found;
}

void EventLoop::prune() noexcept {
  while (!heap_.empty()) {
    const Due& top = heap_.front();
    auto it = timers_.find(top.id);
    if (it != timers_.end() && it->second.at == top.at) return;
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    heap_.pop_back();
  }
}

std::optional<base::Instant> EventLoop::next_timer() const noexcept {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().at;  // never stale: prune() runs after every change
}

void EventLoop::fire_timers() {
  const std::uint64_t limit = next_timer_id_;  // timers added by callbacks wait a round
  std::vector<Due> later;
  while (!heap_.empty() && heap_.front().at <= now_) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    const Due due = heap_.back();
    heap_.pop_back();
    auto it = timers_.find(due.id);
    if (it == timers_.end() || it->second.at != due.at) continue;  // cancelled or rescheduled
    if (due.id >= limit) {
      later.push_back(due);
      continue;
    }
    Callback cb = std::move(it->second.cb);
    const base::Duration period = it->second.period;
    if (period <= base::Duration::zero()) {
      timers_.erase(it);
      cb();
      continue;
    }
    // Periodic: the next tick after now, in phase with the first.
    const auto missed = (now_ - due.at) / period;
    const base::Instant next = due.at + period * (missed + 1);
    it->second.at = next;
    cb();
    auto again = timers_.find(due.id);  // the callback may have cancelled it
    if (again == timers_.end()) continue;
    again->second.cb = std::move(cb);
    schedule(due.id, next);
  }
  for (const Due& d : later) schedule(d.id, d.at);
  prune();
}

// --- signals

Expected<void, IoError> EventLoop::on_signal(int signo, SignalCallback cb) {
  sigset_t one;
  sigemptyset(&one);
  if (sigaddset(&one, signo) != 0)
    return nextip::unexpected(io_error("sigaddset", EINVAL, "signal " + std::to_string(signo)));
  if (auto r = sys_->sigprocmask(SIG_BLOCK, &one, nullptr); !r) {
    return nextip::unexpected(io_error("pthread_sigmask", r.error(), "signal " + std::to_string(signo)));
  }
  sigaddset(&signals_, signo);
  auto fd = sys_->signalfd(signal_fd_.valid() ? signal_fd_.get() : -1, signals_, SFD_NONBLOCK | SFD_CLOEXEC);
  if (!fd) return nextip::unexpected(io_error("signalfd", fd.error(), "signal " + std::to_string(signo)));
  signal_callbacks_[signo] = std::move(cb);
  if (!signal_fd_.valid()) {
    signal_fd_ = Fd(*sys_, *fd);
    if (auto r = add_reader(*fd, [this] { drain_signals(); }); !r) return r;
  }
  return {};
}

void EventLoop::drain_signals() {
  std::array<signalfd_siginfo, 8> infos{};
  for (;;) {
    const base::MutBytes buf(reinterpret_cast<std::byte*>(infos.data()), sizeof infos);
    auto r = sys_->read(signal_fd_.get(), buf);
    if (!r) {
      if (r.error() == EINTR) continue;
      return;  // EAGAIN: drained
    }
    const std::size_t n = *r / sizeof(signalfd_siginfo);
    if (n == 0) return;
    for (std::size_t i = 0; i < n; ++i) {
      const int signo = static_cast<int>(infos[i].ssi_signo);
      auto it = signal_callbacks_.find(signo);
      if (it == signal_callbacks_.end() || !it->second) continue;
      // A copy: the callback may replace itself through on_signal(). Signals are rare.
      const SignalCallback cb = it->second;
      cb(signo);
    }
  }
}

// --- running

Expected<void, IoError> EventLoop::run_once(std::optional<base::Duration> max_wait) {
  now_ = sys_->now();
  std::optional<base::Duration> timeout = max_wait;
  if (auto next = next_timer()) {
    const base::Duration d = std::max(*next - now_, base::Duration::zero());
    timeout = timeout ? std::min(*timeout, d) : d;
  }
  if (stopped_) timeout = base::Duration::zero();
  auto n = sys_->epoll_wait(epoll_.get(), events_, timeout);
  now_ = sys_->now();
  if (!n) {
    if (n.error() != EINTR) return nextip::unexpected(io_error("epoll_wait", n.error(), ""));
    n = std::size_t{0};
  }
  for (std::size_t i = 0; i < *n; ++i) dispatch(events_[i]);
  fire_timers();
  retired_.clear();
  return {};
}

Expected<void, IoError> EventLoop::run() {
  stopped_ = false;
  while (!stopped_) {
    if (auto r = run_once(); !r) return r;
  }
  return {};
}

}  // namespace nextip::io

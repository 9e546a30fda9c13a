// EventLoop: one epoll loop per thread, with timers and signals (STYLE.md rule 4).
//
//   descriptors  add_reader(fd, cb) calls cb when fd is readable (or has an error or
//                hang-up, so that the read reports it); set_writer(fd, cb) when it is
//                writable. Level-triggered: a callback should drain its descriptor
//                until would-block, but may stop early (a batch budget) and is called
//                again on the next round. remove(fd) before closing fd.
//   timers       add_timer(at, cb) once at an Instant, add_periodic(first, period, cb)
//                at first, first + period, … on CLOCK_MONOTONIC (Sys::now()). The
//                epoll timeout is the time to the earliest timer, to the nanosecond
//                (epoll_pwait2). Timers due at the same instant fire in the order they
//                were added. A periodic timer that falls behind skips the ticks it
//                missed and keeps its phase.
//   signals      on_signal(signo, cb) blocks signo for the calling thread (call it
//                before starting threads so that the whole process blocks it) and
//                reads it from one signalfd: SIGTERM, SIGINT, SIGHUP become ordinary
//                events. The mask stays blocked after the loop is destroyed (a pending
//                SIGTERM must not kill the process on the way out).
//   time         now() is the time read after the last wakeup, the same for every
//                callback of one round.
//
// Callbacks may add and remove descriptors and timers, including their own, and
// call stop(). Every syscall goes through Sys, so tests drive the loop with FakeSys.
// Single-threaded: not to be shared between threads (stop() included).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/expected.h"
#include "base/time.h"
#include "io/error.h"
#include "io/fd.h"
#include "io/sys.h"

namespace nextip::io {

enum class TimerId : std::uint64_t {};

class EventLoop {
 public:
  using Callback = std::function<void()>;
  using SignalCallback = std::function<void(int signo)>;

  [[nodiscard]] static Expected<std::unique_ptr<EventLoop>, IoError> create(Sys& sys = real_sys());
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();

  [[nodiscard]] Sys& sys() const noexcept { return *sys_; }

  // Descriptors. One registration per fd: add_reader twice is EEXIST.
  [[nodiscard]] Expected<void, IoError> add_reader(int fd, Callback on_readable);
  // Adds (or replaces) a writable callback on a descriptor that has a reader, or on
  // its own; clear_writer() stops asking.
  [[nodiscard]] Expected<void, IoError> set_writer(int fd, Callback on_writable);
  [[nodiscard]] Expected<void, IoError> clear_writer(int fd);
  // Forgets fd (reader and writer). Unknown descriptors are ignored.
  void remove(int fd) noexcept;

  // Timers. The callback runs in the first round at or after `at`.
  TimerId add_timer(base::Instant at, Callback cb);
  // Precondition: period > 0.
  TimerId add_periodic(base::Instant first, base::Duration period, Callback cb);
  // False if the timer already fired (one-shot) or was cancelled.
  bool cancel(TimerId id) noexcept;
  [[nodiscard]] std::optional<base::Instant> next_timer() const noexcept;

  // Signals (SIGTERM, SIGINT, SIGHUP …); a second call for the same signal replaces
  // its callback.
  [[nodiscard]] Expected<void, IoError> on_signal(int signo, SignalCallback cb);

  // Runs rounds until stop(); an error only when epoll itself fails (EINTR is not
  // one). stop() ends run() after the current round; run() clears it on entry.
  [[nodiscard]] Expected<void, IoError> run();
  // One round: wait at most `max_wait` (nullopt: until an event or the next timer),
  // dispatch descriptors, then fire due timers.
  [[nodiscard]] Expected<void, IoError> run_once(std::optional<base::Duration> max_wait = std::nullopt);
  void stop() noexcept { stopped_ = true; }
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }
  [[nodiscard]] base::Instant now() const noexcept { return now_; }

 private:
  struct Watch {
    int fd = -1;
    std::uint32_t generation = 0;
    Callback reader;
    Callback writer;
  };
  struct Timer {
    base::Instant at;
    base::Duration period{0};
    Callback cb;
  };
  struct Due {
    base::Instant at;
    std::uint64_t id;
    friend bool operator>(const Due& a, const Due& b) noexcept { return a.at != b.at ? a.at > b.at : a.id > b.id; }
  };

  EventLoop(Sys& sys, Fd epoll) noexcept;
  Expected<void, IoError> update(Watch& w, int op);
  void dispatch(const epoll_event& ev);
  void fire_timers();
  void drain_signals();
  void schedule(std::uint64_t id, base::Instant at);
  void prune() noexcept;  // drops cancelled entries from the top of the heap

  Sys* sys_;
  Fd epoll_;
  Fd signal_fd_;
  sigset_t signals_{};
  std::unordered_map<int, SignalCallback> signal_callbacks_;
  std::unordered_map<int, std::unique_ptr<Watch>> watches_;
  std::vector<std::unique_ptr<Watch>> retired_;  // removed during a round, freed after it
  std::uint32_t generation_ = 0;
  std::unordered_map<std::uint64_t, Timer> timers_;
  std::vector<Due> heap_;  // min-heap on (at, id); stale entries skipped
  std::uint64_t next_timer_id_ = 1;
  std::array<epoll_event, 64> events_{};
  base::Instant now_;
  bool stopped_ = false;
};

}  // namespace nextip::io

#include "io/event_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "io/testing/fake_sys.h"

namespace nextip::io {
namespace {

using base::Duration;
using base::Instant;
using base::milliseconds;
using testing::FakeSys;
using testing::Op;

std::unique_ptr<EventLoop> make_loop(Sys& sys) {
  auto loop = EventLoop::create(sys);
  EXPECT_TRUE(loop.has_value()) << loop.error().message();
  return std::move(*loop);
}

// Reads one datagram from a FakeSys descriptor: a callback with a budget of one.
bool read_one(FakeSys& sys, int fd) {
  std::array<std::byte, 64> buf{};
  return sys.read(fd, buf).has_value();
}

const std::byte kByte[1] = {std::byte{1}};

// --- descriptors

TEST(EventLoop, ReaderRunsWhileDataWaitsLevelTriggered) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd("dev");
  int calls = 0;
  ASSERT_TRUE(loop->add_reader(fd,
                               [&] {
                                 ++calls;
                                 EXPECT_TRUE(read_one(sys, fd));  // a budget of one: the rest waits
                               })
                  .has_value());
  EXPECT_EQ(sys.epoll_interest(3).at(fd), std::uint32_t{EPOLLIN});
  for (int i = 0; i < 3; ++i) sys.push_inbound(fd, kByte);

  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sys.inbound_size(fd), 0u);
  ASSERT_TRUE(loop->run_once(milliseconds(5)).has_value());
  EXPECT_EQ(calls, 3) << "nothing readable: no call";
}

TEST(EventLoop, ReaderIsCalledOnHangupSoThatTheReadReportsIt) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  int calls = 0;
  ASSERT_TRUE(loop->add_reader(fd, [&] { ++calls; }).has_value());
  sys.set_hangup(fd, true);
  ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  EXPECT_EQ(calls, 1);
}

TEST(EventLoop, AddReaderTwiceIsEexist) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  ASSERT_TRUE(loop->add_reader(fd, [] {}).has_value());
  auto again = loop->add_reader(fd, [] {});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().err, EEXIST);
  EXPECT_EQ(again.error().message(), "add_reader on fd " + std::to_string(fd) + ": File exists");
}

TEST(EventLoop, AddReaderReportsEpollCtlErrors) {
  FakeSys sys;
  auto loop = make_loop(sys);
  auto r = loop->add_reader(99, [] {});  // not open
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().err, EBADF);
  EXPECT_STREQ(r.error().call, "epoll_ctl");
  // The failed registration is forgotten: a later one for the same number works.
  sys.fail_next(Op::epoll_ctl, ENOMEM);
  const int fd = sys.add_fd();
  EXPECT_FALSE(loop->add_reader(fd, [] {}).has_value());
  EXPECT_TRUE(loop->add_reader(fd, [] {}).has_value());
}

TEST(EventLoop, WriterOnAReaderIsAskedForAndCleared) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int ep = 3;
  const int fd = sys.add_fd();
  int reads = 0;
  int writes = 0;
  ASSERT_TRUE(loop->add_reader(fd, [&] { ++reads; }).has_value());
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++writes; }).has_value());
  EXPECT_EQ(sys.epoll_interest(ep).at(fd), std::uint32_t{EPOLLIN | EPOLLOUT});

  ASSERT_TRUE(loop->run_once().has_value());  // writable, not readable
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(reads, 0);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(writes, 2) << "level-triggered: writable again";

  // Replacing the writer does not touch epoll.
  int replaced = 0;
  const auto ctl_before = sys.count(Op::epoll_ctl);
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++replaced; }).has_value());
  EXPECT_EQ(sys.count(Op::epoll_ctl), ctl_before);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(replaced, 1);
  EXPECT_EQ(writes, 2);

  ASSERT_TRUE(loop->clear_writer(fd).has_value());
  EXPECT_EQ(sys.epoll_interest(ep).at(fd), std::uint32_t{EPOLLIN});
  ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  EXPECT_EQ(replaced, 1);
  ASSERT_TRUE(loop->clear_writer(fd).has_value()) << "clearing twice is harmless";

  sys.set_writable(fd, false);
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++writes; }).has_value());
  ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  EXPECT_EQ(writes, 2) << "not writable: no call";
  sys.set_writable(fd, true);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(writes, 3);
}

TEST(EventLoop, WriterAloneIsRemovedWhenCleared) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  int writes = 0;
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++writes; }).has_value());
  EXPECT_EQ(sys.epoll_interest(3).at(fd), std::uint32_t{EPOLLOUT});
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(writes, 1);
  ASSERT_TRUE(loop->clear_writer(fd).has_value());
  EXPECT_TRUE(sys.epoll_interest(3).empty());
  // And a reader can be added afresh.
  ASSERT_TRUE(loop->add_reader(fd, [] {}).has_value());
  EXPECT_EQ(sys.epoll_interest(3).at(fd), std::uint32_t{EPOLLIN});
}

TEST(EventLoop, WriterAloneIsCalledOnHangup) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  sys.set_writable(fd, false);
  int writes = 0;
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++writes; }).has_value());
  sys.set_hangup(fd, true);
  ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  EXPECT_EQ(writes, 1);
}

TEST(EventLoop, WriterMayClearOrReplaceItselfWhileRunning) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int a = sys.add_fd();
  const int b = sys.add_fd();
  // Captures big enough to live on the heap, so that ASan sees a freed callable.
  std::vector<std::string> log;
  const std::string tag_a(100, 'a');
  const std::string tag_b(100, 'b');
  ASSERT_TRUE(loop->add_reader(a, [] {}).has_value());
  ASSERT_TRUE(loop->set_writer(a,
                               [&, tag_a] {
                                 ASSERT_TRUE(loop->clear_writer(a).has_value());
                                 log.push_back(tag_a);
                               })
                  .has_value());
  ASSERT_TRUE(loop->set_writer(b,
                               [&, tag_b] {
                                 ASSERT_TRUE(loop->set_writer(b, [&] { log.emplace_back("b2"); }).has_value());
                                 log.push_back(tag_b);
                               })
                  .has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(log, (std::vector<std::string>{tag_a, tag_b, "b2"}));
}

TEST(EventLoop, RemoveOwnDescriptorDuringItsCallback) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  sys.push_inbound(fd, kByte);
  const std::string tag(100, 'x');  // on the heap: a freed callable would show
  std::string seen;
  int writes = 0;
  ASSERT_TRUE(loop->add_reader(fd,
                               [&, tag] {
                                 loop->remove(fd);
                                 seen = tag;  // the callable is still alive after remove()
                               })
                  .has_value());
  ASSERT_TRUE(loop->set_writer(fd, [&] { ++writes; }).has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(seen, tag);
  EXPECT_EQ(writes, 0) << "removed by the reader: its writer is not called";
  EXPECT_TRUE(sys.epoll_interest(3).empty());
  ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  loop->remove(fd);  // unknown now: ignored
  loop->remove(12345);
}

TEST(EventLoop, RemoveAnotherDescriptorDuringACallback) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int a = sys.add_fd();
  const int b = sys.add_fd();
  sys.push_inbound(a, kByte);
  sys.push_inbound(b, kByte);
  std::vector<int> order;
  // FakeSys reports ready descriptors in ascending order: a before b.
  ASSERT_TRUE(loop->add_reader(a,
                               [&] {
                                 order.push_back(a);
                                 read_one(sys, a);
                                 loop->remove(b);
                               })
                  .has_value());
  ASSERT_TRUE(loop->add_reader(b, [&] { order.push_back(b); }).has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(order, std::vector<int>{a}) << "b was removed earlier in the round";
}

TEST(EventLoop, ReaddedDescriptorIgnoresTheStaleEventOfItsRound) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int a = sys.add_fd();
  const int b = sys.add_fd();
  sys.push_inbound(a, kByte);
  sys.push_inbound(b, kByte);
  int old_b = 0;
  int new_b = 0;
  ASSERT_TRUE(loop->add_reader(a,
                               [&] {
                                 read_one(sys, a);
                                 loop->remove(b);
                                 ASSERT_TRUE(loop->add_reader(b,
                                                              [&] {
                                                                ++new_b;
                                                                read_one(sys, b);
                                                              })
                                                 .has_value());
                               })
                  .has_value());
  ASSERT_TRUE(loop->add_reader(b, [&] { ++old_b; }).has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(old_b, 0);
  EXPECT_EQ(new_b, 0) << "the event was for the old registration";
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(new_b, 1);
}

// --- timers

TEST(EventLoop, TimersFireInOrderAndSameInstantInOrderAdded) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const Instant t0 = sys.now();
  std::vector<std::string> fired;
  std::vector<Instant> at;
  auto note = [&](std::string name) {
    return [&, name] {
      fired.push_back(name);
      at.push_back(loop->now());
    };
  };
  loop->add_timer(t0 + milliseconds(30), note("c"));
  loop->add_timer(t0 + milliseconds(10), note("a1"));
  loop->add_timer(t0 + milliseconds(20), note("b"));
  loop->add_timer(t0 + milliseconds(10), note("a2"));
  loop->add_timer(t0 + milliseconds(10), note("a3"));
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(10));

  ASSERT_TRUE(loop->run_once().has_value());  // FakeSys advances by the timeout
  EXPECT_EQ(fired, (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(sys.calls.back().op, Op::epoll_wait);
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(fired, (std::vector<std::string>{"a1", "a2", "a3", "b", "c"}));
  EXPECT_EQ(at[3], t0 + milliseconds(20));
  EXPECT_EQ(at[4], t0 + milliseconds(30));
  EXPECT_EQ(loop->next_timer(), std::nullopt);
}

TEST(EventLoop, EpollTimeoutIsTheTimeToTheNextTimerToTheNanosecond) {
  FakeSys sys;
  auto loop = make_loop(sys);
  loop->add_timer(sys.now() + Duration(1'234'567), [] {});
  ASSERT_TRUE(loop->run_once().has_value());
  const auto waits = std::count_if(sys.calls.begin(), sys.calls.end(),
                                   [](const testing::CallRecord& c) { return c.op == Op::epoll_wait; });
  ASSERT_EQ(waits, 1);
  EXPECT_EQ(sys.calls.back().detail, 1'234'567);

  // max_wait caps it; a timer already due waits 0.
  loop->add_timer(sys.now() + milliseconds(50), [] {});
  ASSERT_TRUE(loop->run_once(milliseconds(2)).has_value());
  EXPECT_EQ(sys.calls.back().detail, 2'000'000);
  loop->add_timer(sys.now() - milliseconds(1), [] {});
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(sys.calls.back().detail, 0);
}

TEST(EventLoop, PeriodicTimerKeepsPhaseAndSkipsMissedTicks) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const Instant t0 = sys.now();
  std::vector<Instant> ticks;
  loop->add_periodic(t0 + milliseconds(10), milliseconds(10), [&] { ticks.push_back(loop->now()); });
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(ticks, (std::vector<Instant>{t0 + milliseconds(10), t0 + milliseconds(20)}));
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(30));

  // Late by 3.5 periods: one call, then back in phase at 60 ms.
  sys.advance(milliseconds(35));  // now = 55 ms
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_EQ(ticks.size(), 3u);
  EXPECT_EQ(ticks[2], t0 + milliseconds(55));
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(60));
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_EQ(ticks.size(), 4u);
  EXPECT_EQ(ticks[3], t0 + milliseconds(60));

  // Exactly on a later tick: that tick fires, the next one is a period after it.
  sys.advance(milliseconds(20));  // now = 80 ms
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(ticks.size(), 5u);
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(90));
}

TEST(EventLoop, CancelStopsATimer) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const Instant t0 = sys.now();
  int a = 0;
  int b = 0;
  const TimerId ta = loop->add_timer(t0 + milliseconds(5), [&] { ++a; });
  const TimerId tb = loop->add_timer(t0 + milliseconds(10), [&] { ++b; });
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(5));
  EXPECT_TRUE(loop->cancel(ta));
  EXPECT_FALSE(loop->cancel(ta)) << "already cancelled";
  EXPECT_EQ(loop->next_timer(), t0 + milliseconds(10)) << "the cancelled one no longer counts";
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(sys.now(), t0 + milliseconds(10));
  EXPECT_FALSE(loop->cancel(tb)) << "a one-shot that fired";
  EXPECT_FALSE(loop->cancel(TimerId{999}));
  EXPECT_EQ(loop->next_timer(), std::nullopt);
}

TEST(EventLoop, PeriodicTimerCanCancelItselfAndOthers) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const Instant t0 = sys.now();
  int ticks = 0;
  int other = 0;
  TimerId self{};
  const TimerId victim = loop->add_timer(t0 + milliseconds(100), [&] { ++other; });
  self = loop->add_periodic(t0 + milliseconds(1), milliseconds(1), [&] {
    if (++ticks == 3) {
      EXPECT_TRUE(loop->cancel(self));
      EXPECT_TRUE(loop->cancel(victim));
    }
  });
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(loop->run_once(milliseconds(1)).has_value());
  EXPECT_EQ(ticks, 3);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(loop->next_timer(), std::nullopt);
  EXPECT_FALSE(loop->cancel(self));
}

TEST(EventLoop, TimerAddedByACallbackWaitsForTheNextRound) {
  FakeSys sys;
  auto loop = make_loop(sys);
  std::vector<int> fired;
  loop->add_timer(sys.now(), [&] {
    fired.push_back(1);
    loop->add_timer(loop->now(), [&] { fired.push_back(2); });  // due already
  });
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(fired, std::vector<int>{1});
  EXPECT_EQ(loop->next_timer(), loop->now());
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST(EventLoop, NowIsTheSameForEveryCallbackOfARound) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int a = sys.add_fd();
  const int b = sys.add_fd();
  sys.push_inbound(a, kByte);
  sys.push_inbound(b, kByte);
  std::vector<Instant> seen;
  auto slow = [&](int fd) {
    return [&, fd] {
      read_one(sys, fd);
      seen.push_back(loop->now());
      sys.advance(milliseconds(7));  // a slow callback
    };
  };
  ASSERT_TRUE(loop->add_reader(a, slow(a)).has_value());
  ASSERT_TRUE(loop->add_reader(b, slow(b)).has_value());
  loop->add_timer(sys.now(), [&] { seen.push_back(loop->now()); });
  const Instant round = sys.now();
  ASSERT_TRUE(loop->run_once().has_value());
  ASSERT_EQ(seen.size(), 3u);
  for (const Instant t : seen) EXPECT_EQ(t, round);
  EXPECT_EQ(loop->now(), round);
  ASSERT_TRUE(loop->run_once(milliseconds(0)).has_value());
  EXPECT_EQ(loop->now(), round + milliseconds(14));
}

// --- running and stopping

TEST(EventLoop, StopEndsRunAfterTheRound) {
  FakeSys sys;
  auto loop = make_loop(sys);
  int ticks = 0;
  int after = 0;
  loop->add_periodic(sys.now() + milliseconds(1), milliseconds(1), [&] {
    if (++ticks % 3 == 0) loop->stop();
  });
  // Due in the same round as the third tick: still fired, the round completes.
  loop->add_timer(sys.now() + milliseconds(3), [&] { ++after; });
  ASSERT_TRUE(loop->run().has_value());
  EXPECT_EQ(ticks, 3);
  EXPECT_EQ(after, 1);
  EXPECT_TRUE(loop->stopped());
  // run() clears stop() on entry.
  ASSERT_TRUE(loop->run().has_value());
  EXPECT_EQ(ticks, 6);
}

TEST(EventLoop, StopFromAReader) {
  FakeSys sys;
  auto loop = make_loop(sys);
  const int fd = sys.add_fd();
  int reads = 0;
  ASSERT_TRUE(loop->add_reader(fd,
                               [&] {
                                 ++reads;
                                 read_one(sys, fd);
                                 loop->stop();
                               })
                  .has_value());
  sys.on_idle = [&] { sys.push_inbound(fd, kByte); };  // data arrives while the loop sleeps
  ASSERT_TRUE(loop->run().has_value());
  EXPECT_EQ(reads, 1);
}

TEST(EventLoop, StoppedLoopDoesNotWait) {
  FakeSys sys;
  auto loop = make_loop(sys);
  loop->stop();
  ASSERT_TRUE(loop->run_once().has_value()) << "no descriptors, no timers, no waiting: FakeSys would say EDEADLK";
  EXPECT_EQ(sys.calls.back().detail, 0);
}

TEST(EventLoop, EpollErrorsEndRunButEintrDoesNot) {
  FakeSys sys;
  auto loop = make_loop(sys);
  int fired = 0;
  loop->add_timer(sys.now(), [&] { ++fired; });
  sys.fail_next(Op::epoll_wait, EINTR);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(fired, 1) << "timers still fire after EINTR";

  sys.fail_next(Op::epoll_wait, EBADF);
  auto r = loop->run();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().err, EBADF);
  EXPECT_STREQ(r.error().call, "epoll_wait");

  FakeSys nothing;
  auto idle = EventLoop::create(nothing);
  ASSERT_TRUE(idle.has_value());
  EXPECT_EQ((*idle)->run_once().error().err, EDEADLK) << "FakeSys refuses to wait forever";
}

TEST(EventLoop, CreateReportsEpollFailure) {
  FakeSys sys;
  sys.fail_next(Op::epoll_create1, EMFILE);
  auto loop = EventLoop::create(sys);
  ASSERT_FALSE(loop.has_value());
  EXPECT_EQ(loop.error().message(), "epoll_create1: Too many open files");
  EXPECT_EQ(sys.open_count(), 0u);
}

TEST(EventLoop, DestroyingTheLoopClosesItsDescriptors) {
  FakeSys sys;
  {
    auto loop = make_loop(sys);
    ASSERT_TRUE(loop->on_signal(SIGTERM, [](int) {}).has_value());
    EXPECT_EQ(sys.open_count(), 2u);  // epoll, signalfd
  }
  EXPECT_EQ(sys.open_count(), 0u);
  EXPECT_EQ(sigismember(&sys.blocked(), SIGTERM), 1) << "the mask stays blocked";
}

// --- signals

TEST(EventLoop, SignalsBecomeEventsWithFakeSys) {
  FakeSys sys;
  auto loop = make_loop(sys);
  std::vector<int> got;
  ASSERT_TRUE(loop->on_signal(SIGTERM, [&](int s) { got.push_back(s); }).has_value());
  ASSERT_TRUE(loop->on_signal(SIGINT, [&](int s) { got.push_back(-s); }).has_value());
  EXPECT_EQ(sigismember(&sys.blocked(), SIGTERM), 1);
  EXPECT_EQ(sigismember(&sys.blocked(), SIGINT), 1);
  EXPECT_EQ(sys.count(Op::signalfd), 2u);
  EXPECT_EQ(sys.open_count(), 2u) << "one signalfd for all signals";

  sys.raise(SIGINT);
  sys.raise(SIGTERM);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(got, (std::vector<int>{-SIGINT, SIGTERM}));

  // A second on_signal replaces the callback.
  ASSERT_TRUE(loop->on_signal(SIGTERM, [&](int) { got.push_back(0); }).has_value());
  sys.raise(SIGTERM);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(got.back(), 0);
  EXPECT_EQ(got.size(), 3u);
}

TEST(EventLoop, SignalCallbackMayReplaceItself) {
  FakeSys sys;
  auto loop = make_loop(sys);
  std::vector<std::string> log;
  const std::string tag(100, 's');
  ASSERT_TRUE(loop->on_signal(SIGHUP,
                              [&, tag](int) {
                                ASSERT_TRUE(
                                    loop->on_signal(SIGHUP, [&](int) { log.emplace_back("second"); }).has_value());
                                log.push_back(tag);
                              })
                  .has_value());
  sys.raise(SIGHUP);
  ASSERT_TRUE(loop->run_once().has_value());
  sys.raise(SIGHUP);
  ASSERT_TRUE(loop->run_once().has_value());
  EXPECT_EQ(log, (std::vector<std::string>{tag, "second"}));
}

TEST(EventLoop, SignalSetupErrors) {
  FakeSys sys;
  auto loop = make_loop(sys);
  EXPECT_EQ(loop->on_signal(0, [](int) {}).error().err, EINVAL);
  EXPECT_EQ(loop->on_signal(NSIG + 5, [](int) {}).error().err, EINVAL);
  sys.fail_next(Op::signalfd, ENOMEM);
  auto r = loop->on_signal(SIGTERM, [](int) {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "signalfd on signal 15: Cannot allocate memory");
}

// --- the real kernel

TEST(EventLoopReal, PipeReaderEventfdWriterAndTimer) {
  auto loop = make_loop(real_sys());
  int p[2] = {-1, -1};
  ASSERT_EQ(::pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  const Fd rd(real_sys(), p[0]);
  Fd wr(real_sys(), p[1]);
  const Fd efd(real_sys(), ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_TRUE(efd.valid());

  std::string got;
  ASSERT_TRUE(loop->add_reader(rd.get(),
                               [&] {
                                 char c = 0;
                                 if (::read(rd.get(), &c, 1) == 1) got.push_back(c);  // one byte per round
                               })
                  .has_value());
  int writable = 0;
  ASSERT_TRUE(loop->set_writer(efd.get(),
                               [&] {
                                 if (++writable == 2) {
                                   ASSERT_TRUE(loop->clear_writer(efd.get()).has_value());
                                 }
                               })
                  .has_value());
  ASSERT_EQ(::write(wr.get(), "abc", 3), 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(loop->run_once(milliseconds(100)).has_value());
  EXPECT_EQ(got, "abc") << "level-triggered: one byte per round until drained";
  EXPECT_EQ(writable, 2);

  // A timer 5 ms out: run_once sleeps until it, not longer than a few ms more.
  bool fired = false;
  const Instant start = real_sys().now();
  loop->add_timer(start + milliseconds(5), [&] { fired = true; });
  while (!fired) ASSERT_TRUE(loop->run_once(milliseconds(500)).has_value());
  const Duration took = real_sys().now() - start;
  EXPECT_GE(took, milliseconds(5));
  EXPECT_LT(took, milliseconds(400));

  // Hang-up: the reader is called and read() reports EOF.
  bool eof = false;
  loop->remove(rd.get());
  ASSERT_TRUE(loop->add_reader(rd.get(),
                               [&] {
                                 char c = 0;
                                 eof = ::read(rd.get(), &c, 1) == 0;
                               })
                  .has_value());
  wr.reset();
  ASSERT_TRUE(loop->run_once(milliseconds(100)).has_value());
  EXPECT_TRUE(eof);
  loop->remove(rd.get());
}

TEST(EventLoopReal, SignalsRaisedToSelf) {
  auto loop = make_loop(real_sys());
  std::vector<int> got;
  ASSERT_TRUE(loop->on_signal(SIGHUP, [&](int s) { got.push_back(s); }).has_value());
  ASSERT_TRUE(loop->on_signal(SIGUSR1,
                              [&](int s) {
                                got.push_back(s);
                                loop->stop();
                              })
                  .has_value());
  sigset_t now_blocked;
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, nullptr, &now_blocked), 0);
  EXPECT_EQ(sigismember(&now_blocked, SIGHUP), 1);
  EXPECT_EQ(sigismember(&now_blocked, SIGUSR1), 1);

  ASSERT_EQ(::raise(SIGHUP), 0);  // blocked: pending, read by the signalfd
  ASSERT_EQ(::raise(SIGUSR1), 0);
  loop->add_timer(real_sys().now() + base::seconds(2), [&] {
    ADD_FAILURE() << "signals not delivered";
    loop->stop();
  });
  ASSERT_TRUE(loop->run().has_value());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], SIGHUP) << "signalfd reports the lowest signal number first";
  EXPECT_EQ(got[1], SIGUSR1);
}

}  // namespace
}  // namespace nextip::io

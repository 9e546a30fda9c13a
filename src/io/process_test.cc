// Processes for the lab: a supervised program's log and exit record, liveness by pid
// and start time, and SIGINT/SIGTERM as a flag. (Readiness probes inside a namespace
// need root and run in tests/netns/lab_test.sh.)
#include "io/process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace nextip::io {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Process, SelfIsAliveWithAStartTime) {
  const auto t = process_start_time(self_pid());
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(same_process(self_pid(), *t));
  EXPECT_TRUE(same_process(self_pid(), 0));
  EXPECT_FALSE(same_process(self_pid(), *t + 1));  // a reused pid is not the same process
  EXPECT_TRUE(process_exists(self_pid()));
  EXPECT_FALSE(process_start_time(0).has_value());
}

TEST(Process, SupervisedProgramLogsAndRecordsItsExit) {
  const fs::path dir = fs::temp_directory_path() / ("nextip-process-test-" + std::to_string(self_pid()));
  fs::create_directories(dir);
  const fs::path log = dir / "p.log";
  const fs::path exit_file = dir / "p.exit";
  auto s = spawn_supervised("/bin/sh", {"sh", "-c", "echo hello from $PWD; exit 3"}, log, dir, exit_file);
  ASSERT_TRUE(s) << s.error();
  EXPECT_GT(s->group, 0);
  EXPECT_GT(s->pid, 0);
  for (int i = 0; i < 200 && !fs::exists(exit_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(slurp(exit_file), "exit 3\n");
  const std::string text = slurp(log);
  EXPECT_NE(text.find("sh -c"), std::string::npos) << text;  // the header line
  EXPECT_NE(text.find("hello from " + dir.string()), std::string::npos) << text;
  for (int i = 0; i < 200 && group_alive(s->group); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(group_alive(s->group));
  EXPECT_TRUE(child_ended(s->group));
  fs::remove_all(dir);
}

TEST(Process, SupervisedProgramKilledBySignal) {
  const fs::path dir = fs::temp_directory_path() / ("nextip-process-test2-" + std::to_string(self_pid()));
  fs::create_directories(dir);
  const fs::path exit_file = dir / "p.exit";
  auto s = spawn_supervised("/bin/sleep", {"sleep", "30"}, dir / "p.log", dir, exit_file);
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE(signal_process(s->pid, SIGKILL));
  for (int i = 0; i < 200 && !fs::exists(exit_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(slurp(exit_file), "signal 9\n");
  fs::remove_all(dir);
}

TEST(Process, InterruptGuardTurnsSignalsIntoAFlag) {
  {
    InterruptGuard g;
    EXPECT_EQ(InterruptGuard::signal(), 0);
    ::raise(SIGTERM);
    EXPECT_EQ(InterruptGuard::signal(), SIGTERM);
  }
  struct sigaction now {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);  // the previous disposition is back
}

}  // namespace
}  // namespace nextip::io

// The node daemon: what can be checked without root (start-up refusals, the status
// text). The daemon's traffic is proven in tests/netns/ (asip_lab_test, siit_lab_test).
#include "control/node.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "control/node_log.h"

namespace nextip::control {
namespace {

TEST(Node, ConfigurationsTheDaemonCannotRunAreRefusedByTheParser) {
  auto host = parse_node_config(
      "name = \"h\"\nrole = \"host\"\n[tun]\nname = \"nxtest0\"\n"
      "[host]\naddresses = [\"15169::192.0.2.1\"]\n",
      "test.toml");
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().find("[[link]]"), std::string::npos) << host.error();
  auto siit = parse_node_config(
      "name = \"t\"\nrole = \"translator\"\n[tun]\nname = \"nxtest0\"\n"
      "[[link]]\ninterface = \"x0\"\n[translator]\nmode = \"siit\"\n"
      "pool6 = \"64:ff9b::/96\"\n",
      "test.toml");
  ASSERT_FALSE(siit);
  EXPECT_NE(siit.error().find("[[link]]"), std::string::npos) << siit.error();
}

TEST(Node, StartUpWithoutATunFailsCleanly) {
  NodeConfig c;
  c.name = "broken";
  EXPECT_EQ(run_node(c, {}), 1);
}

TEST(Node, StatusTextNamesDevicesAndDrops) {
  const nlohmann::json s = nlohmann::json::parse(R"({
    "name": "translator", "role": "translator", "mode": "asip", "pid": 42, "uptime_s": 3.2,
    "metrics": "127.0.0.1:9100",
    "devices": [{"kind": "tun", "name": "nx4", "rx_packets": 10, "rx_bytes": 1000, "tx_packets": 9,
                 "tx_bytes": 900, "tx_blocked": 1, "pcap": "/tmp/x.pcap"}],
    "translator": {"translated": 19, "hairpinned": 0, "icmp_generated": 1, "dropped": 2,
                   "drops": {"ttl_expired": 2}}})");
  const std::string t = format_status(s);
  EXPECT_NE(t.find("node translator (translator asip), pid 42"), std::string::npos) << t;
  EXPECT_NE(t.find("http://127.0.0.1:9100/metrics"), std::string::npos) << t;
  EXPECT_NE(t.find("nx4"), std::string::npos) << t;
  EXPECT_NE(t.find("capture /tmp/x.pcap"), std::string::npos) << t;
  EXPECT_NE(t.find("19 translated"), std::string::npos) << t;
  EXPECT_NE(t.find("ttl_expired"), std::string::npos) << t;
}

TEST(Node, StatusTextToleratesMissingFields) {
  EXPECT_NE(format_status(nlohmann::json::object()).find("node ?"), std::string::npos);
}

TEST(LogLimiter, TwentyLinesASecondThenASummary) {
  LogLimiter l;
  const base::Instant t0 = base::Instant::from_ns(1'000'000'000);
  int allowed = 0;
  for (int i = 0; i < 100; ++i) allowed += l.allow(t0) ? 1 : 0;
  EXPECT_EQ(allowed, 20);
  EXPECT_EQ(l.take_suppressed(), 80u);
  EXPECT_EQ(l.take_suppressed(), 0u);
  EXPECT_TRUE(l.allow(t0 + std::chrono::milliseconds(100)));  // 2 lines earned in 0.1 s
  EXPECT_TRUE(l.allow(t0 + std::chrono::milliseconds(100)));
  EXPECT_FALSE(l.allow(t0 + std::chrono::milliseconds(100)));
}

TEST(NodeLog, JsonLinesEscapeTheMessage) {
  NodeConfig c;
  c.name = "n\"1";
  c.log_format = LogFormat::json;
  auto log = make_logger(c);
  EXPECT_EQ(log->level(), spdlog::level::info);
  testing::internal::CaptureStderr();
  log->info("a \"quoted\"\tline\n");
  const std::string line = testing::internal::GetCapturedStderr();
  EXPECT_NE(line.find(R"("node":"n\"1")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("msg":"a \"quoted\"\tline\n")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("level":"info")"), std::string::npos) << line;
}

}  // namespace
}  // namespace nextip::control

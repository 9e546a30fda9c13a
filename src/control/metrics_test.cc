#include "control/metrics.h"

#include <gtest/gtest.h>

namespace nextip::control {
namespace {

TEST(Metrics, FamiliesOnceSamplesEach) {
  MetricsText m;
  m.counter("x_total", "help text", {{"a", "1"}}, 5);
  m.counter("x_total", "help text", {{"a", "2\"q"}}, 6);
  m.gauge("y", "g", {}, 1.5);
  EXPECT_EQ(m.text(),
            "# HELP x_total help text\n# TYPE x_total counter\nx_total{a=\"1\"} 5\nx_total{a=\"2\\\"q\"} 6\n"
            "# HELP y g\n# TYPE y gauge\ny 1.5\n");
}

TEST(Metrics, HostAdaptorExportsEveryDropReason) {
  engine::host::HostStats st;
  st.to_asip = 7;
  st.drops[static_cast<std::size_t>(engine::host::HostDrop::multicast)] = 3;
  MetricsText m;
  render_host(m, st);
  const std::string& t = m.text();
  EXPECT_NE(t.find("nextip_host_packets_total{direction=\"to_asip\"} 7\n"), std::string::npos) << t;
  EXPECT_NE(t.find("nextip_host_drops_total{reason=\"multicast\"} 3\n"), std::string::npos) << t;
  for (std::size_t i = 1; i < engine::host::kHostDrops; ++i) {
    const auto r = static_cast<engine::host::HostDrop>(i);
    EXPECT_NE(t.find("reason=\"" + std::string(engine::host::name(r)) + "\""), std::string::npos) << name(r);
  }
  EXPECT_EQ(t.find("reason=\"none\""), std::string::npos);
}

TEST(Metrics, TranslatorExportsEveryDropReason) {
  engine::translate::Stats s;
  s.drops[static_cast<std::size_t>(engine::translate::DropReason::not_owned)] = 3;
  s.icmp_error_no_state = 2;
  engine::translate::LocatorTable t(engine::translate::LocatorTableConfig{16}, engine::translate::HashKey{1, 2});
  MetricsText m;
  render_translator(m, s, t);
  const std::string& x = m.text();
  EXPECT_NE(x.find("nextip_translator_drops_total{reason=\"not_owned\"} 3\n"), std::string::npos);
  EXPECT_NE(x.find("nextip_translator_drops_total{reason=\"ttl_expired\"} 0\n"), std::string::npos);
  EXPECT_NE(x.find("nextip_translator_icmp_error_no_state_total 2\n"), std::string::npos);
  EXPECT_NE(x.find("nextip_translator_locator_capacity 16\n"), std::string::npos);
  std::size_t drops = 0;
  for (std::size_t at = x.find("nextip_translator_drops_total{"); at != std::string::npos;
       at = x.find("nextip_translator_drops_total{", at + 1)) {
    ++drops;
  }
  EXPECT_EQ(drops, engine::translate::kDropReasons - 1);
}

}  // namespace
}  // namespace nextip::control

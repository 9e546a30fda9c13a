// Prometheus text exposition (format 0.0.4) for the daemons' counters: a small writer
// that emits each family's HELP and TYPE once, then its samples, and the translator's
// counters rendered with it (every drop reason, zero or not, so dashboards can rely
// on the series existing).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/host/counters.h"
#include "engine/translate/counters.h"
#include "engine/translate/locator_table.h"

namespace nextip::control {

class MetricsText {
 public:
  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  void counter(std::string_view name, std::string_view help, Labels labels, std::uint64_t value);
  void gauge(std::string_view name, std::string_view help, Labels labels, double value);
  [[nodiscard]] const std::string& text() const noexcept { return out_; }

 private:
  void family(std::string_view name, std::string_view help, std::string_view type);
  void sample(std::string_view name, Labels labels, std::string_view value);
  std::string out_;
  std::map<std::string, bool, std::less<>> families_;
};

// Label values escaped as the exposition format requires (\\, \", \n).
[[nodiscard]] std::string escape_label(std::string_view v);

// The host adaptor's counters (engine/host/counters.h), every drop reason included.
void render_host(MetricsText& m, const engine::host::HostStats& s);

void render_translator(MetricsText& m, const engine::translate::Stats& s, const engine::translate::LocatorTable& table);

}  // namespace nextip::control

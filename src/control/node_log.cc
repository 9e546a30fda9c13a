#include "control/node_log.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <string_view>

namespace nextip::control {
namespace {

// %* : the message, escaped for a JSON string.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (const char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<unsigned>(c));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(const NodeConfig& c) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto log = std::make_shared<spdlog::logger>("node", sink);
  auto f = std::make_unique<spdlog::pattern_formatter>();
  if (c.log_format == LogFormat::json) {
    f->add_flag<JsonMessageFlag>('*').set_pattern(fmt::format(
        R"({{"time":"%Y-%m-%dT%H:%M:%S.%f%z","level":"%l","node":{},"msg":"%*"}})", nlohmann::json(c.name).dump()));
  } else {
    f->set_pattern(fmt::format("%Y-%m-%d %H:%M:%S.%e %-5l {}: %v", c.name));
  }
  log->set_formatter(std::move(f));
  log->set_level(spdlog::level::from_str(c.log_level));
  log->flush_on(spdlog::level::trace);
  return log;
}

}  // namespace nextip::control

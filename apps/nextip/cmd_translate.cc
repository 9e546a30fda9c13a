// nextip translate --mode siit|asip --from v4|v6|asip [--KEY VALUE…] FILE…
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apps/nextip/cli.h"
#include "engine/translate/translator.h"

namespace nextip::cli {

namespace {

namespace tr = engine::translate;
using Json = nlohmann::ordered_json;

struct TranslateOptions {
  std::string mode = "siit";
  std::string from;
  std::vector<std::string> files;
  std::string out_dir;
  bool json = false;
  bool hex = false;
  bool stats = false;
  std::map<std::string, std::vector<std::string>> values;  // --KEY VALUE, in option_help() order
};

std::string to_hex(base::Bytes b) {
  std::string s;
  s.reserve(b.size() * 2);
  for (std::byte x : b) s += fmt::format("{:02x}", static_cast<unsigned>(x));
  return s;
}

std::string side_name(tr::Side s, tr::Mode m) {
  if (s == tr::Side::v4) return "v4";
  return m == tr::Mode::asip ? "asip" : "v6";
}

Json stats_json(const tr::Stats& s) {
  Json j;
  j["in_v4"] = s.in_v4;
  j["in_v6"] = s.in_v6;
  j["out_v4"] = s.out_v4;
  j["out_v6"] = s.out_v6;
  j["translated"] = s.translated;
  j["fragments_made"] = s.fragments_made;
  j["hairpinned"] = s.hairpinned;
  j["icmp_generated"] = s.icmp_generated;
  j["icmp_suppressed"] = s.icmp_suppressed;
  j["udp_checksum_amended"] = s.udp_checksum_amended;
  j["rfc6791_used"] = s.rfc6791_used;
  j["rfc4884_kept"] = s.rfc4884_kept;
  j["rfc4884_removed"] = s.rfc4884_removed;
  j["locator_from_flow"] = s.locator_from_flow;
  j["locator_from_pair"] = s.locator_from_pair;
  j["locator_from_static"] = s.locator_from_static;
  j["locator_missing"] = s.locator_missing;
  j["icmp_error_no_state"] = s.icmp_error_no_state;
  Json d = Json::object();
  for (std::size_t i = 1; i < tr::kDropReasons; ++i) {
    if (s.drops[i] != 0) d[std::string(tr::name(static_cast<tr::DropReason>(i)))] = s.drops[i];
  }
  j["drops"] = d;
  return j;
}

int run_translate(const TranslateOptions& o) {
  tr::Mode mode = tr::Mode::siit;
  if (o.mode == "asip") {
    mode = tr::Mode::asip;
  } else if (o.mode != "siit") {
    print_error(fmt::format("--mode '{}': expected siit or asip", o.mode));
    return kExitInvalidInput;
  }
  tr::Config cfg = tr::Config::defaults(mode);
  // The vectors' translator addresses, unless given (docs/translate.md).
  for (const tr::OptionHelp& h : tr::option_help()) {
    if (h.key == "mode") continue;
    auto it = o.values.find(std::string(h.key));
    if (it == o.values.end()) continue;
    for (const std::string& v : it->second) {
      auto r = tr::apply_option(cfg, h.key, v);
      if (!r) {
        print_error(r.error());
        return kExitInvalidInput;
      }
    }
  }
  if (auto v = cfg.validate(); !v) {
    print_error(v.error());
    return kExitInvalidInput;
  }
  if (o.files.empty()) {
    print_error("give packet files to translate (raw packets starting at the IP header)");
    return kExitInvalidInput;
  }
  if (!o.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) {
      print_error(fmt::format("--out-dir '{}': {}", o.out_dir, ec.message()));
      return kExitFailure;
    }
  }

  // Every input checked before the first is run: its side, and that its outputs have a
  // name of their own in --out-dir.
  auto side_ok = [&](const std::string& side) {
    return side == "v4" || (side == "v6" && mode == tr::Mode::siit) || (side == "asip" && mode == tr::Mode::asip);
  };
  const std::string other = mode == tr::Mode::asip ? "asip" : "v6";
  if (!o.from.empty() && !side_ok(o.from)) {
    print_error(fmt::format("--from '{}': expected v4 or {} with --mode {}", o.from, other, o.mode));
    return kExitInvalidInput;
  }
  struct Input {
    std::string from;
    std::string path;
  };
  std::vector<Input> inputs;
  std::map<std::string, std::string> stems;
  for (const std::string& spec : o.files) {
    Input in{o.from, spec};  // FILE, or SIDE:FILE to give one file its side
    if (const auto colon = spec.find(':'); colon != std::string::npos) {
      const std::string prefix = spec.substr(0, colon);
      if (prefix == "v4" || prefix == "v6" || prefix == "asip") {
        if (!side_ok(prefix)) {
          print_error(
              fmt::format("{}: side '{}' does not go with --mode {} (use v4: or {}:)", spec, prefix, o.mode, other));
          return kExitInvalidInput;
        }
        in = Input{prefix, spec.substr(colon + 1)};
      }
    }
    if (in.from.empty()) {
      print_error(fmt::format("{}: give --from v4|{} (or prefix the file with v4: or {}:)", in.path, other, other));
      return kExitInvalidInput;
    }
    const std::string stem = std::filesystem::path(in.path).filename().string();
    if (!o.out_dir.empty()) {
      auto [it, fresh] = stems.emplace(stem, in.path);
      if (!fresh && it->second != in.path) {
        print_error(
            fmt::format("--out-dir: {} and {} would both write {}.N.SIDE; rename one", it->second, in.path, stem));
        return kExitInvalidInput;
      }
    }
    inputs.push_back(std::move(in));
  }

  tr::Translator t(std::move(cfg));
  const base::Instant start = base::Instant::origin() + base::seconds(1);
  std::size_t index = 0;
  for (const Input& input : inputs) {
    const std::string& from = input.from;
    const std::string& path = input.path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      print_error(fmt::format("{}: {}", path, ec ? ec.message() : "not a regular file"));
      return kExitFailure;
    }
    std::ifstream in(path, std::ios::binary);
    std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
      print_error(fmt::format("{}: cannot read", path));
      return kExitFailure;
    }
    const base::Bytes pkt(reinterpret_cast<const std::byte*>(raw.data()), raw.size());
    // Each file one millisecond after the previous one: state ages as in a short capture.
    const base::Instant now = start + base::milliseconds(static_cast<std::int64_t>(index++));
    const tr::Outcome out = from == "v4" ? t.from_v4(pkt, now) : t.from_v6(pkt, now);

    const std::string stem = std::filesystem::path(path).filename().string();
    Json j;
    j["input"] = path;
    j["from"] = from;
    j["verdict"] = tr::name(out.verdict);
    if (out.reason != tr::DropReason::none) {
      j["reason"] = tr::name(out.reason);
      j["reason_text"] = tr::describe(out.reason);
    }
    Json outs = Json::array();
    std::size_t k = 0;
    for (const tr::Emitted& e : out.packets) {
      Json jo;
      const std::string side = side_name(e.side, mode);
      jo["side"] = side;
      jo["bytes"] = e.packet.size();
      if (!o.out_dir.empty()) {
        const std::string file = (std::filesystem::path(o.out_dir) / fmt::format("{}.{}.{}", stem, ++k, side)).string();
        std::ofstream f(file, std::ios::binary);
        f.write(reinterpret_cast<const char*>(e.packet.data()), static_cast<std::streamsize>(e.packet.size()));
        if (!f) {
          print_error(fmt::format("{}: cannot write", file));
          return kExitFailure;
        }
        jo["file"] = file;
      }
      if (o.hex) jo["hex"] = to_hex(e.packet);
      outs.push_back(jo);
    }
    j["outputs"] = outs;
    if (o.json) {
      std::fputs((j.dump() + "\n").c_str(), stdout);
      continue;
    }
    std::string line = fmt::format("{} ({}): {}", path, from, tr::name(out.verdict));
    if (out.reason != tr::DropReason::none) {
      line += fmt::format(" [{}: {}]", tr::name(out.reason), tr::describe(out.reason));
    }
    std::fputs((line + "\n").c_str(), stdout);
    for (const Json& jo : outs) {
      std::string l = fmt::format("  -> {} {} bytes", jo["side"].get<std::string>(), jo["bytes"].get<std::size_t>());
      if (jo.contains("file")) l += " " + jo["file"].get<std::string>();
      if (jo.contains("hex")) l += "\n     " + jo["hex"].get<std::string>();
      std::fputs((l + "\n").c_str(), stdout);
    }
  }
  if (o.stats) {
    const Json s = stats_json(t.stats());
    std::fputs((o.json ? Json{{"stats", s}}.dump() : s.dump(2)).c_str(), stdout);
    std::fputs("\n", stdout);
  }
  return kExitOk;
}

std::string translate_footer() {
  std::string s = R"(
DESCRIPTION
  Runs raw packets (files that start at the IP header, no link layer) through the same
  translation engine the daemon uses, without any network, and reports for each one its
  verdict: translated (one packet, or several fragments, on the other side),
  hairpinned (back out on the side it came from, RFC 7757 §4), icmp-error (dropped,
  and the translator answered the sender with an ICMP error), or dropped, each drop
  with the reason's name. With --out-dir every output packet is written there as
  FILE.N.SIDE (SIDE = v4, v6 or asip).

  Files are processed in order by one translator, so state carries over: an ASIP
  packet going out records its source locator, and a reply given after it comes back
  with that locator restored (001 §12.7.1). Prefix a file with v4:, v6: or asip: to
  give its side when files of both sides are mixed.

MODES
  siit  IPv6 <-> IPv4 per RFC 7915: RFC 6052 --pool6, RFC 7757 --eamt, RFC 6791.
  asip  ASIP <-> IPv4 per 001 §12.2 and §12.7: IPv4-mapped addresses (r=z=s=0), --pool4
        (the addresses the translator owns), source locators from per-flow state or
        --locator static mappings.

OPTIONS
  Every key of the RFC 7915 vectors' config column is accepted as --KEY VALUE:
)";
  for (const tr::OptionHelp& h : tr::option_help()) {
    s += fmt::format("  --{} {}\n      {}\n", h.key, h.value, h.help);
  }
  s += R"(
  Translator addresses: --own-v4 (default none: no ICMPv4 errors can be sent) and
  --own-v6 (IPv6 or ASIP). Without them the translator still translates, but drops
  instead of answering where it would send an error itself.

OUTPUT
  One line per input with its verdict (and reason), then one line per output packet;
  --hex adds the output bytes, --json gives one JSON object per input instead, --stats
  the counters at the end.

EXIT STATUS
  0 every file was run (drops are verdicts, not failures), 1 a file could not be read
  or written, 2 invalid options

EXAMPLES
  nextip translate --mode siit --from v6 --pool6 64:ff9b::/96 --own-v4 192.0.2.1 pkt.bin
  nextip translate --mode asip --pool4 192.0.2.0/24 --locator 192.0.2.0/24=0.0.59.65 \
      --from v4 --out-dir out/ reply.bin
  nextip translate --mode asip --pool4 192.0.2.0/24 asip:request.bin v4:reply.bin --hex)";
  return s;
}

}  // namespace

void add_translate_commands(CLI::App& app, int& status) {
  auto o = std::make_shared<TranslateOptions>();
  CLI::App* cmd = app.add_subcommand("translate", "Run raw packets through the SIIT / ASIP translator offline");
  cmd->footer(translate_footer());
  cmd->add_option("FILE", o->files, "Raw packet files (start at the IP header); SIDE:FILE sets the side");
  cmd->add_option("--mode", o->mode, "siit (IPv6<->IPv4) or asip (ASIP<->IPv4)")->type_name("MODE");
  cmd->add_option("--from", o->from, "Side the packets arrive on: v4, v6 (siit) or asip")->type_name("SIDE");
  cmd->add_option("--out-dir", o->out_dir, "Write every output packet here as FILE.N.SIDE")->type_name("DIR");
  cmd->add_flag("--json", o->json, "One JSON object per input");
  cmd->add_flag("--hex", o->hex, "Show the output packets' bytes");
  cmd->add_flag("--stats", o->stats, "Print the translator's counters at the end");
  for (const tr::OptionHelp& h : tr::option_help()) {
    if (h.key == "mode") continue;
    const std::string key(h.key);
    cmd->add_option("--" + key, o->values[key], std::string(h.help))
        ->type_name(std::string(h.value))
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->group("Translator options (see below)");
  }
  cmd->callback([o, &status] { status = run_translate(*o); });
}

}  // namespace nextip::cli

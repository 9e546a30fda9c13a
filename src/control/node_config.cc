#include "control/node_config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace nextip::control {

namespace {

using Error = std::string;

// "FILE:LINE: KEY: message"
struct Where {
  std::string_view source;
  std::string_view table;  // "tun", "link" … prefixed to plain keys
  [[nodiscard]] Error at(const toml::node* n, std::string_view key, std::string_view msg) const {
    const std::string full =
        table.empty() || key.find('.') != std::string_view::npos ? std::string(key) : fmt::format("{}.{}", table, key);
    if (n != nullptr && n->source().begin.line != 0) {
      return fmt::format("{}:{}: {}: {}", source, n->source().begin.line, full, msg);
    }
    return fmt::format("{}: {}: {}", source, full, msg);
  }
  [[nodiscard]] Where in(std::string_view t) const { return Where{source, t}; }
};

// The value as the text `nextip translate --KEY VALUE` would take.
std::optional<std::string> as_text(const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
  if (auto i = n.value<std::int64_t>()) return std::to_string(*i);
  return std::nullopt;
}

Expected<std::string, Error> get_string(const toml::table& t, std::string_view key, const Where& w,
                                        std::string_view dflt, bool required = false) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) return nextip::unexpected(w.at(&t, key, "missing (required)"));
    return std::string(dflt);
  }
  auto s = n->value<std::string>();
  if (!s) return nextip::unexpected(w.at(n, key, "expected a string"));
  return *s;
}

Expected<std::vector<std::string>, Error> get_strings(const toml::table& t, std::string_view key, const Where& w) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  if (auto s = n->value<std::string>()) {
    out.push_back(*s);
    return out;
  }
  const toml::array* a = n->as_array();
  if (a == nullptr) return nextip::unexpected(w.at(n, key, "expected a string or an array of strings"));
  for (const toml::node& e : *a) {
    auto s = e.value<std::string>();
    if (!s) return nextip::unexpected(w.at(&e, key, "expected strings in the array"));
    out.push_back(*s);
  }
  return out;
}

Expected<std::int64_t, Error> get_int(const toml::table& t, std::string_view key, const Where& w, std::int64_t dflt,
                                      std::int64_t lo, std::int64_t hi) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return dflt;
  auto v = n->value<std::int64_t>();
  if (!v || *v < lo || *v > hi) {
    return nextip::unexpected(w.at(n, key, fmt::format("expected an integer from {} to {}", lo, hi)));
  }
  return *v;
}

Expected<bool, Error> get_bool(const toml::table& t, std::string_view key, const Where& w, bool dflt) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return dflt;
  auto v = n->value<bool>();
  if (!v || !n->is_boolean()) return nextip::unexpected(w.at(n, key, "expected true or false"));
  return *v;
}

// Keys a table may hold; anything else is a typo worth an error.
Expected<void, Error> only_keys(const toml::table& t, std::initializer_list<std::string_view> keys, const Where& w,
                                std::string_view table) {
  for (const auto& [k, v] : t) {
    if (std::find(keys.begin(), keys.end(), k.str()) == keys.end()) {
      return nextip::unexpected(
          w.at(&v, fmt::format("{}{}", table.empty() ? "" : std::string(table) + ".", k.str()), "unknown key"));
    }
  }
  return {};
}

Expected<TunConfig, Error> parse_tun(const toml::table& t, const Where& w) {
  if (auto r = only_keys(t, {"name", "mtu", "offload", "queues", "addresses", "routes"}, w, "tun"); !r) {
    return nextip::unexpected(r.error());
  }
  TunConfig c;
  auto name = get_string(t, "name", w, c.name);
  if (!name) return nextip::unexpected(name.error());
  if (name->empty() || name->size() > 15)
    return nextip::unexpected(w.at(t.get("name"), "tun.name", "1 to 15 characters"));
  c.name = *name;
  auto mtu = get_int(t, "mtu", w, 1500, 576, 65535);
  if (!mtu) return nextip::unexpected(mtu.error());
  c.mtu = static_cast<std::uint16_t>(*mtu);
  auto off = get_bool(t, "offload", w, true);
  if (!off) return nextip::unexpected(off.error());
  c.offload = *off;
  auto q = get_int(t, "queues", w, 1, 1, 16);
  if (!q) return nextip::unexpected(q.error());
  c.queues = static_cast<int>(*q);
  auto addrs = get_strings(t, "addresses", w);
  if (!addrs) return nextip::unexpected(addrs.error());
  c.addresses = *addrs;
  auto routes = get_strings(t, "routes", w);
  if (!routes) return nextip::unexpected(routes.error());
  c.routes = *routes;
  return c;
}

Expected<LinkConfig, Error> parse_link(const toml::table& t, const Where& w) {
  if (auto r = only_keys(t, {"interface", "family", "ethertype", "neighbour"}, w, "link"); !r) {
    return nextip::unexpected(r.error());
  }
  LinkConfig c;
  auto ifname = get_string(t, "interface", w, "", true);
  if (!ifname) return nextip::unexpected(ifname.error());
  c.interface = *ifname;
  auto fam = get_string(t, "family", w, "asip");
  if (!fam) return nextip::unexpected(fam.error());
  if (*fam != "asip") {
    return nextip::unexpected(w.at(t.get("family"), "link.family", fmt::format("'{}': only asip links so far", *fam)));
  }
  c.family = *fam;
  auto et = get_int(t, "ethertype", w, 0x88B5, 0x0600, 0xffff);
  if (!et) return nextip::unexpected(et.error());
  c.ethertype = static_cast<std::uint16_t>(*et);
  if (const toml::node* n = t.get("neighbour")) {
    const toml::array* a = n->as_array();
    if (a == nullptr) return nextip::unexpected(w.at(n, "link.neighbour", "expected [[link.neighbour]] tables"));
    for (const toml::node& e : *a) {
      const toml::table* nt = e.as_table();
      if (nt == nullptr) return nextip::unexpected(w.at(&e, "link.neighbour", "expected a table"));
      const Where wn = w.in("link.neighbour");
      if (auto r = only_keys(*nt, {"prefix", "mac"}, w, "link.neighbour"); !r) return nextip::unexpected(r.error());
      auto ptext = get_string(*nt, "prefix", wn, "", true);
      if (!ptext) return nextip::unexpected(ptext.error());
      auto p = asip::parse_prefix(*ptext);
      if (!p) {
        return nextip::unexpected(w.at(nt->get("prefix"), "link.neighbour.prefix",
                                       fmt::format("'{}': {}", *ptext, base::to_string(p.error(), *ptext))));
      }
      auto mtext = get_string(*nt, "mac", wn, "", true);
      if (!mtext) return nextip::unexpected(mtext.error());
      auto mac = parse_mac(*mtext);
      if (!mac) {
        return nextip::unexpected(
            w.at(nt->get("mac"), "link.neighbour.mac", fmt::format("'{}': expected xx:xx:xx:xx:xx:xx", *mtext)));
      }
      c.neighbours.push_back(Neighbour{*p, *mac});
    }
  }
  return c;
}

Expected<engine::translate::Config, Error> parse_translator(const toml::table& t, const Where& w) {
  namespace tr = engine::translate;
  tr::Mode mode = tr::Mode::siit;
  if (const toml::node* m = t.get("mode")) {
    auto s = m->value<std::string>();
    if (!s || (*s != "siit" && *s != "asip")) return nextip::unexpected(w.at(m, "translator.mode", "siit or asip"));
    mode = *s == "asip" ? tr::Mode::asip : tr::Mode::siit;
  }
  tr::Config c = tr::Config::defaults(mode);
  // In the order `nextip translate` applies them (mode first: addresses depend on it).
  for (const tr::OptionHelp& h : tr::option_help()) {
    if (h.key == "mode") continue;
    const toml::node* n = t.get(h.key);
    if (n == nullptr) continue;
    std::vector<const toml::node*> values;
    if (const toml::array* a = n->as_array()) {
      for (const toml::node& e : *a) values.push_back(&e);
    } else {
      values.push_back(n);
    }
    for (const toml::node* v : values) {
      auto text = as_text(*v);
      if (!text)
        return nextip::unexpected(w.at(v, fmt::format("translator.{}", h.key), "expected a string, number or boolean"));
      if (auto r = tr::apply_option(c, h.key, *text); !r) {
        return nextip::unexpected(w.at(v, fmt::format("translator.{}", h.key), r.error()));
      }
    }
  }
  for (const auto& [k, v] : t) {
    const auto keys = tr::option_help();
    const std::string_view key = k.str();  // (clang 14 cannot capture a structured binding)
    const bool known =
        key == "mode" || std::any_of(keys.begin(), keys.end(), [&](const tr::OptionHelp& h) { return h.key == key; });
    if (!known) return nextip::unexpected(w.at(&v, fmt::format("translator.{}", k.str()), "unknown key"));
  }
  if (auto r = c.validate(); !r) return nextip::unexpected(w.at(&t, "translator", r.error()));
  return c;
}

Expected<HostRoleConfig, Error> parse_host(const toml::table& t, const Where& w) {
  if (auto r = only_keys(t, {"addresses", "routes"}, w, "host"); !r) return nextip::unexpected(r.error());
  HostRoleConfig c;
  auto addrs = get_strings(t, "addresses", w);
  if (!addrs) return nextip::unexpected(addrs.error());
  if (addrs->empty()) return nextip::unexpected(w.at(&t, "host.addresses", "give at least one ASIP address"));
  for (const std::string& s : *addrs) {
    auto a = asip::Address::parse(s);
    if (!a) return nextip::unexpected(w.at(t.get("addresses"), "host.addresses", base::to_string(a.error(), s)));
    c.addresses.push_back(*a);
  }
  auto routes = get_strings(t, "routes", w);
  if (!routes) return nextip::unexpected(routes.error());
  for (const std::string& s : *routes) {
    auto p = asip::parse_prefix(s);
    if (!p) return nextip::unexpected(w.at(t.get("routes"), "host.routes", base::to_string(p.error(), s)));
    c.routes.push_back(*p);
  }
  return c;
}

}  // namespace

std::string_view name(Role r) noexcept {
  return r == Role::host ? "host" : "translator";
}

std::optional<Mac> parse_mac(std::string_view s) noexcept {
  Mac m{};
  if (s.size() != 17) return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i) {
    if (i > 0 && s[3 * i - 1] != ':') return std::nullopt;
    unsigned v = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      const char c = s[3 * i + j];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    m[i] = static_cast<std::uint8_t>(v);
  }
  return m;
}

std::string format_mac(const Mac& m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

std::optional<Mac> LinkConfig::next_hop(const asip::Address& dst) const noexcept {
  const Neighbour* best = nullptr;
  for (const Neighbour& n : neighbours) {
    if (n.prefix.contains(dst) && (best == nullptr || n.prefix.length() > best->prefix.length())) best = &n;
  }
  if (best == nullptr) return std::nullopt;
  return best->mac;
}

std::string default_control_path(std::string_view node_name) {
  return fmt::format("/run/nextip/{}.sock", node_name);
}

Expected<NodeConfig, std::string> parse_node_config(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return nextip::unexpected(
        fmt::format("{}:{}:{}: {}", source, e.source().begin.line, e.source().begin.column, e.description()));
  }
  const Where w{source, {}};
  if (auto r = only_keys(root,
                         {"name", "role", "log-format", "log-level", "metrics", "control", "pcap-dir", "tun", "link",
                          "translator", "host"},
                         w, "");
      !r) {
    return nextip::unexpected(r.error());
  }
  NodeConfig c;
  c.source = std::string(source);
  auto name_v = get_string(root, "name", w, "", true);
  if (!name_v) return nextip::unexpected(name_v.error());
  if (name_v->empty() || name_v->find_first_of("/ \t") != std::string::npos) {
    return nextip::unexpected(w.at(root.get("name"), "name", fmt::format("'{}': a plain word", *name_v)));
  }
  c.name = *name_v;
  auto role = get_string(root, "role", w, "", true);
  if (!role) return nextip::unexpected(role.error());
  if (*role == "host") {
    c.role = Role::host;
  } else if (*role == "translator") {
    c.role = Role::translator;
  } else {
    return nextip::unexpected(w.at(root.get("role"), "role", fmt::format("'{}': expected host or translator", *role)));
  }
  auto lf = get_string(root, "log-format", w, "text");
  if (!lf) return nextip::unexpected(lf.error());
  if (*lf != "text" && *lf != "json") {
    return nextip::unexpected(w.at(root.get("log-format"), "log-format", fmt::format("'{}': text or json", *lf)));
  }
  c.log_format = *lf == "json" ? LogFormat::json : LogFormat::text;
  auto ll = get_string(root, "log-level", w, "info");
  if (!ll) return nextip::unexpected(ll.error());
  constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), *ll) == std::end(kLevels)) {
    return nextip::unexpected(
        w.at(root.get("log-level"), "log-level", fmt::format("'{}': trace, debug, info, warn or error", *ll)));
  }
  c.log_level = *ll;
  auto metrics = get_string(root, "metrics", w, "");
  if (!metrics) return nextip::unexpected(metrics.error());
  c.metrics = *metrics;
  auto control = get_string(root, "control", w, default_control_path(c.name));
  if (!control) return nextip::unexpected(control.error());
  c.control = *control;
  auto pcap = get_string(root, "pcap-dir", w, "");
  if (!pcap) return nextip::unexpected(pcap.error());
  c.pcap_dir = *pcap;

  if (const toml::node* n = root.get("tun")) {
    const toml::table* t = n->as_table();
    if (t == nullptr) return nextip::unexpected(w.at(n, "tun", "expected a [tun] table"));
    auto tun = parse_tun(*t, w.in("tun"));
    if (!tun) return nextip::unexpected(tun.error());
    c.tun = *tun;
  }
  if (const toml::node* n = root.get("link")) {
    const toml::array* a = n->as_array();
    if (a == nullptr) return nextip::unexpected(w.at(n, "link", "expected [[link]] tables"));
    for (const toml::node& e : *a) {
      const toml::table* t = e.as_table();
      if (t == nullptr) return nextip::unexpected(w.at(&e, "link", "expected a table"));
      auto l = parse_link(*t, w.in("link"));
      if (!l) return nextip::unexpected(l.error());
      c.links.push_back(*l);
    }
  }
  if (const toml::node* n = root.get("translator")) {
    const toml::table* t = n->as_table();
    if (t == nullptr) return nextip::unexpected(w.at(n, "translator", "expected a [translator] table"));
    auto tr = parse_translator(*t, w);
    if (!tr) return nextip::unexpected(tr.error());
    c.translator = std::move(*tr);
  }
  if (const toml::node* n = root.get("host")) {
    const toml::table* t = n->as_table();
    if (t == nullptr) return nextip::unexpected(w.at(n, "host", "expected a [host] table"));
    auto h = parse_host(*t, w.in("host"));
    if (!h) return nextip::unexpected(h.error());
    c.host = *h;
  }

  // What each role needs.
  if (!c.tun) return nextip::unexpected(fmt::format("{}: role {} needs a [tun] table", source, name(c.role)));
  if (c.role == Role::host) {
    if (!c.host) return nextip::unexpected(fmt::format("{}: role host needs a [host] table", source));
    if (c.links.size() != 1) {
      return nextip::unexpected(fmt::format("{}: role host needs exactly one [[link]] (the ASIP link)", source));
    }
    if (c.translator) return nextip::unexpected(fmt::format("{}: [translator] is for role translator", source));
  } else {
    if (!c.translator) return nextip::unexpected(fmt::format("{}: role translator needs a [translator] table", source));
    if (c.host) return nextip::unexpected(fmt::format("{}: [host] is for role host", source));
    const bool asip_mode = c.translator->mode == engine::translate::Mode::asip;
    if (asip_mode && c.links.size() != 1) {
      return nextip::unexpected(
          fmt::format("{}: an asip translator needs exactly one [[link]] (the ASIP side)", source));
    }
    if (!asip_mode && !c.links.empty()) {
      return nextip::unexpected(
          fmt::format("{}: a siit translator uses its TUN for both sides; remove [[link]]", source));
    }
  }
  return c;
}

Expected<NodeConfig, std::string> load_node_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nextip::unexpected(fmt::format("{}: cannot open", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_node_config(ss.str(), path);
}

}  // namespace nextip::control

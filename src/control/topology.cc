#include "control/topology.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace nextip::control {

namespace {

constexpr std::string_view kDefault =
    R"(# The default lab: an ASIP host reaches a plain IPv4 web server through nextip's
# translator (001 §12.2, §12.7). Unmodified programs on the host (curl, ping,
# traceroute, iperf3) use the kernel's IPv6 stack; nextip's host adaptor turns their
# packets into ASIP (version 8) on the host's link, and the translator turns ASIP into
# IPv4 for the server, which is an ordinary Linux IPv4 host.
#
#   host  15169::192.0.2.1 (ASIP)          translator                    server
#   [nx0 TUN]-nextip host--asip0 ==== asip0--nextip translator--[nx4 TUN]  eth1 ==== eth0  198.51.100.1
#                           native ASIP frames                 IPv4 forwarding     plain IPv4
name = "default"
description = "ASIP host -> nextip translator -> plain IPv4 web server"

[[namespace]]
name = "host"
sysctl = { "net.ipv6.conf.default.accept_ra" = "0", "net.ipv6.conf.default.router_solicitations" = "0" }

[[namespace]]
name = "translator"
sysctl = { "net.ipv4.ip_forward" = "1", "net.ipv4.conf.default.accept_local" = "1", "net.ipv4.conf.default.rp_filter" = "0", "net.ipv4.conf.all.rp_filter" = "0", "net.ipv6.conf.default.accept_ra" = "0" }

[[namespace]]
name = "server"

[[veth]]
a = "host:asip0"
b = "translator:asip0"
a-mac = "02:6e:78:00:01:01"
b-mac = "02:6e:78:00:01:02"
mtu = 1500

[[veth]]
a = "translator:eth1"
b = "server:eth0"
a-addresses = ["198.51.100.254/24"]
b-addresses = ["198.51.100.1/24"]
mtu = 1500

[[route]]
namespace = "server"
prefix = "192.0.2.0/24"
via = "198.51.100.254"

[[node]]
namespace = "host"
[node.config]
name = "host"
role = "host"
pcap-dir = "{dir}/pcap"
[node.config.tun]
name = "nx0"
mtu = 1500
[[node.config.link]]
interface = "asip0"
[[node.config.link.neighbour]]
prefix = "::/0"
mac = "02:6e:78:00:01:02"
[node.config.host]
addresses = ["15169::192.0.2.1"]
routes = ["::/0"]

[[node]]
namespace = "translator"
[node.config]
name = "translator"
role = "translator"
metrics = "127.0.0.1:9100"
pcap-dir = "{dir}/pcap"
[node.config.tun]
name = "nx4"
mtu = 1500
routes = ["192.0.2.0/24"]
[[node.config.link]]
interface = "asip0"
[[node.config.link.neighbour]]
prefix = "15169::/32"
mac = "02:6e:78:00:01:01"
[node.config.translator]
mode = "asip"
pool4 = ["192.0.2.0/24"]
locator = ["192.0.2.0/24=0.0.59.65"]
own-v4 = "198.51.100.254"
own-v6 = "15169::198.51.100.254"

[[program]]
namespace = "server"
name = "web"
run = ["python3", "-m", "http.server", "80", "--bind", "198.51.100.1", "--directory", "{dir}/www"]
ready = "tcp:198.51.100.1:80"

[[program]]
namespace = "server"
name = "iperf3"
run = ["iperf3", "--server", "--bind", "198.51.100.1"]
ready = "tcp:198.51.100.1:5201"

[[file]]
path = "www/index.html"
text = "<!doctype html><title>nextip</title><p>Hello from a plain IPv4 server, reached over ASIP.\n"

[[file]]
path = "www/10MB.bin"
size = 10485760
)";

constexpr std::string_view kSiit = R"(# The same network over IPv6: an IPv6-only host reaches the IPv4 server through
# nextip's translator in SIIT mode (RFC 7915, RFC 6052 64:ff9b::/96, an EAM for the
# host). The translator's single TUN carries both families, as Tayga's does.
name = "siit"
description = "IPv6 host -> nextip SIIT translator -> plain IPv4 web server"

[[namespace]]
name = "host"
sysctl = { "net.ipv6.conf.default.accept_ra" = "0", "net.ipv6.conf.default.accept_dad" = "0" }

[[namespace]]
name = "translator"
sysctl = { "net.ipv4.ip_forward" = "1", "net.ipv6.conf.all.forwarding" = "1", "net.ipv6.conf.default.accept_dad" = "0", "net.ipv4.conf.default.accept_local" = "1", "net.ipv4.conf.default.rp_filter" = "0", "net.ipv4.conf.all.rp_filter" = "0" }

[[namespace]]
name = "server"

[[veth]]
a = "host:eth0"
b = "translator:eth0"
a-addresses = ["2001:db8:1::2/64"]
b-addresses = ["2001:db8:1::1/64"]
mtu = 1500

[[veth]]
a = "translator:eth1"
b = "server:eth0"
a-addresses = ["198.51.100.254/24"]
b-addresses = ["198.51.100.1/24"]
mtu = 1500

[[route]]
namespace = "host"
prefix = "64:ff9b::/96"
via = "2001:db8:1::1"

[[route]]
namespace = "server"
prefix = "192.0.2.0/24"
via = "198.51.100.254"

[[node]]
namespace = "translator"
[node.config]
name = "translator"
role = "translator"
metrics = "127.0.0.1:9100"
pcap-dir = "{dir}/pcap"
[node.config.tun]
name = "nx0"
mtu = 1500
routes = ["64:ff9b::/96", "192.0.2.0/24"]
[node.config.translator]
mode = "siit"
pool6 = "64:ff9b::/96"
eamt = ["2001:db8:1::2/128=192.0.2.1/32"]
own-v4 = "198.51.100.254"
own-v6 = "64:ff9b::c633:64fe"

[[program]]
namespace = "server"
name = "web"
run = ["python3", "-m", "http.server", "80", "--bind", "198.51.100.1", "--directory", "{dir}/www"]
ready = "tcp:198.51.100.1:80"

[[program]]
namespace = "server"
name = "iperf3"
run = ["iperf3", "--server", "--bind", "198.51.100.1"]
ready = "tcp:198.51.100.1:5201"

[[file]]
path = "www/index.html"
text = "<!doctype html><title>nextip</title><p>Hello from a plain IPv4 server, reached over IPv6 (SIIT).\n"

[[file]]
path = "www/10MB.bin"
size = 10485760
)";

using Error = std::string;

Error at(std::string_view source, const toml::node* n, std::string_view what) {
  if (n != nullptr && n->source().begin.line != 0)
    return fmt::format("{}:{}: {}", source, n->source().begin.line, what);
  return fmt::format("{}: {}", source, what);
}

Expected<std::vector<std::string>, Error> strings(const toml::table& t, std::string_view key, std::string_view source) {
  std::vector<std::string> out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  const toml::array* a = n->as_array();
  if (a == nullptr) return nextip::unexpected(at(source, n, fmt::format("{}: expected an array of strings", key)));
  for (const toml::node& e : *a) {
    auto s = e.value<std::string>();
    if (!s) return nextip::unexpected(at(source, &e, fmt::format("{}: expected strings", key)));
    out.push_back(*s);
  }
  return out;
}

std::string str(const toml::table& t, std::string_view key) {
  return t.get(key) != nullptr ? t.get(key)->value_or(std::string()) : std::string();
}

// "ns:ifname"
Expected<Topology::End, Error> end_of(const toml::table& t, std::string_view side, std::string_view source) {
  const std::string spec = str(t, side);
  const auto colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size() || spec.size() - colon - 1 > 15) {
    return nextip::unexpected(
        at(source, t.get(side), fmt::format("veth.{}: '{}': expected NAMESPACE:INTERFACE", side, spec)));
  }
  Topology::End e;
  e.ns = spec.substr(0, colon);
  e.ifname = spec.substr(colon + 1);
  const std::string mac_key = fmt::format("{}-mac", side);
  if (const toml::node* m = t.get(mac_key)) {
    auto mac = parse_mac(m->value_or(std::string()));
    if (!mac) return nextip::unexpected(at(source, m, fmt::format("veth.{}: expected xx:xx:xx:xx:xx:xx", mac_key)));
    e.mac = *mac;
  }
  auto addrs = strings(t, fmt::format("{}-addresses", side), source);
  if (!addrs) return nextip::unexpected(addrs.error());
  e.addresses = *addrs;
  return e;
}

}  // namespace

std::string_view default_topology_text() noexcept {
  return kDefault;
}

std::string_view siit_topology_text() noexcept {
  return kSiit;
}

std::string substitute(std::string_view s, std::string_view dir) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 5, "{dir}") == 0) {
      out += dir;
      i += 5;
    } else {
      out += s[i++];
    }
  }
  return out;
}

const Topology::Namespace* Topology::find_namespace(std::string_view n) const noexcept {
  for (const Namespace& x : namespaces) {
    if (x.name == n) return &x;
  }
  return nullptr;
}

Expected<Topology, std::string> parse_topology(std::string_view text, std::string_view source, std::string_view dir) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return nextip::unexpected(
        fmt::format("{}:{}:{}: {}", source, e.source().begin.line, e.source().begin.column, e.description()));
  }
  Topology t;
  t.name = str(root, "name");
  t.description = str(root, "description");
  if (t.name.empty()) return nextip::unexpected(fmt::format("{}: name: missing", source));

  std::set<std::string> seen;
  auto tables = [&](std::string_view key) {
    std::vector<const toml::table*> out;
    if (const toml::array* a = root[key].as_array()) {
      for (const toml::node& n : *a) {
        if (const toml::table* tb = n.as_table()) out.push_back(tb);
      }
    }
    return out;
  };
  for (const toml::table* n : tables("namespace")) {
    Topology::Namespace ns;
    ns.name = str(*n, "name");
    if (ns.name.empty() || ns.name.size() > 12 || ns.name.find_first_of("/ :") != std::string::npos) {
      return nextip::unexpected(
          at(source, n, fmt::format("namespace.name '{}': 1 to 12 characters, no / : or space", ns.name)));
    }
    if (!seen.insert(ns.name).second)
      return nextip::unexpected(at(source, n, fmt::format("namespace '{}' twice", ns.name)));
    if (const toml::table* sc = (*n)["sysctl"].as_table()) {
      for (const auto& [k, v] : *sc) {
        auto s = v.value<std::string>();
        if (!s) return nextip::unexpected(at(source, &v, fmt::format("sysctl {}: expected a string value", k.str())));
        ns.sysctl[std::string(k.str())] = *s;
      }
    }
    t.namespaces.push_back(std::move(ns));
  }
  if (t.namespaces.empty()) return nextip::unexpected(fmt::format("{}: no [[namespace]]", source));
  auto known = [&](const std::string& ns, const toml::node* where) -> Expected<void, Error> {
    if (t.find_namespace(ns) == nullptr) {
      return nextip::unexpected(at(source, where, fmt::format("namespace '{}' is not declared", ns)));
    }
    return {};
  };

  for (const toml::table* n : tables("veth")) {
    Topology::Veth v;
    auto a = end_of(*n, "a", source);
    if (!a) return nextip::unexpected(a.error());
    auto b = end_of(*n, "b", source);
    if (!b) return nextip::unexpected(b.error());
    v.a = *a;
    v.b = *b;
    if (auto r = known(v.a.ns, n); !r) return nextip::unexpected(r.error());
    if (auto r = known(v.b.ns, n); !r) return nextip::unexpected(r.error());
    const std::int64_t mtu = (*n)["mtu"].value_or(std::int64_t{1500});
    if (mtu < 576 || mtu > 65535) return nextip::unexpected(at(source, n, "veth.mtu: 576 to 65535"));
    v.mtu = static_cast<std::uint16_t>(mtu);
    t.veths.push_back(std::move(v));
  }
  for (const toml::table* n : tables("route")) {
    Topology::Route r{str(*n, "namespace"), str(*n, "prefix"), str(*n, "via"), str(*n, "dev")};
    if (auto k = known(r.ns, n); !k) return nextip::unexpected(k.error());
    if (r.prefix.empty() || (r.via.empty() && r.dev.empty())) {
      return nextip::unexpected(at(source, n, "route: needs prefix and via or dev"));
    }
    t.routes.push_back(std::move(r));
  }
  for (const toml::table* n : tables("node")) {
    Topology::Node node;
    node.ns = str(*n, "namespace");
    if (auto k = known(node.ns, n); !k) return nextip::unexpected(k.error());
    const toml::table* cfg = (*n)["config"].as_table();
    if (cfg == nullptr) return nextip::unexpected(at(source, n, "node: needs a [node.config] table"));
    std::ostringstream os;
    os << *cfg;
    node.config_toml = os.str();
    auto parsed =
        parse_node_config(substitute(node.config_toml, dir), fmt::format("{} (node in '{}')", source, node.ns));
    if (!parsed) return nextip::unexpected(parsed.error());
    node.name = parsed->name;
    t.nodes.push_back(std::move(node));
  }
  for (const toml::table* n : tables("program")) {
    Topology::Program p;
    p.ns = str(*n, "namespace");
    p.name = str(*n, "name");
    p.ready = str(*n, "ready");
    if (auto k = known(p.ns, n); !k) return nextip::unexpected(k.error());
    auto run = strings(*n, "run", source);
    if (!run) return nextip::unexpected(run.error());
    if (run->empty()) return nextip::unexpected(at(source, n, "program.run: the command, as an array"));
    p.run = *run;
    if (p.name.empty()) p.name = p.run.front();
    if (!p.ready.empty() && p.ready.rfind("tcp:", 0) != 0 && p.ready.rfind("file:", 0) != 0) {
      return nextip::unexpected(at(source, n, fmt::format("program.ready '{}': tcp:ADDR:PORT or file:PATH", p.ready)));
    }
    t.programs.push_back(std::move(p));
  }
  for (const toml::table* n : tables("file")) {
    Topology::File f;
    f.path = str(*n, "path");
    f.text = str(*n, "text");
    f.size = static_cast<std::uint64_t>((*n)["size"].value_or(std::int64_t{0}));
    if (f.path.empty() || f.path.find("..") != std::string::npos || f.path.front() == '/') {
      return nextip::unexpected(
          at(source, n, fmt::format("file.path '{}': a relative path inside the lab directory", f.path)));
    }
    t.files.push_back(std::move(f));
  }
  return t;
}

}  // namespace nextip::control

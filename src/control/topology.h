// Lab topologies (`nextip lab up [FILE.toml]`): network namespaces, veth links with
// addresses and routes, nextip node daemons with their configuration inline, and
// ordinary programs (a web server, iperf3) with a readiness check. The default
// topology ships in the binary (default_topology_text()).
//
//   name = "default"
//   description = "…"
//
//   [[namespace]]                 # one per node; the lab names it "nx-" (--prefix) + name
//   name = "host"
//   sysctl = { "net.ipv6.conf.all.forwarding" = "1" }
//
//   [[veth]]                      # a link between two namespaces
//   a = "host:asip0"   b = "translator:asip0"   mtu = 1500
//   a-mac = "02:6e:78:00:01:01"   b-mac = "02:6e:78:00:01:02"
//   a-addresses = ["…/24"]        b-addresses = ["…/24"]
//
//   [[route]]
//   namespace = "server"   prefix = "192.0.2.0/24"   via = "198.51.100.254"   # or dev = "…"
//
//   [[node]]                      # a nextip daemon: `nextip node --config` inside the namespace
//   namespace = "translator"
//   [node.config]                 # the node configuration (control/node_config.h);
//   …                             # "{dir}" is replaced by the lab's directory
//
//   [[program]]
//   namespace = "server"   name = "web"
//   run = ["python3", "-m", "http.server", "80", "--directory", "{dir}/www"]
//   ready = "tcp:198.51.100.1:80"   # or "file:PATH", or omitted
//
//   [[file]]                      # a file the lab creates first ({dir}-relative)
//   path = "www/50MB.bin"   size = 52428800   # random bytes, or text = "…"
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "control/node_config.h"

namespace nextip::control {

// The prefix of a lab's namespace names unless `--prefix` says otherwise.
inline constexpr std::string_view kDefaultNsPrefix = "nx-";

struct Topology {
  struct Namespace {
    std::string name;
    std::map<std::string, std::string> sysctl;
  };
  struct End {
    std::string ns;
    std::string ifname;
    std::optional<Mac> mac;
    std::vector<std::string> addresses;
  };
  struct Veth {
    End a, b;
    std::uint16_t mtu = 1500;
  };
  struct Route {
    std::string ns;
    std::string prefix;
    std::string via;  // gateway, or empty
    std::string dev;  // device, or empty
  };
  struct Node {
    std::string ns;
    std::string name;         // the node config's name
    std::string config_toml;  // the node configuration, "{dir}" not yet replaced
  };
  struct Program {
    std::string ns;
    std::string name;
    std::vector<std::string> run;
    std::string ready;  // "tcp:ADDR:PORT", "file:PATH" or empty
  };
  struct File {
    std::string path;
    std::uint64_t size = 0;  // random bytes
    std::string text;        // or this text
  };

  std::string name;
  std::string description;
  std::vector<Namespace> namespaces;
  std::vector<Veth> veths;
  std::vector<Route> routes;
  std::vector<Node> nodes;
  std::vector<Program> programs;
  std::vector<File> files;

  // The lab's namespace for a topology namespace: `prefix` + name (`nextip lab up --prefix`).
  [[nodiscard]] static std::string ns_name(std::string_view node, std::string_view prefix = kDefaultNsPrefix) {
    return std::string(prefix) + std::string(node);
  }
  [[nodiscard]] const Namespace* find_namespace(std::string_view name) const noexcept;
};

// Parses and checks a topology: every namespace referred to exists, names are unique,
// each node's configuration parses (with "{dir}" replaced by `dir`).
[[nodiscard]] Expected<Topology, std::string> parse_topology(std::string_view text, std::string_view source,
                                                             std::string_view dir);

// The embedded default: an ASIP host, nextip's translator and a plain IPv4 web server.
[[nodiscard]] std::string_view default_topology_text() noexcept;
// The same network with IPv6 instead of ASIP and the translator in SIIT mode.
[[nodiscard]] std::string_view siit_topology_text() noexcept;

// "{dir}" -> dir, everywhere in `s`.
[[nodiscard]] std::string substitute(std::string_view s, std::string_view dir);

}  // namespace nextip::control

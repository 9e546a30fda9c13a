// The node daemon's configuration (`nextip node --config FILE.toml`), parsed from TOML
// into typed values. One file per node; the lab writes one for each node of a topology.
//
//   name = "translator"                 # required
//   role = "translator"                 # host | translator
//   log-format = "text"                 # text | json
//   log-level = "info"                  # trace debug info warn error
//   metrics = "127.0.0.1:9100"          # Prometheus text endpoint; omit for none
//   control = "/run/nextip/NAME.sock"   # the socket `nextip node status` asks
//   pcap-dir = "/var/tmp/nextip"        # a capture per link and TUN; omit for none
//
//   [tun]                               # the TUN the kernel sends into
//   name = "nx0"   mtu = 1500   offload = true   queues = 1
//   addresses = ["192.0.2.254/24"]      # given to the TUN
//   routes = ["192.0.2.0/24"]           # routed into the TUN (removed on exit)
//
//   [[link]]                            # a native-frame link (AF_PACKET on an interface)
//   interface = "asip0"   family = "asip"   # EtherType 0x88B5 (decision ASIP-11)
//   [[link.neighbour]]                  # static neighbour table: next hop by prefix
//   prefix = "::/0"   mac = "02:6e:78:00:00:02"
//
//   [translator]                        # role translator: every `nextip translate` key
//   mode = "asip"   pool4 = ["192.0.2.0/24"]   own-v4 = "198.51.100.254"   …
//
//   [host]                              # role host: the ASIP addresses of this host
//   addresses = ["15169::192.0.2.1"]    # on the TUN, as the same 128 bits in IPv6
//   routes = ["::/0"]                   # ASIP prefixes sent into the TUN
//
// Every error names the file, the line, the key and the value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "engine/translate/config.h"
#include "wire/asip/address.h"

namespace nextip::control {

enum class Role : std::uint8_t { host, translator };
enum class LogFormat : std::uint8_t { text, json };

[[nodiscard]] std::string_view name(Role r) noexcept;

using Mac = std::array<std::uint8_t, 6>;
[[nodiscard]] std::optional<Mac> parse_mac(std::string_view s) noexcept;
[[nodiscard]] std::string format_mac(const Mac& m);

struct TunConfig {
  std::string name = "nx0";
  std::uint16_t mtu = 1500;
  bool offload = true;
  int queues = 1;
  std::vector<std::string> addresses;  // "addr/len", IPv4 or IPv6
  std::vector<std::string> routes;     // prefixes, IPv4 or IPv6
};

struct Neighbour {
  asip::Prefix prefix;
  Mac mac{};
};

struct LinkConfig {
  std::string interface;
  std::string family = "asip";
  std::uint16_t ethertype = 0x88B5;
  std::vector<Neighbour> neighbours;
  // The neighbour for `dst`: longest prefix first; nullopt when none matches.
  [[nodiscard]] std::optional<Mac> next_hop(const asip::Address& dst) const noexcept;
};

struct HostRoleConfig {
  std::vector<asip::Address> addresses;
  std::vector<asip::Prefix> routes;
};

struct NodeConfig {
  std::string source;  // the file it came from, for messages
  std::string name;
  Role role = Role::host;
  LogFormat log_format = LogFormat::text;
  std::string log_level = "info";
  std::string metrics;  // "address:port", empty for none
  std::string control;  // unix socket path
  std::string pcap_dir;
  std::optional<TunConfig> tun;
  std::vector<LinkConfig> links;
  std::optional<engine::translate::Config> translator;
  std::optional<HostRoleConfig> host;
};

[[nodiscard]] Expected<NodeConfig, std::string> parse_node_config(std::string_view text, std::string_view source);
[[nodiscard]] Expected<NodeConfig, std::string> load_node_config(const std::string& path);

// The default control socket of a node.
[[nodiscard]] std::string default_control_path(std::string_view node_name);

}  // namespace nextip::control

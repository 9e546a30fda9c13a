// The node configuration: every role's required parts, typed values, and errors that
// name the file, the line, the key and the value.
#include "control/node_config.h"

#include <gtest/gtest.h>

namespace nextip::control {
namespace {

constexpr std::string_view kTranslator = R"(
name = "translator"
role = "translator"
log-format = "json"
metrics = "127.0.0.1:9100"

[tun]
name = "nx4"
mtu = 1500
routes = ["192.0.2.0/24"]

[[link]]
interface = "asip0"
[[link.neighbour]]
prefix = "15169::/32"
mac = "02:6e:78:00:00:01"
[[link.neighbour]]
prefix = "::/0"
mac = "02:6e:78:00:00:09"

[translator]
mode = "asip"
pool4 = ["192.0.2.0/24"]
own-v4 = "198.51.100.254"
locator = ["192.0.2.0/24=0.0.59.65"]
icmp-errors-per-second = 100
decrement-ttl = true
)";

TEST(NodeConfig, TranslatorRoleParses) {
  auto c = parse_node_config(kTranslator, "t.toml");
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->name, "translator");
  EXPECT_EQ(c->role, Role::translator);
  EXPECT_EQ(c->log_format, LogFormat::json);
  EXPECT_EQ(c->control, "/run/nextip/translator.sock");
  ASSERT_TRUE(c->tun.has_value());
  EXPECT_EQ(c->tun->name, "nx4");
  EXPECT_TRUE(c->tun->offload);
  ASSERT_EQ(c->links.size(), 1u);
  EXPECT_EQ(c->links[0].ethertype, 0x88B5);
  ASSERT_TRUE(c->translator.has_value());
  EXPECT_EQ(c->translator->mode, engine::translate::Mode::asip);
  EXPECT_EQ(c->translator->icmp_errors_per_second, 100u);
  ASSERT_EQ(c->translator->static_locators.size(), 1u);
  // Longest prefix first.
  const auto hop = c->links[0].next_hop(*asip::Address::parse("15169::192.0.2.1"));
  ASSERT_TRUE(hop.has_value());
  EXPECT_EQ(format_mac(*hop), "02:6e:78:00:00:01");
  EXPECT_EQ(format_mac(*c->links[0].next_hop(*asip::Address::parse("::198.51.100.1"))), "02:6e:78:00:00:09");
}

TEST(NodeConfig, HostRoleParses) {
  auto c = parse_node_config(R"(
name = "host"
role = "host"
[tun]
name = "nx0"
[[link]]
interface = "asip0"
[[link.neighbour]]
prefix = "::/0"
mac = "02:6e:78:00:00:02"
[host]
addresses = ["15169::192.0.2.1"]
routes = ["::/0"]
)",
                             "h.toml");
  ASSERT_TRUE(c.has_value()) << c.error();
  ASSERT_TRUE(c->host.has_value());
  EXPECT_EQ(c->host->addresses[0].to_string(), "15169::192.0.2.1");
  EXPECT_EQ(c->host->routes[0].length(), 0);
}

struct Bad {
  const char* text;
  const char* expect;  // a part of the message
};

TEST(NodeConfig, ErrorsNameTheLineTheKeyAndTheValue) {
  const Bad cases[] = {
      {"role = \"host\"", "name: missing"},
      {"name = \"x\"\nrole = \"router\"", "t.toml:2: role: 'router'"},
      {"name = \"x\"\nrole = \"host\"\ncolour = 1", "t.toml:3: colour: unknown key"},
      {"name = \"x\"\nrole = \"host\"\n[tun]\nmtu = 100", "t.toml:4: tun.mtu"},
      {"name = \"x\"\nrole = \"translator\"\n[tun]\n[translator]\nmode = \"siit\"\npool6 = \"2001:db8::/33\"",
       "translator.pool6: --pool6 '2001:db8::/33'"},
      {"name = \"x\"\nrole = \"translator\"\n[tun]\n[translator]\nmode = \"asip\"", "asip mode needs --pool4"},
      {"name = \"x\"\nrole = "
       "\"host\"\n[tun]\n[[link]]\ninterface=\"a\"\n[[link.neighbour]]\nprefix=\"::/0\"\nmac=\"zz\"",
       "link.neighbour.mac: 'zz'"},
      {"name = \"x\"\nrole = \"host\"\n[tun]\n[[link]]\ninterface=\"a\"", "role host needs a [host] table"},
      {"name = \"x\"\nrole = \"host\"\n[tun\n", "t.toml:3"},
  };
  for (const Bad& b : cases) {
    auto c = parse_node_config(b.text, "t.toml");
    ASSERT_FALSE(c.has_value()) << b.text;
    EXPECT_NE(c.error().find(b.expect), std::string::npos) << c.error() << "\n  expected: " << b.expect;
  }
}

TEST(NodeConfig, Macs) {
  EXPECT_EQ(format_mac(*parse_mac("02:AB:cd:00:10:ff")), "02:ab:cd:00:10:ff");
  EXPECT_FALSE(parse_mac("02:ab:cd:00:10").has_value());
  EXPECT_FALSE(parse_mac("02-ab-cd-00-10-ff").has_value());
}

}  // namespace
}  // namespace nextip::control

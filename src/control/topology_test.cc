// Lab topologies: the embedded ones parse (with their node configurations), and
// mistakes are named.
#include "control/topology.h"

#include <gtest/gtest.h>

namespace nextip::control {
namespace {

TEST(Topology, EmbeddedDefaultParses) {
  auto t = parse_topology(default_topology_text(), "default", "/tmp/lab");
  ASSERT_TRUE(t.has_value()) << t.error();
  EXPECT_EQ(t->name, "default");
  EXPECT_EQ(t->namespaces.size(), 3u);
  EXPECT_EQ(t->veths.size(), 2u);
  ASSERT_EQ(t->nodes.size(), 2u);
  EXPECT_EQ(t->nodes[0].name, "host");
  EXPECT_EQ(t->nodes[1].name, "translator");
  // The node configuration survives the round trip through toml++ and parses.
  auto cfg = parse_node_config(substitute(t->nodes[1].config_toml, "/tmp/lab"), "translator");
  ASSERT_TRUE(cfg.has_value()) << cfg.error();
  EXPECT_EQ(cfg->pcap_dir, "/tmp/lab/pcap");
  EXPECT_EQ(cfg->translator->mode, engine::translate::Mode::asip);
  EXPECT_EQ(t->programs.size(), 2u);
  EXPECT_EQ(t->programs[0].run.back(), "{dir}/www");
  EXPECT_EQ(Topology::ns_name("host"), "nx-host");
}

TEST(Topology, EmbeddedSiitParses) {
  auto t = parse_topology(siit_topology_text(), "siit", "/tmp/lab");
  ASSERT_TRUE(t.has_value()) << t.error();
  EXPECT_EQ(t->nodes.size(), 1u);
}

TEST(Topology, MistakesAreNamed) {
  const std::pair<const char*, const char*> cases[] = {
      {"description = \"x\"", "name: missing"},
      {"name = \"x\"", "no [[namespace]]"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[veth]]\na = \"a:e0\"\nb = \"b:e0\"",
       "namespace 'b' is not declared"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[namespace]]\nname = \"a\"", "namespace 'a' twice"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[veth]]\na = \"a\"\nb = \"a:e1\"", "expected NAMESPACE:INTERFACE"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[node]]\nnamespace = \"a\"\n[node.config]\nname = \"n\"\nrole = "
       "\"host\"",
       "needs a [tun] table"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[program]]\nnamespace = \"a\"\nrun = [\"true\"]\nready = \"udp:1\"",
       "tcp:ADDR:PORT or file:PATH"},
      {"name = \"x\"\n[[namespace]]\nname = \"a\"\n[[file]]\npath = \"../etc/passwd\"", "inside the lab directory"},
  };
  for (const auto& [text, expect] : cases) {
    auto t = parse_topology(text, "t.toml", "/d");
    ASSERT_FALSE(t.has_value()) << text;
    EXPECT_NE(t.error().find(expect), std::string::npos) << t.error() << "\n  expected: " << expect;
  }
}

TEST(Topology, Substitute) {
  EXPECT_EQ(substitute("{dir}/www and {dir}", "/x"), "/x/www and /x");
  EXPECT_EQ(substitute("{di}", "/x"), "{di}");
}

}  // namespace
}  // namespace nextip::control

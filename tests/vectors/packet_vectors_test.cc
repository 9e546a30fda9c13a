// Every row of tests/vectors/packets.tsv dissects without error, every stated field has
// the stated value, and no checksum in it fails. The §12.7.1 packets are also rebuilt
// with nextip's builders from the fields the text states, byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "wire/build/build.h"
#include "wire/dissect/dissect.h"
#include "wire/ipv45/messages.h"

namespace nextip {
namespace {

struct Row {
  int line = 0;
  std::string name, source, start, hex, expect, note;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::vector<std::byte> from_hex(const std::string& h) {
  std::vector<std::byte> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::byte>(std::stoi(h.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::vector<Row> load() {
  std::vector<Row> rows;
  std::ifstream in(std::string(NEXTIP_SOURCE_DIR) + "/tests/vectors/packets.tsv");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    auto c = split(line, '\t');
    EXPECT_EQ(c.size(), 6u) << "line " << n;
    if (c.size() != 6) continue;
    rows.push_back({n, c[0], c[1], c[2], c[3], c[4], c[5]});
  }
  return rows;
}

std::vector<std::byte> vector_named(const std::string& name) {
  for (const Row& r : load()) {
    if (r.name == name) return from_hex(r.hex);
  }
  ADD_FAILURE() << "no vector " << name;
  return {};
}

TEST(PacketVectors, EveryRowDissectsAsStated) {
  const auto rows = load();
  ASSERT_GE(rows.size(), 15u);
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name + " (" + r.source + ")");
    auto start = dissect::start_from_name(r.start);
    ASSERT_TRUE(start.has_value()) << r.start;
    const auto bytes = from_hex(r.hex);
    const auto p = dissect::dissect(bytes, *start);
    EXPECT_FALSE(p.malformed);
    std::multimap<std::string, std::string> fields;
    for (const auto& l : p.layers) {
      if (l.error) ADD_FAILURE() << l.protocol << ": " << *l.error;
      for (const auto& n : l.notes) {
        EXPECT_EQ(n.find("checksum does not verify"), std::string::npos) << l.protocol << ": " << n;
      }
      for (const auto& f : l.fields) fields.emplace(f.key, f.value);
    }
    for (const std::string& kv : split(r.expect, ';')) {
      const auto eq = kv.find('=');
      ASSERT_NE(eq, std::string::npos) << kv;
      const std::string key = kv.substr(0, eq);
      const std::string want = kv.substr(eq + 1);
      auto [lo, hi] = fields.equal_range(key);
      bool found = false;
      std::string seen;
      for (auto it = lo; it != hi; ++it) {
        found |= it->second == want;
        seen += it->second + " ";
      }
      EXPECT_TRUE(found) << key << ": want " << want << ", dissection has [" << seen << "]";
    }
  }
}

TEST(PacketVectors, Section12_7_1IsRebuiltByteForByte) {
  const auto payload = build::counting(100);
  const build::Tcp tcp{49152, 80, 1, 1, 0x18, 65535, {}, payload};

  asip::HeaderRepr a;
  a.src = *asip::Address::parse("15169::192.0.2.1");
  a.dst = *asip::Address::parse("::198.51.100.1");
  a.hop_limit = 64;
  EXPECT_EQ(build::asip(a, tcp), vector_named("12.7.1-asip-tcp"));

  inet::Ipv4Repr v4;
  v4.src = *inet::Ipv4Address::parse("192.0.2.1");
  v4.dst = *inet::Ipv4Address::parse("198.51.100.1");
  v4.ttl = 64;
  EXPECT_EQ(build::ipv4(v4, tcp), vector_named("12.7.1-ipv4-tcp"));
}

TEST(PacketVectors, HeaderDiagramsAreRebuiltByteForByte) {
  ipv8::HeaderRepr h;
  h.src = *ipv8::Address::parse("64496.192.0.2.1");
  h.dst = *ipv8::Address::parse("65533.198.51.100.7");
  h.identification = 0x1234;
  h.dont_fragment = true;
  EXPECT_EQ(build::ipv8(h, build::Udp{40000, 7, build::bytes_of({'i', 'p', 'v', '8'}), false}),
            vector_named("ipv8-header"));

  ipxl::PacketRepr x;
  x.src = *ipxl::Address::parse("0.0.0.2.10.1.2.3");
  x.dst = *ipxl::Address::parse("1.192.168.100.1");
  x.identification = 0x3333;
  EXPECT_EQ(build::ipxl(x, build::Udp{40001, 9, build::bytes_of({'i', 'p', 'x', 'l'}), false}),
            vector_named("ipxl-option29"));

  ipxl::PacketRepr plain;
  plain.src = *ipxl::Address::parse("1.192.168.1.1");
  plain.dst = *ipxl::Address::parse("1.192.168.100.1");
  plain.identification = 0x4444;
  EXPECT_EQ(build::ipxl(plain, build::Udp{40002, 9, build::bytes_of({'i', 'p', 'v', '4'}), false}),
            vector_named("ipxl-plain"));

  ipv45::HeaderRepr e;
  e.type = ipv45::Type::echo;
  e.flow_label = 0x1234;
  e.src_site = 0x1234;
  e.src_eid = 0xdeadbeef0001;
  e.dst_site = 0x0100;
  e.dst_eid = 0x42;
  std::vector<std::byte> body(12);
  const auto ping = build::bytes_of({'p', 'i', 'n', 'g'});
  ipv45::Echo{1, 7, 1, ping}.emit(body);
  EXPECT_EQ(build::ipv45_mode_c(*inet::Ipv4Address::parse("203.0.113.1"), *inet::Ipv4Address::parse("198.51.100.2"), e,
                                {}, body),
            vector_named("ipv45-modec-echo"));
}

}  // namespace
}  // namespace nextip

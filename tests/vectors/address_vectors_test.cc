// Every address, prefix and URL example of the four spec texts
// (tests/vectors/addresses.tsv) parses to the value the text states and prints back
// as the text prints it, or the row names the decision that says why not.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "wire/family/detect.h"

namespace nextip::family {
namespace {

struct Row {
  int line;
  std::string family, source, kind, text, value, note, nextip;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Row> load() {
  std::vector<Row> rows;
  std::ifstream in(std::string(NEXTIP_SOURCE_DIR) + "/tests/vectors/addresses.tsv");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    auto c = split(line, '\t');
    if (c.size() != 7) ADD_FAILURE() << "line " << n << " has " << c.size() << " columns";
    if (c.size() != 7) continue;
    rows.push_back({n, c[0], c[1], c[2], c[3], c[4], c[5], c[6]});
  }
  return rows;
}

Family family_named(const std::string& s) {
  auto f = base::family_from_name(s);
  EXPECT_TRUE(f.has_value()) << s;
  return f.value_or(Family::ipv4);
}

std::string text_in_form(const std::vector<FormText>& forms, const std::string& form) {
  for (const auto& f : forms) {
    if (f.form == form) return f.text;
  }
  return "<no form " + form + ">";
}

TEST(AddressVectors, FileHasEveryKind) {
  const auto rows = load();
  EXPECT_GE(rows.size(), 150u);
  int checked = 0;
  for (const Row& r : rows) checked += (r.kind == "addr" || r.kind == "cidr" || r.kind == "url");
  EXPECT_GE(checked, 60);
}

TEST(AddressVectors, DecisionsReferencedExist) {
  const std::string decisions = read_file(std::string(NEXTIP_SOURCE_DIR) + "/docs/spec-decisions.md");
  for (const Row& r : load()) {
    const auto colon = r.nextip.find(':');
    if (colon == std::string::npos) continue;
    const std::string id = r.nextip.substr(colon + 1);
    EXPECT_NE(decisions.find("### " + id), std::string::npos) << "line " << r.line << ": decision " << id;
  }
}

TEST(AddressVectors, EveryRowParsesAndPrintsAsTheTextDoes) {
  for (const Row& r : load()) {
    if (r.kind != "addr" && r.kind != "cidr" && r.kind != "url") continue;
    SCOPED_TRACE("line " + std::to_string(r.line) + " " + r.source + ": " + r.text);
    const Family fam = family_named(r.family);
    const bool reject = r.nextip.starts_with("reject:");
    const bool equiv = r.nextip.starts_with("equiv:");

    if (r.kind == "addr") {
      auto a = parse_as(fam, r.text);
      if (reject) {
        EXPECT_FALSE(a.has_value());
        continue;
      }
      ASSERT_TRUE(a.has_value()) << base::to_string(a.error(), r.text);
      EXPECT_EQ(to_hex(*a), r.value);
      if (!equiv) {
        EXPECT_EQ(text_in_form(all_forms(*a), r.nextip), r.text);
      }
    } else if (r.kind == "cidr") {
      auto p = parse_prefix_as(fam, r.text);
      if (reject) {
        EXPECT_FALSE(p.has_value());
        continue;
      }
      ASSERT_TRUE(p.has_value()) << base::to_string(p.error(), r.text);
      const auto slash = r.value.find('/');
      ASSERT_NE(slash, std::string::npos);
      const AnyAddress first = std::visit([](const auto& x) { return AnyAddress(x.address()); }, *p);
      const int len = std::visit([](const auto& x) { return x.length(); }, *p);
      EXPECT_EQ(to_hex(first), r.value.substr(0, slash));
      EXPECT_EQ(std::to_string(len), r.value.substr(slash + 1));
      if (!equiv) {
        EXPECT_EQ(text_in_form(all_forms(*p), r.nextip), r.text);
      }
    } else {
      ASSERT_EQ(fam, Family::asip);
      auto u = asip::parse_url_host(r.text);
      ASSERT_TRUE(u.has_value()) << base::to_string(u.error(), r.text);
      const auto parts = split(r.value, ' ');
      ASSERT_EQ(parts.size(), 3u);
      EXPECT_EQ(to_hex(AnyAddress(u->address)), parts[0]);
      ASSERT_TRUE(u->port.has_value());
      EXPECT_EQ(std::to_string(*u->port), parts[2]);
      EXPECT_EQ(asip::format_url_host(*u).view(), r.text);
    }
  }
}

}  // namespace
}  // namespace nextip::family

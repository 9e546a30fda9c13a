#include "base/addr_error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nextip::base {
namespace {

// Every code with the name it is written under, straight from the X-macro list.
const std::vector<std::pair<AddrErrc, std::string_view>>& all_codes() {
  static const std::vector<std::pair<AddrErrc, std::string_view>> v = {
#define NEXTIP_X(name, text) {AddrErrc::name, #name},
      NEXTIP_ADDR_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  };
  return v;
}

TEST(AddrError, CodeNamesMatchTheEnumerators) {
  ASSERT_GT(all_codes().size(), 30u);
  for (const auto& [code, nm] : all_codes()) EXPECT_EQ(code_name(code), nm);
  EXPECT_EQ(code_name(AddrErrc::ok), "ok");
  EXPECT_EQ(code_name(AddrErrc::asip_host_compressed), "asip_host_compressed");
  EXPECT_EQ(code_name(AddrErrc::ipxl_prefix_negative_zero), "ipxl_prefix_negative_zero");
  EXPECT_EQ(code_name(AddrErrc::no_family), "no_family");
}

TEST(AddrError, EnumeratorsAreDense) {
  int k = 0;
  for (const auto& [code, nm] : all_codes()) EXPECT_EQ(static_cast<int>(code), k++) << nm;
}

TEST(AddrError, DescriptionsAreDistinctAndNonEmpty) {
  std::set<std::string_view> seen;
  for (const auto& [code, nm] : all_codes()) {
    const std::string_view d = describe(code);
    EXPECT_FALSE(d.empty()) << nm;
    EXPECT_NE(d, "unknown error") << nm;
    EXPECT_TRUE(seen.insert(d).second) << "duplicate description for " << nm;
  }
  EXPECT_EQ(describe(AddrErrc::ok), "no error");
  EXPECT_EQ(describe(AddrErrc::octet_range), "octet out of range (expected 0-255)");
  EXPECT_EQ(describe(AddrErrc::ipv45_separator_count), "expected exactly two '::' separators (locator::site::eid)");
}

TEST(AddrError, ToStringWithoutInput) {
  const ParseError e{Family::ipv8, AddrErrc::ipv8_part_count, 7};
  EXPECT_EQ(to_string(e), "ipv8: at 7: expected 8 octets (r.r.r.r.h.h.h.h), ASN-dot (ASN.h.h.h.h) or r.r.r.r:h.h.h.h");
  EXPECT_EQ(to_string(ParseError{}), "ipv4: at 0: no error");
}

TEST(AddrError, ToStringQuotesTheOffendingCharacter) {
  EXPECT_EQ(to_string(ParseError{Family::ipv4, AddrErrc::trailing_text, 7}, "1.2.3.4x"),
            "ipv4: at 7: unexpected text after the address (found 'x')");
  EXPECT_EQ(to_string(ParseError{Family::ipxl, AddrErrc::octet_range, 0}, "256.1.2.3.4"),
            "ipxl: at 0: octet out of range (expected 0-255) (found '2')");
  EXPECT_EQ(to_string(ParseError{Family::ipv45, AddrErrc::unexpected_char, 3}, "1.2 "),
            "ipv45: at 3: unexpected character (found ' ')");
  EXPECT_EQ(to_string(ParseError{Family::ipv6, AddrErrc::unexpected_char, 0}, "'"),
            "ipv6: at 0: unexpected character (found ''')");
}

TEST(AddrError, ToStringSaysEndOfText) {
  EXPECT_EQ(to_string(ParseError{Family::asip, AddrErrc::asip_host_compressed, 15}, "64496:0.0.0.1::"),
            "asip: at 15: host field (h.h.h.h) may not be compressed (§6.3 rule 5) (found end of text)");
  EXPECT_EQ(to_string(ParseError{Family::ipv4, AddrErrc::ipv4_octet_count, 5}, "1.2.3"),
            "ipv4: at 5: IPv4 address needs exactly 4 octets (a.b.c.d) (found end of text)");
}

TEST(AddrError, ToStringShowsNonPrintableBytesAsHex) {
  const std::string s1("1.2\x07", 4);
  const std::string m1 = to_string(ParseError{Family::ipv4, AddrErrc::unexpected_char, 3}, s1);
  EXPECT_NE(m1.find("0x07"), std::string::npos) << m1;
  EXPECT_EQ(m1.find('\x07'), std::string::npos) << m1;
  EXPECT_TRUE(m1.starts_with("ipv4: at 3: unexpected character (found ")) << m1;

  const std::string s2("\xff", 1);
  const std::string m2 = to_string(ParseError{Family::ipv8, AddrErrc::expected_digit, 0}, s2);
  EXPECT_NE(m2.find("0xff"), std::string::npos) << m2;
  EXPECT_EQ(m2.find('\xff'), std::string::npos) << m2;

  const std::string s3("\0", 1);
  const std::string m3 = to_string(ParseError{Family::ipv8, AddrErrc::expected_digit, 0}, s3);
  EXPECT_NE(m3.find("0x00"), std::string::npos) << m3;
  EXPECT_EQ(m3.find('\0'), std::string::npos) << m3;

  const std::string m4 = to_string(ParseError{Family::ipv8, AddrErrc::expected_digit, 0}, "\x7f");
  EXPECT_NE(m4.find("0x7f"), std::string::npos) << m4;
  const std::string m5 = to_string(ParseError{Family::ipv8, AddrErrc::expected_digit, 0}, "\n");
  EXPECT_NE(m5.find("0x0a"), std::string::npos) << m5;
}

TEST(AddrError, ToStringNamesEveryFamily) {
  for (Family f : kAllFamilies) {
    const std::string m = to_string(ParseError{f, AddrErrc::empty, 0});
    EXPECT_EQ(m, std::string(name(f)) + ": at 0: empty text; expected an address");
  }
}

TEST(AddrError, PositionBeyondTheInputIsNotQuoted) {
  const std::string m = to_string(ParseError{Family::ipv4, AddrErrc::unexpected_char, 9}, "1.2");
  EXPECT_EQ(m.find("found"), std::string::npos) << m;
  EXPECT_EQ(m, "ipv4: at 9: unexpected character");
}

TEST(AddrError, Equality) {
  const ParseError a{Family::ipxl, AddrErrc::octet_range, 3};
  EXPECT_EQ(a, (ParseError{Family::ipxl, AddrErrc::octet_range, 3}));
  EXPECT_NE(a, (ParseError{Family::ipv8, AddrErrc::octet_range, 3}));
  EXPECT_NE(a, (ParseError{Family::ipxl, AddrErrc::leading_zero, 3}));
  EXPECT_NE(a, (ParseError{Family::ipxl, AddrErrc::octet_range, 4}));
  const ParseError d{};
  EXPECT_EQ(d.code, AddrErrc::ok);
  EXPECT_EQ(d.pos, 0);
}

TEST(AddrError, FamilyNames) {
  for (Family f : kAllFamilies) EXPECT_EQ(family_from_name(name(f)), f);
  EXPECT_FALSE(family_from_name("ipv9").has_value());
  EXPECT_EQ(bits(Family::ipv8), 64);
  EXPECT_EQ(bits(Family::ipxl), 64);
  EXPECT_EQ(bits(Family::ipv45), 96);
  EXPECT_EQ(bits(Family::asip), 128);
  EXPECT_EQ(bits(Family::ipv4), 32);
}

}  // namespace
}  // namespace nextip::base

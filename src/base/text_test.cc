#include "base/text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace nextip::base::text {
namespace {

struct Scan {
  AddrErrc code;
  std::size_t index;  // where the scanner left the index
  u64 value;          // meaningful on success only
};

Scan decimal(std::string_view s, std::size_t start, u64 max, AddrErrc range_err = AddrErrc::asn_range) {
  std::size_t i = start;
  u64 v = 12345;
  const AddrErrc e = scan_decimal(s, i, max, range_err, v);
  return {e, i, v};
}

TEST(TextScanDecimal, Accepts) {
  Scan r = decimal("0", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 1u);
  EXPECT_EQ(r.value, 0u);

  r = decimal("255", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 3u);
  EXPECT_EQ(r.value, 255u);

  // What follows the number is the caller's business.
  r = decimal("12.5", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 2u);
  EXPECT_EQ(r.value, 12u);
  r = decimal("0x", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 1u);
  r = decimal("0.1", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 1u);

  // Starting in the middle of the text.
  r = decimal("a.b.64496:", 4, 0xffffffff);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 9u);
  EXPECT_EQ(r.value, 64496u);

  r = decimal("4294967295", 0, 0xffffffff);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 4294967295u);

  r = decimal("18446744073709551615", 0, std::numeric_limits<u64>::max());
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 20u);
  EXPECT_EQ(r.value, std::numeric_limits<u64>::max());

  r = decimal("0", 0, 0);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0u);
}

TEST(TextScanDecimal, Rejects) {
  // expected_digit at the offending character.
  Scan r = decimal("", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 0u);
  r = decimal("12", 2, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 2u);
  r = decimal("-1", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 0u);
  r = decimal("+1", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  r = decimal(" 1", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  r = decimal("1.x", 2, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 2u);

  // leading_zero: "0" alone is fine, "00", "01", "007" are not.
  r = decimal("00", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::leading_zero));
  EXPECT_EQ(r.index, 0u);
  r = decimal("1.01", 2, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::leading_zero));
  EXPECT_EQ(r.index, 2u);
  r = decimal("007", 0, 255);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::leading_zero));

  // Range errors name the first digit of the number, with the caller's code.
  r = decimal("256", 0, 255, AddrErrc::octet_range);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::octet_range));
  EXPECT_EQ(r.index, 0u);
  r = decimal("1.1000", 2, 255, AddrErrc::octet_range);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::octet_range));
  EXPECT_EQ(r.index, 2u);
  r = decimal("x4294967296", 1, 0xffffffff);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range));
  EXPECT_EQ(r.index, 1u);
  r = decimal("/33", 1, 32, AddrErrc::prefix_length_range);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::prefix_length_range));
  EXPECT_EQ(r.index, 1u);
  r = decimal("1", 0, 0, AddrErrc::prefix_length_range);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::prefix_length_range));
  // A very long number never wraps around.
  r = decimal("99999999999999999999999999999999", 0, 0xffffffff);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range));
  EXPECT_EQ(r.index, 0u);
}

// "at most `max`" holds for every max, including the largest u64: 2^64 and beyond
// must be range errors, not values wrapped modulo 2^64.
TEST(TextScanDecimal, NoOverflowAtU64Max) {
  const u64 max = std::numeric_limits<u64>::max();
  Scan r = decimal("18446744073709551616", 0, max);  // 2^64
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range)) << "accepted as " << r.value;
  EXPECT_EQ(r.index, 0u);
  r = decimal("99999999999999999999", 0, max);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range)) << "accepted as " << r.value;
  r = decimal("184467440737095516150", 0, max);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range)) << "accepted as " << r.value;
  // Just below u64 max, a max of 10^19 also must not wrap.
  r = decimal("20000000000000000000", 0, 10000000000000000000ULL);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::asn_range)) << "accepted as " << r.value;
}

TEST(TextScanOctet, EdgeCases) {
  std::size_t i = 0;
  u8 o = 7;
  EXPECT_EQ(scan_octet("0", i, o), AddrErrc::ok);
  EXPECT_EQ(o, 0);
  EXPECT_EQ(i, 1u);
  i = 0;
  EXPECT_EQ(scan_octet("255", i, o), AddrErrc::ok);
  EXPECT_EQ(o, 255);
  i = 0;
  EXPECT_EQ(scan_octet("256", i, o), AddrErrc::octet_range);
  EXPECT_EQ(i, 0u);
  i = 2;
  EXPECT_EQ(scan_octet("1.999", i, o), AddrErrc::octet_range);
  EXPECT_EQ(i, 2u);
  i = 0;
  EXPECT_EQ(scan_octet("01", i, o), AddrErrc::leading_zero);
  EXPECT_EQ(i, 0u);
  i = 0;
  EXPECT_EQ(scan_octet("", i, o), AddrErrc::expected_digit);
  i = 0;
  EXPECT_EQ(scan_octet("a", i, o), AddrErrc::expected_digit);
  i = 0;
  EXPECT_EQ(scan_octet("1000000000000000000000", i, o), AddrErrc::octet_range);
  EXPECT_EQ(i, 0u);
}

// scan_octet follows exactly the rules of scan_decimal(max 255, octet_range): the
// same code, the same index and the same value for every short text.
TEST(TextScanOctet, AgreesWithScanDecimalExhaustively) {
  const std::string alphabet = "0125689.x";
  std::string s;
  for (int len = 0; len <= 5; ++len) {
    int total = 1;
    for (int k = 0; k < len; ++k) total *= static_cast<int>(alphabet.size());
    for (int n = 0; n < total; ++n) {
      s.clear();
      for (int k = 0, m = n; k < len; ++k, m /= static_cast<int>(alphabet.size())) {
        s.push_back(alphabet[static_cast<std::size_t>(m) % alphabet.size()]);
      }
      for (std::size_t start = 0; start <= s.size(); ++start) {
        std::size_t i1 = start;
        std::size_t i2 = start;
        u64 v1 = 0;
        u8 v2 = 0;
        const AddrErrc e1 = scan_decimal(s, i1, 255, AddrErrc::octet_range, v1);
        const AddrErrc e2 = scan_octet(s, i2, v2);
        ASSERT_EQ(code_name(e2), code_name(e1)) << '"' << s << "\" at " << start;
        ASSERT_EQ(i2, i1) << '"' << s << "\" at " << start;
        if (e1 == AddrErrc::ok) {
          ASSERT_EQ(v2, v1) << '"' << s << "\" at " << start;
        }
      }
    }
  }
}

TEST(TextScanDottedQuad, EdgeCases) {
  auto quad = [](std::string_view s, std::size_t start = 0) {
    std::size_t i = start;
    u32 v = 0xdeadbeef;
    const AddrErrc e = scan_dotted_quad(s, i, v);
    return Scan{e, i, v};
  };
  Scan r = quad("1.2.3.4");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 7u);
  EXPECT_EQ(r.value, 0x01020304u);
  r = quad("0.0.0.0");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0u);
  r = quad("255.255.255.255");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0xffffffffu);
  // Stops after four octets.
  r = quad("1.2.3.4.5");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 7u);
  r = quad("64496::10.0.0.1", 7);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 15u);
  EXPECT_EQ(r.value, 0x0a000001u);

  r = quad("1.2.3");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_dot));
  EXPECT_EQ(r.index, 5u);
  r = quad("1,2,3,4");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_dot));
  EXPECT_EQ(r.index, 1u);
  r = quad("1.2.3.");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 6u);
  r = quad("1..3.4");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 2u);
  r = quad("1.2.300.4");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::octet_range));
  EXPECT_EQ(r.index, 4u);
  r = quad("1.02.3.4");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::leading_zero));
  EXPECT_EQ(r.index, 2u);
  r = quad("");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_digit));
  EXPECT_EQ(r.index, 0u);
}

TEST(TextScanHex16, EdgeCases) {
  auto hex = [](std::string_view s, std::size_t start = 0) {
    std::size_t i = start;
    u16 v = 0x5555;
    const AddrErrc e = scan_hex16(s, i, v);
    return Scan{e, i, v};
  };
  Scan r = hex("0");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0u);
  EXPECT_EQ(r.index, 1u);
  r = hex("ffff");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0xffffu);
  r = hex("FfFf");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0xffffu);
  r = hex("DEAD:BEEF", 5);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 0xbeefu);
  EXPECT_EQ(r.index, 9u);
  // Leading zeros are fine in hex, up to four digits in all.
  r = hex("0001");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.value, 1u);
  r = hex("1:");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 1u);
  r = hex("1g");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::ok));
  EXPECT_EQ(r.index, 1u);

  r = hex("00000");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::hex_group_too_long));
  EXPECT_EQ(r.index, 4u);
  r = hex("::12345", 2);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::hex_group_too_long));
  EXPECT_EQ(r.index, 6u);
  r = hex("");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_hex_digit));
  EXPECT_EQ(r.index, 0u);
  r = hex("g");
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_hex_digit));
  EXPECT_EQ(r.index, 0u);
  r = hex("::", 1);
  EXPECT_EQ(code_name(r.code), code_name(AddrErrc::expected_hex_digit));
  EXPECT_EQ(r.index, 1u);
}

TEST(TextCharClasses, DigitsAndHex) {
  static_assert(is_digit('0') && is_digit('9') && !is_digit('a') && !is_digit('/') && !is_digit(':'));
  static_assert(hex_value('0') == 0 && hex_value('9') == 9);
  static_assert(hex_value('a') == 10 && hex_value('f') == 15);
  static_assert(hex_value('A') == 10 && hex_value('F') == 15);
  static_assert(hex_value('g') == -1 && hex_value('G') == -1 && hex_value(':') == -1 && hex_value('\0') == -1);
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool hexish = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    EXPECT_EQ(hex_value(ch) >= 0, hexish) << c;
    EXPECT_EQ(is_digit(ch), c >= '0' && c <= '9') << c;
  }
}

TEST(TextAppend, Octets) {
  InlineString<8> t;
  append_octet(t, 0);
  EXPECT_EQ(t, "0");
  t.clear();
  append_octet(t, 9);
  append_octet(t, 10);
  EXPECT_EQ(t, "910");
  t.clear();
  append_octet(t, 99);
  append_octet(t, 100);
  EXPECT_EQ(t, "99100");
  t.clear();
  append_octet(t, 255);
  EXPECT_EQ(t, "255");
  for (int v = 0; v < 256; ++v) {
    InlineString<4> s;
    append_octet(s, static_cast<u8>(v));
    EXPECT_EQ(s.view(), std::to_string(v));
  }
}

TEST(TextAppend, DottedQuad) {
  InlineString<16> t;
  append_dotted_quad(t, 0);
  EXPECT_EQ(t, "0.0.0.0");
  t.clear();
  append_dotted_quad(t, 0xffffffff);
  EXPECT_EQ(t, "255.255.255.255");
  EXPECT_EQ(t.size(), 15u);
  t.clear();
  append_dotted_quad(t, 0xc0000201);
  EXPECT_EQ(t, "192.0.2.1");
  t.clear();
  append_dotted_quad(t, 0x0a00ff01);
  EXPECT_EQ(t, "10.0.255.1");
}

TEST(TextAppend, Decimal) {
  InlineString<24> t;
  append_decimal(t, 0);
  EXPECT_EQ(t, "0");
  t.clear();
  append_decimal(t, 64496);
  EXPECT_EQ(t, "64496");
  t.clear();
  append_decimal(t, 4294967295u);
  EXPECT_EQ(t, "4294967295");
  t.clear();
  append_decimal(t, std::numeric_limits<u64>::max());
  EXPECT_EQ(t, "18446744073709551615");
  t.clear();
  append_decimal(t, 10);
  append_decimal(t, 100);
  EXPECT_EQ(t, "10100");
}

TEST(TextAppend, Hex) {
  InlineString<24> t;
  append_hex(t, 0xdead, 4, true);
  EXPECT_EQ(t, "DEAD");
  t.clear();
  append_hex(t, 0xdead, 4, false);
  EXPECT_EQ(t, "dead");
  t.clear();
  append_hex(t, 1, 4, true);
  EXPECT_EQ(t, "0001");
  t.clear();
  append_hex(t, 0, 4, true);
  EXPECT_EQ(t, "0000");
  t.clear();
  append_hex(t, 0, 1, true);
  EXPECT_EQ(t, "0");
  t.clear();
  append_hex(t, 0, 0, false);
  EXPECT_EQ(t, "0");
  t.clear();
  append_hex(t, 0xabc, 1, false);
  EXPECT_EQ(t, "abc");
  t.clear();
  append_hex(t, 0x12345, 4, true);  // more digits than the minimum
  EXPECT_EQ(t, "12345");
  t.clear();
  append_hex(t, std::numeric_limits<u64>::max(), 1, false);
  EXPECT_EQ(t, "ffffffffffffffff");
  t.clear();
  append_hex(t, 1, 16, true);
  EXPECT_EQ(t, "0000000000000001");
  t.clear();
  append_hex(t, 1, 20, true);  // padding stops at 16 digits
  EXPECT_EQ(t, "0000000000000001");
}

TEST(TextAppend, InlineStringTruncatesAtCapacity) {
  InlineString<4> t;
  append_dotted_quad(t, 0xffffffff);
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t, "255.");
  EXPECT_EQ(t.str(), "255.");
}

TEST(TextDecimalPow2, ExactValues) {
  EXPECT_EQ(decimal_pow2(0), "1");
  EXPECT_EQ(decimal_pow2(1), "2");
  EXPECT_EQ(decimal_pow2(10), "1024");
  EXPECT_EQ(decimal_pow2(32), "4294967296");
  EXPECT_EQ(decimal_pow2(63), "9223372036854775808");
  EXPECT_EQ(decimal_pow2(64), "18446744073709551616");
  EXPECT_EQ(decimal_pow2(96), "79228162514264337593543950336");
  EXPECT_EQ(decimal_pow2(127), "170141183460469231731687303715884105728");
  EXPECT_EQ(decimal_pow2(128), "340282366920938463463374607431768211456");
  for (int k = 0; k < 64; ++k) EXPECT_EQ(decimal_pow2(k), std::to_string(u64{1} << k)) << k;
}

}  // namespace
}  // namespace nextip::base::text

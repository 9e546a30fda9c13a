#include "crypto/hex.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace nextip::crypto {
namespace {

TEST(Hex, EveryByteRoundTrips) {
  std::array<std::byte, 256> all{};
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::byte>(i);
  const std::string h = to_hex(all);
  EXPECT_EQ(h.substr(0, 8), "00010203");
  EXPECT_EQ(h.substr(h.size() - 8), "fcfdfeff");
  std::array<std::byte, 256> back{};
  EXPECT_FALSE(hex_decode(h, back).has_value());
  EXPECT_EQ(back, all);
}

TEST(Hex, UpperCaseAccepted) {
  std::array<std::byte, 4> out{};
  EXPECT_FALSE(hex_decode("DEADbeef", out).has_value());
  EXPECT_EQ(to_hex(out), "deadbeef");
}

TEST(Hex, EveryNonDigitIsRefusedWithItsPosition) {
  std::array<std::byte, 2> out{};
  for (int c = 0; c < 256; ++c) {
    const bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    std::string text = "00a0";
    text[2] = static_cast<char>(c);
    out = {std::byte{1}, std::byte{2}};
    const auto err = hex_decode(text, out);
    EXPECT_EQ(err.has_value(), !digit) << c;
    if (err) {
      EXPECT_EQ(err->kind, HexError::Kind::bad_digit);
      EXPECT_EQ(err->pos, 2u);
      EXPECT_EQ(out[0], std::byte{0});  // wiped
    }
  }
}

TEST(Hex, LengthErrors) {
  std::array<std::byte, 2> out{};
  auto e = hex_decode("abc", out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, HexError::Kind::odd_length);
  e = hex_decode("abcdef", out);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, HexError::Kind::wrong_length);
  EXPECT_EQ(e->pos, 3u);  // the number of bytes found
  EXPECT_FALSE(hex_decode("", std::span<std::byte>{}).has_value());
}

}  // namespace
}  // namespace nextip::crypto

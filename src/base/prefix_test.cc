#include "base/prefix.h"

#include <gtest/gtest.h>

namespace nextip::base {
namespace {

// A stand-in address of any width (base may not use the wire/ types; the test of
// Prefix<> with every real family is tests/base/prefix_widths_test.cc).
template <int Bits, class U>
struct FakeAddress {
  static constexpr int kBits = Bits;
  using Uint = U;
  U v{};
  static constexpr FakeAddress from_uint(U x) { return FakeAddress{x}; }
  constexpr U to_uint() const { return v; }
  friend constexpr auto operator<=>(const FakeAddress&, const FakeAddress&) = default;
};

using A12 = FakeAddress<12, u16>;
using A96 = FakeAddress<96, u128>;

TEST(PrefixTemplate, OddWidthMasksStayInsideTheWidth) {
  using P = Prefix<A12>;
  EXPECT_EQ(P::all_ones(), 0x0fffu);
  EXPECT_EQ(P::mask(4), 0x0f00u);
  const P p = P::containing(A12{0x0abc}, 4);
  EXPECT_EQ(p.address().v, 0x0a00u);
  EXPECT_EQ(p.last().v, 0x0affu);
  EXPECT_FALSE(P::exact(A12{0x0abc}, 4).has_value());
  EXPECT_TRUE(P::exact(A12{0x0a00}, 4).has_value());
}

TEST(PrefixTemplate, NinetySixBitsInAWiderInteger) {
  using P = Prefix<A96>;
  EXPECT_EQ(P::all_ones(), (u128{1} << 96) - 1);
  const P all = P::containing(A96{12345}, 0);
  EXPECT_EQ(all.last().v, (u128{1} << 96) - 1);
  EXPECT_TRUE(all.contains(A96{(u128{1} << 96) - 1}));
  const P one = P::containing(A96{12345}, 96);
  EXPECT_EQ(one.first(), one.last());
  EXPECT_TRUE(P::containing(A96{u128{1} << 95}, 1).contains(P::containing(A96{(u128{1} << 95) | 7}, 90)));
}

}  // namespace
}  // namespace nextip::base

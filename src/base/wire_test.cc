#include "base/wire.h"

#include <gtest/gtest.h>

namespace nextip::base {
namespace {

constexpr FieldSpan kFields[] = {
    {"t.a", 0, 1},
    {"t.b", 1, 2},
    {"t.c", 3, 4},
};

TEST(Wire, FirstMissingNamesTheField) {
  EXPECT_EQ(first_missing(kFields, 7).code, WireErrc::ok);
  EXPECT_EQ(first_missing(kFields, 0).field, "t.a");
  EXPECT_EQ(first_missing(kFields, 1).field, "t.b");
  EXPECT_EQ(first_missing(kFields, 2).field, "t.b");
  EXPECT_EQ(first_missing(kFields, 3).field, "t.c");
  EXPECT_EQ(first_missing(kFields, 6).field, "t.c");
  EXPECT_EQ(first_missing(kFields, 6).offset, 3);
  EXPECT_EQ(first_missing(kFields, 6, 100).offset, 103);
}

TEST(Wire, ErrorText) {
  EXPECT_EQ(to_string(WireError{WireErrc::truncated, "asip.payload_length", 4}),
            "asip.payload_length at 4: truncated: the field does not fit in the bytes given");
  EXPECT_EQ(code_name(WireErrc::bad_checksum), "bad_checksum");
}

class Demo : public ByteView<MutBytes> {
 public:
  using ByteView::ByteView;
  u32 word() const { return get32(0); }
  void set_word(u32 v) const { set32(0, v); }
};

TEST(Wire, ByteViewLoadsAndStoresBigEndian) {
  std::array<std::byte, 4> b{};
  Demo d{MutBytes(b)};
  d.set_word(0x01020304);
  EXPECT_EQ(b[0], std::byte{1});
  EXPECT_EQ(b[3], std::byte{4});
  EXPECT_EQ(d.word(), 0x01020304u);
}

}  // namespace
}  // namespace nextip::base

#include "base/time.h"

namespace nextip::base {
namespace {

TEST(Time, InstantArithmetic) {
  const Instant t0 = Instant::origin();
  const Instant t1 = t0 + seconds(60);
  EXPECT_EQ(t1 - t0, seconds(60));
  EXPECT_LT(t0, t1);
  EXPECT_EQ(t1 - seconds(60), t0);
  EXPECT_EQ(Instant::from_ns(1500).ns(), 1500);
}

}  // namespace
}  // namespace nextip::base

#include "base/checksum.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace nextip::base::checksum {
namespace {

std::vector<std::byte> bytes_of(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int x : v) out.push_back(static_cast<std::byte>(x));
  return out;
}

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is ~ddf2.
  const auto d = bytes_of({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
  EXPECT_EQ(Sum().add(d).fold(), 0xddf2);
  EXPECT_EQ(internet_checksum(d), static_cast<u16>(~0xddf2));
}

TEST(Checksum, KnownIpv4Header) {
  // A classic IPv4 header (checksum field zeroed); its checksum is 0xb861.
  const auto h = bytes_of({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                           0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
  EXPECT_EQ(internet_checksum(h), 0xb861);
  auto with = h;
  with[10] = std::byte{0xb8};
  with[11] = std::byte{0x61};
  EXPECT_TRUE(verifies(Sum().add(with)));
}

TEST(Checksum, OddLengthPadsWithZero) {
  const auto d = bytes_of({0x12, 0x34, 0x56});
  EXPECT_EQ(internet_checksum(d), static_cast<u16>(~(0x1234 + 0x5600)));
  EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(Checksum, RandomizedAgainstNaiveReference) {
  std::mt19937_64 rng(1624);
  std::vector<std::byte> buf(4096);
  for (int i = 0; i < 20000; ++i) {
    const std::size_t n = rng() % buf.size();
    // All-0xff buffers exercise the carry path.
    const bool ones = rng() % 8 == 0;
    for (std::size_t k = 0; k < n; ++k) buf[k] = ones ? std::byte{0xff} : static_cast<std::byte>(rng());
    const std::span<const std::byte> d(buf.data(), n);
    ASSERT_EQ(internet_checksum(d), reference_checksum(d)) << "n=" << n;
  }
}

TEST(Checksum, EveryLengthAndAlignmentMatchesTheReference) {
  // Covers every tail length of the vector paths (128-byte blocks, masked tails) and
  // unaligned starts.
  std::mt19937_64 rng(8200);
  std::vector<std::byte> buf(1024 + 64);
  for (auto& b : buf) b = static_cast<std::byte>(rng());
  for (std::size_t start = 0; start < 8; ++start) {
    for (std::size_t n = 0; n <= 1024; ++n) {
      const std::span<const std::byte> d(buf.data() + start, n);
      ASSERT_EQ(internet_checksum(d), reference_checksum(d)) << "start=" << start << " n=" << n;
    }
  }
  std::vector<std::byte> big(3 << 20, std::byte{0xff});  // > 1 MiB: the lane flush path
  ASSERT_EQ(internet_checksum(big), reference_checksum(big));
}

TEST(Checksum, PiecesAtEvenOffsetsSumLikeTheWhole) {
  std::mt19937_64 rng(7);
  std::vector<std::byte> buf(1500);
  for (auto& b : buf) b = static_cast<std::byte>(rng());
  for (int i = 0; i < 1000; ++i) {
    const std::size_t cut = (rng() % 750) * 2;
    const Bytes all(buf);
    Sum s;
    s.add(all.subspan(0, cut)).add(all.subspan(cut));
    ASSERT_EQ(s.finish(), internet_checksum(all));
  }
}

TEST(Checksum, IncrementalUpdateRfc1624) {
  std::mt19937_64 rng(3);
  std::vector<std::byte> buf(64);
  for (int i = 0; i < 10000; ++i) {
    for (auto& b : buf) b = static_cast<std::byte>(rng());
    const u16 before = internet_checksum(buf);
    const std::size_t w = (rng() % 32) * 2;
    const u16 old_word = load_be16(buf.data() + w);
    const auto new_word = static_cast<u16>(rng());
    store_be16(buf.data() + w, new_word);
    const u16 after = internet_checksum(buf);
    // RFC 1624's eqn. 3 may yield 0x0000 where a full recomputation yields 0xffff (the
    // two one's-complement zeros); both verify.
    const u16 inc = update16(before, old_word, new_word);
    ASSERT_TRUE(inc == after || (inc == 0x0000 && after == 0xffff) || (inc == 0xffff && after == 0x0000))
        << std::hex << inc << " vs " << after;
  }
}

TEST(Checksum, Update32IsTwoWords) {
  const u16 c = 0x1234;
  EXPECT_EQ(update32(c, 0xc0000201, 0xc0000202), update16(update16(c, 0xc000, 0xc000), 0x0201, 0x0202));
}

TEST(Checksum, Ipv4PseudoHeader) {
  // UDP over IPv4 from 192.0.2.1 to 198.51.100.1, length 8: sum of the pseudo-header words.
  const Sum s = ipv4_pseudo_header(0xc0000201, 0xc6336401, 17, 8);
  const u32 expect = 0xc000 + 0x0201 + 0xc633 + 0x6401 + 17 + 8;
  EXPECT_EQ(s.fold(), static_cast<u16>((expect & 0xffff) + (expect >> 16)));
}

TEST(Checksum, Ipv6PseudoHeaderMatchesLayout) {
  std::array<std::byte, 16> src{}, dst{};
  src[15] = std::byte{1};
  dst[0] = std::byte{0x20};
  dst[15] = std::byte{2};
  // The 40-byte RFC 8200 §8.1 layout, summed as a buffer.
  std::vector<std::byte> layout(40);
  std::copy(src.begin(), src.end(), layout.begin());
  std::copy(dst.begin(), dst.end(), layout.begin() + 16);
  store_be32(layout.data() + 32, 1400);
  layout[39] = std::byte{6};
  EXPECT_EQ(ipv6_pseudo_header(src, dst, 6, 1400).fold(), Sum().add(layout).fold());
}

}  // namespace
}  // namespace nextip::base::checksum

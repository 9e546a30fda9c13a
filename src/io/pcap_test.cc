#include "io/pcap.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace nextip::io {
namespace {

TEST(Pcap, WriteThenReadBack) {
  const auto path = std::filesystem::temp_directory_path() / ("nextip-pcap-test-" + std::to_string(getpid()) + ".pcap");
  {
    auto w = PcapWriter::create(path.string(), kLinkEthernet);
    ASSERT_TRUE(w.has_value()) << w.error();
    std::vector<std::byte> a(60, std::byte{0xab});
    std::vector<std::byte> b(1514, std::byte{0x01});
    w->write(a, 1'000'000);
    w->write(b, 2'500'000);
    ASSERT_TRUE(w->close().has_value());
  }
  auto r = PcapReader::open(path.string());
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->link_type(), kLinkEthernet);
  auto first = r->next();
  ASSERT_TRUE(first.has_value() && first->has_value());
  EXPECT_EQ((*first)->data.size(), 60u);
  EXPECT_EQ((*first)->timestamp_us, 1'000'000u);
  auto second = r->next();
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ((*second)->data.size(), 1514u);
  EXPECT_EQ((*second)->timestamp_us, 2'500'000u);
  auto end = r->next();
  ASSERT_TRUE(end.has_value());
  EXPECT_FALSE(end->has_value());
  std::filesystem::remove(path);
}

TEST(Pcap, MissingFileIsAClearError) {
  auto r = PcapReader::open("/nonexistent/x.pcap");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("/nonexistent/x.pcap"), std::string::npos);
}

TEST(Pcap, LinkTypeNames) {
  EXPECT_EQ(link_type_name(kLinkUser0Asip), "user0-asip");
  EXPECT_EQ(link_type_name(kLinkRaw), "raw-ip");
}

}  // namespace
}  // namespace nextip::io

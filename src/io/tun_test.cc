#include "io/tun.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if_tun.h>
#include <net/if.h>

#include "io/testing/fake_sys.h"
#include "io/vnet.h"

namespace nextip::io {
namespace {

using testing::FakeSys;
using testing::Op;

std::vector<std::byte> with_header(std::initializer_list<int> hdr, std::vector<std::byte> packet) {
  std::vector<std::byte> v;
  for (int b : hdr) v.push_back(static_cast<std::byte>(b));
  v.resize(vnet::kHeaderLen);
  v.insert(v.end(), packet.begin(), packet.end());
  return v;
}

std::vector<std::byte> ipv4_udp(std::size_t payload) {
  std::vector<std::byte> p(28 + payload);
  p[0] = std::byte{0x45};
  p[9] = std::byte{17};
  return p;
}

TEST(Tun, OpensWithVnetHeaderAndEveryOffload) {
  FakeSys sys;
  auto tun = Tun::open(TunConfig{}, sys);
  ASSERT_TRUE(tun.has_value()) << tun.error().message();
  EXPECT_EQ(tun->name(), "nx0");
  EXPECT_EQ(tun->queues(), 1u);
  ASSERT_EQ(sys.tun_setiff_flags.size(), 1u);
  EXPECT_EQ(sys.tun_setiff_flags[0], IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
  EXPECT_EQ(sys.tun_vnet_hdr_sz, 10);
  EXPECT_EQ(tun->offloads(), TunOffloads::all());
  EXPECT_EQ(sys.tun_offloads, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | 0x20u | 0x40u);
  EXPECT_NE(sys.flags_of(tun->fd(0)) & O_NONBLOCK, 0);
  EXPECT_NE(sys.flags_of(tun->fd(0)) & O_CLOEXEC, 0);
}

TEST(Tun, FallsBackToWhatTheKernelAccepts) {
  FakeSys sys;
  sys.tun_offloads_supported = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;  // a kernel before 6.2
  auto tun = Tun::open(TunConfig{}, sys);
  ASSERT_TRUE(tun.has_value());
  EXPECT_EQ(tun->offloads(), (TunOffloads{true, true, true, false}));
  EXPECT_EQ(tun->offloads().to_string(), "csum tso4 tso6");

  FakeSys bare;
  bare.tun_offloads_supported = 0;
  auto plain = Tun::open(TunConfig{}, bare);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->offloads(), TunOffloads::none());
  EXPECT_EQ(plain->offloads().to_string(), "none");
}

TEST(Tun, SegmentationIsNotAskedForWithoutChecksums) {
  FakeSys sys;
  TunConfig c;
  c.offloads = {false, true, true, true};
  auto tun = Tun::open(c, sys);
  ASSERT_TRUE(tun.has_value());
  EXPECT_EQ(tun->offloads(), TunOffloads::none());
}

TEST(Tun, MultiQueueOpensOneDescriptorPerQueue) {
  FakeSys sys;
  TunConfig c;
  c.name = "nxmq%d";
  c.queues = 3;
  c.vnet_hdr = false;
  auto tun = Tun::open(c, sys);
  ASSERT_TRUE(tun.has_value());
  EXPECT_EQ(tun->queues(), 3u);
  EXPECT_EQ(tun->name(), "nxmq0");
  ASSERT_EQ(sys.tun_setiff_flags.size(), 3u);
  for (int f : sys.tun_setiff_flags) EXPECT_EQ(f, IFF_TUN | IFF_NO_PI | IFF_MULTI_QUEUE);
  EXPECT_NE(tun->fd(0), tun->fd(2));
  EXPECT_EQ(sys.count(Op::open), 3u);
  EXPECT_EQ(sys.tun_vnet_hdr_sz, 0) << "no TUNSETVNETHDRSZ without IFF_VNET_HDR";
}

TEST(Tun, MtuAndUpAfterCreation) {
  FakeSys sys;
  TunConfig c;
  c.mtu = 1400;
  c.up = true;
  auto tun = Tun::open(c, sys);
  ASSERT_TRUE(tun.has_value());
  EXPECT_EQ(sys.find_interface("nx0")->mtu, 1400);
  EXPECT_NE(sys.find_interface("nx0")->flags & IFF_UP, 0);
  EXPECT_EQ(tun->mtu().value(), 1400);
  ASSERT_TRUE(tun->set_up(false).has_value());
  EXPECT_EQ(sys.find_interface("nx0")->flags & IFF_UP, 0);
  EXPECT_EQ(sys.open_count(), 1u) << "the control sockets are closed";
}

TEST(Tun, OpenErrorsNameTheCallAndCloseEverything) {
  {
    FakeSys sys;
    sys.fail_next(Op::open, ENOENT);
    auto tun = Tun::open(TunConfig{}, sys);
    ASSERT_FALSE(tun.has_value());
    EXPECT_EQ(tun.error().message(), "open on /dev/net/tun: No such file or directory");
  }
  {
    FakeSys sys;
    sys.fail_next(Op::ioctl, EPERM);
    TunConfig c;
    c.name = "nx7";
    auto tun = Tun::open(c, sys);
    ASSERT_FALSE(tun.has_value());
    EXPECT_EQ(tun.error().message(), "TUNSETIFF on nx7: Operation not permitted");
    EXPECT_EQ(sys.open_count(), 0u);
  }
  {
    FakeSys sys;
    TunConfig c;
    c.name = "a-name-far-too-long";
    EXPECT_EQ(Tun::open(c, sys).error().err, EINVAL);
  }
}

TEST(Tun, ReadReturnsThePacketAndItsOffload) {
  FakeSys sys;
  auto tun = Tun::open(TunConfig{}, sys);
  ASSERT_TRUE(tun.has_value());
  // NEEDS_CSUM, csum_start 20, csum_offset 6.
  sys.push_inbound(tun->fd(0), with_header({1, 0, 0, 0, 0, 0, 20, 0, 6, 0}, ipv4_udp(100)));
  std::vector<std::byte> buf(kMaxTunPacket);
  auto r = tun->read(0, buf);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->packet.size(), 128u);
  EXPECT_EQ((*r)->packet.data(), buf.data()) << "the packet starts the caller's buffer";
  EXPECT_TRUE((*r)->offload.csum_partial);
  EXPECT_EQ((*r)->offload.csum_start, 20);
  EXPECT_EQ((*r)->offload.csum_offset, 6);

  auto empty = tun->read(0, buf);
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->has_value()) << "would block";
}

TEST(Tun, ReadRetriesEintrAndReportsErrors) {
  FakeSys sys;
  auto tun = Tun::open(TunConfig{}, sys);
  ASSERT_TRUE(tun.has_value());
  std::vector<std::byte> buf(2048);
  sys.push_inbound(tun->fd(0), with_header({}, ipv4_udp(10)));
  sys.fail_next(Op::readv, EINTR);
  auto r = tun->read(0, buf);
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ((*r)->packet.size(), 38u);

  sys.fail_next(Op::readv, EIO);
  auto e = tun->read(0, buf);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "read on nx0: Input/output error");

  sys.push_inbound(tun->fd(0), with_header({1, 0x81, 0, 0, 0xa8, 5, 20, 0, 16, 0}, ipv4_udp(100)));
  auto bad = tun->read(0, buf);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().err, EBADMSG);
  EXPECT_EQ(bad.error().message(), "virtio_net_hdr on nx0: virtio-net header: GSO with the ECN bit is not supported");

  sys.push_inbound(tun->fd(0), std::vector<std::byte>(4));
  EXPECT_EQ(tun->read(0, buf).error().err, EBADMSG);
  auto after = tun->read(0, buf);
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->has_value()) << "the bad packets were consumed";
}

TEST(Tun, WritePutsTheHeaderFirst) {
  FakeSys sys;
  auto tun = Tun::open(TunConfig{}, sys);
  ASSERT_TRUE(tun.has_value());
  const auto packet = ipv4_udp(3000);
  const base::Offload o{true, 20, 6, base::Gso::udp_l4, 1000, 28};
  auto w = tun->write(0, o, packet);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  EXPECT_TRUE(*w);
  const auto out = sys.take_outbound(tun->fd(0));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, with_header({1, 5, 28, 0, 0xe8, 3, 20, 0, 6, 0}, packet));

  sys.limit_next(Op::writev, 0, tun->fd(0));  // EAGAIN
  auto blocked = tun->write(0, {}, packet);
  ASSERT_TRUE(blocked.has_value());
  EXPECT_FALSE(*blocked);

  sys.fail_next(Op::writev, EIO);
  EXPECT_EQ(tun->write(0, {}, packet).error().message(), "write on nx0: Input/output error");
  const base::Offload no_size{true, 20, 6, base::Gso::udp_l4, 0, 28};
  EXPECT_EQ(tun->write(0, no_size, packet).error().err, EINVAL);
}

TEST(Tun, WithoutVnetHeaderOffloadsAreRefused) {
  FakeSys sys;
  TunConfig c;
  c.vnet_hdr = false;
  auto tun = Tun::open(c, sys);
  ASSERT_TRUE(tun.has_value());
  const auto packet = ipv4_udp(10);
  EXPECT_TRUE(tun->write(0, {}, packet).value());
  EXPECT_EQ(sys.outbound(tun->fd(0)).at(0).data, packet);
  EXPECT_EQ(tun->write(0, base::Offload{true, 20, 6, base::Gso::none, 0, 0}, packet).error().err, EINVAL);
  sys.push_inbound(tun->fd(0), packet);
  std::vector<std::byte> buf(100);
  auto r = tun->read(0, buf);
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ((*r)->packet.size(), packet.size());
  EXPECT_FALSE((*r)->offload.any());
}

}  // namespace
}  // namespace nextip::io

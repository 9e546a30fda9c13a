#include "io/udp.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>

#include <cstring>
#include <vector>

#include "io/testing/fake_sys.h"

namespace nextip::io {
namespace {

using testing::FakeSys;
using testing::Op;

using Buffer = std::vector<std::byte>;

SocketAddress addr(std::string_view text) {
  auto a = SocketAddress::parse(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(SocketAddress());
}

UdpSocket open_udp(std::string_view bind, bool gso = true, bool gro = true) {
  UdpConfig c;
  c.bind = addr(bind);
  c.gso = gso;
  c.gro = gro;
  auto s = UdpSocket::open(c);
  if (!s) ADD_FAILURE() << s.error().message();
  return std::move(s.value());
}

// Byte i of datagram `tag`: distinct per datagram, so that mix-ups show.
Buffer pattern(std::size_t size, int tag) {
  Buffer b(size);
  for (std::size_t i = 0; i < size; ++i)
    b[i] = static_cast<std::byte>((i * 7 + static_cast<std::size_t>(tag) * 31) & 0xff);
  return b;
}

struct Received {
  Buffer data;
  SocketAddress peer;
  std::uint16_t segment_size = 0;
  bool truncated = false;
};

// Receives until `n` datagrams arrived or 1 s passed, `buf_size` bytes per buffer.
std::vector<Received> receive_n(UdpSocket& s, std::size_t n, std::size_t buf_size = 2048, std::size_t batch = 8) {
  std::vector<Received> got;
  std::vector<Buffer> storage(batch, Buffer(buf_size));
  std::vector<base::MutBytes> bufs;
  for (auto& b : storage) bufs.emplace_back(b);
  std::vector<UdpDatagram> out(batch);
  for (int rounds = 0; got.size() < n && rounds < 100; ++rounds) {
    auto r = s.receive(bufs, out);
    if (!r) {
      ADD_FAILURE() << r.error().message();
      break;
    }
    if (*r == 0) {
      pollfd p{s.fd(), POLLIN, 0};
      (void)::poll(&p, 1, 10);
      continue;
    }
    EXPECT_LE(*r, batch);
    for (std::size_t i = 0; i < *r; ++i) {
      EXPECT_EQ(out[i].data.data(), bufs[i].data()) << "datagram i lands in buffer i";
      got.push_back(
          Received{Buffer(out[i].data.begin(), out[i].data.end()), out[i].peer, out[i].segment_size, out[i].truncated});
    }
  }
  return got;
}

// --- real loopback sockets

void batch_round_trip(std::string_view any) {
  UdpSocket a = open_udp(any);
  UdpSocket b = open_udp(any, true, false);
  EXPECT_NE(a.local().port(), 0) << "the kernel's port is reported";
  EXPECT_EQ(a.local().family(), addr(any).family());

  const std::vector<std::size_t> sizes = {1, 0, 100, 1200, 1472, 7, 900, 64, 3000, 2};
  std::vector<Buffer> data;
  std::vector<UdpOutgoing> items;
  for (std::size_t i = 0; i < sizes.size(); ++i) data.push_back(pattern(sizes[i], static_cast<int>(i)));
  for (const auto& d : data) items.push_back(UdpOutgoing{b.local(), d, 0});
  auto sent = a.send(items);
  ASSERT_TRUE(sent.has_value()) << sent.error().message();
  EXPECT_EQ(*sent, items.size());

  const auto got = receive_n(b, sizes.size(), 4096, 4);  // batches of 4: three receive() calls at least
  ASSERT_EQ(got.size(), sizes.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].data, data[i]) << "datagram " << i;
    EXPECT_EQ(got[i].peer, a.local()) << got[i].peer.to_string() << " vs " << a.local().to_string();
    EXPECT_EQ(got[i].segment_size, 0);
    EXPECT_FALSE(got[i].truncated);
  }
}

TEST(Udp, BatchSendAndReceiveIpv4) {
  batch_round_trip("127.0.0.1:0");
}
TEST(Udp, BatchSendAndReceiveIpv6) {
  batch_round_trip("[::1]:0");
}

TEST(Udp, EmptySocketWouldBlock) {
  UdpSocket s = open_udp("127.0.0.1:0");
  Buffer storage(1500);
  const base::MutBytes bufs[1] = {storage};
  UdpDatagram out[1];
  auto r = s.receive(bufs, out);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 0u);
  EXPECT_EQ(s.receive({}, out).value(), 0u) << "no buffers: nothing asked";
  EXPECT_EQ(s.send({}).value(), 0u);
}

TEST(Udp, MoreThanOneSendBatch) {
  UdpSocket a = open_udp("127.0.0.1:0");
  UdpSocket b = open_udp("127.0.0.1:0", true, false);
  const std::size_t n = kMaxUdpBatch * 2 + 5;
  std::vector<Buffer> data;
  for (std::size_t i = 0; i < n; ++i) data.push_back(pattern(20 + i, static_cast<int>(i)));
  std::vector<UdpOutgoing> items;
  for (const auto& d : data) items.push_back(UdpOutgoing{b.local(), d, 0});
  ASSERT_EQ(a.send(items).value(), n);
  const auto got = receive_n(b, n, 512, kMaxUdpBatch + 10);  // more buffers than a batch: capped
  ASSERT_EQ(got.size(), n);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(got[i].data, data[i]);
}

TEST(Udp, ShortBufferTruncates) {
  UdpSocket a = open_udp("127.0.0.1:0");
  UdpSocket b = open_udp("127.0.0.1:0", true, false);
  const Buffer big = pattern(1000, 1);
  const UdpOutgoing item{b.local(), big, 0};
  ASSERT_EQ(a.send({&item, 1}).value(), 1u);
  const auto got = receive_n(b, 1, 100);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].truncated);
  EXPECT_EQ(got[0].data, Buffer(big.begin(), big.begin() + 100));
}

TEST(Udp, GsoSendIsCutByTheKernel) {
  UdpSocket a = open_udp("127.0.0.1:0");
  if (!a.gso()) GTEST_SKIP() << "the kernel refused UDP_SEGMENT (Linux < 4.18)";
  UdpSocket b = open_udp("127.0.0.1:0", true, /*gro=*/false);
  const Buffer data = pattern(1000 * 3 + 123, 5);
  const Buffer single = pattern(50, 6);
  const UdpOutgoing items[] = {{b.local(), data, 1000}, {b.local(), single, 1000}};
  ASSERT_EQ(a.send(items).value(), 2u);
  const auto got = receive_n(b, 5);
  ASSERT_EQ(got.size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t from = i * 1000;
    const std::size_t len = i < 3 ? 1000 : 123;
    EXPECT_EQ(got[i].data, Buffer(data.begin() + static_cast<long>(from), data.begin() + static_cast<long>(from + len)))
        << "segment " << i;
    EXPECT_EQ(got[i].peer, a.local());
  }
  EXPECT_EQ(got[4].data, single);
  EXPECT_TRUE(a.gso()) << "GSO still on";
}

TEST(Udp, GroReceiveCoalescesOneFlow) {
  UdpSocket a = open_udp("127.0.0.1:0");
  UdpSocket b = open_udp("127.0.0.1:0", true, /*gro=*/true);
  if (!a.gso() || !b.gro()) GTEST_SKIP() << "the kernel refused UDP_SEGMENT or UDP_GRO (Linux < 5.0)";
  const Buffer data = pattern(800 * 4 + 10, 9);
  const UdpOutgoing item{b.local(), data, 800};
  ASSERT_EQ(a.send({&item, 1}).value(), 1u);
  // Loopback keeps a GSO packet whole to a socket that accepts GRO: one datagram with
  // its segment size, as a NIC's GRO would hand over.
  const auto got = receive_n(b, 1, 65536);
  ASSERT_EQ(got.size(), 1u);
  if (got[0].segment_size == 0) GTEST_SKIP() << "this kernel segments GSO packets before a GRO socket";
  EXPECT_EQ(got[0].segment_size, 800);
  EXPECT_EQ(got[0].data, data);
  EXPECT_FALSE(got[0].truncated);
  EXPECT_EQ(got[0].peer, a.local());
}

TEST(Udp, SoftwareCuttingWithoutGso) {
  UdpSocket a = open_udp("[::1]:0", /*gso=*/false);
  UdpSocket b = open_udp("[::1]:0", false, false);
  EXPECT_FALSE(a.gso());
  EXPECT_FALSE(b.gro());
  const Buffer data = pattern(300 * 2 + 1, 3);
  const Buffer exact = pattern(300, 4);  // one segment's worth: sent as is
  const UdpOutgoing items[] = {{b.local(), data, 300}, {b.local(), exact, 300}};
  ASSERT_EQ(a.send(items).value(), 2u);
  const auto got = receive_n(b, 4);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].data, Buffer(data.begin(), data.begin() + 300));
  EXPECT_EQ(got[1].data, Buffer(data.begin() + 300, data.begin() + 600));
  EXPECT_EQ(got[2].data, Buffer(data.begin() + 600, data.end()));
  EXPECT_EQ(got[3].data, exact);
}

TEST(Udp, DualStackSocketSeesIpv4PeersAsMapped) {
  UdpConfig c;
  c.bind = addr("[::]:0");
  c.v6only = false;
  auto b = UdpSocket::open(c);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  UdpSocket a = open_udp("127.0.0.1:0");
  const Buffer data = pattern(10, 1);
  const UdpOutgoing item{SocketAddress::v4(inet::Ipv4Address(127, 0, 0, 1), b->local().port()), data, 0};
  ASSERT_EQ(a.send({&item, 1}).value(), 1u);
  const auto got = receive_n(*b, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].peer.to_string(), "[::ffff:127.0.0.1]:" + std::to_string(a.local().port()));
}

TEST(Udp, OpenErrors) {
  UdpConfig empty;
  auto e = UdpSocket::open(empty);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().err, EINVAL);

  UdpSocket a = open_udp("127.0.0.1:0");
  UdpConfig same;
  same.bind = a.local();
  auto busy = UdpSocket::open(same);
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().message(), "bind on udp " + a.local().to_string() + ": Address already in use");
}

// --- FakeSys: what the kernel rarely does on loopback

TEST(UdpFake, OpenSetsTheOptionsAsked) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("[2001:db8::1]:4242");
  c.reuse_port = true;
  c.send_buffer = 1 << 20;
  c.receive_buffer = 1 << 21;
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value()) << s.error().message();
  const int fd = s->fd();
  EXPECT_NE(sys.flags_of(fd) & SOCK_NONBLOCK, 0);
  EXPECT_NE(sys.flags_of(fd) & SOCK_CLOEXEC, 0);
  EXPECT_EQ(sys.sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
  EXPECT_EQ(sys.sockopt(fd, SOL_SOCKET, SO_REUSEPORT), 1);
  EXPECT_EQ(sys.sockopt(fd, SOL_SOCKET, SO_SNDBUF), 1 << 20);
  EXPECT_EQ(sys.sockopt(fd, SOL_SOCKET, SO_RCVBUF), 1 << 21);
  EXPECT_EQ(sys.sockopt(fd, SOL_UDP, UDP_SEGMENT), 0);
  EXPECT_EQ(sys.sockopt(fd, SOL_UDP, UDP_GRO), 1);
  EXPECT_TRUE(s->gso());
  EXPECT_TRUE(s->gro());
  EXPECT_EQ(s->local().to_string(), "[2001:db8::1]:4242");

  FakeSys v4;
  c.bind = addr("192.0.2.1:1");
  auto s4 = UdpSocket::open(c, v4);
  ASSERT_TRUE(s4.has_value());
  EXPECT_EQ(v4.sockopt(s4->fd(), IPPROTO_IPV6, IPV6_V6ONLY), std::nullopt);
}

TEST(UdpFake, RefusedOffloadsAreNotErrors) {
  FakeSys sys;
  sys.refuse_sockopt(SOL_UDP, UDP_SEGMENT, ENOPROTOOPT);
  sys.refuse_sockopt(SOL_UDP, UDP_GRO, ENOPROTOOPT);
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->gso());
  EXPECT_FALSE(s->gro());

  sys.refuse_sockopt(SOL_SOCKET, SO_REUSEPORT, EPERM);
  c.reuse_port = true;
  auto r = UdpSocket::open(c, sys);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "SO_REUSEPORT on udp 192.0.2.1:1: Operation not permitted");
  EXPECT_EQ(sys.open_count(), 1u) << "the refused socket is closed";
}

Buffer gro_control(int segment) {
  Buffer c(CMSG_SPACE(sizeof(int)));
  auto* h = reinterpret_cast<cmsghdr*>(c.data());
  h->cmsg_level = SOL_UDP;
  h->cmsg_type = UDP_GRO;
  h->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(h), &segment, sizeof segment);
  return c;
}

Buffer raw(const SocketAddress& a) {
  const auto* p = reinterpret_cast<const std::byte*>(a.sockaddr_ptr());
  return Buffer(p, p + a.sockaddr_len());
}

TEST(UdpFake, ReceiveReportsPeerGroSizeAndTruncation) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress p4 = addr("198.51.100.7:9");
  const SocketAddress p6 = addr("[2001:db8::7%3]:10");
  sys.push_inbound(s->fd(), testing::Inbound{pattern(30, 1), raw(p4), gro_control(10)});
  sys.push_inbound(s->fd(), testing::Inbound{pattern(64, 2), raw(p6), {}});
  std::vector<Buffer> storage = {Buffer(100), Buffer(40)};
  const base::MutBytes bufs[] = {storage[0], storage[1]};
  UdpDatagram out[2];
  ASSERT_EQ(s->receive(bufs, out).value(), 2u);
  EXPECT_EQ(out[0].peer, p4);
  EXPECT_EQ(out[0].segment_size, 10);
  EXPECT_EQ(out[0].data.size(), 30u);
  EXPECT_FALSE(out[0].truncated);
  EXPECT_EQ(out[1].peer, p6);
  EXPECT_EQ(out[1].segment_size, 0);
  EXPECT_EQ(out[1].data.size(), 40u);
  EXPECT_TRUE(out[1].truncated);

  sys.fail_next(Op::recvmmsg, EINTR);  // retried
  sys.push_inbound(s->fd(), testing::Inbound{pattern(5, 3), raw(p4), {}});
  EXPECT_EQ(s->receive(bufs, out).value(), 1u);
  sys.fail_next(Op::recvmmsg, ECONNREFUSED);
  auto e = s->receive(bufs, out);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "recvmmsg on udp 192.0.2.1:1: Connection refused");
}

// The UDP_SEGMENT value of a recorded control message, or 0.
int segment_of(const testing::Outbound& o) {
  if (o.control.size() < CMSG_LEN(sizeof(std::uint16_t))) return 0;
  cmsghdr h{};
  std::memcpy(&h, o.control.data(), sizeof h);
  if (h.cmsg_level != SOL_UDP || h.cmsg_type != UDP_SEGMENT) return -1;
  std::uint16_t v = 0;
  std::memcpy(&v, o.control.data() + (CMSG_DATA(&h) - reinterpret_cast<unsigned char*>(&h)), sizeof v);
  return v;
}

TEST(UdpFake, GsoAsksTheKernelOnlyForSeveralSegments) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress peer = addr("198.51.100.7:9");
  const Buffer many = pattern(250, 1);
  const Buffer one = pattern(100, 2);
  const UdpOutgoing items[] = {{peer, many, 100}, {peer, one, 100}, {peer, one, 0}};
  ASSERT_EQ(s->send(items).value(), 3u);
  const auto out = sys.take_outbound(s->fd());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].data, many);
  EXPECT_EQ(segment_of(out[0]), 100);
  EXPECT_EQ(out[0].address, raw(peer));
  EXPECT_TRUE(out[1].control.empty()) << "a single segment needs no UDP_SEGMENT";
  EXPECT_TRUE(out[2].control.empty());
}

TEST(UdpFake, EioTurnsGsoOffAndCutsInSoftware) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress peer = addr("198.51.100.7:9");
  const Buffer data = pattern(250, 1);
  const UdpOutgoing item{peer, data, 100};
  sys.fail_next(Op::sendmmsg, EIO);
  ASSERT_EQ(s->send({&item, 1}).value(), 1u);
  EXPECT_FALSE(s->gso());
  auto out = sys.take_outbound(s->fd());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].data, Buffer(data.begin(), data.begin() + 100));
  EXPECT_EQ(out[2].data, Buffer(data.begin() + 200, data.end()));
  for (const auto& o : out) EXPECT_TRUE(o.control.empty());

  // EIO without GSO in play is an ordinary error.
  sys.fail_next(Op::sendmmsg, EIO);
  const UdpOutgoing plain{peer, data, 0};
  auto e = s->send({&plain, 1});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().err, EIO);
}

TEST(UdpFake, WouldBlockAndPartialSends) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress peer = addr("198.51.100.7:9");
  const Buffer d = pattern(10, 1);
  const UdpOutgoing items[] = {{peer, d, 0}, {peer, d, 0}, {peer, d, 0}};

  sys.limit_next(Op::sendmmsg, 0);  // EAGAIN
  EXPECT_EQ(s->send(items).value(), 0u);
  sys.limit_next(Op::sendmmsg, 2);  // two go, then
  sys.limit_next(Op::sendmmsg, 0);  // the socket is full
  EXPECT_EQ(s->send(items).value(), 2u);
  EXPECT_EQ(sys.take_outbound(s->fd()).size(), 2u);

  sys.fail_next(Op::sendmmsg, EINTR);  // retried
  EXPECT_EQ(s->send(items).value(), 3u);
  sys.take_outbound(s->fd());

  sys.limit_next(Op::sendmmsg, 1);
  sys.fail_next(Op::sendmmsg, EHOSTUNREACH);  // an error after progress: the count, not the error
  EXPECT_EQ(s->send(items).value(), 1u);
  sys.fail_next(Op::sendmmsg, EHOSTUNREACH);  // the kernel reports it again on the next call
  auto e = s->send(items);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().message(), "sendmmsg on udp 192.0.2.1:1: No route to host");
}

TEST(UdpFake, SoftwareCutResumesInsideAnItem) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  c.gso = false;
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress peer = addr("198.51.100.7:9");
  const Buffer big = pattern(250, 1);
  const Buffer small = pattern(5, 2);
  const UdpOutgoing items[] = {{peer, big, 100}, {peer, small, 0}};
  sys.limit_next(Op::sendmmsg, 2);  // the first two segments of `big`, then the rest
  ASSERT_EQ(s->send(items).value(), 2u);
  const auto out = sys.take_outbound(s->fd());
  ASSERT_EQ(out.size(), 4u) << "no segment sent twice";
  EXPECT_EQ(out[0].data, Buffer(big.begin(), big.begin() + 100));
  EXPECT_EQ(out[1].data, Buffer(big.begin() + 100, big.begin() + 200));
  EXPECT_EQ(out[2].data, Buffer(big.begin() + 200, big.end()));
  EXPECT_EQ(out[3].data, small);
}

TEST(UdpFake, TooManySoftwareSegmentsForOneBatch) {
  FakeSys sys;
  UdpConfig c;
  c.bind = addr("192.0.2.1:1");
  c.gso = false;
  auto s = UdpSocket::open(c, sys);
  ASSERT_TRUE(s.has_value());
  const SocketAddress peer = addr("198.51.100.7:9");
  const Buffer huge = pattern((kMaxUdpBatch + 1) * 10, 1);
  const Buffer d = pattern(10, 2);
  const UdpOutgoing first[] = {{peer, huge, 10}};
  auto e = s->send(first);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().err, EMSGSIZE);
  const UdpOutgoing later[] = {{peer, d, 0}, {peer, huge, 10}};
  EXPECT_EQ(s->send(later).value(), 1u) << "sent what came before it";
}

}  // namespace
}  // namespace nextip::io

#include "io/packet_link.h"

#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

#include "io/ip_command.h"
#include "io/testing/fake_sys.h"

namespace nextip::io {
namespace {

using testing::FakeSys;
using testing::Op;

using Buffer = std::vector<std::byte>;

constexpr int kSkipExit = 77;  // the child could not make its namespace

Buffer payload_of(std::size_t size, int tag) {
  Buffer b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::byte>((i * 13 + static_cast<std::size_t>(tag)) & 0xff);
  return b;
}

// --- FakeSys: open, and the edges the kernel makes hard to reach

TEST(PacketLinkFake, OpenLooksTheInterfaceUpAndBinds) {
  FakeSys sys;
  auto& veth = sys.add_interface("veth0");
  veth.mtu = 9000;
  PacketLinkConfig c;
  c.interface = "veth0";
  c.ethertype = inet::ethertype::kIpv8;
  c.qdisc_bypass = true;
  auto link = PacketLink::open(c, sys);
  ASSERT_TRUE(link.has_value()) << link.error().message();
  EXPECT_EQ(link->interface(), "veth0");
  EXPECT_EQ(link->ifindex(), veth.index);
  EXPECT_EQ(link->mac(), veth.mac);
  EXPECT_EQ(link->mtu(), 9000);
  EXPECT_EQ(link->ethertype(), 0x88b6);
  const int fd = link->fd();
  EXPECT_NE(sys.flags_of(fd) & SOCK_NONBLOCK, 0);
  EXPECT_NE(sys.flags_of(fd) & SOCK_CLOEXEC, 0);
  EXPECT_EQ(sys.sockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING), 1);
  EXPECT_EQ(sys.sockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS), 1);
  EXPECT_EQ(sys.open_count(), 1u) << "only the link's socket stays open";
}

TEST(PacketLinkFake, OpenErrors) {
  FakeSys sys;
  PacketLinkConfig c;
  c.interface = "nope0";
  auto missing = PacketLink::open(c, sys);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(), "SIOCGIFINDEX on nope0: No such device");

  c.interface = "veth0";
  FakeSys strict;
  strict.add_interface("veth0");
  strict.fail_next(Op::bind, EADDRNOTAVAIL);
  auto unbound = PacketLink::open(c, strict);
  ASSERT_FALSE(unbound.has_value());
  EXPECT_EQ(unbound.error().message(), "bind(AF_PACKET) on veth0: Cannot assign requested address");
  EXPECT_EQ(strict.open_count(), 0u);

  FakeSys old_kernel;  // before 4.20: PACKET_IGNORE_OUTGOING is unknown, not fatal
  old_kernel.add_interface("veth0");
  old_kernel.refuse_sockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, ENOPROTOOPT);
  EXPECT_TRUE(PacketLink::open(c, old_kernel).has_value());
}

Buffer frame_bytes(const inet::MacAddress& dst, const inet::MacAddress& src, Bytes payload) {
  Buffer f(kEthernetHeadroom + payload.size());
  inet::emit_ethernet(f, dst, src, inet::ethertype::kAsip);
  std::copy(payload.begin(), payload.end(), f.begin() + kEthernetHeadroom);
  return f;
}

TEST(PacketLinkFake, ReceiveSplitsHeaderAndMarksShortAndLongFrames) {
  FakeSys sys;
  sys.add_interface("veth0");
  PacketLinkConfig c;
  c.interface = "veth0";
  auto link = PacketLink::open(c, sys);
  ASSERT_TRUE(link.has_value());
  const inet::MacAddress peer = {std::byte{2}, std::byte{9}, std::byte{9}, std::byte{9}, std::byte{9}, std::byte{9}};
  const Buffer p1 = payload_of(20, 1);
  sys.push_inbound(link->fd(), frame_bytes(link->mac(), peer, p1));
  sys.push_inbound(link->fd(), Buffer(10));                                          // a runt
  sys.push_inbound(link->fd(), frame_bytes(link->mac(), peer, payload_of(200, 2)));  // longer than its buffer
  std::vector<Buffer> storage = {Buffer(100), Buffer(100), Buffer(50)};
  const base::MutBytes bufs[] = {storage[0], storage[1], storage[2]};
  LinkFrame frames[3];
  ASSERT_EQ(link->receive(bufs, frames).value(), 3u);
  EXPECT_EQ(frames[0].src, peer);
  EXPECT_EQ(frames[0].dst, link->mac());
  EXPECT_EQ(Buffer(frames[0].payload.begin(), frames[0].payload.end()), p1);
  EXPECT_EQ(frames[0].payload.data(), storage[0].data() + kEthernetHeadroom);
  EXPECT_FALSE(frames[0].truncated);
  EXPECT_TRUE(frames[1].truncated) << "shorter than an Ethernet header";
  EXPECT_TRUE(frames[1].payload.empty());
  EXPECT_TRUE(frames[2].truncated);
  EXPECT_EQ(frames[2].payload.size(), 50 - kEthernetHeadroom);
  ASSERT_FALSE(sys.calls.empty());
  EXPECT_EQ(link->receive(bufs, frames).value(), 0u) << "would block";
}

TEST(PacketLinkFake, SendWritesTheHeaderAndStopsWhenFull) {
  FakeSys sys;
  sys.add_interface("veth0");
  PacketLinkConfig c;
  c.interface = "veth0";
  auto link = PacketLink::open(c, sys);
  ASSERT_TRUE(link.has_value());
  const inet::MacAddress dst = {std::byte{0xff}, std::byte{0xff}, std::byte{0xff},
                                std::byte{0xff}, std::byte{0xff}, std::byte{0xff}};
  std::vector<Buffer> storage(3, Buffer(kEthernetHeadroom + 30));
  std::vector<OutFrame> out;
  for (auto& s : storage) out.push_back(OutFrame{dst, s});
  ASSERT_EQ(link->send(out).value(), 3u);
  auto sent = sys.take_outbound(link->fd());
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(Buffer(sent[0].data.begin(), sent[0].data.begin() + 14), frame_bytes(dst, link->mac(), {}));
  EXPECT_EQ(sent[0].data.size(), kEthernetHeadroom + 30);

  sys.limit_next(Op::sendmmsg, 0);
  EXPECT_EQ(link->send(out).value(), 0u) << "would block";
  sys.limit_next(Op::sendmmsg, 1);  // a short sendmmsg: the socket is full, no second try
  EXPECT_EQ(link->send(out).value(), 1u);
  EXPECT_EQ(sys.count(Op::sendmmsg), 3u);
  sys.fail_next(Op::sendmmsg, ENETDOWN);
  auto down = link->send(out);
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().message(), "sendmmsg on veth0: Network is down");

  Buffer runt(10);
  const OutFrame bad[] = {{dst, storage[0]}, {dst, runt}};
  EXPECT_EQ(link->send(bad).value(), 1u) << "the frames before the runt";
  auto e = link->send({&bad[1], 1});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().err, EINVAL);
}

// --- a real veth pair in a private network namespace (root)

// The child's checks: print what failed, count it.
int g_failures = 0;
void fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::fputs("packet_link_test child: ", stderr);
  std::vfprintf(stderr, fmt, ap);
  std::fputc('\n', stderr);
  va_end(ap);
  ++g_failures;
}
#define CHILD_CHECK(cond, ...)      \
  do {                              \
    if (!(cond)) fail(__VA_ARGS__); \
  } while (0)

// Receives up to `want` frames on `link` into `bufs`, polling at most `timeout_ms` in all.
std::size_t receive_some(PacketLink& link, std::span<const base::MutBytes> bufs, std::span<LinkFrame> frames,
                         std::size_t want, int timeout_ms) {
  std::size_t got = 0;
  for (int waited = 0; got < want && waited <= timeout_ms; waited += 10) {
    auto r = link.receive(bufs.subspan(got), frames.subspan(got));
    if (!r) {
      fail("receive on %s: %s", link.interface().c_str(), r.error().message().c_str());
      return got;
    }
    got += *r;
    if (*r == 0) {
      pollfd p{link.fd(), POLLIN, 0};
      (void)::poll(&p, 1, 10);
    }
  }
  return got;
}

int veth_child() {
  if (::unshare(CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", std::strerror(errno));
    return kSkipExit;
  }
  const IpCommand ip;
  if (auto r = ip.run({"link", "add", "nxa", "type", "veth", "peer", "name", "nxb"}); !r) {
    std::fprintf(stderr, "%s\n", r.error().message().c_str());
    return kSkipExit;  // no veth support
  }
  for (const char* n : {"nxa", "nxb"}) {
    if (auto r = ip.link_up(n); !r) fail("%s", r.error().message().c_str());
  }
  PacketLinkConfig ca;
  ca.interface = "nxa";
  PacketLinkConfig cb;
  cb.interface = "nxb";
  PacketLinkConfig cv8;
  cv8.interface = "nxb";
  cv8.ethertype = inet::ethertype::kIpv8;
  auto a = PacketLink::open(ca);
  auto b = PacketLink::open(cb);
  auto b8 = PacketLink::open(cv8);
  if (!a || !b || !b8) {
    fail("open: %s", (!a ? a.error() : !b ? b.error() : b8.error()).message().c_str());
    return 1;
  }
  CHILD_CHECK(a->mtu() == 1500 && b->mtu() == 1500, "mtu %d %d", a->mtu(), b->mtu());
  CHILD_CHECK(a->ifindex() > 0 && a->ifindex() != b->ifindex(), "ifindex %d %d", a->ifindex(), b->ifindex());
  CHILD_CHECK(a->mac() != b->mac(), "the two ends have the same MAC");

  // Until the kernel's link watch has attached a qdisc to the new devices, their queue
  // drops frames silently (sendmmsg still succeeds): probe until one gets through,
  // then drain any late probes.
  {
    Buffer probe(kEthernetHeadroom + 8);
    const OutFrame pf{b->mac(), probe};
    Buffer ps(kEthernetHeadroom + 1500);
    const base::MutBytes pb[] = {ps};
    LinkFrame pr[1];
    bool through = false;
    for (int i = 0; i < 100 && !through; ++i) {
      (void)a->send({&pf, 1});
      through = receive_some(*b, pb, pr, 1, 20) == 1;
    }
    if (!through) {
      fail("no probe frame got through nxa -> nxb in 2 s");
      return 1;
    }
    while (receive_some(*b, pb, pr, 1, 20) == 1) {
    }
  }

  // A batch of several sizes, a -> b. Short ones are below Ethernet's 60-byte minimum.
  const std::vector<std::size_t> sizes = {0, 1, 10, 45, 46, 100, 1000, 1499, 1500};
  std::vector<Buffer> payloads;
  std::vector<Buffer> out_storage;
  std::vector<OutFrame> out;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    payloads.push_back(payload_of(sizes[i], static_cast<int>(i)));
    Buffer f(kEthernetHeadroom + sizes[i], std::byte{0xee});  // headroom overwritten by send()
    std::copy(payloads[i].begin(), payloads[i].end(), f.begin() + kEthernetHeadroom);
    out_storage.push_back(std::move(f));
  }
  for (auto& f : out_storage) out.push_back(OutFrame{b->mac(), f});
  auto sent = a->send(out);
  CHILD_CHECK(sent && *sent == out.size(), "send: %s", sent ? "short" : sent.error().message().c_str());

  std::vector<Buffer> in_storage(sizes.size() + 2, Buffer(kEthernetHeadroom + 1500));
  std::vector<base::MutBytes> bufs;
  for (auto& s : in_storage) bufs.emplace_back(s);
  std::vector<LinkFrame> frames(in_storage.size());
  const std::size_t got = receive_some(*b, bufs, frames, sizes.size(), 1000);
  CHILD_CHECK(got == sizes.size(), "received %zu of %zu frames", got, sizes.size());
  for (std::size_t i = 0; i < got && i < sizes.size(); ++i) {
    const LinkFrame& f = frames[i];
    CHILD_CHECK(f.src == a->mac(), "frame %zu: source MAC", i);
    CHILD_CHECK(f.dst == b->mac(), "frame %zu: destination MAC", i);
    CHILD_CHECK(!f.truncated, "frame %zu: truncated", i);
    // veth passes frames as sent; a NIC pads to 60 bytes. Either way the payload starts
    // with what was sent and any padding is zeros.
    const std::size_t len = f.payload.size();
    CHILD_CHECK(len == sizes[i] || (sizes[i] < 46 && len == 46), "frame %zu: %zu payload bytes for %zu sent", i, len,
                sizes[i]);
    CHILD_CHECK(len >= sizes[i] && std::equal(payloads[i].begin(), payloads[i].end(), f.payload.begin()),
                "frame %zu: payload bytes differ", i);
    for (std::size_t k = sizes[i]; k < len; ++k) CHILD_CHECK(f.payload[k] == std::byte{0}, "frame %zu: padding", i);
  }
  // Own outgoing frames are not looped back (PACKET_IGNORE_OUTGOING); the other
  // EtherType's socket on nxb saw nothing.
  CHILD_CHECK(receive_some(*a, bufs, frames, 1, 0) == 0, "nxa received its own frames");
  CHILD_CHECK(receive_some(*b8, bufs, frames, 1, 0) == 0, "the 0x88B6 socket received 0x88B5 frames");

  // b -> a, with a buffer too small: truncated, and the rest of the frame is lost.
  Buffer big(kEthernetHeadroom + 1000);
  const OutFrame back{a->mac(), big};
  CHILD_CHECK(b->send({&back, 1}).value_or(0) == 1, "send b -> a");
  Buffer small_storage(100);
  const base::MutBytes small[] = {small_storage};
  LinkFrame cut[1];
  CHILD_CHECK(receive_some(*a, small, cut, 1, 1000) == 1, "nothing received on nxa");
  CHILD_CHECK(cut[0].truncated, "a 1014-byte frame in 100 bytes is not marked truncated");
  CHILD_CHECK(cut[0].payload.size() == 100 - kEthernetHeadroom, "truncated payload of %zu bytes",
              cut[0].payload.size());
  CHILD_CHECK(cut[0].src == b->mac(), "source MAC b -> a");
  CHILD_CHECK(receive_some(*b, bufs, frames, 1, 0) == 0, "nxb received its own frame");

  // The IPv8 EtherType: a frame from a socket bound to 0x88B6 reaches only b8.
  PacketLinkConfig ca8 = ca;
  ca8.ethertype = inet::ethertype::kIpv8;
  auto a8 = PacketLink::open(ca8);
  CHILD_CHECK(a8.has_value(), "open 0x88B6 on nxa");
  if (a8) {
    Buffer v8(kEthernetHeadroom + 64);
    const OutFrame f8{b->mac(), v8};
    CHILD_CHECK(a8->send({&f8, 1}).value_or(0) == 1, "send 0x88B6");
    LinkFrame one[1];
    CHILD_CHECK(receive_some(*b8, bufs, one, 1, 1000) == 1, "0x88B6 frame not received");
    CHILD_CHECK(receive_some(*b, bufs, frames, 1, 0) == 0, "the 0x88B5 socket received a 0x88B6 frame");
  }
  return g_failures == 0 ? 0 : 1;
}

TEST(PacketLink, VethPairInAPrivateNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: a network namespace, a veth pair and AF_PACKET";
  if (!IpCommand().find_ip()) GTEST_SKIP() << "iproute2's ip is not installed";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0) << std::strerror(errno);
  if (pid == 0) {
    ::alarm(10);  // never hang the test run
    std::_Exit(veth_child());
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died of signal " << WTERMSIG(status);
  if (WEXITSTATUS(status) == kSkipExit) GTEST_SKIP() << "no network namespace or veth here (see stderr)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's failures are on stderr";
}

}  // namespace
}  // namespace nextip::io

// Wire benchmarks (issue 3), in one binary so the ratios come from the same run:
//  - the Internet checksum's throughput beside memcpy of the same buffer (goal: >= 0.5);
//  - parse+validate and build ns/packet for every family;
//  - IPv4/UDP and IPv4/TCP parsing beside libtins (Debian libtins-dev) on the same bytes.
// bench/ratios.py prints the ratios (pairs listed in its WIRE_PAIRS).
#include <benchmark/benchmark.h>
#include <tins/ip.h>
#include <tins/tcp.h>
#include <tins/udp.h>

#include <cstring>
#include <vector>

#include "base/checksum.h"
#include "wire/build/build.h"
#include "wire/inet/tcp.h"
#include "wire/inet/udp.h"
#include "wire/ipv45/messages.h"

namespace {

using namespace nextip;
using base::Bytes;

// --- checksum vs memcpy --------------------------------------------------------------

std::vector<std::byte> random_buffer(std::size_t n) {
  std::vector<std::byte> b(n);
  std::uint64_t x = 88172645463325252ULL;
  for (auto& c : b) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<std::byte>(x);
  }
  return b;
}

void BM_Checksum(benchmark::State& st) {
  const auto buf = random_buffer(static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) {
    auto c = base::checksum::internet_checksum(buf);
    benchmark::DoNotOptimize(c);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_Checksum)->Arg(64)->Arg(1500)->Arg(9000)->Arg(65536);

void BM_Memcpy(benchmark::State& st) {
  const auto src = random_buffer(static_cast<std::size_t>(st.range(0)));
  std::vector<std::byte> dst(src.size());
  for (auto _ : st) {
    std::memcpy(dst.data(), src.data(), src.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_Memcpy)->Arg(64)->Arg(1500)->Arg(9000)->Arg(65536);

void BM_ChecksumNaive(benchmark::State& st) {
  const auto buf = random_buffer(static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) {
    auto c = base::checksum::reference_checksum(buf);
    benchmark::DoNotOptimize(c);
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_ChecksumNaive)->Arg(1500);

// --- sample packets ------------------------------------------------------------------

inet::Ipv4Repr v4_header() {
  inet::Ipv4Repr ip;
  ip.src = inet::Ipv4Address(192, 0, 2, 1);
  ip.dst = inet::Ipv4Address(198, 51, 100, 1);
  return ip;
}

const build::Packet& udp4() {
  static const auto p = build::ipv4(v4_header(), build::Udp{5000, 53, build::counting(36), false});
  return p;  // 64 bytes
}
const build::Packet& tcp4() {
  static const auto p =
      build::ipv4(v4_header(), build::Tcp{49152, 80, 1, 1, 0x18, 65535, {}, build::counting(1400 - 40)});
  return p;  // 1400 bytes
}

asip::HeaderRepr asip_header() {
  asip::HeaderRepr h;
  h.src = asip::Address(15169, 0, 0, 0xc0000201);
  h.dst = asip::Address(0, 0, 0, 0xc6336401);
  return h;
}

// --- parse + validate --------------------------------------------------------------

void BM_ParseIpv4Udp(benchmark::State& st) {
  const Bytes pkt(udp4());
  for (auto _ : st) {
    auto v = inet::Ipv4View<Bytes>::checked(pkt);
    auto r = inet::Ipv4Repr::parse(*v);
    auto u = inet::UdpView<Bytes>::checked(v->payload());
    const auto pseudo = base::checksum::ipv4_pseudo_header(r->src.value(), r->dst.value(), 17, u->length());
    auto ur = inet::UdpRepr::parse(*u, &pseudo);
    benchmark::DoNotOptimize(ur);
  }
}
BENCHMARK(BM_ParseIpv4Udp);

void BM_ParseIpv4UdpNoChecksum(benchmark::State& st) {
  const Bytes pkt(udp4());
  for (auto _ : st) {
    auto v = inet::Ipv4View<Bytes>::checked(pkt);
    auto u = inet::UdpView<Bytes>::checked(v->payload());
    benchmark::DoNotOptimize(u->dst_port());
    benchmark::DoNotOptimize(v->src());
  }
}
BENCHMARK(BM_ParseIpv4UdpNoChecksum);

void BM_LibtinsIpv4Udp(benchmark::State& st) {
  const auto& pkt = udp4();
  for (auto _ : st) {
    Tins::IP ip(reinterpret_cast<const std::uint8_t*>(pkt.data()), static_cast<std::uint32_t>(pkt.size()));
    const auto* u = ip.find_pdu<Tins::UDP>();
    benchmark::DoNotOptimize(u->dport());
    benchmark::DoNotOptimize(ip.src_addr());
  }
}
BENCHMARK(BM_LibtinsIpv4Udp);

void BM_ParseIpv4TcpNoChecksum(benchmark::State& st) {
  const Bytes pkt(tcp4());
  for (auto _ : st) {
    auto v = inet::Ipv4View<Bytes>::checked(pkt);
    auto t = inet::TcpView<Bytes>::checked(v->payload());
    benchmark::DoNotOptimize(t->seq());
    benchmark::DoNotOptimize(v->src());
  }
}
BENCHMARK(BM_ParseIpv4TcpNoChecksum);

void BM_ParseIpv4Tcp(benchmark::State& st) {
  const Bytes pkt(tcp4());
  for (auto _ : st) {
    auto v = inet::Ipv4View<Bytes>::checked(pkt);
    auto r = inet::Ipv4Repr::parse(*v);
    auto t = inet::TcpView<Bytes>::checked(v->payload());
    const auto pseudo = base::checksum::ipv4_pseudo_header(r->src.value(), r->dst.value(), 6,
                                                           static_cast<base::u16>(v->payload().size()));
    auto tr = inet::TcpRepr::parse(*t, &pseudo);
    benchmark::DoNotOptimize(tr);
  }
}
BENCHMARK(BM_ParseIpv4Tcp);

void BM_LibtinsIpv4Tcp(benchmark::State& st) {
  const auto& pkt = tcp4();
  for (auto _ : st) {
    Tins::IP ip(reinterpret_cast<const std::uint8_t*>(pkt.data()), static_cast<std::uint32_t>(pkt.size()));
    const auto* t = ip.find_pdu<Tins::TCP>();
    benchmark::DoNotOptimize(t->seq());
    benchmark::DoNotOptimize(ip.src_addr());
  }
}
BENCHMARK(BM_LibtinsIpv4Tcp);

void BM_ParseAsipUdp(benchmark::State& st) {
  const auto pkt = build::asip(asip_header(), build::Udp{5000, 53, build::counting(16), false});
  const Bytes b(pkt);
  for (auto _ : st) {
    auto h = asip::HeaderView<Bytes>::checked(b);
    auto c = asip::walk_chain(*h, true);
    auto u = inet::UdpView<Bytes>::checked(h->payload().subspan(c->upper_offset));
    const auto pseudo = h->pseudo_header(17, u->length());
    auto ur = inet::UdpRepr::parse(*u, &pseudo);
    benchmark::DoNotOptimize(ur);
  }
}
BENCHMARK(BM_ParseAsipUdp);

void BM_ParseIpv8Udp(benchmark::State& st) {
  ipv8::HeaderRepr h;
  h.src = ipv8::Address(64496, 0xc0000201);
  h.dst = ipv8::Address(15169, 0xc6336401);
  const auto pkt = build::ipv8(h, build::Udp{5000, 53, build::counting(28), false});
  const Bytes b(pkt);
  for (auto _ : st) {
    auto v = ipv8::HeaderView<Bytes>::checked(b);
    auto r = ipv8::HeaderRepr::parse(*v);
    auto u = inet::UdpView<Bytes>::checked(v->payload());
    const auto pseudo = v->pseudo_header(17, u->length());
    auto ur = inet::UdpRepr::parse(*u, &pseudo);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(ur);
  }
}
BENCHMARK(BM_ParseIpv8Udp);

void BM_ParseIpxlUdp(benchmark::State& st) {
  ipxl::PacketRepr x;
  x.src = ipxl::Address(2, 0x0a010203);
  x.dst = ipxl::Address(1, 0xc0a86401);
  const auto pkt = build::ipxl(x, build::Udp{5000, 53, build::counting(24), false});
  const Bytes b(pkt);
  for (auto _ : st) {
    auto p = ipxl::PacketView<Bytes>::checked(b);
    auto r = ipxl::PacketRepr::parse(*p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseIpxlUdp);

void BM_ParseIpv45ModeC(benchmark::State& st) {
  ipv45::HeaderRepr h;
  h.type = ipv45::Type::data;
  h.flags = ipv45::flag::kE;
  std::vector<std::byte> body(12 + 16 + 8);
  const auto pkt =
      build::ipv45_mode_c(inet::Ipv4Address(203, 0, 113, 1), inet::Ipv4Address(198, 51, 100, 2), h, {}, body);
  const Bytes b(pkt);
  for (auto _ : st) {
    auto m = ipv45::parse_mode_c(b);
    auto r = ipv45::HeaderRepr::parse(m->header);
    auto c = ipv45::walk_chain(m->header);
    auto p = ipv45::Protected::parse(m->header.payload().subspan(c->upper_offset));
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ParseIpv45ModeC);

// --- build (emit into a reused buffer, checksums included) ------------------------------

void BM_BuildIpv4Udp(benchmark::State& st) {
  std::vector<std::byte> buf(64);
  const auto payload = build::counting(36);
  inet::Ipv4Repr ip = v4_header();
  ip.protocol = 17;
  ip.payload_len = 44;
  const inet::UdpRepr u{5000, 53, 36};
  for (auto _ : st) {
    ip.emit(buf);
    std::memcpy(buf.data() + 28, payload.data(), payload.size());
    u.emit(base::MutBytes(buf).subspan(20), base::checksum::ipv4_pseudo_header(ip.src.value(), ip.dst.value(), 17, 44));
    benchmark::DoNotOptimize(buf.data());
  }
}
BENCHMARK(BM_BuildIpv4Udp);

void BM_BuildAsipUdp(benchmark::State& st) {
  std::vector<std::byte> buf(40 + 24);
  const auto payload = build::counting(16);
  asip::HeaderRepr h = asip_header();
  h.next_header = 17;
  h.payload_len = 24;
  const inet::UdpRepr u{5000, 53, 16};
  for (auto _ : st) {
    h.emit(buf);
    std::memcpy(buf.data() + 48, payload.data(), payload.size());
    u.emit(base::MutBytes(buf).subspan(40), h.pseudo_header(17, 24));
    benchmark::DoNotOptimize(buf.data());
  }
}
BENCHMARK(BM_BuildAsipUdp);

void BM_BuildIpv8Udp(benchmark::State& st) {
  std::vector<std::byte> buf(28 + 28);
  ipv8::HeaderRepr h;
  h.src = ipv8::Address(64496, 0xc0000201);
  h.dst = ipv8::Address(15169, 0xc6336401);
  h.protocol = 17;
  h.payload_len = 28;
  const inet::UdpRepr u{5000, 53, 20};
  for (auto _ : st) {
    h.emit(buf);
    u.emit(base::MutBytes(buf).subspan(28), h.pseudo_header(17, 28));
    benchmark::DoNotOptimize(buf.data());
  }
}
BENCHMARK(BM_BuildIpv8Udp);

void BM_BuildIpxl(benchmark::State& st) {
  std::vector<std::byte> buf(64);
  ipxl::PacketRepr x;
  x.src = ipxl::Address(2, 0x0a010203);
  x.dst = ipxl::Address(1, 0xc0a86401);
  x.protocol = 17;
  x.payload_len = 32;
  for (auto _ : st) {
    x.emit(buf);
    benchmark::DoNotOptimize(buf.data());
  }
}
BENCHMARK(BM_BuildIpxl);

void BM_BuildIpv45ModeC(benchmark::State& st) {
  std::vector<std::byte> buf(28 + 24 + 36);
  ipv45::HeaderRepr h;
  h.type = ipv45::Type::data;
  h.flags = ipv45::flag::kE;
  h.payload_len = 36;
  for (auto _ : st) {
    h.emit(base::MutBytes(buf).subspan(28));
    ipv45::emit_mode_c(buf, inet::Ipv4Address(203, 0, 113, 1), inet::Ipv4Address(198, 51, 100, 2), 4242, 60);
    benchmark::DoNotOptimize(buf.data());
  }
}
BENCHMARK(BM_BuildIpv45ModeC);

}  // namespace

BENCHMARK_MAIN();

// The translator (issue 4), in-process: ns per packet for a 64-byte UDP packet and a
// 1400-byte TCP segment, both directions, SIIT and ASIP mode, beside the floor of a
// plain memcpy of the same packet in the same run (bench/ratios.py prints the ratios).
//
//   BM_Translate/<mode>/<from>/<packet>   mode siit|asip, from v4|v6, packet udp64|tcp1400
//   BM_Memcpy/<bytes>                     the input packet's size
//   BM_AsipReply{FlowHit,NoState}         §14.14: the cost of a locator-state hit vs. miss
//
// "udp64" is a 64-byte IP packet on the side it arrives (UDP payload 36 bytes over
// IPv4, 16 over IPv6/ASIP); "tcp1400" a 1400-byte TCP segment (20-byte header + 1380
// bytes of data), so 1420 bytes over IPv4 and 1440 over IPv6/ASIP.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "engine/translate/translator.h"
#include "wire/asip/address.h"
#include "wire/build/build.h"

namespace {

namespace tr = nextip::engine::translate;
namespace bld = nextip::build;
using Packet = bld::Packet;

tr::Config config(tr::Mode m) {
  tr::Config c = tr::Config::defaults(m);
  const char* opts =
      m == tr::Mode::asip
          ? "pool4=192.0.2.0/24;own-v4=198.51.100.254;own-v6=15169::198.51.100.254;mtu.translator.v6=9000"
          : "pool6=64:ff9b::/96;own-v4=198.51.100.254;own-v6=2001:db8::1;mtu.translator.v6=9000";
  if (!tr::apply_options(c, opts) || !c.validate()) std::abort();
  return c;
}

bld::Upper upper(bool tcp, bool over_v4) {
  if (tcp) return bld::Tcp{40000, 443, 1, 1, 0x10, 65535, {}, bld::counting(1380)};
  return bld::Udp{5000, 53, bld::counting(over_v4 ? 36 : 16), false};
}

Packet v6_side(tr::Mode m, bool tcp) {
  if (m == tr::Mode::asip) {
    nextip::asip::HeaderRepr h;
    h.src = nextip::asip::Address(15169, 0, 0, 0xc0000201);
    h.dst = nextip::asip::Address(0, 0, 0, 0xc6336401);
    return bld::asip(h, upper(tcp, false));
  }
  nextip::inet::Ipv6Repr h;
  h.src = nextip::inet::Ipv6Address::parse("64:ff9b::c000:201").value();
  h.dst = nextip::inet::Ipv6Address::parse("64:ff9b::c633:6401").value();
  return bld::ipv6(h, upper(tcp, false));
}

Packet v4_side(bool tcp) {
  nextip::inet::Ipv4Repr h;
  h.src = nextip::inet::Ipv4Address::parse("198.51.100.1").value();
  h.dst = nextip::inet::Ipv4Address::parse("192.0.2.1").value();
  h.dont_fragment = true;
  bld::Upper u = upper(tcp, true);
  if (auto* t = std::get_if<bld::Tcp>(&u)) std::swap(t->src_port, t->dst_port);
  if (auto* x = std::get_if<bld::Udp>(&u)) std::swap(x->src_port, x->dst_port);
  return bld::ipv4(h, u);
}

void BM_Translate(benchmark::State& st, tr::Mode mode, bool from_v6, bool tcp) {
  tr::Translator t(config(mode));
  const Packet fwd = v6_side(mode, tcp);
  const Packet rev = v4_side(tcp);
  const auto now = nextip::base::Instant::from_ns(1'000'000'000);
  // ASIP: the forward packet records the locator, so replies hit per-flow state.
  if (t.from_v6(fwd, now).verdict != tr::Verdict::translated) st.SkipWithError("forward not translated");
  const Packet& in = from_v6 ? fwd : rev;
  for (auto _ : st) {
    const tr::Outcome o = from_v6 ? t.from_v6(in, now) : t.from_v4(in, now);
    benchmark::DoNotOptimize(o.packets.data());
  }
  if (t.stats().dropped() != 0) st.SkipWithError("dropped");
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(in.size()));
}

#define NEXTIP_TRANSLATE_BENCH(mode, from, pkt, m, v6, tcp) \
  BENCHMARK_CAPTURE(BM_Translate, mode##_##from##_##pkt, m, v6, tcp)->Name("BM_Translate/" #mode "/" #from "/" #pkt)

NEXTIP_TRANSLATE_BENCH(siit, v6, udp64, tr::Mode::siit, true, false);
NEXTIP_TRANSLATE_BENCH(siit, v4, udp64, tr::Mode::siit, false, false);
NEXTIP_TRANSLATE_BENCH(siit, v6, tcp1400, tr::Mode::siit, true, true);
NEXTIP_TRANSLATE_BENCH(siit, v4, tcp1400, tr::Mode::siit, false, true);
NEXTIP_TRANSLATE_BENCH(asip, v6, udp64, tr::Mode::asip, true, false);
NEXTIP_TRANSLATE_BENCH(asip, v4, udp64, tr::Mode::asip, false, false);
NEXTIP_TRANSLATE_BENCH(asip, v6, tcp1400, tr::Mode::asip, true, true);
NEXTIP_TRANSLATE_BENCH(asip, v4, tcp1400, tr::Mode::asip, false, true);

// The floor: copying the input packet once, as any translator must at least do.
void BM_Memcpy(benchmark::State& st) {
  const std::vector<std::byte> src(static_cast<std::size_t>(st.range(0)), std::byte{0x5a});
  std::vector<std::byte> dst(src.size() + 64);
  for (auto _ : st) {
    benchmark::DoNotOptimize(src.data());
    std::memcpy(dst.data() + 20, src.data(), src.size());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
}
BENCHMARK(BM_Memcpy)->Arg(64)->Arg(1420)->Arg(1440);

// §14.14: a reply whose locator comes from per-flow state vs. one with no state at all
// (the table is probed and misses, then the pair index, then the static list).
void BM_AsipReply(benchmark::State& st, bool hit) {
  tr::Translator t(config(tr::Mode::asip));
  const auto now = nextip::base::Instant::from_ns(1'000'000'000);
  if (hit) (void)t.from_v6(v6_side(tr::Mode::asip, false), now);
  const Packet rev = v4_side(false);
  for (auto _ : st) benchmark::DoNotOptimize(t.from_v4(rev, now).packets.data());
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()));
}
BENCHMARK_CAPTURE(BM_AsipReply, FlowHit, true)->Name("BM_AsipReplyFlowHit");
BENCHMARK_CAPTURE(BM_AsipReply, NoState, false)->Name("BM_AsipReplyNoState");

}  // namespace

BENCHMARK_MAIN();

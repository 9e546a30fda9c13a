// IPv4.5 session engine benchmarks (issue 6): handshakes per second per core, for each
// role, and the per-packet cost of the record layer through the whole Endpoint.
//   BM_HandshakeResponder  Client Hello (reassembled from its two fragments) → Server
//                          Hello: X25519 keygen + DH, ML-KEM-768 encapsulation, HKDF,
//                          transcript MAC, session setup.
//   BM_HandshakeInitiator  connect() (X25519 + ML-KEM-768 keygen, Client Hello) plus the
//                          Server Hello (X25519 DH, ML-KEM decapsulation, HKDF, MAC).
//   BM_HandshakeBoth       both roles on one core, to the first confirmed packet.
//   BM_DataRoundTrip/N     send() + receive() of one N-byte DATA packet (seal + open), N = 64
//                          and 1200 (the largest that is not fragmented on a 1280-byte path).
// Compare with bench/crypto_bench.cc (ML-KEM, X25519 and AEAD alone).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "crypto/rng.h"
#include "engine/ipv45/endpoint.h"

namespace {

using namespace nextip;
using namespace nextip::ipv45;

constexpr PeerAddr kA{0xc0000201, 40000};
constexpr PeerAddr kB{0xc6336401, 4242};
constexpr base::u16 kSiteB = 0x0b0b;
constexpr base::u64 kEidB = 0x5e005301;
const base::Instant kNow = base::Instant::origin() + base::seconds(1000);

using Storage = OutputStorage<256 * 1024, 256, 256>;
using Packets = std::vector<std::vector<std::byte>>;

EndpointConfig config(bool server) {
  EndpointConfig c;
  c.local_site = server ? kSiteB : 0x0a0a;
  if (server) c.listen_eid = kEidB;
  c.cookie_mode = CookieMode::never;
  c.handshakes_per_second = 1'000'000'000;
  c.handshake_burst = 1'000'000'000;
  c.max_sessions = 1 << 20;
  return c;
}

std::unique_ptr<Endpoint> endpoint(bool server) {
  auto e = Endpoint::create(config(server), crypto::system_rng(), kNow);
  if (!e) std::abort();
  return std::move(*e);
}

ConnectParams to_b() {
  ConnectParams p;
  p.peer = kB;
  p.peer_site = kSiteB;
  p.peer_eid = kEidB;
  return p;
}

Packets take(Output& out) {
  Packets p;
  for (const Transmit& t : out.transmits()) p.emplace_back(t.packet.begin(), t.packet.end());
  out.clear();
  return p;
}

void BM_HandshakeResponder(benchmark::State& state) {
  constexpr std::size_t kHellos = 256;
  auto st = std::make_unique<Storage>();
  auto client = endpoint(false);
  std::vector<Packets> hellos;
  for (std::size_t i = 0; i < kHellos; ++i) {
    if (!client->connect(kNow, to_b(), st->output)) std::abort();
    hellos.push_back(take(st->output));
  }
  auto server = endpoint(true);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == kHellos) {  // every Client Hello answered once: a fresh responder
      state.PauseTiming();
      server = endpoint(true);
      i = 0;
      state.ResumeTiming();
    }
    for (const auto& f : hellos[i]) server->receive(kNow, kA, f, st->output);
    if (st->output.transmits().size() != 1) state.SkipWithError("no Server Hello");
    st->output.clear();
    ++i;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HandshakeResponder)->Unit(benchmark::kMicrosecond);

void BM_HandshakeInitiator(benchmark::State& state) {
  auto st = std::make_unique<Storage>();
  auto client = endpoint(false);
  auto server = endpoint(true);
  std::size_t n = 0;
  for (auto _ : state) {
    auto h = client->connect(kNow, to_b(), st->output);
    if (!h) state.SkipWithError("connect");
    state.PauseTiming();
    const Packets hello = take(st->output);
    for (const auto& f : hello) server->receive(kNow, kA, f, st->output);
    const Packets sh = take(st->output);
    state.ResumeTiming();
    client->receive(kNow, kB, sh.at(0), st->output);
    st->output.clear();
    state.PauseTiming();
    client->close(*h);
    if (++n % 1024 == 0) server = endpoint(true);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HandshakeInitiator)->Unit(benchmark::kMicrosecond);

void BM_HandshakeBoth(benchmark::State& state) {
  auto st = std::make_unique<Storage>();
  auto client = endpoint(false);
  auto server = endpoint(true);
  std::size_t n = 0;
  for (auto _ : state) {
    auto h = client->connect(kNow, to_b(), st->output);
    for (const auto& f : take(st->output)) server->receive(kNow, kA, f, st->output);
    for (const auto& f : take(st->output)) client->receive(kNow, kB, f, st->output);
    for (const auto& f : take(st->output)) server->receive(kNow, kA, f, st->output);  // confirmation
    st->output.clear();
    client->close(*h);
    if (++n % 1024 == 0) {
      state.PauseTiming();
      server = endpoint(true);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_HandshakeBoth)->Unit(benchmark::kMicrosecond);

void BM_DataRoundTrip(benchmark::State& state) {
  auto st = std::make_unique<Storage>();
  auto client = endpoint(false);
  auto server = endpoint(true);
  auto h = client->connect(kNow, to_b(), st->output);
  for (int round = 0; round < 3; ++round) {
    const Packets a = take(st->output);
    for (const auto& f : a) (round % 2 == 0 ? *server : *client).receive(kNow, round % 2 == 0 ? kA : kB, f, st->output);
  }
  st->output.clear();
  std::vector<std::byte> payload(static_cast<std::size_t>(state.range(0)), std::byte{0x42});
  for (auto _ : state) {
    if (!client->send(kNow, *h, 17, payload, st->output)) state.SkipWithError("send");
    server->receive(kNow, kA, st->output.transmits()[0].packet, st->output);
    if (st->output.events().size() != 1) state.SkipWithError("not delivered");
    st->output.clear();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_DataRoundTrip)->Arg(64)->Arg(1200);  // 1200 + 52 = 1252: the largest unfragmented packet on a 1280 path

}  // namespace

BENCHMARK_MAIN();

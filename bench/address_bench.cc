// Address text: parse and format of each family, beside glibc's inet_pton/inet_ntop
// (AF_INET6 and AF_INET) on the same 128- or 32-bit values, in the same binary.
// Goal (issue 2): ASIP parse and format no slower than glibc's IPv6 ones.
// bench/ratios.py prints the ratios from --benchmark_format=json output.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "wire/asip/address.h"
#include "wire/inet/ipv4_address.h"
#include "wire/ipv45/address.h"
#include "wire/ipv8/address.h"
#include "wire/ipxl/address.h"

namespace {

using namespace nextip;

constexpr std::size_t kN = 1024;

// Realistic ASIP values: a public ASN, often zero zone/subnet, a random host.
std::vector<asip::Address> asip_values() {
  std::mt19937_64 rng(1);
  std::vector<asip::Address> v;
  for (std::size_t i = 0; i < kN; ++i) {
    const auto asn = static_cast<base::u32>(1 + rng() % 400000);
    const auto z = (rng() % 2) ? 0u : static_cast<base::u32>(rng() % 16);
    const auto s = (rng() % 2) ? 0u : static_cast<base::u32>(rng() % 4096);
    v.emplace_back(asn, z, s, static_cast<base::u32>(rng()));
  }
  return v;
}

const std::vector<asip::Address>& asip_set() {
  static const auto v = asip_values();
  return v;
}

// The same 128-bit values as ASIP text and as IPv6 text (RFC 5952 via inet_ntop).
std::vector<std::string> asip_texts() {
  std::vector<std::string> t;
  for (const auto& a : asip_set()) t.push_back(a.to_string());
  return t;
}

std::vector<std::string> ipv6_texts() {
  std::vector<std::string> t;
  for (const auto& a : asip_set()) {
    std::array<std::byte, 16> b{};
    a.to_bytes(b);
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
    t.emplace_back(buf);
  }
  return t;
}

void BM_AsipParse(benchmark::State& st) {
  const auto texts = asip_texts();
  std::size_t i = 0;
  for (auto _ : st) {
    auto r = asip::Address::parse(texts[i++ % kN]);
    benchmark::DoNotOptimize(r);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AsipParse);

void BM_GlibcInetPton6(benchmark::State& st) {
  const auto texts = ipv6_texts();
  std::size_t i = 0;
  unsigned char out[16];
  for (auto _ : st) {
    int ok = inet_pton(AF_INET6, texts[i++ % kN].c_str(), out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_GlibcInetPton6);

void BM_AsipFormat(benchmark::State& st) {
  const auto& v = asip_set();
  std::size_t i = 0;
  for (auto _ : st) {
    auto t = v[i++ % kN].format();
    benchmark::DoNotOptimize(t);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_AsipFormat);

void BM_GlibcInetNtop6(benchmark::State& st) {
  std::vector<std::array<std::byte, 16>> bytes;
  for (const auto& a : asip_set()) {
    std::array<std::byte, 16> b{};
    a.to_bytes(b);
    bytes.push_back(b);
  }
  std::size_t i = 0;
  char buf[INET6_ADDRSTRLEN];
  for (auto _ : st) {
    const char* r = inet_ntop(AF_INET6, bytes[i++ % kN].data(), buf, sizeof buf);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(buf);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_GlibcInetNtop6);

void BM_AsipFormatFlat(benchmark::State& st) {
  const auto& v = asip_set();
  std::size_t i = 0;
  for (auto _ : st) {
    auto t = v[i++ % kN].format(asip::Address::Form::flat);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_AsipFormatFlat);

// --- 32-bit: nextip's IPv4 parser beside inet_pton(AF_INET) -------------------

std::vector<std::string> ipv4_texts() {
  std::mt19937_64 rng(2);
  std::vector<std::string> t;
  for (std::size_t i = 0; i < kN; ++i) t.push_back(inet::Ipv4Address(static_cast<base::u32>(rng())).to_string());
  return t;
}

void BM_Ipv4Parse(benchmark::State& st) {
  const auto texts = ipv4_texts();
  std::size_t i = 0;
  for (auto _ : st) {
    auto r = inet::Ipv4Address::parse(texts[i++ % kN]);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Ipv4Parse);

void BM_GlibcInetPton4(benchmark::State& st) {
  const auto texts = ipv4_texts();
  std::size_t i = 0;
  unsigned char out[4];
  for (auto _ : st) {
    int ok = inet_pton(AF_INET, texts[i++ % kN].c_str(), out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_GlibcInetPton4);

// --- the 64- and 96-bit families ------------------------------------------------

template <class A>
std::vector<A> random_values(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<A> v;
  for (std::size_t i = 0; i < kN; ++i) {
    const base::u128 x = (base::u128{rng()} << 64) | rng();
    v.push_back(A::from_uint(static_cast<typename A::Uint>(x & base::Prefix<A>::all_ones())));
  }
  return v;
}

template <class A>
void BM_Parse(benchmark::State& st) {
  std::vector<std::string> texts;
  for (const auto& a : random_values<A>(3)) texts.push_back(a.to_string());
  std::size_t i = 0;
  for (auto _ : st) {
    auto r = A::parse(texts[i++ % kN]);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Parse<ipv8::Address>)->Name("BM_Ipv8Parse");
BENCHMARK(BM_Parse<ipxl::Address>)->Name("BM_IpxlParse");
BENCHMARK(BM_Parse<ipv45::Address>)->Name("BM_Ipv45Parse");

template <class A>
void BM_Format(benchmark::State& st) {
  const auto v = random_values<A>(4);
  std::size_t i = 0;
  for (auto _ : st) {
    auto t = v[i++ % kN].format();
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_Format<ipv8::Address>)->Name("BM_Ipv8Format");
BENCHMARK(BM_Format<ipxl::Address>)->Name("BM_IpxlFormat");
BENCHMARK(BM_Format<ipv45::Address>)->Name("BM_Ipv45Format");

}  // namespace

BENCHMARK_MAIN();

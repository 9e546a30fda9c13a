// Steady-state DATA allocates nothing (DESIGN: "no allocation per DATA packet"): global
// operator new and OpenSSL's allocator are replaced by counting ones before anything
// runs, then 10,000 DATA packets each way are sealed, sent, received and delivered with
// no allocation at all. A binary of its own, because of the replaced allocators.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "engine/ipv45/endpoint.h"
#include "engine/ipv45/test_support.h"

namespace {

std::atomic<long> g_allocations{0};

void* counting_malloc(std::size_t n, const char*, int) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n);
}
void* counting_realloc(void* p, std::size_t n, const char*, int) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) {
  std::free(p);
}

const bool g_installed = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) == 1;

}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace nextip::ipv45 {
namespace {

using testing::kAddrA;
using testing::kAddrB;

TEST(SessionAllocations, SteadyStateDataAllocatesNothing) {
  ASSERT_TRUE(g_installed) << "OpenSSL allocated before the counting allocator was installed";
  testing::Pair p;
  const auto [ha, hb] = p.establish();
  ASSERT_TRUE(ha.valid() && hb.valid());
  std::array<std::byte, 1200> payload{};
  int failures = 0;
  std::size_t delivered = 0;
  const auto exchange = [&](int rounds) {
    for (int i = 0; i < rounds; ++i) {
      payload[0] = static_cast<std::byte>(i);
      for (int side = 0; side < 2; ++side) {
        Endpoint& from = side == 0 ? *p.a : *p.b;
        Endpoint& to = side == 0 ? *p.b : *p.a;
        if (!from.send(p.now, side == 0 ? ha : hb, 17, payload, p.out())) ++failures;
        // Receive into the same Output: the packet bytes stay put, the plaintext goes after them.
        const auto tx = p.out().transmits();
        for (std::size_t t = 0; t < tx.size(); ++t)
          to.receive(p.now, side == 0 ? kAddrA : kAddrB, tx[t].packet, p.out());
        for (const Event& e : p.out().events()) delivered += e.kind == EventKind::delivered;
        p.out().clear();
      }
    }
  };
  exchange(100);  // warm-up (OpenSSL's per-thread error queue, hash table growth)
  const long before = g_allocations.load();
  exchange(10'000);
  const long allocations = g_allocations.load() - before;
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(delivered, 2u * 10'100);
  EXPECT_GT(before, 100) << "the counting allocators see nothing";
  EXPECT_EQ(allocations, 0) << "allocations in 20,000 DATA packets";
}

}  // namespace
}  // namespace nextip::ipv45

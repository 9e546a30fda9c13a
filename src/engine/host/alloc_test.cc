// The rewrite allocates nothing: this binary replaces the global operator new/delete
// with counting ones (forwarding to malloc/free) and runs both directions over every
// fixed vector, accepted and refused. Built without sanitizers only (CMakeLists.txt).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "engine/host/adaptor.h"
#include "engine/host/test_vectors.h"

namespace {

std::atomic<std::size_t> g_allocations{0};

void* counted_new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

}  // namespace

// NOLINTBEGIN(misc-new-delete-overloads)
void* operator new(std::size_t n) {
  return counted_new(n);
}
void* operator new[](std::size_t n) {
  return counted_new(n);
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
// NOLINTEND(misc-new-delete-overloads)

namespace nextip::engine::host {
namespace {

using namespace fixtures;

TEST(HostAlloc, RewriteAllocatesNothing) {
  HostConfig cfg;
  cfg.own.push_back(asip::parse_prefix("15169::/32").value());
  cfg.own.push_back(asip::parse_prefix("64496::/32").value());
  HostAdaptor a{cfg};
  std::vector<Vector> vs = vectors();
  Packet refused = vs.front().v6;
  refused[24] = std::byte{0xff};  // a multicast destination
  std::vector<Packet> work;
  for (const Vector& v : vs) work.push_back(v.v6);
  const std::size_t before = g_allocations.load();
  for (int round = 0; round < 10; ++round) {
    for (Packet& p : work) {
      base::Offload off;
      ASSERT_TRUE(a.kernel_to_asip(p, off).ok);
      ASSERT_TRUE(a.asip_to_kernel(p, off).ok);
    }
    base::Offload off;
    ASSERT_FALSE(a.kernel_to_asip(refused, off).ok);
  }
  EXPECT_EQ(g_allocations.load() - before, 0u);
  EXPECT_EQ(a.stats().to_asip, 10 * vs.size());
}

}  // namespace
}  // namespace nextip::engine::host

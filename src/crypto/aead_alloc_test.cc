// AEAD seal/open allocate nothing in steady state (the data path rule): OpenSSL's
// allocator is replaced by a counting one before anything in this process runs, and
// no call of 1000 seal + open pairs may allocate. A binary of its own, because the
// allocator can be replaced only before OpenSSL's first allocation.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <vector>

#include "crypto/aead.h"

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

using nextip::crypto::Aead;
using nextip::crypto::AeadSuite;

class AeadAllocations : public ::testing::TestWithParam<AeadSuite> {};

TEST_P(AeadAllocations, SteadyStateSealAndOpenDoNotAllocate) {
  ASSERT_TRUE(g_installed) << "OpenSSL allocated before the counting allocator was installed";
  std::array<std::byte, 32> key{};
  std::array<std::byte, 12> nonce{};
  auto aead = Aead::create(GetParam(), key);
  ASSERT_TRUE(aead);
  std::vector<std::byte> pt(1400, std::byte{0x42}), sealed(1400 + Aead::kTagSize), opened(1400);
  const std::array<std::byte, 8> aad{};
  ASSERT_TRUE(aead->seal(nonce, aad, pt, sealed));  // warm-up
  ASSERT_TRUE(aead->open(nonce, aad, sealed, opened));
  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) {
    nonce[0] = static_cast<std::byte>(i);
    nonce[1] = static_cast<std::byte>(i >> 8);
    ASSERT_TRUE(aead->seal(nonce, aad, pt, sealed));
    ASSERT_TRUE(aead->open(nonce, aad, sealed, opened));
  }
  EXPECT_EQ(g_allocations.load() - before, 0) << "allocations in 1000 seal + open pairs";

  // Forgeries are refused without allocating either (after a first one, which may
  // create this thread's OpenSSL error queue).
  sealed[0] ^= std::byte{1};
  EXPECT_FALSE(aead->open(nonce, aad, sealed, opened));
  const long after_first = g_allocations.load();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(aead->open(nonce, aad, sealed, opened));
  EXPECT_EQ(g_allocations.load() - after_first, 0) << "allocations in 100 refused forgeries";
}

INSTANTIATE_TEST_SUITE_P(Suites, AeadAllocations,
                         ::testing::Values(AeadSuite::aes256_gcm, AeadSuite::chacha20_poly1305));

}  // namespace

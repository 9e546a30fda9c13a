// Randomness is injected (STYLE rule 3): every key generation and encapsulation takes
// an Rng&. SystemRng is OpenSSL's CSPRNG (RAND_bytes); DeterministicRng is a
// reproducible stream for tests and test vectors, NEVER for keys that matter.
#pragma once

#include <cstdint>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/secure.h"

namespace nextip::crypto {

class Rng {
 public:
  virtual ~Rng() = default;
  // Fills all of `out`, or fails with Error::rng and leaves `out` wiped.
  [[nodiscard]] virtual Expected<void, Error> fill(MutBytes out) noexcept = 0;
};

// RAND_bytes: OpenSSL's DRBG seeded from the operating system. Stateless wrapper.
class SystemRng final : public Rng {
 public:
  [[nodiscard]] Expected<void, Error> fill(MutBytes out) noexcept override;
};

// The process-wide SystemRng.
[[nodiscard]] Rng& system_rng() noexcept;

// Output block i (136 bytes, SHAKE256's rate) is
//   SHAKE256(key ‖ le64(i)),  key = SHAKE256("nextip DeterministicRng v1" ‖ seed)[0:64],
// read as one stream: the same seed always gives the same bytes, whatever sizes
// they are read in.
class DeterministicRng final : public Rng {
 public:
  static constexpr std::size_t kBlock = 136;
  [[nodiscard]] static Expected<DeterministicRng, Error> create(Bytes seed) noexcept;
  [[nodiscard]] Expected<void, Error> fill(MutBytes out) noexcept override;

 private:
  DeterministicRng(Digest d, SecretBytes<64> key) noexcept : digest_(std::move(d)), key_(std::move(key)) {}
  Digest digest_;
  SecretBytes<64> key_;
  SecretBytes<kBlock> block_;
  std::size_t used_ = kBlock;  // bytes of block_ already returned
  std::uint64_t counter_ = 0;
};

}  // namespace nextip::crypto

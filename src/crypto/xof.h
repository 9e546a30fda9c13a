// SHAKE128 / SHAKE256 as an extendable-output function read in any number of pieces
// (FIPS 202 §6.2), as ML-KEM's SampleNTT needs (FIPS 203 Algorithm 7).
//
// OpenSSL 3.0 can finalise a SHAKE context only once (incremental squeezing,
// EVP_DigestSqueeze, arrived in 3.3). Xof therefore keeps the absorbed state and
// squeezes from a copy of it: the first 3 blocks (504 bytes for SHAKE128) with one
// EVP_DigestFinalXOF into an inline window; a read beyond what has been produced
// derives a longer output again, at least doubling it, into a heap buffer. SHAKE's
// output bytes do not depend on the requested length, so the stream is the same as
// one long squeeze. ML-KEM's sampler needs more than the window with probability
// about 1/120 per polynomial (its input is public); the heap path is for that and
// for long reads.
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <memory>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/hash.h"

namespace nextip::crypto {

class Xof {
 public:
  static constexpr std::size_t kWindowBlocks = 3;
  static constexpr std::size_t kWindowCapacity = kWindowBlocks * 168;

  // algo is shake128 or shake256 (else Error::bad_length).
  [[nodiscard]] static Expected<Xof, Error> create(HashAlgo algo) noexcept;
  Xof(Xof&& o) noexcept;
  Xof& operator=(Xof&& o) noexcept;
  Xof(const Xof&) = delete;
  Xof& operator=(const Xof&) = delete;
  ~Xof();

  // Only before the first squeeze (else Error::xof_state).
  [[nodiscard]] Expected<void, Error> absorb(Bytes data) noexcept;
  // The next out.size() bytes of the output stream.
  [[nodiscard]] Expected<void, Error> squeeze(MutBytes out) noexcept;
  // Back to the empty input; wipes every buffered output byte.
  [[nodiscard]] Expected<void, Error> reset() noexcept;

 private:
  Xof(EVP_MD_CTX* absorbed, EVP_MD_CTX* scratch, HashAlgo algo) noexcept;
  [[nodiscard]] Expected<void, Error> produce(std::size_t at_least) noexcept;
  [[nodiscard]] const std::byte* buffer() const noexcept;
  void drop_output() noexcept;

  EVP_MD_CTX* absorbed_ = nullptr;  // never finalised
  EVP_MD_CTX* scratch_ = nullptr;   // the copy that is finalised
  HashAlgo algo_ = HashAlgo::shake128;
  bool squeezing_ = false;
  std::size_t produced_ = 0;  // bytes of the stream in the current buffer (from offset 0)
  std::size_t pos_ = 0;       // bytes already returned
  std::array<std::byte, kWindowCapacity> window_{};
  std::unique_ptr<std::byte[]> heap_;  // when produced_ > window size
};

}  // namespace nextip::crypto

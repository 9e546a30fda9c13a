// SHA3-256, SHA3-512, SHAKE128 and SHAKE256 (FIPS 202) through OpenSSL's EVP
// interface. For SHAKE output read in several pieces, see xof.h.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"

namespace nextip::crypto {

using base::Bytes;
using base::MutBytes;

enum class HashAlgo : std::uint8_t { sha3_256, sha3_512, shake128, shake256 };

inline constexpr std::size_t kSha3_256Size = 32;
inline constexpr std::size_t kSha3_512Size = 64;

// Digest size of a fixed-output hash; 0 for SHAKE (any output length).
[[nodiscard]] constexpr std::size_t digest_size(HashAlgo a) noexcept {
  return a == HashAlgo::sha3_256 ? kSha3_256Size : a == HashAlgo::sha3_512 ? kSha3_512Size : 0;
}
// Sponge rate in bytes (the block size).
[[nodiscard]] constexpr std::size_t rate(HashAlgo a) noexcept {
  switch (a) {
    case HashAlgo::sha3_256: return 136;
    case HashAlgo::sha3_512: return 72;
    case HashAlgo::shake128: return 168;
    case HashAlgo::shake256: return 136;
  }
  return 0;
}

// An incremental hash owning one EVP_MD_CTX. After final() it is ready for a new
// message, and the internal state of the finished one is gone (re-initialised), so
// a hash of a secret leaves no sponge state behind. Move-only.
class Digest {
 public:
  [[nodiscard]] static Expected<Digest, Error> create(HashAlgo algo) noexcept;
  Digest(Digest&& o) noexcept;
  Digest& operator=(Digest&& o) noexcept;
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  ~Digest();

  [[nodiscard]] HashAlgo algo() const noexcept { return algo_; }
  [[nodiscard]] Expected<void, Error> update(Bytes data) noexcept;
  // SHA3: out.size() == digest_size(algo), else Error::bad_length. SHAKE: the first
  // out.size() bytes of the output.
  [[nodiscard]] Expected<void, Error> final(MutBytes out) noexcept;
  // Drops any absorbed input.
  [[nodiscard]] Expected<void, Error> reset() noexcept;

 private:
  Digest(EVP_MD_CTX* ctx, HashAlgo algo) noexcept : ctx_(ctx), algo_(algo) {}
  EVP_MD_CTX* ctx_ = nullptr;
  HashAlgo algo_ = HashAlgo::sha3_256;
};

// One-shot hash of the concatenation of `parts` (a fresh context per call).
[[nodiscard]] Expected<void, Error> hash(HashAlgo algo, std::initializer_list<Bytes> parts, MutBytes out) noexcept;

[[nodiscard]] inline Expected<void, Error> sha3_256(std::initializer_list<Bytes> parts,
                                                    std::span<std::byte, kSha3_256Size> out) noexcept {
  return hash(HashAlgo::sha3_256, parts, out);
}
[[nodiscard]] inline Expected<void, Error> sha3_512(std::initializer_list<Bytes> parts,
                                                    std::span<std::byte, kSha3_512Size> out) noexcept {
  return hash(HashAlgo::sha3_512, parts, out);
}
[[nodiscard]] inline Expected<void, Error> shake128(std::initializer_list<Bytes> parts, MutBytes out) noexcept {
  return hash(HashAlgo::shake128, parts, out);
}
[[nodiscard]] inline Expected<void, Error> shake256(std::initializer_list<Bytes> parts, MutBytes out) noexcept {
  return hash(HashAlgo::shake256, parts, out);
}

namespace detail {
const EVP_MD* md_of(HashAlgo algo) noexcept;
}

}  // namespace nextip::crypto

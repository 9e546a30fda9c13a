// ML-KEM-768 (FIPS 203, parameter set k = 3, η1 = η2 = 2, du = 10, dv = 4), nextip's own
// implementation on OpenSSL's SHA3-256 (H), SHA3-512 (G), SHAKE256 (J, PRF) and
// SHAKE128 (XOF). Debian 12's OpenSSL 3.0 has no ML-KEM; kem.h selects OpenSSL's own
// when built against OpenSSL >= 3.5.
//
// Constant time in the secret inputs (d, z, m, the decapsulation key's ŝ and z): no
// branch or memory index depends on them, checked by mlkem768_ct_check.cc under
// valgrind. Every secret intermediate is wiped before return, on every path.
//
// An Mlkem768 owns its hash contexts (created once), so it is not thread-safe: one per
// thread. All sizes are fixed; spans carry them in the type.
#pragma once

#include <cstddef>
#include <span>

#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/rng.h"
#include "crypto/xof.h"

namespace nextip::crypto {

namespace mlkem {
struct Poly;
}

namespace mlkem768 {
inline constexpr std::size_t kEkSize = 1184;  // encapsulation key: ByteEncode12(t̂) ‖ ρ
inline constexpr std::size_t kDkSize = 2400;  // decapsulation key: dk_PKE ‖ ek ‖ H(ek) ‖ z
inline constexpr std::size_t kCtSize = 1088;  // ciphertext: c1 (960) ‖ c2 (128)
inline constexpr std::size_t kSsSize = 32;    // shared secret K
inline constexpr std::size_t kSeedSize = 64;  // d ‖ z for KeyGen_internal
inline constexpr std::size_t kMsgSize = 32;   // m for Encaps_internal

using Ek = std::span<const std::byte, kEkSize>;
using Dk = std::span<const std::byte, kDkSize>;
using Ct = std::span<const std::byte, kCtSize>;
using Seed32 = std::span<const std::byte, 32>;
using EkOut = std::span<std::byte, kEkSize>;
using DkOut = std::span<std::byte, kDkSize>;
using CtOut = std::span<std::byte, kCtSize>;
using SsOut = std::span<std::byte, kSsSize>;

// §7.2 modulus check: every 12-bit coefficient of ek's t̂ is below q.
[[nodiscard]] bool ek_modulus_ok(Ek ek) noexcept;
}  // namespace mlkem768

class Mlkem768 {
 public:
  [[nodiscard]] static Expected<Mlkem768, Error> create() noexcept;

  // ML-KEM.KeyGen_internal(d, z) (Algorithm 16). Deterministic.
  [[nodiscard]] Expected<void, Error> keygen_internal(mlkem768::Seed32 d, mlkem768::Seed32 z, mlkem768::EkOut ek,
                                                      mlkem768::DkOut dk) noexcept;
  // ML-KEM.Encaps_internal(ek, m) (Algorithm 17) after the §7.2 input check
  // (Error::mlkem_ek_modulus). Deterministic.
  [[nodiscard]] Expected<void, Error> encaps_internal(mlkem768::Ek ek, mlkem768::Seed32 m, mlkem768::CtOut ct,
                                                      mlkem768::SsOut ss) noexcept;
  // ML-KEM.Decaps(dk, c) (Algorithms 18, 21) after the §7.3 hash check
  // (Error::mlkem_dk_hash). A ciphertext that does not re-encrypt to itself yields the
  // implicit-rejection key K̄ = J(z ‖ c), selected in constant time, not an error.
  [[nodiscard]] Expected<void, Error> decaps(mlkem768::Dk dk, mlkem768::Ct ct, mlkem768::SsOut ss) noexcept;

  // ML-KEM.KeyGen and ML-KEM.Encaps (Algorithms 19, 20): d, z and m from `rng`.
  [[nodiscard]] Expected<void, Error> keygen(Rng& rng, mlkem768::EkOut ek, mlkem768::DkOut dk) noexcept;
  [[nodiscard]] Expected<void, Error> encaps(Rng& rng, mlkem768::Ek ek, mlkem768::CtOut ct,
                                             mlkem768::SsOut ss) noexcept;

  // §7.3 hash check: H(dk[384k : 768k+32]) == dk[768k+32 : 768k+64].
  [[nodiscard]] Expected<bool, Error> dk_hash_ok(mlkem768::Dk dk) noexcept;

 private:
  Mlkem768(Digest g, Digest h, Digest shake256, Xof xof) noexcept;
  [[nodiscard]] Expected<void, Error> sample_ntt(mlkem::Poly& r, const std::byte* rho, int col, int row) noexcept;
  [[nodiscard]] Expected<void, Error> prf_cbd(mlkem::Poly& r, const std::byte* seed, int n) noexcept;
  [[nodiscard]] Expected<void, Error> pke_keygen(mlkem768::Seed32 d, mlkem768::EkOut ek, std::byte* dk_pke) noexcept;
  [[nodiscard]] Expected<void, Error> pke_encrypt(const std::byte* ek, const std::byte* m, const std::byte* r,
                                                  std::byte* ct) noexcept;
  void pke_decrypt(const std::byte* dk_pke, const std::byte* ct, std::byte* m) noexcept;

  Digest g_;         // SHA3-512
  Digest h_;         // SHA3-256
  Digest shake256_;  // J and PRF
  Xof xof_;          // SHAKE128 for SampleNTT
};

}  // namespace nextip::crypto

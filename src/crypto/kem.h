// Kem: the key encapsulation interface the IPv4.5 handshake (003 §10.1) uses for
// ML-KEM-768, so that the engine does not care whose implementation runs.
//
// make_mlkem768() picks the implementation at compile time:
//   OpenSSL >= 3.5   OpenSSL's own ML-KEM through EVP_PKEY (kem_openssl.cc; it cannot
//                    be built on Debian 12, so it is untested here);
//   otherwise        nextip's Mlkem768 (mlkem768.h), validated against independent
//                    implementations (tests/oracles/).
// Both give the same bytes for the same inputs (FIPS 203 is deterministic given d, z
// and m), so keys and ciphertexts interoperate.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "base/bytes.h"
#include "base/expected.h"
#include "crypto/error.h"
#include "crypto/rng.h"

namespace nextip::crypto {

class Kem {
 public:
  struct Sizes {
    std::size_t ek;           // encapsulation (public) key
    std::size_t dk;           // decapsulation (private) key
    std::size_t ct;           // ciphertext
    std::size_t ss;           // shared secret
    std::size_t keygen_seed;  // keygen_derand's seed (d ‖ z)
    std::size_t encaps_seed;  // encaps_derand's m
  };

  virtual ~Kem() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;            // "ML-KEM-768"
  [[nodiscard]] virtual std::string_view implementation() const noexcept = 0;  // "nextip" or "openssl"
  [[nodiscard]] virtual Sizes sizes() const noexcept = 0;

  // Every call checks each span against sizes() (Error::bad_length), and on any error
  // wipes its outputs. Not thread-safe: one Kem per thread.

  // KeyGen_internal(d, z) with seed = d ‖ z.
  [[nodiscard]] virtual Expected<void, Error> keygen_derand(Bytes seed, MutBytes ek, MutBytes dk) noexcept = 0;
  // Encaps_internal(ek, m), after the encapsulation key check.
  [[nodiscard]] virtual Expected<void, Error> encaps_derand(Bytes ek, Bytes m, MutBytes ct, MutBytes ss) noexcept = 0;
  // Decaps(dk, ct), after the decapsulation key check; implicit rejection is not an error.
  [[nodiscard]] virtual Expected<void, Error> decaps(Bytes dk, Bytes ct, MutBytes ss) noexcept = 0;

  // The randomised forms: the seed / m come from `rng` and are wiped afterwards.
  [[nodiscard]] Expected<void, Error> keygen(Rng& rng, MutBytes ek, MutBytes dk) noexcept;
  [[nodiscard]] Expected<void, Error> encaps(Rng& rng, Bytes ek, MutBytes ct, MutBytes ss) noexcept;
};

// ML-KEM-768: ek 1184, dk 2400, ct 1088, ss 32 bytes.
[[nodiscard]] Expected<std::unique_ptr<Kem>, Error> make_mlkem768() noexcept;
// Always nextip's own, whatever OpenSSL offers (tests, the oracle tool).
[[nodiscard]] Expected<std::unique_ptr<Kem>, Error> make_nextip_mlkem768() noexcept;

}  // namespace nextip::crypto

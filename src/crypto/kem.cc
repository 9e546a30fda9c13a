#include "crypto/kem.h"

#include <openssl/opensslv.h>

#include <new>

#include "crypto/mlkem768.h"
#include "crypto/secure.h"

namespace nextip::crypto {

#if OPENSSL_VERSION_NUMBER >= 0x30500000L
// kem_openssl.cc
Expected<std::unique_ptr<Kem>, Error> make_openssl_mlkem768() noexcept;
#endif

namespace {

constexpr Kem::Sizes kMlkem768Sizes = {mlkem768::kEkSize, mlkem768::kDkSize,   mlkem768::kCtSize,
                                       mlkem768::kSsSize, mlkem768::kSeedSize, mlkem768::kMsgSize};

// Adapts Mlkem768's fixed-size spans to the Kem interface.
class NextipMlkem768 final : public Kem {
 public:
  explicit NextipMlkem768(Mlkem768 impl) noexcept : impl_(std::move(impl)) {}
  std::string_view name() const noexcept override { return "ML-KEM-768"; }
  std::string_view implementation() const noexcept override { return "nextip"; }
  Sizes sizes() const noexcept override { return kMlkem768Sizes; }

  Expected<void, Error> keygen_derand(Bytes seed, MutBytes ek, MutBytes dk) noexcept override {
    if (seed.size() != mlkem768::kSeedSize || ek.size() != mlkem768::kEkSize || dk.size() != mlkem768::kDkSize) {
      wipe(ek);
      wipe(dk);
      return nextip::unexpected(Error::bad_length);
    }
    return impl_.keygen_internal(seed.first<32>(), seed.subspan<32, 32>(), ek.first<mlkem768::kEkSize>(),
                                 dk.first<mlkem768::kDkSize>());
  }

  Expected<void, Error> encaps_derand(Bytes ek, Bytes m, MutBytes ct, MutBytes ss) noexcept override {
    if (ek.size() != mlkem768::kEkSize || m.size() != mlkem768::kMsgSize || ct.size() != mlkem768::kCtSize ||
        ss.size() != mlkem768::kSsSize) {
      wipe(ct);
      wipe(ss);
      return nextip::unexpected(Error::bad_length);
    }
    return impl_.encaps_internal(ek.first<mlkem768::kEkSize>(), m.first<32>(), ct.first<mlkem768::kCtSize>(),
                                 ss.first<mlkem768::kSsSize>());
  }

  Expected<void, Error> decaps(Bytes dk, Bytes ct, MutBytes ss) noexcept override {
    if (dk.size() != mlkem768::kDkSize || ct.size() != mlkem768::kCtSize || ss.size() != mlkem768::kSsSize) {
      wipe(ss);
      return nextip::unexpected(Error::bad_length);
    }
    return impl_.decaps(dk.first<mlkem768::kDkSize>(), ct.first<mlkem768::kCtSize>(), ss.first<mlkem768::kSsSize>());
  }

 private:
  Mlkem768 impl_;
};

}  // namespace

Expected<void, Error> Kem::keygen(Rng& rng, MutBytes ek, MutBytes dk) noexcept {
  SecretBytes<64> seed;
  const std::size_t n = sizes().keygen_seed;
  if (n > seed.size()) return nextip::unexpected(Error::bad_length);
  if (auto r = rng.fill(seed.mut_span().first(n)); !r) return r;
  return keygen_derand(seed.span().first(n), ek, dk);
}

Expected<void, Error> Kem::encaps(Rng& rng, Bytes ek, MutBytes ct, MutBytes ss) noexcept {
  SecretBytes<64> m;
  const std::size_t n = sizes().encaps_seed;
  if (n > m.size()) return nextip::unexpected(Error::bad_length);
  if (auto r = rng.fill(m.mut_span().first(n)); !r) return r;
  return encaps_derand(ek, m.span().first(n), ct, ss);
}

Expected<std::unique_ptr<Kem>, Error> make_nextip_mlkem768() noexcept {
  auto impl = Mlkem768::create();
  if (!impl) return nextip::unexpected(impl.error());
  std::unique_ptr<Kem> kem(new (std::nothrow) NextipMlkem768(std::move(*impl)));
  if (!kem) return nextip::unexpected(Error::out_of_memory);
  return kem;
}

Expected<std::unique_ptr<Kem>, Error> make_mlkem768() noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30500000L
  return make_openssl_mlkem768();
#else
  return make_nextip_mlkem768();
#endif
}

}  // namespace nextip::crypto

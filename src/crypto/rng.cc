#include "crypto/rng.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string_view>

namespace nextip::crypto {

Expected<void, Error> SystemRng::fill(MutBytes out) noexcept {
  while (!out.empty()) {
    const std::size_t n = std::min<std::size_t>(out.size(), INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
      wipe(out);
      return nextip::unexpected(Error::rng);
    }
    out = out.subspan(n);
  }
  return {};
}

Rng& system_rng() noexcept {
  static SystemRng rng;
  return rng;
}

Expected<DeterministicRng, Error> DeterministicRng::create(Bytes seed) noexcept {
  auto d = Digest::create(HashAlgo::shake256);
  if (!d) return nextip::unexpected(d.error());
  constexpr std::string_view kLabel = "nextip DeterministicRng v1";
  SecretBytes<64> key;
  if (auto r = d->update(base::Bytes(reinterpret_cast<const std::byte*>(kLabel.data()), kLabel.size())); !r) {
    return nextip::unexpected(r.error());
  }
  if (auto r = d->update(seed); !r) return nextip::unexpected(r.error());
  if (auto r = d->final(key.mut_span()); !r) return nextip::unexpected(r.error());
  return DeterministicRng(std::move(*d), std::move(key));
}

Expected<void, Error> DeterministicRng::fill(MutBytes out) noexcept {
  MutBytes all = out;
  while (!out.empty()) {
    if (used_ == kBlock) {
      std::array<std::byte, 8> ctr{};
      for (std::size_t i = 0; i < 8; ++i) ctr[i] = static_cast<std::byte>(counter_ >> (8 * i));
      ++counter_;
      auto r = digest_.update(key_.span());
      if (r) r = digest_.update(ctr);
      if (r) r = digest_.final(block_.mut_span());
      if (!r) {
        wipe(all);
        return nextip::unexpected(Error::rng);
      }
      used_ = 0;
    }
    const std::size_t n = std::min(out.size(), kBlock - used_);
    std::memcpy(out.data(), block_.data() + used_, n);
    used_ += n;
    out = out.subspan(n);
  }
  return {};
}

}  // namespace nextip::crypto

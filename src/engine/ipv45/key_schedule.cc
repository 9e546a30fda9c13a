#include "engine/ipv45/key_schedule.h"

#include <algorithm>

#include "crypto/hkdf.h"

namespace nextip::ipv45::keys {

namespace {

Bytes label(std::string_view s) noexcept {
  return Bytes(reinterpret_cast<const std::byte*>(s.data()), s.size());
}

Expected<void, crypto::Error> expand(const crypto::hkdf::Prk& prk, std::string_view info, Key& out) noexcept {
  return crypto::hkdf::expand(prk.span(), label(info), out.mut_span());
}

}  // namespace

Expected<EpochSecrets, crypto::Error> derive(Bytes x25519, Bytes mlkem, Bytes extra, Bytes initiator_nonce,
                                             Bytes responder_nonce) noexcept {
  if (x25519.size() != kSharedLen || mlkem.size() != kSharedLen || extra.size() > kMaxExtra ||
      initiator_nonce.size() != kNonceLen || responder_nonce.size() != kNonceLen) {
    return nextip::unexpected(crypto::Error::bad_length);
  }
  std::array<std::byte, 2 * kSharedLen + kMaxExtra> ikm{};
  const crypto::Wiper wipe_ikm(ikm);
  auto at = std::copy(x25519.begin(), x25519.end(), ikm.begin());
  at = std::copy(mlkem.begin(), mlkem.end(), at);
  at = std::copy(extra.begin(), extra.end(), at);
  const std::size_t ikm_len = static_cast<std::size_t>(at - ikm.begin());

  std::array<std::byte, 2 * kNonceLen> salt{};
  std::copy(initiator_nonce.begin(), initiator_nonce.end(), salt.begin());
  std::copy(responder_nonce.begin(), responder_nonce.end(), salt.begin() + kNonceLen);

  auto prk = crypto::hkdf::extract(salt, Bytes(ikm.data(), ikm_len));
  if (!prk) return nextip::unexpected(prk.error());
  EpochSecrets s;
  for (auto [info, key] : {std::pair{kC2sLabel, &s.c2s}, std::pair{kS2cLabel, &s.s2c},
                           std::pair{kConfirmLabel, &s.confirm}, std::pair{kChainLabel, &s.chain}}) {
    if (auto r = expand(*prk, info, *key); !r) return nextip::unexpected(r.error());
  }
  return s;
}

Expected<Key, crypto::Error> psk_mac_key(Bytes psk) noexcept {
  Key k;
  if (auto r = crypto::hkdf::derive({}, psk, label(kPskMacLabel), k.mut_span()); !r) {
    return nextip::unexpected(r.error());
  }
  return k;
}

Expected<Mac, crypto::Error> hmac(Bytes key, Bytes message) noexcept {
  if (key.empty() || key.size() > 64) return nextip::unexpected(crypto::Error::bad_length);
  auto prk = crypto::hkdf::extract(key, message);
  if (!prk) return nextip::unexpected(prk.error());
  Mac m{};
  std::copy(prk->span().begin(), prk->span().end(), m.begin());
  return m;
}

}  // namespace nextip::ipv45::keys

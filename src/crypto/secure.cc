#include "crypto/secure.h"

#include <openssl/crypto.h>

namespace nextip::crypto {

void wipe(MutBytes b) noexcept {
  if (!b.empty()) OPENSSL_cleanse(b.data(), b.size());
}

bool ct_equal(Bytes a, Bytes b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ct_is_zero(Bytes a) noexcept {
  unsigned acc = 0;
  for (std::byte x : a) acc |= static_cast<unsigned>(x);
  // acc in 0..255: (acc - 1) has bit 8 set only when acc == 0; no branch on acc.
  return ((acc - 1U) >> 8) & 1U;
}

}  // namespace nextip::crypto

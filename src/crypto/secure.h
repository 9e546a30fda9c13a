// Secret hygiene (STYLE rule 9, IPv4.5 §13.3 "explicitly zeroize all key material"):
//   wipe()          OPENSSL_cleanse: a zeroing the compiler may not remove;
//   ct_equal()      CRYPTO_memcmp: time depends on the (public) length only;
//   SecretBytes<N>  N secret bytes that are wiped on destruction and when moved from;
//   Wiper<T>        wipes a local object on every exit path of a scope.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include "base/bytes.h"

namespace nextip::crypto {

using base::Bytes;
using base::MutBytes;

// Zeroes `b` (OPENSSL_cleanse). Safe on an empty span.
void wipe(MutBytes b) noexcept;

template <class T>
requires std::is_trivially_copyable_v<T>
void wipe_object(T& v) noexcept {
  wipe(std::as_writable_bytes(std::span<T, 1>(&v, 1)));
}

// Constant-time equality of the contents; the lengths are public, and different
// lengths compare unequal at once.
[[nodiscard]] bool ct_equal(Bytes a, Bytes b) noexcept;
// Constant-time "all bytes are zero".
[[nodiscard]] bool ct_is_zero(Bytes a) noexcept;

// N secret bytes. Move-only: a copy of a secret is made explicitly (copy_of), and the
// moved-from object is wiped. Zero-initialised.
template <std::size_t N>
class SecretBytes {
 public:
  static constexpr std::size_t kSize = N;

  SecretBytes() noexcept = default;
  [[nodiscard]] static SecretBytes copy_of(std::span<const std::byte, N> b) noexcept {
    SecretBytes s;
    for (std::size_t i = 0; i < N; ++i) s.b_[i] = b[i];
    return s;
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& o) noexcept : b_(o.b_) { o.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept {
    if (this != &o) {
      b_ = o.b_;
      o.clear();
    }
    return *this;
  }
  ~SecretBytes() { clear(); }

  [[nodiscard]] std::span<const std::byte, N> span() const noexcept { return std::span<const std::byte, N>(b_); }
  [[nodiscard]] std::span<std::byte, N> mut_span() noexcept { return std::span<std::byte, N>(b_); }
  [[nodiscard]] const std::byte* data() const noexcept { return b_.data(); }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N; }
  void clear() noexcept { wipe(b_); }

  // Constant time.
  friend bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept { return ct_equal(a.b_, b.b_); }

 private:
  std::array<std::byte, N> b_{};
};

// Wipes *obj when the scope ends, whichever way it ends.
template <class T>
requires std::is_trivially_copyable_v<T>
class Wiper {
 public:
  explicit Wiper(T& obj) noexcept : obj_(&obj) {}
  Wiper(const Wiper&) = delete;
  Wiper& operator=(const Wiper&) = delete;
  ~Wiper() { wipe_object(*obj_); }

 private:
  T* obj_;
};

}  // namespace nextip::crypto

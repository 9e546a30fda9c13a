#include "crypto/mlkem768.h"

#include <array>
#include <cstring>

#include "crypto/ct.h"
#include "crypto/mlkem_poly.h"
#include "crypto/secure.h"

namespace nextip::crypto {

namespace {

using mlkem::Poly;
using namespace mlkem768;

constexpr int kK = 3;
constexpr std::size_t kPolyBytes = 384;                 // ByteEncode12 of one polynomial
constexpr std::size_t kPolyVecBytes = kK * kPolyBytes;  // 1152: dk_PKE, and t̂ in ek
constexpr std::size_t kC1Bytes = kK * 320;              // du = 10
constexpr std::size_t kPrfBytes = 64 * 2;               // PRF_η output for η = 2
static_assert(kEkSize == kPolyVecBytes + 32 && kDkSize == 2 * kPolyVecBytes + 96 && kCtSize == kC1Bytes + 128);

// Where the parts of dk start (FIPS 203 Algorithm 16, line 3).
constexpr std::size_t kDkEk = kPolyVecBytes;
constexpr std::size_t kDkH = kDkEk + kEkSize;
constexpr std::size_t kDkZ = kDkH + 32;

using PolyVec = std::array<Poly, kK>;

// Every secret intermediate of one operation lives in one of these, wiped by a Wiper.
struct KeyGenWork {
  std::array<std::byte, 64> rho_sigma;  // G(d ‖ k)
  std::array<std::byte, 33> d_k;
  PolyVec s, e, row;
  Poly t;
};
struct EncryptWork {
  PolyVec y, e1, row, t_hat;
  Poly e2, u, v, mu;
};
struct DecryptWork {
  PolyVec u, s_hat;
  Poly v, w;
};
struct EncapsWork {
  std::array<std::byte, 64> m_h;  // m ‖ H(ek)
  std::array<std::byte, 64> k_r;  // G(m ‖ H(ek)) = K ‖ r
};
struct DecapsWork {
  std::array<std::byte, 64> m_h;  // m' ‖ h
  std::array<std::byte, 64> k_r;  // K' ‖ r'
  std::array<std::byte, kSsSize> k_bar;
  std::array<std::byte, kCtSize> c_prime;
};

}  // namespace

bool mlkem768::ek_modulus_ok(Ek ek) noexcept {
  Poly p;
  bool ok = true;
  for (int i = 0; i < kK; ++i) {
    mlkem::decode12(p, ek.data() + static_cast<std::size_t>(i) * kPolyBytes);
    for (std::int16_t c : p.c) ok &= c < mlkem::kQ;  // ek is public: no need to hide this
  }
  return ok;
}

Mlkem768::Mlkem768(Digest g, Digest h, Digest shake256, Xof xof) noexcept
    : g_(std::move(g)), h_(std::move(h)), shake256_(std::move(shake256)), xof_(std::move(xof)) {}

Expected<Mlkem768, Error> Mlkem768::create() noexcept {
  auto g = Digest::create(HashAlgo::sha3_512);
  auto h = Digest::create(HashAlgo::sha3_256);
  auto s = Digest::create(HashAlgo::shake256);
  auto x = Xof::create(HashAlgo::shake128);
  if (!g) return nextip::unexpected(g.error());
  if (!h) return nextip::unexpected(h.error());
  if (!s) return nextip::unexpected(s.error());
  if (!x) return nextip::unexpected(x.error());
  return Mlkem768(std::move(*g), std::move(*h), std::move(*s), std::move(*x));
}

// SampleNTT(ρ ‖ col ‖ row) (Algorithm 7): rejection sampling of 12-bit values below q.
// The input is public, so the data-dependent loop is fine.
Expected<void, Error> Mlkem768::sample_ntt(Poly& r, const std::byte* rho, int col, int row) noexcept {
  const std::array<std::byte, 2> ji = {static_cast<std::byte>(col), static_cast<std::byte>(row)};
  auto ok = xof_.reset();
  if (ok) ok = xof_.absorb(Bytes(rho, 32));
  if (ok) ok = xof_.absorb(ji);
  if (!ok) return ok;
  std::array<std::byte, 168> buf;  // one SHAKE128 block
  std::size_t n = 0;
  while (n < mlkem::kN) {
    if (auto s = xof_.squeeze(buf); !s) return s;
    for (std::size_t i = 0; i + 3 <= buf.size() && n < mlkem::kN; i += 3) {
      const auto b0 = static_cast<unsigned>(buf[i]), b1 = static_cast<unsigned>(buf[i + 1]),
                 b2 = static_cast<unsigned>(buf[i + 2]);
      const unsigned d1 = b0 | ((b1 & 0xfU) << 8);
      const unsigned d2 = (b1 >> 4) | (b2 << 4);
      if (d1 < static_cast<unsigned>(mlkem::kQ)) r.c[n++] = static_cast<std::int16_t>(d1);
      if (d2 < static_cast<unsigned>(mlkem::kQ) && n < mlkem::kN) r.c[n++] = static_cast<std::int16_t>(d2);
    }
  }
  return {};
}

// SamplePolyCBD_2(PRF_2(seed, n)) (Algorithms 8 and §4.1 PRF).
Expected<void, Error> Mlkem768::prf_cbd(Poly& r, const std::byte* seed, int n) noexcept {
  std::array<std::byte, kPrfBytes> buf;
  const std::array<std::byte, 1> nb = {static_cast<std::byte>(n)};
  auto ok = shake256_.update(Bytes(seed, 32));
  if (ok) ok = shake256_.update(nb);
  if (ok) ok = shake256_.final(buf);
  if (ok) mlkem::cbd2(r, buf.data());
  wipe(buf);
  return ok;
}

// K-PKE.KeyGen(d) (Algorithm 13): ek = ByteEncode12(t̂) ‖ ρ, dk_PKE = ByteEncode12(ŝ).
Expected<void, Error> Mlkem768::pke_keygen(Seed32 d, EkOut ek, std::byte* dk_pke) noexcept {
  KeyGenWork w;
  const Wiper<KeyGenWork> wiper(w);
  std::memcpy(w.d_k.data(), d.data(), 32);
  w.d_k[32] = static_cast<std::byte>(kK);  // G(d ‖ k): the domain separation of the final FIPS 203
  if (auto r = g_.update(w.d_k); !r) return r;
  if (auto r = g_.final(w.rho_sigma); !r) return r;
  const std::byte* rho = w.rho_sigma.data();
  const std::byte* sigma = w.rho_sigma.data() + 32;
  ct::declassify(rho, 32);  // ρ is published in ek

  int n = 0;
  for (auto& p : w.s) {
    if (auto r = prf_cbd(p, sigma, n++); !r) return r;
  }
  for (auto& p : w.e) {
    if (auto r = prf_cbd(p, sigma, n++); !r) return r;
  }
  for (auto& p : w.s) {
    mlkem::ntt(p);
    mlkem::poly_canonical(p);
  }
  for (auto& p : w.e) mlkem::ntt(p);

  // t̂[i] = Σ_j Â[i, j] ∘ ŝ[j] + ê[i], with Â[i, j] = SampleNTT(ρ ‖ j ‖ i).
  for (int i = 0; i < kK; ++i) {
    for (int j = 0; j < kK; ++j) {
      if (auto r = sample_ntt(w.row[static_cast<std::size_t>(j)], rho, j, i); !r) return r;
    }
    mlkem::basemul_acc(w.t, w.row.data(), w.s.data(), kK);
    mlkem::poly_to_mont(w.t);
    mlkem::poly_add(w.t, w.e[static_cast<std::size_t>(i)]);
    mlkem::poly_canonical(w.t);
    mlkem::encode12(ek.data() + static_cast<std::size_t>(i) * kPolyBytes, w.t);
  }
  std::memcpy(ek.data() + kPolyVecBytes, rho, 32);
  for (int i = 0; i < kK; ++i)
    mlkem::encode12(dk_pke + static_cast<std::size_t>(i) * kPolyBytes, w.s[static_cast<std::size_t>(i)]);
  return {};
}

// K-PKE.Encrypt(ek, m, r) (Algorithm 14). ek's t̂ is used as decoded (0..4095): all the
// arithmetic is mod q, so an unreduced value acts as its residue.
Expected<void, Error> Mlkem768::pke_encrypt(const std::byte* ek, const std::byte* m, const std::byte* r,
                                            std::byte* ct) noexcept {
  EncryptWork w;
  const Wiper<EncryptWork> wiper(w);
  const std::byte* rho = ek + kPolyVecBytes;
  for (int i = 0; i < kK; ++i)
    mlkem::decode12(w.t_hat[static_cast<std::size_t>(i)], ek + static_cast<std::size_t>(i) * kPolyBytes);

  int n = 0;
  for (auto& p : w.y) {
    if (auto s = prf_cbd(p, r, n++); !s) return s;
  }
  for (auto& p : w.e1) {
    if (auto s = prf_cbd(p, r, n++); !s) return s;
  }
  if (auto s = prf_cbd(w.e2, r, n++); !s) return s;
  for (auto& p : w.y) mlkem::ntt(p);

  // u[i] = NTT^-1(Σ_j Â[j, i] ∘ ŷ[j]) + e1[i], with Â[j, i] = SampleNTT(ρ ‖ i ‖ j).
  for (int i = 0; i < kK; ++i) {
    for (int j = 0; j < kK; ++j) {
      if (auto s = sample_ntt(w.row[static_cast<std::size_t>(j)], rho, i, j); !s) return s;
    }
    mlkem::basemul_acc(w.u, w.row.data(), w.y.data(), kK);
    mlkem::inv_ntt(w.u);
    mlkem::poly_add(w.u, w.e1[static_cast<std::size_t>(i)]);
    mlkem::poly_canonical(w.u);
    mlkem::compress_encode10(ct + static_cast<std::size_t>(i) * 320, w.u);
  }
  // v = NTT^-1(t̂ᵀ ∘ ŷ) + e2 + Decompress_1(m).
  mlkem::basemul_acc(w.v, w.t_hat.data(), w.y.data(), kK);
  mlkem::inv_ntt(w.v);
  mlkem::poly_add(w.v, w.e2);
  mlkem::from_msg(w.mu, m);
  mlkem::poly_add(w.v, w.mu);
  mlkem::poly_canonical(w.v);
  mlkem::compress_encode4(ct + kC1Bytes, w.v);
  return {};
}

// K-PKE.Decrypt(dk_PKE, c) (Algorithm 15): m = ByteEncode1(Compress1(v' - NTT^-1(ŝᵀ ∘ NTT(u')))).
void Mlkem768::pke_decrypt(const std::byte* dk_pke, const std::byte* ct, std::byte* m) noexcept {
  DecryptWork w;
  const Wiper<DecryptWork> wiper(w);
  for (int i = 0; i < kK; ++i) {
    auto& u = w.u[static_cast<std::size_t>(i)];
    mlkem::decode_decompress10(u, ct + static_cast<std::size_t>(i) * 320);
    mlkem::ntt(u);
    mlkem::decode12(w.s_hat[static_cast<std::size_t>(i)], dk_pke + static_cast<std::size_t>(i) * kPolyBytes);
  }
  mlkem::decode_decompress4(w.v, ct + kC1Bytes);
  mlkem::basemul_acc(w.w, w.s_hat.data(), w.u.data(), kK);
  mlkem::inv_ntt(w.w);
  mlkem::poly_sub(w.v, w.w);
  mlkem::poly_canonical(w.v);
  mlkem::to_msg(m, w.v);
}

Expected<void, Error> Mlkem768::keygen_internal(Seed32 d, Seed32 z, EkOut ek, DkOut dk) noexcept {
  auto r = pke_keygen(d, ek, dk.data());
  if (r) std::memcpy(dk.data() + kDkEk, ek.data(), kEkSize);
  if (r) r = h_.update(ek);
  if (r) r = h_.final(dk.subspan<kDkH, 32>());
  if (!r) {
    wipe(ek);
    wipe(dk);
    return r;
  }
  std::memcpy(dk.data() + kDkZ, z.data(), 32);
  return {};
}

Expected<void, Error> Mlkem768::encaps_internal(Ek ek, Seed32 m, CtOut ct, SsOut ss) noexcept {
  if (!ek_modulus_ok(ek)) {
    wipe(ct);
    wipe(ss);
    return nextip::unexpected(Error::mlkem_ek_modulus);
  }
  EncapsWork w;
  const Wiper<EncapsWork> wiper(w);
  std::memcpy(w.m_h.data(), m.data(), 32);
  auto r = h_.update(ek);
  if (r) r = h_.final(std::span<std::byte, 32>(w.m_h.data() + 32, 32));
  if (r) r = g_.update(w.m_h);
  if (r) r = g_.final(w.k_r);  // (K, r) = G(m ‖ H(ek))
  if (r) r = pke_encrypt(ek.data(), m.data(), w.k_r.data() + 32, ct.data());
  if (!r) {
    wipe(ct);
    wipe(ss);
    return r;
  }
  std::memcpy(ss.data(), w.k_r.data(), kSsSize);
  return {};
}

Expected<bool, Error> Mlkem768::dk_hash_ok(Dk dk) noexcept {
  std::array<std::byte, 32> h{};
  auto r = h_.update(dk.subspan<kDkEk, kEkSize>());
  if (r) r = h_.final(h);
  if (!r) return nextip::unexpected(r.error());
  return ct_equal(h, dk.subspan<kDkH, 32>());
}

Expected<void, Error> Mlkem768::decaps(Dk dk, Ct c, SsOut ss) noexcept {
  const auto hash_ok = dk_hash_ok(dk);
  if (!hash_ok || !*hash_ok) {
    wipe(ss);
    return nextip::unexpected(hash_ok ? Error::mlkem_dk_hash : hash_ok.error());
  }
  DecapsWork w;
  const Wiper<DecapsWork> wiper(w);
  pke_decrypt(dk.data(), c.data(), w.m_h.data());        // m'
  std::memcpy(w.m_h.data() + 32, dk.data() + kDkH, 32);  // h
  auto r = g_.update(w.m_h);
  if (r) r = g_.final(w.k_r);  // (K', r') = G(m' ‖ h)
  if (r) r = shake256_.update(dk.subspan<kDkZ, 32>());
  if (r) r = shake256_.update(c);
  if (r) r = shake256_.final(w.k_bar);                                                           // K̄ = J(z ‖ c)
  if (r) r = pke_encrypt(dk.data() + kDkEk, w.m_h.data(), w.k_r.data() + 32, w.c_prime.data());  // c'
  if (!r) {
    wipe(ss);
    return r;
  }
  // K' if c == c', else K̄: a mask, never a branch on the comparison.
  const std::uint8_t same = ct::eq_mask(c.data(), w.c_prime.data(), kCtSize);
  std::memcpy(ss.data(), w.k_bar.data(), kSsSize);
  ct::cmov(ss.data(), w.k_r.data(), kSsSize, same);
  return {};
}

Expected<void, Error> Mlkem768::keygen(Rng& rng, EkOut ek, DkOut dk) noexcept {
  SecretBytes<kSeedSize> seed;
  if (auto r = rng.fill(seed.mut_span()); !r) return r;
  return keygen_internal(seed.span().first<32>(), seed.span().last<32>(), ek, dk);
}

Expected<void, Error> Mlkem768::encaps(Rng& rng, Ek ek, CtOut ct, SsOut ss) noexcept {
  SecretBytes<kMsgSize> m;
  if (auto r = rng.fill(m.mut_span()); !r) return r;
  return encaps_internal(ek, m.span(), ct, ss);
}

}  // namespace nextip::crypto

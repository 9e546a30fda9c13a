// Crypto benchmarks (issue 6), each beside what a user would compare it with, in the
// same binary and run:
//   ML-KEM-768 keygen / encaps / decaps (nextip's Mlkem768)  beside  OpenSSL's X25519
//     keygen + DH, the classical half of the IPv4.5 hybrid handshake (003 §10.1);
//   AEAD seal + open of one 1400-byte packet (crypto::Aead, both suites)  beside  raw
//     EVP_EncryptUpdate + EVP_DecryptUpdate over the same buffers with the same
//     contexts: the ceiling, without per-packet nonce setup, AAD and tag.
//   Between them, the same per-packet sequence written directly against EVP
//     (BM_EvpPerPacket*): the wrapper's own cost is the difference to it.
// Ratios: bench/ratios.py RESULT.json BM_AeadAes256Gcm:BM_EvpCeilingAes256Gcm
//         BM_AeadChaCha20Poly1305:BM_EvpCeilingChaCha20Poly1305 BM_AeadAes256Gcm:BM_EvpPerPacketAes256Gcm
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <optional>
#include <vector>

#include "crypto/aead.h"
#include "crypto/mlkem768.h"
#include "crypto/rng.h"
#include "crypto/x25519.h"

namespace {

using namespace nextip::crypto;
using namespace nextip::crypto::mlkem768;

constexpr std::size_t kPacket = 1400;

struct MlkemFixture {
  MlkemFixture() {
    auto k = Mlkem768::create();
    if (!k) std::abort();
    kem.emplace(std::move(*k));
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = z[i] = m[i] = static_cast<std::byte>(i);
    if (!kem->keygen_internal(d, z, ek, dk) || !kem->encaps_internal(ek, m, ct, ss)) std::abort();
    bad = ct;
    bad[0] ^= std::byte{1};
  }
  std::optional<Mlkem768> kem;
  std::array<std::byte, 32> d{}, z{}, m{};
  std::array<std::byte, kEkSize> ek{};
  std::array<std::byte, kDkSize> dk{};
  std::array<std::byte, kCtSize> ct{}, bad{};
  std::array<std::byte, kSsSize> ss{};
};

MlkemFixture& mlkem() {
  static MlkemFixture f;
  return f;
}

void BM_Mlkem768KeyGen(benchmark::State& state) {
  auto& f = mlkem();
  for (auto _ : state) {
    if (!f.kem->keygen_internal(f.d, f.z, f.ek, f.dk)) state.SkipWithError("keygen");
    benchmark::DoNotOptimize(f.ek.data());
  }
}
BENCHMARK(BM_Mlkem768KeyGen)->Unit(benchmark::kMicrosecond);

void BM_Mlkem768Encaps(benchmark::State& state) {
  auto& f = mlkem();
  for (auto _ : state) {
    if (!f.kem->encaps_internal(f.ek, f.m, f.ct, f.ss)) state.SkipWithError("encaps");
    benchmark::DoNotOptimize(f.ss.data());
  }
}
BENCHMARK(BM_Mlkem768Encaps)->Unit(benchmark::kMicrosecond);

void BM_Mlkem768Decaps(benchmark::State& state) {
  auto& f = mlkem();
  for (auto _ : state) {
    if (!f.kem->decaps(f.dk, f.ct, f.ss)) state.SkipWithError("decaps");
    benchmark::DoNotOptimize(f.ss.data());
  }
}
BENCHMARK(BM_Mlkem768Decaps)->Unit(benchmark::kMicrosecond);

// The implicit-rejection path: the same work, by design.
void BM_Mlkem768DecapsReject(benchmark::State& state) {
  auto& f = mlkem();
  for (auto _ : state) {
    if (!f.kem->decaps(f.dk, f.bad, f.ss)) state.SkipWithError("decaps");
    benchmark::DoNotOptimize(f.ss.data());
  }
}
BENCHMARK(BM_Mlkem768DecapsReject)->Unit(benchmark::kMicrosecond);

// One side of an X25519 exchange: a fresh key pair (its public key computed) and the
// DH with the peer's key: two scalar multiplications, as in the handshake.
void BM_X25519KeyGenDh(benchmark::State& state) {
  auto rng = DeterministicRng::create({});
  if (!rng) std::abort();
  auto peer = x25519::KeyPair::generate(*rng);
  if (!peer) std::abort();
  for (auto _ : state) {
    auto k = x25519::KeyPair::generate(*rng);
    if (!k) state.SkipWithError("x25519");
    auto s = k->shared_secret(peer->public_key());
    if (!s) state.SkipWithError("x25519");
    benchmark::DoNotOptimize(s->data());
  }
}
BENCHMARK(BM_X25519KeyGenDh)->Unit(benchmark::kMicrosecond);

void BM_X25519Dh(benchmark::State& state) {
  auto rng = DeterministicRng::create({});
  auto a = x25519::KeyPair::generate(*rng);
  auto b = x25519::KeyPair::generate(*rng);
  if (!a || !b) std::abort();
  for (auto _ : state) {
    auto s = a->shared_secret(b->public_key());
    if (!s) state.SkipWithError("x25519");
    benchmark::DoNotOptimize(s->data());
  }
}
BENCHMARK(BM_X25519Dh)->Unit(benchmark::kMicrosecond);

struct Packet {
  std::array<std::byte, 32> key{};
  std::array<std::byte, 12> nonce{};
  std::array<std::byte, 16> aad{};  // about an IPv4.5 DATA header's worth
  std::vector<std::byte> plain = std::vector<std::byte>(kPacket, std::byte{0x5a});
  std::vector<std::byte> sealed = std::vector<std::byte>(kPacket + Aead::kTagSize);
  std::vector<std::byte> opened = std::vector<std::byte>(kPacket);
};

// Seal then open one packet with a new nonce each time, as the data path does.
void aead_seal_open(benchmark::State& state, AeadSuite suite) {
  Packet p;
  auto aead = Aead::create(suite, p.key);
  if (!aead) std::abort();
  std::uint64_t seq = 0;
  for (auto _ : state) {
    for (int i = 0; i < 8; ++i) p.nonce[4 + static_cast<std::size_t>(i)] = static_cast<std::byte>(seq >> (8 * i));
    ++seq;
    if (!aead->seal(p.nonce, p.aad, p.plain, p.sealed) || !aead->open(p.nonce, p.aad, p.sealed, p.opened)) {
      state.SkipWithError("aead");
    }
    benchmark::DoNotOptimize(p.opened.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kPacket));
}

// The ceiling: only the cipher's bulk work over the same buffers.
void evp_ceiling(benchmark::State& state, const char* cipher_name) {
  Packet p;
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, cipher_name, nullptr);
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  const auto* key = reinterpret_cast<const unsigned char*>(p.key.data());
  const auto* iv = reinterpret_cast<const unsigned char*>(p.nonce.data());
  if (cipher == nullptr || EVP_EncryptInit_ex2(enc, cipher, key, iv, nullptr) != 1 ||
      EVP_DecryptInit_ex2(dec, cipher, key, iv, nullptr) != 1) {
    std::abort();
  }
  auto* in = reinterpret_cast<unsigned char*>(p.plain.data());
  auto* mid = reinterpret_cast<unsigned char*>(p.sealed.data());
  auto* out = reinterpret_cast<unsigned char*>(p.opened.data());
  int len = 0;
  for (auto _ : state) {
    EVP_EncryptUpdate(enc, mid, &len, in, static_cast<int>(kPacket));
    EVP_DecryptUpdate(dec, out, &len, mid, static_cast<int>(kPacket));
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kPacket));
  EVP_CIPHER_CTX_free(enc);
  EVP_CIPHER_CTX_free(dec);
  EVP_CIPHER_free(cipher);
}

// What crypto::Aead does, written directly against EVP (nonce, AAD, data, final, tag;
// then the same to open): shows what the wrapper itself costs over OpenSSL's per-packet
// work, and that the gap to the ceiling is that per-packet work.
void evp_per_packet(benchmark::State& state, const char* cipher_name) {
  Packet p;
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, cipher_name, nullptr);
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  const auto* key = reinterpret_cast<const unsigned char*>(p.key.data());
  if (cipher == nullptr || EVP_EncryptInit_ex2(enc, cipher, key, nullptr, nullptr) != 1 ||
      EVP_DecryptInit_ex2(dec, cipher, key, nullptr, nullptr) != 1) {
    std::abort();
  }
  auto* iv = reinterpret_cast<unsigned char*>(p.nonce.data());
  const auto* aad = reinterpret_cast<const unsigned char*>(p.aad.data());
  auto* in = reinterpret_cast<unsigned char*>(p.plain.data());
  auto* mid = reinterpret_cast<unsigned char*>(p.sealed.data());
  auto* out = reinterpret_cast<unsigned char*>(p.opened.data());
  int len = 0;
  std::uint64_t seq = 0;
  for (auto _ : state) {
    for (int i = 0; i < 8; ++i) iv[4 + i] = static_cast<unsigned char>(seq >> (8 * i));
    ++seq;
    EVP_EncryptInit_ex2(enc, nullptr, nullptr, iv, nullptr);
    EVP_EncryptUpdate(enc, nullptr, &len, aad, static_cast<int>(p.aad.size()));
    EVP_EncryptUpdate(enc, mid, &len, in, static_cast<int>(kPacket));
    EVP_EncryptFinal_ex(enc, mid + kPacket, &len);
    EVP_CIPHER_CTX_ctrl(enc, EVP_CTRL_AEAD_GET_TAG, 16, mid + kPacket);
    EVP_DecryptInit_ex2(dec, nullptr, nullptr, iv, nullptr);
    EVP_CIPHER_CTX_ctrl(dec, EVP_CTRL_AEAD_SET_TAG, 16, mid + kPacket);
    EVP_DecryptUpdate(dec, nullptr, &len, aad, static_cast<int>(p.aad.size()));
    EVP_DecryptUpdate(dec, out, &len, mid, static_cast<int>(kPacket));
    if (EVP_DecryptFinal_ex(dec, out + kPacket, &len) != 1) state.SkipWithError("tag");
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kPacket));
  EVP_CIPHER_CTX_free(enc);
  EVP_CIPHER_CTX_free(dec);
  EVP_CIPHER_free(cipher);
}

void BM_AeadAes256Gcm(benchmark::State& state) {
  aead_seal_open(state, AeadSuite::aes256_gcm);
}
void BM_EvpCeilingAes256Gcm(benchmark::State& state) {
  evp_ceiling(state, "AES-256-GCM");
}
void BM_AeadChaCha20Poly1305(benchmark::State& state) {
  aead_seal_open(state, AeadSuite::chacha20_poly1305);
}
void BM_EvpCeilingChaCha20Poly1305(benchmark::State& state) {
  evp_ceiling(state, "ChaCha20-Poly1305");
}
void BM_EvpPerPacketAes256Gcm(benchmark::State& state) {
  evp_per_packet(state, "AES-256-GCM");
}
void BM_EvpPerPacketChaCha20Poly1305(benchmark::State& state) {
  evp_per_packet(state, "ChaCha20-Poly1305");
}
BENCHMARK(BM_AeadAes256Gcm);
BENCHMARK(BM_EvpPerPacketAes256Gcm);
BENCHMARK(BM_EvpCeilingAes256Gcm);
BENCHMARK(BM_AeadChaCha20Poly1305);
BENCHMARK(BM_EvpPerPacketChaCha20Poly1305);
BENCHMARK(BM_EvpCeilingChaCha20Poly1305);

}  // namespace

BENCHMARK_MAIN();

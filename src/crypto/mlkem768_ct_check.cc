// ctgrind-style constant-time check of ML-KEM-768 (registered as the ctest
// crypto.mlkem768_constant_time, run under valgrind memcheck with --error-exitcode).
//
// The secret inputs are marked undefined with VALGRIND_MAKE_MEM_UNDEFINED: d and z for
// KeyGen, m for Encaps, and for Decaps the secret parts of dk, ŝ (bytes 0..1151) and z
// (bytes 2368..2399). ek and H(ek) inside dk are public, and so is the ciphertext.
// memcheck then reports every conditional branch ("Conditional jump or move depends on
// uninitialised value(s)") and every memory address ("Use of uninitialised value")
// computed from them: a constant-time implementation produces no report. Outputs are
// marked defined again before this program looks at them. Values derived from secrets
// that are public by design (ρ) are declassified inside the library (ct.h).
//
// `--leak` runs a deliberately leaky comparison instead: the negative control that
// shows the harness can see a leak (crypto.mlkem768_constant_time_control passes only
// when memcheck reports it).
#include <valgrind/memcheck.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "crypto/hash.h"
#include "crypto/mlkem768.h"
#include "crypto/rng.h"

namespace {

using namespace nextip::crypto;
using namespace nextip::crypto::mlkem768;

void secret(const void* p, std::size_t n) {
  (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n);
}
void reveal(const void* p, std::size_t n) {
  (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
}

int fail(const char* what) {
  std::fprintf(stderr, "mlkem768_ct_check: %s\n", what);
  return 1;
}

// A secret-dependent early exit, as memcmp-style code has.
int leaky_control() {
  std::array<unsigned char, 32> a{}, b{};
  b[31] = 1;
  secret(a.data(), a.size());
  int diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) {  // branch on a secret
      diff = 1;
      break;
    }
  }
  std::printf("control: diff=%d (memcheck must report the branch above)\n", diff);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--leak") return leaky_control();
  if (!RUNNING_ON_VALGRIND) std::printf("note: not under valgrind; only the functional part runs\n");

  auto kem = Mlkem768::create();
  auto rng = DeterministicRng::create({});
  if (!kem || !rng) return fail("setup");

  constexpr int kRounds = 3;
  std::array<std::byte, 32> d{}, z{}, m{};
  std::array<std::byte, kEkSize> ek{};
  std::array<std::byte, kDkSize> dk{};
  std::array<std::byte, kCtSize> ct{}, bad{};
  std::array<std::byte, kSsSize> ss{}, ss_dec{}, ss_bad{}, want_bad{};
  for (int round = 0; round < kRounds; ++round) {
    if (!rng->fill(d) || !rng->fill(z) || !rng->fill(m)) return fail("rng");

    // KeyGen: d and z secret.
    secret(d.data(), d.size());
    secret(z.data(), z.size());
    if (!kem->keygen_internal(d, z, ek, dk)) return fail("keygen");
    reveal(ek.data(), ek.size());
    reveal(dk.data(), dk.size());

    // Encaps: m secret (ek is public).
    secret(m.data(), m.size());
    if (!kem->encaps_internal(ek, m, ct, ss)) return fail("encaps");
    reveal(ct.data(), ct.size());
    reveal(ss.data(), ss.size());

    // Decaps of the valid ciphertext: ŝ and z secret.
    secret(dk.data(), 1152);
    secret(dk.data() + 2368, 32);
    if (!kem->decaps(dk, ct, ss_dec)) return fail("decaps");
    reveal(ss_dec.data(), ss_dec.size());
    reveal(dk.data(), dk.size());
    if (ss != ss_dec) return fail("decaps: shared secrets differ");

    // Decaps of a modified ciphertext: the implicit-rejection path.
    bad = ct;
    bad[static_cast<std::size_t>(round) * 397 % kCtSize] ^= std::byte{0x10};
    secret(dk.data(), 1152);
    secret(dk.data() + 2368, 32);
    if (!kem->decaps(dk, bad, ss_bad)) return fail("decaps (rejection)");
    reveal(ss_bad.data(), ss_bad.size());
    reveal(dk.data(), dk.size());
    if (!shake256({std::span<const std::byte>(dk).last(32), bad}, want_bad)) return fail("J");
    if (ss_bad != want_bad) return fail("implicit rejection: K != J(z || c)");
  }
  std::printf(
      "ML-KEM-768 constant-time check: %d x (keygen, encaps, decaps, decaps with implicit rejection) "
      "with the secrets marked undefined\n",
      kRounds);
  return 0;
}

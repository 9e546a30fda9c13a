// Prints ML-KEM-768 cases as JSON lines for check_mlkem.mjs, which recomputes every
// field with independent implementations (tests/oracles/README.md).
//
//   nextip_mlkem768_cases N SEED [--kem nextip|default]
//
// Case i draws d, z, m (and the tampering) from DeterministicRng(SEED), so a run is
// reproducible, and prints
//   {"i", "d", "z", "m", "ek", "dk", "ct", "ss", "ct_bad", "ss_bad"}
// where ct_bad is ct with one bit flipped (even i) or 1088 random bytes (odd i), and
// ss_bad what Decaps returns for it (implicit rejection). Every tenth case also has
// "ek_bad" (a coefficient set to a value >= q) and "dk_bad" (a bit of the ek or H(ek)
// part flipped), with the error nextip returned for each ("ek_bad_error",
// "dk_bad_error"). --kem default checks whatever make_mlkem768() selects (OpenSSL's own
// when built against OpenSSL >= 3.5); the default is nextip's implementation.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/hex.h"
#include "crypto/kem.h"
#include "crypto/rng.h"

namespace {

using namespace nextip::crypto;

int usage() {
  std::fputs("usage: nextip_mlkem768_cases N SEED [--kem nextip|default]\n", stderr);
  return 2;
}

int fail(std::size_t i, std::string_view what, Error e) {
  std::fprintf(stderr, "case %zu: %.*s failed: %.*s\n", i, static_cast<int>(what.size()), what.data(),
               static_cast<int>(name(e).size()), name(e).data());
  return 1;
}

std::size_t draw(Rng& rng, std::size_t bound) {
  std::array<std::byte, 4> b{};
  if (!rng.fill(b)) std::abort();
  const auto v = static_cast<std::size_t>(b[0]) | (static_cast<std::size_t>(b[1]) << 8) |
                 (static_cast<std::size_t>(b[2]) << 16) | (static_cast<std::size_t>(b[3]) << 24);
  return v % bound;
}

void field(std::string& out, std::string_view key, nextip::base::Bytes value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  out += to_hex(value);
  out += '"';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) return usage();
  char* end = nullptr;
  const unsigned long n = std::strtoul(argv[1], &end, 10);
  if (end == argv[1] || *end != '\0') return usage();
  const std::string_view seed = argv[2];
  bool use_default = false;
  if (argc == 5) {
    if (std::string_view(argv[3]) != "--kem") return usage();
    const std::string_view which = argv[4];
    if (which != "nextip" && which != "default") return usage();
    use_default = which == "default";
  }

  auto kem = use_default ? make_mlkem768() : make_nextip_mlkem768();
  auto rng =
      DeterministicRng::create(nextip::base::Bytes(reinterpret_cast<const std::byte*>(seed.data()), seed.size()));
  if (!kem || !rng) return fail(0, "setup", kem ? rng.error() : kem.error());
  std::fprintf(stderr, "ML-KEM-768 (%s): %lu cases from seed '%s'\n", std::string((*kem)->implementation()).c_str(), n,
               argv[2]);

  std::vector<std::byte> seed64(64), m(32), ek(1184), dk(2400), ct(1088), ss(32), ct_bad(1088), ss_bad(32);
  std::vector<std::byte> ek_bad, dk_bad, ss_tmp(32);
  std::string line;
  for (std::size_t i = 0; i < n; ++i) {
    if (!rng->fill(seed64) || !rng->fill(m)) return fail(i, "rng", Error::rng);
    if (auto r = (*kem)->keygen_derand(seed64, ek, dk); !r) return fail(i, "keygen", r.error());
    if (auto r = (*kem)->encaps_derand(ek, m, ct, ss); !r) return fail(i, "encaps", r.error());
    if (auto r = (*kem)->decaps(dk, ct, ss_tmp); !r || ss_tmp != ss) {
      return fail(i, "decaps (round trip)", r ? Error::bad_length : r.error());
    }
    if (i % 2 == 0) {
      ct_bad = ct;
      const std::size_t bit = draw(*rng, 1088 * 8);
      ct_bad[bit / 8] ^= static_cast<std::byte>(1U << (bit % 8));
    } else if (!rng->fill(ct_bad)) {
      return fail(i, "rng", Error::rng);
    }
    if (auto r = (*kem)->decaps(dk, ct_bad, ss_bad); !r) return fail(i, "decaps (tampered)", r.error());

    line = "{\"i\":" + std::to_string(i);
    field(line, "d", std::span(seed64).first(32));
    field(line, "z", std::span(seed64).last(32));
    field(line, "m", m);
    field(line, "ek", ek);
    field(line, "dk", dk);
    field(line, "ct", ct);
    field(line, "ss", ss);
    field(line, "ct_bad", ct_bad);
    field(line, "ss_bad", ss_bad);

    if (i % 10 == 0) {
      // t̂ is 768 12-bit coefficients; coefficient c starts in byte c / 2 * 3.
      ek_bad = ek;
      const std::size_t c = draw(*rng, 768);
      const unsigned v = 3329 + static_cast<unsigned>(draw(*rng, 4096 - 3329));
      const std::size_t at = c / 2 * 3;
      if (c % 2 == 0) {
        ek_bad[at] = static_cast<std::byte>(v & 0xffU);
        ek_bad[at + 1] = (ek_bad[at + 1] & std::byte{0xf0}) | static_cast<std::byte>(v >> 8);
      } else {
        ek_bad[at + 1] = (ek_bad[at + 1] & std::byte{0x0f}) | static_cast<std::byte>((v & 0xfU) << 4);
        ek_bad[at + 2] = static_cast<std::byte>(v >> 4);
      }
      dk_bad = dk;
      const std::size_t bit = (1152 + draw(*rng, 1184 + 32)) * 8 + draw(*rng, 8);  // ek ‖ H(ek) part
      dk_bad[bit / 8] ^= static_cast<std::byte>(1U << (bit % 8));
      const auto re = (*kem)->encaps_derand(ek_bad, m, ct_bad, ss_tmp);
      const auto rd = (*kem)->decaps(dk_bad, ct, ss_tmp);
      field(line, "ek_bad", ek_bad);
      field(line, "dk_bad", dk_bad);
      line += ",\"ek_bad_error\":\"" + std::string(re ? "none" : name(re.error())) + "\"";
      line += ",\"dk_bad_error\":\"" + std::string(rd ? "none" : name(rd.error())) + "\"";
    }
    line += "}\n";
    if (std::fputs(line.c_str(), stdout) < 0) return 1;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

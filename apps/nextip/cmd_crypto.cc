// nextip crypto mlkem768 keygen | encaps | decaps: ML-KEM-768 (FIPS 203) from the
// command line, for interoperability checks against other implementations. Uses
// make_mlkem768(): nextip's implementation, or OpenSSL's own when built against
// OpenSSL >= 3.5 (docs/crypto.md).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "apps/nextip/cli.h"
#include "crypto/hex.h"
#include "crypto/kem.h"
#include "crypto/rng.h"
#include "crypto/secure.h"

namespace nextip::cli {

namespace {

using crypto::Error;

struct CryptoOptions {
  std::string seed, ek, m, dk, ct;
  bool json = false;
};

// Key material of one command, wiped when the command ends.
struct Buffer {
  explicit Buffer(std::size_t n) : bytes(n) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { crypto::wipe(bytes); }
  std::vector<std::byte> bytes;
};

// Reads OPTION's hex value of exactly `size` bytes; throws CLI::ValidationError (exit
// 2) that names the option and says what is wrong.
void read_hex(const char* option, const std::string& text, Buffer& out) {
  const std::size_t size = out.bytes.size();
  const auto err = crypto::hex_decode(text, out.bytes);
  if (!err) return;
  switch (err->kind) {
    case crypto::HexError::Kind::bad_digit: {
      const auto c = static_cast<unsigned char>(text[err->pos]);
      const std::string found =
          c >= 0x20 && c < 0x7f ? fmt::format("'{}'", static_cast<char>(c)) : fmt::format("byte 0x{:02x}", c);
      throw CLI::ValidationError(option, fmt::format("not hexadecimal: {} at position {}", found, err->pos));
    }
    case crypto::HexError::Kind::odd_length:
      throw CLI::ValidationError(option, fmt::format("odd number of hex digits ({}); expected {} bytes ({} hex digits)",
                                                     text.size(), size, 2 * size));
    case crypto::HexError::Kind::wrong_length:
      throw CLI::ValidationError(option, fmt::format("wrong length: {} byte{}; expected {} bytes ({} hex digits)",
                                                     text.size() / 2, text.size() == 2 ? "" : "s", size, 2 * size));
  }
}

// An operation that failed (exit 1), as opposed to an input that is wrong (exit 2,
// CLI::ValidationError).
struct OperationFailed {
  std::string message;
};

std::unique_ptr<crypto::Kem> make_kem() {
  auto kem = crypto::make_mlkem768();
  if (!kem) throw OperationFailed{fmt::format("ML-KEM-768: {}", crypto::describe(kem.error()))};
  return std::move(*kem);
}

void fill_random(Buffer& b) {
  if (auto r = crypto::system_rng().fill(b.bytes); !r) throw OperationFailed{std::string(crypto::describe(r.error()))};
}

// An error of the KEM itself: the input checks are the user's input (exit 2), anything
// else is a failed operation (exit 1).
[[noreturn]] void kem_error(Error e) {
  switch (e) {
    case Error::mlkem_ek_modulus:
      throw CLI::ValidationError("--ek",
                                 "not a valid ML-KEM-768 encapsulation key: a coefficient of t̂ is not "
                                 "below q = 3329 (FIPS 203 §7.2 modulus check)");
    case Error::mlkem_dk_hash:
      throw CLI::ValidationError("--dk",
                                 "not a valid ML-KEM-768 decapsulation key: the H(ek) it contains does not "
                                 "match its ek (FIPS 203 §7.3 hash check)");
    default: throw OperationFailed{fmt::format("ML-KEM-768: {}", crypto::describe(e))};
  }
}

std::string hex(const Buffer& b) {
  return crypto::to_hex(b.bytes);
}

void emit(const CryptoOptions& o, const crypto::Kem& kem, const std::vector<std::pair<const char*, std::string>>& all,
          const std::vector<const char*>& results) {
  if (o.json) {
    nlohmann::ordered_json j;
    j["algorithm"] = kem.name();
    j["implementation"] = kem.implementation();
    for (const auto& [k, v] : all) j[k] = v;
    std::fputs((j.dump() + "\n").c_str(), stdout);
    return;
  }
  for (const char* name : results) {
    for (const auto& [k, v] : all) {
      if (std::string_view(k) == name) std::fputs(fmt::format("{}: {}\n", k, v).c_str(), stdout);
    }
  }
}

int run_keygen(const CryptoOptions& o) {
  auto kem = make_kem();
  const auto s = kem->sizes();
  Buffer seed(s.keygen_seed), ek(s.ek), dk(s.dk);
  if (o.seed.empty()) {
    fill_random(seed);
  } else {
    read_hex("--seed", o.seed, seed);
  }
  if (auto r = kem->keygen_derand(seed.bytes, ek.bytes, dk.bytes); !r) kem_error(r.error());
  const std::string seed_hex = hex(seed);
  emit(o, *kem, {{"d", seed_hex.substr(0, 64)}, {"z", seed_hex.substr(64)}, {"ek", hex(ek)}, {"dk", hex(dk)}},
       {"ek", "dk"});
  return kExitOk;
}

int run_encaps(const CryptoOptions& o) {
  auto kem = make_kem();
  const auto s = kem->sizes();
  Buffer ek(s.ek), m(s.encaps_seed), ct(s.ct), ss(s.ss);
  read_hex("--ek", o.ek, ek);
  if (o.m.empty()) {
    fill_random(m);
  } else {
    read_hex("--m", o.m, m);
  }
  if (auto r = kem->encaps_derand(ek.bytes, m.bytes, ct.bytes, ss.bytes); !r) kem_error(r.error());
  emit(o, *kem, {{"m", hex(m)}, {"ct", hex(ct)}, {"ss", hex(ss)}}, {"ct", "ss"});
  return kExitOk;
}

int run_decaps(const CryptoOptions& o) {
  auto kem = make_kem();
  const auto s = kem->sizes();
  Buffer dk(s.dk), ct(s.ct), ss(s.ss);
  read_hex("--dk", o.dk, dk);
  read_hex("--ct", o.ct, ct);
  if (auto r = kem->decaps(dk.bytes, ct.bytes, ss.bytes); !r) kem_error(r.error());
  emit(o, *kem, {{"ss", hex(ss)}}, {"ss"});
  return kExitOk;
}

// Runs a command; a failed operation is reported here, a bad input goes on to main().
template <class F>
int guarded(F run) {
  try {
    return run();
  } catch (const OperationFailed& e) {
    print_error(e.message);
    return kExitFailure;
  }
}

const char* kCryptoFooter = R"(
DESCRIPTION
  The cryptographic primitives of nextip's IPv4.5 plane (003 §10), for checking
  interoperability with other implementations. Today: ML-KEM-768 (FIPS 203).

See docs/crypto.md for what is implemented where and how it is validated.)";

const char* kMlkemFooter = R"(
DESCRIPTION
  ML-KEM-768 (FIPS 203): key generation, encapsulation and decapsulation, with
  every input and output in hexadecimal. Sizes in bytes: seed (d ‖ z) 64, m 32,
  encapsulation key (ek) 1184, decapsulation key (dk) 2400, ciphertext (ct) 1088,
  shared secret (ss) 32. Given --seed or --m the result is deterministic
  (KeyGen_internal, Encaps_internal); without them the system RNG supplies them.

  Inputs are checked as FIPS 203 requires: ek by the modulus check (§7.2), dk by
  the hash check (§7.3). A ciphertext that was altered is not an error: decaps
  returns the implicit-rejection secret, as the standard says.

OUTPUT
  One "name: hex" line per result (keygen: ek, dk; encaps: ct, ss; decaps: ss),
  or with --json one object with every field, inputs included.

EXIT STATUS
  0  success
  1  the operation failed (random number generator, OpenSSL)
  2  an input is malformed: not hex, wrong length, or a failed key check; the
     message names the option

EXAMPLES
  nextip crypto mlkem768 keygen --seed $(printf '%0128d' 0)
  nextip crypto mlkem768 keygen --json > key.json
  nextip crypto mlkem768 encaps --ek $(jq -r .ek key.json) --json > enc.json
  nextip crypto mlkem768 decaps --dk $(jq -r .dk key.json) --ct $(jq -r .ct enc.json))";

}  // namespace

void add_crypto_commands(CLI::App& app, int& status) {
  auto o = std::make_shared<CryptoOptions>();
  CLI::App* crypto = app.add_subcommand("crypto", "Cryptographic primitives (ML-KEM-768 interop)");
  crypto->footer(kCryptoFooter);
  crypto->require_subcommand(1);

  CLI::App* mlkem = crypto->add_subcommand("mlkem768", "ML-KEM-768 (FIPS 203) keygen, encaps, decaps");
  mlkem->footer(kMlkemFooter);
  mlkem->require_subcommand(1);

  CLI::App* keygen = mlkem->add_subcommand("keygen", "Key pair from a 64-byte seed d ‖ z (random without --seed)");
  keygen->footer(kMlkemFooter);
  keygen->add_option("--seed", o->seed, "d ‖ z, 64 bytes in hex (KeyGen_internal)")->type_name("HEX64");
  keygen->add_flag("--json", o->json, "One JSON object with d, z, ek and dk");
  keygen->callback([o, &status] { status = guarded([&o] { return run_keygen(*o); }); });

  CLI::App* encaps = mlkem->add_subcommand("encaps", "Ciphertext and shared secret for an encapsulation key");
  encaps->footer(kMlkemFooter);
  encaps->add_option("--ek", o->ek, "Encapsulation key, 1184 bytes in hex")->type_name("HEX")->required();
  encaps->add_option("--m", o->m, "The 32-byte message m in hex (Encaps_internal); random without it")
      ->type_name("HEX32");
  encaps->add_flag("--json", o->json, "One JSON object with m, ct and ss");
  encaps->callback([o, &status] { status = guarded([&o] { return run_encaps(*o); }); });

  CLI::App* decaps = mlkem->add_subcommand("decaps", "Shared secret from a decapsulation key and a ciphertext");
  decaps->footer(kMlkemFooter);
  decaps->add_option("--dk", o->dk, "Decapsulation key, 2400 bytes in hex")->type_name("HEX")->required();
  decaps->add_option("--ct", o->ct, "Ciphertext, 1088 bytes in hex")->type_name("HEX")->required();
  decaps->add_flag("--json", o->json, "One JSON object with ss");
  decaps->callback([o, &status] { status = guarded([&o] { return run_decaps(*o); }); });
}

}  // namespace nextip::cli

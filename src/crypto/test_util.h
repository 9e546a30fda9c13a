// Test helpers for src/crypto (tests only): hex literals and data files.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "crypto/hex.h"

namespace nextip::crypto::testing {

inline std::vector<std::byte> unhex(std::string_view s) {
  std::vector<std::byte> v(s.size() / 2);
  const auto err = hex_decode(s, v);
  EXPECT_FALSE(err.has_value()) << "bad hex literal: " << s.substr(0, 40);
  return v;
}

inline std::string hex(base::Bytes b) {
  return to_hex(b);
}

inline std::vector<std::byte> bytes_of(std::string_view s) {
  std::vector<std::byte> v(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) v[i] = static_cast<std::byte>(s[i]);
  return v;
}

inline std::string source_dir() {
  if (const char* env = std::getenv("NEXTIP_SOURCE_DIR")) return env;
#ifdef NEXTIP_SOURCE_DIR
  return NEXTIP_SOURCE_DIR;
#else
  return ".";
#endif
}

// "name = hex" lines (the C2SP CCTV format); '#' starts a comment line.
inline std::map<std::string, std::string> read_kv_file(const std::string& relative) {
  std::ifstream in(source_dir() + "/" + relative);
  EXPECT_TRUE(in.good()) << "cannot open " << relative;
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    kv[line.substr(0, eq)] = line.substr(eq + 3);
  }
  return kv;
}

}  // namespace nextip::crypto::testing

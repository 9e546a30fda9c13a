// Software GRO (io/gro.h) against software GSO (io/gso.h): whatever sequence of packets
// arrives, coalescing and then segmenting again must give back exactly the packets that
// arrived, in order (the TCP checksum may differ only as 0x0000 vs 0xffff).
//
// Input: byte 0 = segment count (1-24), byte 1 = options (bit 0: ASIP version 8 instead
// of 6, bit 1: keep every checksum as given instead of fixing it), then a 72-byte header
// template (40 IP + 32 TCP), then per segment 4 bytes: payload length (2), a header
// byte to perturb (1: 0 = none) and its XOR value (1); payload bytes are taken from the
// rest of the input, cycled. Sequence numbers follow on unless a perturbation hits them,
// so most sequences are mergeable and the rules that split them get exercised.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/checksum.h"
#include "io/gro.h"
#include "io/gso.h"

using namespace nextip;

namespace {

constexpr std::size_t kIp = 40;
constexpr std::size_t kTcp = 32;
constexpr std::size_t kHead = kIp + kTcp;

void fix_checksum(std::vector<std::byte>& p) {
  base::store_be16(p.data() + kIp + 16, 0);
  base::checksum::Sum s = base::checksum::ipv6_pseudo_header(std::span<const std::byte, 16>(p.data() + 8, 16),
                                                             std::span<const std::byte, 16>(p.data() + 24, 16), 6,
                                                             static_cast<std::uint32_t>(p.size() - kIp));
  s.add(base::Bytes(p.data() + kIp, p.size() - kIp));
  base::store_be16(p.data() + kIp + 16, s.finish());
}

// a == b, but for a TCP checksum of 0x0000 against 0xffff in an eligible packet.
bool same_packet(base::Bytes a, base::Bytes b) {
  if (a.size() != b.size()) return false;
  if (std::memcmp(a.data(), b.data(), a.size()) == 0) return true;
  if (a.size() < kIp + 18) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i == kIp + 16 || i == kIp + 17) continue;
    if (a[i] != b[i]) return false;
  }
  const unsigned ca = base::load_be16(a.data() + kIp + 16), cb = base::load_be16(b.data() + kIp + 16);
  return (ca == 0 && cb == 0xffff) || (ca == 0xffff && cb == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 + kHead) return 0;
  const std::size_t count = 1 + data[0] % 24;
  const bool asip = (data[1] & 1) != 0;
  const bool keep_checksums = (data[1] & 2) != 0;
  const std::uint8_t* tmpl = data + 2;
  std::size_t pos = 2 + kHead;
  std::vector<std::vector<std::byte>> in;
  std::uint32_t seq = base::load_be32(reinterpret_cast<const std::byte*>(tmpl) + kIp + 4);
  std::size_t cycle = 0;
  for (std::size_t i = 0; i < count && pos + 4 <= size; ++i, pos += 4) {
    const std::size_t payload = base::load_be16(reinterpret_cast<const std::byte*>(data + pos)) % 1500;
    std::vector<std::byte> p(kHead + payload);
    std::memcpy(p.data(), tmpl, kHead);
    p[0] = std::byte(((asip ? 8u : 6u) << 4) | (static_cast<unsigned>(p[0]) & 0x0f));
    p[6] = std::byte{6};
    p[kIp + 12] = std::byte{(kTcp / 4) << 4};
    base::store_be16(p.data() + 4, static_cast<std::uint16_t>(kTcp + payload));
    base::store_be32(p.data() + kIp + 4, seq);
    for (std::size_t j = 0; j < payload; ++j) p[kHead + j] = std::byte(data[(pos + 4 + cycle++) % size]);
    // Any header byte but the payload length (a shorter one would make link padding,
    // which GRO rightly cuts off).
    const std::size_t at = data[pos + 2] % kHead;
    if (at != 0 && at != 4 && at != 5) p[at] ^= std::byte(data[pos + 3]);
    if (!keep_checksums) fix_checksum(p);
    seq += static_cast<std::uint32_t>(payload);
    in.push_back(std::move(p));
  }

  // The node's loop (control/node.cc, on_link): merge, else flush and start, else alone.
  std::vector<std::vector<std::byte>> out;
  std::array<std::byte, 65535> buf{};
  io::TcpCoalescer gro{base::MutBytes(buf)};
  auto flush = [&] {
    if (!gro.pending()) return;
    base::Offload off;
    const base::MutBytes p = gro.take(off);
    if (!off.any()) {
      out.emplace_back(p.begin(), p.end());
      return;
    }
    if (off.gso != base::Gso::tcp6 || !off.csum_partial) __builtin_trap();
    const std::size_t n = io::segment_count(p, off);
    if (n == 0 || n > 64) __builtin_trap();
    std::vector<std::vector<std::byte>> segs(n, std::vector<std::byte>(2048));
    std::vector<base::MutBytes> spans;
    for (auto& s : segs) spans.emplace_back(s);
    std::vector<std::size_t> sizes(n);
    auto r = io::segment(p, off, spans, sizes);
    if (!r || *r != n) __builtin_trap();
    for (std::size_t i = 0; i < n; ++i)
      out.emplace_back(segs[i].begin(), segs[i].begin() + static_cast<long>(sizes[i]));
  };
  for (const auto& p : in) {
    if (gro.merge(p)) continue;
    flush();
    if (gro.start(p)) continue;
    out.push_back(p);
  }
  flush();

  if (out.size() != in.size()) __builtin_trap();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (!same_packet(in[i], out[i])) __builtin_trap();
  }
  return 0;
}

// The host adaptor (kernel IPv6 <-> ASIP rewritten in place, src/engine/host) with
// arbitrary packets. Byte 0 picks the direction (bit 0: 0 = from the kernel, 1 = from
// the ASIP link) and optional offload metadata (bit 1 on; bit 2 partial checksum; bits
// 3-4 csum_start 40/48/56/64; bits 5-6 csum_offset 2/6/16/0; bit 7 tcp6 GSO); the rest
// is the packet. Invariants:
//   - a refused packet has a reason and is left exactly as it was, offload included;
//   - an accepted one keeps its size, carries the other side's version nibble, is at
//     most as long as the bytes (the rest untouched), and its offload changed only by
//     finishing a partial checksum;
//   - the other direction accepts it and restores the input (up to 0xffff -> 0x0000 in
//     a checksum word, the two zeros of one's complement), or — when a checksum was
//     finished — going forward again gives the same output.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/host/adaptor.h"

using namespace nextip;
using namespace nextip::engine::host;

namespace {

using Buf = std::vector<std::byte>;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

HostResult run(HostAdaptor& a, bool from_kernel, Buf& p, base::Offload& off) {
  return from_kernel ? a.kernel_to_asip(p, off) : a.asip_to_kernel(p, off);
}

bool same_but_zero_checksums(const Buf& before, const Buf& after) {
  if (before.size() != after.size()) return false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) continue;
    const std::size_t w = i & ~std::size_t{1};
    if (w + 1 >= before.size()) return false;
    if (!(before[w] == std::byte{0xff} && before[w + 1] == std::byte{0xff} && after[w] == std::byte{0} &&
          after[w + 1] == std::byte{0})) {
      return false;
    }
  }
  return true;
}

base::Offload offload_from(std::uint8_t b) {
  base::Offload off;
  if ((b & 2) == 0) return off;
  static constexpr std::uint16_t kStarts[] = {40, 48, 56, 64};
  static constexpr std::uint16_t kOffsets[] = {2, 6, 16, 0};
  off.csum_partial = (b & 4) != 0;
  if (off.csum_partial) {
    off.csum_start = kStarts[(b >> 3) & 3];
    off.csum_offset = kOffsets[(b >> 5) & 3];
  }
  if ((b & 0x80) != 0) {
    off.gso = base::Gso::tcp6;
    off.gso_size = 1000;
    off.hdr_len = 60;
  }
  return off;
}

HostAdaptor* make_strict() {
  HostConfig c;
  c.own.push_back(asip::parse_prefix("15169::/32").value());
  c.own.push_back(asip::parse_prefix("::0.0.0.0/96").value());
  c.peers.push_back(asip::parse_prefix("64496::/32").value());
  c.allow_reserved_realms = true;
  if (c.validate()) __builtin_trap();
  return new HostAdaptor(std::move(c));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static HostAdaptor* plain = new HostAdaptor(HostConfig{});
  static HostAdaptor* strict = make_strict();
  if (size < 1) return 0;
  const bool from_kernel = (data[0] & 1) == 0;
  const base::Offload off_in = offload_from(data[0]);
  const Buf input(reinterpret_cast<const std::byte*>(data + 1), reinterpret_cast<const std::byte*>(data + size));

  {  // The ownership and peer checks: a refusal leaves everything as it was.
    Buf p = input;
    base::Offload off = off_in;
    if (!run(*strict, from_kernel, p, off)) check(p == input && off == off_in);
  }

  Buf p = input;
  base::Offload off = off_in;
  const HostResult r = run(*plain, from_kernel, p, off);
  if (!r) {
    check(r.reason != HostDrop::none && p == input && off == off_in);
    return 0;
  }
  check(r.reason == HostDrop::none);
  check(p.size() == input.size() && r.length >= 40 && r.length <= p.size());
  check((static_cast<unsigned>(p[0]) >> 4) == (from_kernel ? 8u : 6u));
  check(std::memcmp(p.data() + r.length, input.data() + r.length, p.size() - r.length) == 0);
  const bool finished = off != off_in;
  if (finished) {
    check(off_in.csum_partial && !off.csum_partial && off.gso == off_in.gso && off.gso_size == off_in.gso_size);
  }

  const Buf out = p;
  const base::Offload off_out = off;
  const HostResult back = run(*plain, !from_kernel, p, off);
  check(back.ok && back.length == r.length);
  if (!finished) {
    check(same_but_zero_checksums(input, p) && off == off_in);
    return 0;
  }
  check(off == off_out);  // nothing partial any more
  check(run(*plain, from_kernel, p, off).ok);
  check(same_but_zero_checksums(out, p));
  return 0;
}

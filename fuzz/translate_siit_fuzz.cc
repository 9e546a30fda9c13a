// The SIIT translator (IPv6 <-> IPv4) with arbitrary packets, both directions.
#include "fuzz/translate_fuzz.h"

using namespace nextip::engine::translate;

namespace {

Translator* make(const char* options) {
  Config c = Config::defaults(Mode::siit);
  if (!apply_options(c, options) || !c.validate()) __builtin_trap();
  return new Translator(std::move(c));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Translator* t[2] = {
      make("pool6=2001:db8:100::/40;eamt=2001:db8:3::/120=1.0.0.0/24|2001:db8:2::/120=10.0.0.0/24;"
           "rfc6791v4-prefix=203.0.113.8;own-v4=198.51.100.1;own-v6=2001:db8:1c0:2:1::;"
           "mtu.translator.v6=1280;icmp-errors-per-second=0"),
      make("pool6=64:ff9b::/96;eamt=2001:db8:1c0:2::/72=192.0.2.0/24;own-v4=198.51.100.1;"
           "amend-udp-checksum-zero=1;hairpin=simple;lowest-ipv6-mtu=1500;mtu.translator.v4=1400;"
           "max-fragmented-flows=8;zeroize-traffic-class=1;override-tos=46"),
  };
  static std::int64_t clock_ns = 0;
  return nextip::fuzz::run_translate(t, 6, data, size, clock_ns);
}

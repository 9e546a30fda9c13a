// The ASIP translator (ASIP <-> IPv4, 001 §12.7) with arbitrary packets, both directions.
#include "fuzz/translate_fuzz.h"

using namespace nextip::engine::translate;

namespace {

Translator* make(const char* options) {
  Config c = Config::defaults(Mode::asip);
  if (!apply_options(c, options) || !c.validate()) __builtin_trap();
  return new Translator(std::move(c));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Translator* t[2] = {
      make("pool4=192.0.2.0/24,1.0.0.0/24;locator=192.0.2.0/25=0.0.59.65;own-v4=198.51.100.1;"
           "own-v6=15169::198.51.100.1;rfc6791v4-prefix=203.0.113.0/30;mtu.translator.v6=1280;"
           "icmp-errors-per-second=0;locator-capacity=64"),
      make("pool4=192.0.2.0/24;own-v4=198.51.100.1;fragment-id=truncate;max-fragmented-flows=4;"
           "decrement-ttl=0;literal-host-unreach-code=1;ipv4-id=generate;locator-capacity=4;"
           "fragment-header-mtu-adjust=0;mtu.translator.v4=576"),
  };
  static std::int64_t clock_ns = 0;
  return nextip::fuzz::run_translate(t, 8, data, size, clock_ns);
}

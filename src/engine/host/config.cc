#include "engine/host/config.h"

namespace nextip::engine::host {

std::optional<std::string> HostConfig::validate() const {
  if (own.size() > kMaxPrefixes) return "more than " + std::to_string(kMaxPrefixes) + " own prefixes";
  if (peers.size() > kMaxPrefixes) return "more than " + std::to_string(kMaxPrefixes) + " peer prefixes";
  // A prefix wholly inside the ranges the kernel treats as multicast or link-local
  // holds no address that can cross (carrier.h): a configuration mistake.
  for (const auto* list : {&own, &peers}) {
    for (const asip::Prefix& p : *list) {
      const base::u128 a = p.first().to_uint();
      if (p.length() >= 8 && (a >> 120) == 0xff) {
        return "prefix " + asip::format_prefix(p) + " is IPv6 multicast (ff00::/8): nothing in it crosses the carrier";
      }
      if (p.length() >= 10 && (a >> 118) == 0x3fa) {
        return "prefix " + asip::format_prefix(p) +
               " is IPv6 link-local (fe80::/10): nothing in it crosses the carrier";
      }
    }
  }
  return std::nullopt;
}

}  // namespace nextip::engine::host

#include "engine/host/adaptor.h"

#include <algorithm>
#include <utility>

#include "base/wire.h"
#include "engine/host/carrier.h"

namespace nextip::engine::host {

namespace {

[[nodiscard]] base::u128 load_address(Bytes packet, std::size_t at) noexcept {
  return (base::u128{base::load_be64(packet.data() + at)} << 64) | base::load_be64(packet.data() + at + 8);
}

[[nodiscard]] bool in_any(const std::vector<asip::Prefix>& prefixes, base::u128 a) noexcept {
  const asip::Address addr = asip::Address::from_uint(a);
  return std::any_of(prefixes.begin(), prefixes.end(), [&](const asip::Prefix& p) { return p.contains(addr); });
}

}  // namespace

HostAdaptor::HostAdaptor(HostConfig config) : cfg_(std::move(config)) {}

HostResult HostAdaptor::kernel_to_asip(MutBytes packet, base::Offload& off) noexcept {
  return run(Direction::to_asip, packet, off);
}

HostResult HostAdaptor::asip_to_kernel(MutBytes packet, base::Offload& off) noexcept {
  return run(Direction::to_kernel, packet, off);
}

HostResult HostAdaptor::drop(Direction d, HostDrop reason) noexcept {
  ++stats_.drops[static_cast<std::size_t>(reason)];
  ++(d == Direction::to_asip ? stats_.dropped_to_asip : stats_.dropped_to_kernel);
  return HostResult{false, reason, 0};
}

// Carrier meaning first (the kernel's chatter is the common drop), then ownership:
// this host's side of the packet is the source going out and the destination coming in.
HostDrop HostAdaptor::check_addresses(Direction d, Bytes packet) const noexcept {
  const base::u128 src = load_address(packet, 8);
  const base::u128 dst = load_address(packet, 24);
  if (const HostDrop r = carrier_address(dst, cfg_.allow_reserved_realms); r != HostDrop::none) return r;
  if (const HostDrop r = carrier_address(src, cfg_.allow_reserved_realms); r != HostDrop::none) return r;
  const bool out = d == Direction::to_asip;
  const base::u128 mine = out ? src : dst;
  const base::u128 theirs = out ? dst : src;
  if (!cfg_.own.empty() && !in_any(cfg_.own, mine)) {
    return out ? HostDrop::source_not_owned : HostDrop::destination_not_owned;
  }
  if (!cfg_.peers.empty() && !in_any(cfg_.peers, theirs)) return HostDrop::peer_not_allowed;
  return HostDrop::none;
}

HostResult HostAdaptor::run(Direction d, MutBytes packet, base::Offload& off) noexcept {
  const auto length = check_header(base::as_bytes(packet), d);
  if (!length) return drop(d, length.error());
  const Bytes ip = base::as_bytes(packet).first(*length);
  if (const HostDrop r = check_addresses(d, ip); r != HostDrop::none) return drop(d, r);
  const auto plan = plan_rewrite(ip, off, d);
  if (!plan) return drop(d, plan.error());
  apply(packet, *plan, off);
  ++(d == Direction::to_asip ? stats_.to_asip : stats_.to_kernel);
  if (plan->icmp) ++stats_.icmp_renamed;
  if (plan->quoted) ++stats_.quoted_rewritten;
  if (plan->finish_checksum) ++stats_.checksums_finished;
  return HostResult{true, HostDrop::none, *length};
}

}  // namespace nextip::engine::host

// libFuzzer: IPv4 (options, Repr round trip), UDP, TCP, ICMPv4 and GENEVE parsers.
#include "fuzz/packet_fuzz.h"
#include "wire/inet/geneve.h"
#include "wire/inet/icmpv4.h"
#include "wire/inet/ipv4.h"
#include "wire/inet/tcp.h"
#include "wire/inet/udp.h"

using namespace nextip;
using base::Bytes;
using base::MutBytes;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes in = fuzz::as_bytes(data, size);
  if (auto v = inet::Ipv4View<Bytes>::checked(in)) {
    if (auto r = inet::Ipv4Repr::parse(*v)) {
      auto& buf = fuzz::scratch(r->buffer_len());
      r->emit(buf);
      std::copy(v->payload().begin(), v->payload().end(), buf.begin() + static_cast<long>(r->header_len()));
      auto v2 = inet::Ipv4View<Bytes>::checked(Bytes(buf));
      fuzz::require(v2.has_value());
      auto r2 = inet::Ipv4Repr::parse(*v2);
      fuzz::require(r2.has_value() && *r2 == *r);
    }
  }
  // The upper-layer parsers on the raw input (as if it followed an IP header).
  if (auto u = inet::UdpView<Bytes>::checked(in)) {
    const base::checksum::Sum pseudo = base::checksum::ipv4_pseudo_header(1, 2, 17, u->length());
    (void)u->checksum_ok(pseudo);
    if (auto r = inet::UdpRepr::parse(*u, nullptr)) {
      auto& buf = fuzz::scratch(r->buffer_len());
      std::copy(u->payload().begin(), u->payload().end(), buf.begin() + 8);
      r->emit(buf, base::checksum::ipv4_pseudo_header(1, 2, 17, static_cast<base::u16>(r->buffer_len())));
      auto back = inet::UdpView<Bytes>::checked(Bytes(buf));
      fuzz::require(back.has_value());
      fuzz::require(*inet::UdpRepr::parse(*back, nullptr) == *r);
    }
  }
  if (auto t = inet::TcpView<Bytes>::checked(in)) {
    if (auto r = inet::TcpRepr::parse(*t, nullptr)) {
      auto& buf = fuzz::scratch(r->buffer_len());
      std::copy(t->payload().begin(), t->payload().end(), buf.begin() + static_cast<long>(r->header_len()));
      r->emit(buf, base::checksum::Sum());
      auto back = inet::TcpView<Bytes>::checked(Bytes(buf));
      fuzz::require(back.has_value());
      fuzz::require(*inet::TcpRepr::parse(*back, nullptr) == *r);
    }
  }
  if (auto i = inet::Icmpv4View<Bytes>::checked(in)) {
    (void)i->checksum_ok();
    auto& buf = fuzz::scratch(in.size());
    std::copy(in.begin(), in.end(), buf.begin());
    inet::Icmpv4View<MutBytes>::unchecked(MutBytes(buf)).fill_checksum();
    auto fixed = inet::Icmpv4View<Bytes>::checked(Bytes(buf));
    fuzz::require(fixed.has_value());
    auto r = inet::Icmpv4Repr::parse(*fixed);
    fuzz::require(r.has_value());
    std::vector<std::byte> out(r->buffer_len());
    r->emit(out);
    auto again = inet::Icmpv4Repr::parse(*inet::Icmpv4View<Bytes>::checked(Bytes(out)));
    fuzz::require(again.has_value() && *again == *r);
  }
  if (auto g = inet::GeneveView<Bytes>::checked(in)) {
    auto r = inet::GeneveRepr::parse(*g);
    fuzz::require(r.has_value());
    std::vector<std::byte> out(r->header_len());
    r->emit(out);
    auto back = inet::GeneveView<Bytes>::checked(Bytes(out));
    fuzz::require(back.has_value() && *inet::GeneveRepr::parse(*back) == *r);
    (void)inet::geneve_has_unknown_critical(g->options(), [](base::u16, base::u8) { return false; });
  }
  return 0;
}

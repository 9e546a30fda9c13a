#include "wire/dissect/dissect.h"

#include "wire/dissect/dissect_impl.h"
#include "wire/inet/ethernet.h"
#include "wire/ipv8/packet.h"

namespace nextip::dissect {

const Field* Layer::find(std::string_view key) const noexcept {
  for (const Field& f : fields) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

const Layer* Packet::find(std::string_view protocol) const noexcept {
  for (const Layer& l : layers) {
    if (l.protocol == protocol) return &l;
  }
  return nullptr;
}

namespace detail {

Layer& Ctx::layer(std::string protocol, std::size_t offset, std::size_t length, int depth) {
  pkt.layers.push_back(
      Layer{std::move(protocol), {}, static_cast<u32>(offset), static_cast<u32>(length), depth, {}, {}, {}});
  return pkt.layers.back();
}

void W::hex(std::string key, Bytes value, std::size_t off) const {
  l_->fields.push_back({std::move(key), hex_string(value, value.size()), at(off), static_cast<u32>(value.size())});
}

void W::fail(Ctx& c, const base::WireError& e) const {
  l_->error = fmt::format("{} at {}: {}", e.field.empty() ? l_->protocol : std::string(e.field), base_ + e.offset,
                          base::describe(e.code));
  c.pkt.malformed = true;
}

void W::fail(Ctx& c, std::string reason) const {
  l_->error = std::move(reason);
  c.pkt.malformed = true;
}

std::string hex_string(Bytes b, std::size_t max) {
  std::string out;
  const std::size_t n = std::min(b.size(), max);
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", static_cast<unsigned>(b[i]));
  if (n < b.size()) out += "…";
  return out;
}

std::string flags_string(u8 flags, const char* const names[8]) {
  std::string out;
  for (int bit = 0; bit < 8; ++bit) {
    if (names[bit] == nullptr || (flags & (0x80 >> bit)) == 0) continue;
    if (!out.empty()) out += ",";
    out += names[bit];
  }
  return out.empty() ? "-" : out;
}

void payload(Ctx& c, Bytes b, std::size_t off, int depth, std::string_view what) {
  if (b.empty()) return;
  Layer& l = c.layer("data", off, b.size(), depth);
  W w(l, off);
  w.summary(fmt::format("{} ({} bytes)", what, b.size()));
  w.num("data.len", b.size(), 0, b.size());
}

void ethernet(Ctx& c, Bytes b, std::size_t off) {
  Layer& l = c.layer("eth", off, std::min<std::size_t>(b.size(), 14), 0);
  W w(l, off);
  auto v = inet::EthernetView<Bytes>::checked(b);
  if (!v) return w.fail(c, v.error());
  auto mac = [](const inet::MacAddress& m) {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", static_cast<unsigned>(m[0]),
                       static_cast<unsigned>(m[1]), static_cast<unsigned>(m[2]), static_cast<unsigned>(m[3]),
                       static_cast<unsigned>(m[4]), static_cast<unsigned>(m[5]));
  };
  w.str("eth.dst", mac(v->dst()), 0, 6);
  w.str("eth.src", mac(v->src()), 6, 6);
  w.num("eth.type", v->ethertype(), 12, 2);
  w.summary(fmt::format("Ethernet {} -> {}, type 0x{:04x}", mac(v->src()), mac(v->dst()), v->ethertype()));
  const Bytes p = v->payload();
  switch (v->ethertype()) {
    case inet::ethertype::kIpv4: return ipv4(c, p, off + 14, 0, false);
    case inet::ethertype::kIpv6: return ipv6(c, p, off + 14, 0, false);
    case inet::ethertype::kAsip: return asip(c, p, off + 14, 0, false);
    case inet::ethertype::kIpv8: return ipv8(c, p, off + 14, 0, false);
    default: return payload(c, p, off + 14, 0, "unknown EtherType payload");
  }
}

}  // namespace detail

Start detect_ip(base::Bytes data) noexcept {
  if (data.empty()) return Start::ip;
  const auto first = static_cast<std::uint8_t>(data[0]);
  switch (first >> 4) {
    case 4: return Start::ipv4;
    case 6: return Start::ipv6;
    case 1: return Start::ipv45;
    case 8:
      if (first == 0x87 && data.size() >= ipv8::kHeaderLen &&
          ipv8::HeaderView<base::Bytes>::unchecked(data).checksum_ok()) {
        return Start::ipv8;
      }
      return Start::asip;
    default: return Start::ip;
  }
}

Packet dissect(base::Bytes data, Start start) {
  Packet pkt;
  detail::Ctx c{pkt};
  if (start == Start::ip) start = detect_ip(data);
  switch (start) {
    case Start::ethernet: detail::ethernet(c, data, 0); break;
    case Start::ipv4:
    case Start::ipxl: detail::ipv4(c, data, 0, 0, false); break;
    case Start::ipv6: detail::ipv6(c, data, 0, 0, false); break;
    case Start::asip: detail::asip(c, data, 0, 0, false); break;
    case Start::ipv8: detail::ipv8(c, data, 0, 0, false); break;
    case Start::ipv45: detail::ipv45(c, data, 0, 0, false, 0, 0); break;
    case Start::ip: {
      Layer& l = c.layer("unknown", 0, data.size(), 0);
      detail::W(l, 0).fail(c, data.empty() ? std::string("empty packet")
                                           : fmt::format("version nibble {} is no family nextip knows",
                                                         static_cast<unsigned>(data[0]) >> 4));
      break;
    }
  }
  return pkt;
}

std::string_view name(Start s) noexcept {
  switch (s) {
    case Start::ethernet: return "ethernet";
    case Start::ip: return "ip";
    case Start::ipv4: return "ipv4";
    case Start::ipv6: return "ipv6";
    case Start::asip: return "asip";
    case Start::ipv8: return "ipv8";
    case Start::ipxl: return "ipxl";
    case Start::ipv45: return "ipv45";
  }
  return "?";
}

std::optional<Start> start_from_name(std::string_view s) noexcept {
  for (Start x :
       {Start::ethernet, Start::ip, Start::ipv4, Start::ipv6, Start::asip, Start::ipv8, Start::ipxl, Start::ipv45}) {
    if (name(x) == s) return x;
  }
  return std::nullopt;
}

}  // namespace nextip::dissect

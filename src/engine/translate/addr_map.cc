#include "engine/translate/addr_map.h"

#include <algorithm>
#include <array>
#include <string>

namespace nextip::engine::translate {

namespace {

// Byte positions (0 = most significant) that carry the four IPv4 octets, per length.
struct Layout {
  int len;
  std::array<int, 4> at;
};
constexpr Layout kLayouts[] = {
    {32, {4, 5, 6, 7}},   {40, {5, 6, 7, 9}},    {48, {6, 7, 9, 10}},
    {56, {7, 9, 10, 11}}, {64, {9, 10, 11, 12}}, {96, {12, 13, 14, 15}},
};

const Layout* layout_for(int len) noexcept {
  for (const Layout& l : kLayouts) {
    if (l.len == len) return &l;
  }
  return nullptr;
}

constexpr int byte_shift(int byte_index) noexcept {
  return 8 * (15 - byte_index);
}

}  // namespace

Expected<Rfc6052Prefix, std::string_view> Rfc6052Prefix::make(Ipv6Prefix p) noexcept {
  if (layout_for(p.length()) == nullptr) {
    return nextip::unexpected(std::string_view("RFC 6052 allows prefix lengths 32, 40, 48, 56, 64 and 96 only"));
  }
  // For /96 the u octet is inside the prefix and must be zero (RFC 6052 §2.2); for the
  // shorter lengths it lies in the host part, which a Prefix keeps zero anyway.
  if (((p.address().to_uint() >> byte_shift(8)) & 0xff) != 0) {
    return nextip::unexpected(std::string_view("bits 64-71 (the RFC 6052 u octet) must be zero"));
  }
  return Rfc6052Prefix(p, layout_for(p.length())->at);
}

Rfc6052Prefix::Rfc6052Prefix(Ipv6Prefix p, const std::array<int, 4>& byte_at) noexcept
    : p_(p), mask_(Ipv6Prefix::mask(p.length())), base_(p.address().to_uint()) {
  for (std::size_t i = 0; i < 4; ++i) shift_[i] = byte_shift(byte_at[i]);
}

Expected<void, std::string> Eamt::add(const Eam& e) {
  if (32 - e.v4.length() > 128 - e.v6.length()) {
    return nextip::unexpected("eamt " + inet::format_prefix(e.v6) + "=" + inet::format_prefix(e.v4) +
                              ": the IPv4 suffix (" + std::to_string(32 - e.v4.length()) +
                              " bits) is longer than the IPv6 suffix (" + std::to_string(128 - e.v6.length()) +
                              " bits), RFC 7757 §3.2");
  }
  for (const Eam& x : by_v4_) {
    if (x.v4 == e.v4 || x.v6 == e.v6) {
      return nextip::unexpected("eamt " + inet::format_prefix(e.v6) + "=" + inet::format_prefix(e.v4) +
                                ": overlaps the existing entry " + inet::format_prefix(x.v6) + "=" +
                                inet::format_prefix(x.v4));
    }
  }
  by_v4_.push_back(e);
  by_v6_.push_back(e);
  std::stable_sort(by_v4_.begin(), by_v4_.end(),
                   [](const Eam& a, const Eam& b) { return a.v4.length() > b.v4.length(); });
  std::stable_sort(by_v6_.begin(), by_v6_.end(),
                   [](const Eam& a, const Eam& b) { return a.v6.length() > b.v6.length(); });
  return {};
}

std::optional<u128> Eamt::lookup_v6(Ipv4Address a) const noexcept {
  for (const Eam& e : by_v4_) {
    if (!e.v4.contains(a)) continue;
    const int suffix = 32 - e.v4.length();
    const u32 bits = a.value() & static_cast<u32>((base::u64{1} << suffix) - 1);
    // The suffix goes right after the IPv6 prefix; the remaining low bits stay zero.
    const int shift = 128 - e.v6.length() - suffix;
    return e.v6.address().to_uint() | (u128{bits} << shift);
  }
  return std::nullopt;
}

std::optional<Ipv4Address> Eamt::lookup_v4(u128 a) const noexcept {
  for (const Eam& e : by_v6_) {
    if (!e.v6.contains(Ipv6Address::from_uint(a))) continue;
    const int suffix = 32 - e.v4.length();
    const int shift = 128 - e.v6.length() - suffix;
    const u32 bits = suffix == 0 ? 0 : static_cast<u32>((a >> shift) & ((u128{1} << suffix) - 1));
    return Ipv4Address(e.v4.address().value() | bits);
  }
  return std::nullopt;
}

bool Eamt::covers_v4(Ipv4Address a) const noexcept {
  return std::any_of(by_v4_.begin(), by_v4_.end(), [&](const Eam& e) { return e.v4.contains(a); });
}

bool is_untranslatable_v4(Ipv4Address a) noexcept {
  const u32 v = a.value();
  const u32 top = v >> 24;
  return top == 0 || top == 127 || (v >> 16) == 0xa9fe || (v >> 28) == 0xe || v == 0xffffffffu;
}

}  // namespace nextip::engine::translate

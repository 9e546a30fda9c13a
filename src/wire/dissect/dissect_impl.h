// Internals shared by the dissector's files: a context that appends layers, a layer
// writer with typed field helpers, and one function per protocol.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "base/checksum.h"
#include "base/wire.h"
#include "wire/dissect/dissect.h"

namespace nextip::dissect::detail {

using base::Bytes;
using base::u16;
using base::u32;
using base::u64;
using base::u8;
using base::WireErrc;

struct Ctx {
  Packet& pkt;
  Layer& layer(std::string protocol, std::size_t offset, std::size_t length, int depth);
};

// Appends fields to one layer; `base` is the layer's absolute offset.
class W {
 public:
  W(Layer& l, std::size_t base) : l_(&l), base_(base) {}
  void num(std::string key, u64 value, std::size_t off, std::size_t len) const {
    l_->fields.push_back({std::move(key), std::to_string(value), at(off), static_cast<u32>(len)});
  }
  void str(std::string key, std::string value, std::size_t off, std::size_t len) const {
    l_->fields.push_back({std::move(key), std::move(value), at(off), static_cast<u32>(len)});
  }
  void hex(std::string key, Bytes value, std::size_t off) const;
  void note(std::string n) const { l_->notes.push_back(std::move(n)); }
  // Marks the layer malformed with a wire error at a layer-relative offset.
  void fail(Ctx& c, const base::WireError& e) const;
  void fail(Ctx& c, std::string reason) const;
  void summary(std::string s) const { l_->summary = std::move(s); }
  [[nodiscard]] Layer& layer() const { return *l_; }

 private:
  [[nodiscard]] u32 at(std::size_t off) const { return static_cast<u32>(base_ + off); }
  Layer* l_;
  std::size_t base_;
};

// Protocols. `off` is the absolute offset of `b` in the packet; `quoted` marks a packet
// inside an ICMP error (read as far as present, never malformed for being short).
void ethernet(Ctx& c, Bytes b, std::size_t off);
void ipv4(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted);
void ipv6(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted);
void asip(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted);
void ipv8(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted);
// A bare IPv4.5 fixed header; the locators come from Mode C's outer IPv4 (0 if unknown).
void ipv45(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, u32 src_locator, u32 dst_locator);

// Upper layers. `pseudo` is the network layer's pseudo-header (nullopt: unverifiable).
void udp(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo,
         u32 src_locator, u32 dst_locator, bool zero_checksum_allowed);
void tcp(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted, std::optional<base::checksum::Sum> pseudo);
void icmpv4(Ctx& c, Bytes b, std::size_t off, int depth, bool quoted);
void geneve(Ctx& c, Bytes b, std::size_t off, int depth);
void payload(Ctx& c, Bytes b, std::size_t off, int depth, std::string_view what);

// Text helpers.
[[nodiscard]] std::string hex_string(Bytes b, std::size_t max = 64);
[[nodiscard]] std::string flags_string(u8 flags, const char* const names[8]);

}  // namespace nextip::dissect::detail

// GENEVE (RFC 8926): the 8-byte header and its option TLVs. ASIP transit (001 §12.3)
// uses it with no options; received options are walked and bounded, and a critical
// option nextip does not know makes the packet undeliverable (RFC 8926 §3.5).
#pragma once

#include <optional>

#include "base/wire.h"
#include "wire/inet/common.h"

namespace nextip::inet {

inline constexpr u16 kGenevePort = 6081;

namespace geneve_field {
inline constexpr std::size_t kVerOptLen = 0;
inline constexpr std::size_t kFlags = 1;
inline constexpr std::size_t kProtocol = 2;
inline constexpr std::size_t kVni = 4;
inline constexpr std::size_t kHeader = 8;
inline constexpr base::FieldSpan kLayout[] = {{"geneve.version", 0, 1},
                                              {"geneve.flags", 1, 1},
                                              {"geneve.proto_type", 2, 2},
                                              {"geneve.vni", 4, 3},
                                              {"geneve.reserved", 7, 1}};
}  // namespace geneve_field

struct GeneveOption {
  u16 option_class = 0;
  u8 type = 0;  // the critical bit is type & 0x80
  Bytes data;   // length is a multiple of 4
  std::size_t offset = 0;
  [[nodiscard]] bool critical() const noexcept { return (type & 0x80) != 0; }
};

// Walks the options area; next() yields each option or nullopt at the end.
class GeneveOptionWalker {
 public:
  explicit GeneveOptionWalker(Bytes options) noexcept : o_(options) {}
  [[nodiscard]] WireResult<std::optional<GeneveOption>> next() noexcept;

 private:
  Bytes o_;
  std::size_t pos_ = 0;
};

template <class B>
class GeneveView : public base::ByteView<B> {
 public:
  using base::ByteView<B>::ByteView;

  // Version 0, options inside the buffer and well formed.
  [[nodiscard]] static WireResult<GeneveView> checked(B buf) noexcept {
    using namespace geneve_field;
    if (buf.size() < kHeader) return nextip::unexpected(base::first_missing(kLayout, buf.size()));
    const GeneveView v(buf);
    if (v.version() != 0) return base::wire_fail(WireErrc::bad_version, "geneve.version", 0);
    if (v.header_len() > buf.size()) return base::wire_fail(WireErrc::truncated, "geneve.options", kHeader);
    GeneveOptionWalker w(Bytes(buf.data() + kHeader, v.header_len() - kHeader));
    for (;;) {
      auto o = w.next();
      if (!o) {
        WireError e = o.error();
        e.offset = static_cast<std::uint16_t>(e.offset + kHeader);
        return nextip::unexpected(e);
      }
      if (!*o) break;
    }
    return v;
  }
  [[nodiscard]] static GeneveView unchecked(B buf) noexcept { return GeneveView(buf); }

  [[nodiscard]] u8 version() const noexcept { return static_cast<u8>(this->get8(0) >> 6); }
  [[nodiscard]] u8 opt_len_words() const noexcept { return static_cast<u8>(this->get8(0) & 0x3f); }
  [[nodiscard]] std::size_t header_len() const noexcept { return geneve_field::kHeader + 4u * opt_len_words(); }
  [[nodiscard]] bool oam() const noexcept { return (this->get8(1) & 0x80) != 0; }
  [[nodiscard]] bool critical() const noexcept { return (this->get8(1) & 0x40) != 0; }
  [[nodiscard]] u8 reserved_flags() const noexcept { return static_cast<u8>(this->get8(1) & 0x3f); }
  [[nodiscard]] u16 protocol() const noexcept { return this->get16(geneve_field::kProtocol); }
  [[nodiscard]] base::u32 vni() const noexcept { return this->get32(geneve_field::kVni) >> 8; }
  [[nodiscard]] u8 reserved_byte() const noexcept { return this->get8(7); }
  [[nodiscard]] B options() const noexcept {
    return this->buf_.subspan(geneve_field::kHeader, header_len() - geneve_field::kHeader);
  }
  [[nodiscard]] B payload() const noexcept { return this->buf_.subspan(header_len()); }
};

struct GeneveRepr {
  bool oam = false;
  bool critical = false;
  u16 protocol = 0;
  base::u32 vni = 0;
  Bytes options;  // raw TLVs, a multiple of 4 bytes (at most 252)

  [[nodiscard]] static WireResult<GeneveRepr> parse(const GeneveView<Bytes>& v) noexcept;
  [[nodiscard]] std::size_t header_len() const noexcept { return geneve_field::kHeader + options.size(); }
  void emit(MutBytes buf) const noexcept;
  friend bool operator==(const GeneveRepr& a, const GeneveRepr& b) noexcept;
};

// True when an option has the critical bit set and `known(class, type)` says nextip
// does not understand it: RFC 8926 §3.5 says such a packet MUST be dropped.
template <class Known>
[[nodiscard]] bool geneve_has_unknown_critical(Bytes options, Known known) noexcept {
  GeneveOptionWalker w(options);
  for (;;) {
    auto o = w.next();
    if (!o || !*o) return false;
    if ((*o)->critical() && !known((*o)->option_class, (*o)->type)) return true;
  }
}

}  // namespace nextip::inet

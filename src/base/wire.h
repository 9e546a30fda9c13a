// Shared pieces of every packet codec (STYLE.md rule 1, "Wire = View + Repr"):
//
//   WireError   why bytes were refused: a code, the field concerned ("asip.payload_length")
//               and the byte offset, so that a truncated packet names the field it lacks;
//   FieldSpan   a field's name, offset and size, listed once per header and used both by
//               the accessors and to name the missing field of a truncated header;
//   ByteView    the base of every view: bounds-checked once in checked(), then plain
//               big-endian loads/stores at fixed offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/bytes.h"
#include "base/expected.h"

namespace nextip::base {

#define NEXTIP_WIRE_ERRORS(X)                                                        \
  X(ok, "no error")                                                                  \
  X(truncated, "truncated: the field does not fit in the bytes given")               \
  X(bad_version, "wrong version")                                                    \
  X(bad_header_length, "header length field out of range")                           \
  X(bad_length, "length field disagrees with the bytes present")                     \
  X(bad_checksum, "checksum does not verify")                                        \
  X(bad_option, "malformed option")                                                  \
  X(bad_value, "field value not allowed here")                                       \
  X(reserved_nonzero, "reserved bits are not zero")                                  \
  X(chain_too_many, "more extension headers than allowed")                           \
  X(chain_too_long, "extension header chain longer than allowed")                    \
  X(chain_incomplete, "first fragment does not hold the whole header chain")         \
  X(unknown_header, "unrecognised extension header at an intermediate node")         \
  X(unknown_type, "unknown message type")                                            \
  X(unknown_critical, "unknown critical option or TLV: the message must be refused") \
  X(not_this_protocol, "the bytes are not this protocol (detection rule not met)")

enum class WireErrc : std::uint8_t {
#define NEXTIP_X(name, text) name,
  NEXTIP_WIRE_ERRORS(NEXTIP_X)
#undef NEXTIP_X
};

[[nodiscard]] std::string_view describe(WireErrc c) noexcept;
[[nodiscard]] std::string_view code_name(WireErrc c) noexcept;

struct WireError {
  WireErrc code = WireErrc::ok;
  std::string_view field;  // a static string naming the field, "asip.payload_length"
  std::uint16_t offset = 0;

  friend constexpr bool operator==(const WireError&, const WireError&) = default;
};

// "asip.payload_length at 4: truncated: …"
[[nodiscard]] std::string to_string(const WireError& e);

template <class T>
using WireResult = Expected<T, WireError>;

[[nodiscard]] constexpr auto wire_fail(WireErrc c, std::string_view field, std::size_t offset) noexcept {
  return nextip::unexpected(WireError{c, field, static_cast<std::uint16_t>(offset > 0xffff ? 0xffff : offset)});
}

struct FieldSpan {
  std::string_view name;
  std::uint16_t offset;
  std::uint16_t size;
  [[nodiscard]] constexpr std::size_t end() const noexcept { return std::size_t{offset} + size; }
};

// The first field of `fields` (in layout order) that does not fit in `len` bytes, as a
// truncation error; nullopt-like ok error when all fit. `base` is added to the offset
// (the header's position in a larger packet).
[[nodiscard]] constexpr WireError first_missing(std::span<const FieldSpan> fields, std::size_t len,
                                                std::size_t base = 0) noexcept {
  for (const FieldSpan& f : fields) {
    if (f.end() > len) {
      const std::size_t at = base + f.offset;
      return WireError{WireErrc::truncated, f.name, static_cast<std::uint16_t>(at > 0xffff ? 0xffff : at)};
    }
  }
  return WireError{};
}

template <class B>
concept MutableBytes = std::is_same_v<B, MutBytes>;

// Base of every header view: B is Bytes (read) or MutBytes (read and write). Offsets
// are relative to the view's first byte; callers have checked the length.
template <class B>
class ByteView {
 public:
  constexpr ByteView() noexcept = default;
  constexpr explicit ByteView(B buf) noexcept : buf_(buf) {}
  [[nodiscard]] constexpr B bytes() const noexcept { return buf_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return buf_.size(); }

 protected:
  [[nodiscard]] constexpr u8 get8(std::size_t o) const noexcept { return load_u8(buf_.data() + o); }
  [[nodiscard]] constexpr u16 get16(std::size_t o) const noexcept { return load_be16(buf_.data() + o); }
  [[nodiscard]] constexpr u32 get32(std::size_t o) const noexcept { return load_be32(buf_.data() + o); }
  [[nodiscard]] constexpr u64 get64(std::size_t o) const noexcept { return load_be64(buf_.data() + o); }
  constexpr void set8(std::size_t o, u8 v) const noexcept requires MutableBytes<B> { store_u8(buf_.data() + o, v); }
  constexpr void set16(std::size_t o, u16 v) const noexcept requires MutableBytes<B> { store_be16(buf_.data() + o, v); }
  constexpr void set32(std::size_t o, u32 v) const noexcept requires MutableBytes<B> { store_be32(buf_.data() + o, v); }
  constexpr void set64(std::size_t o, u64 v) const noexcept requires MutableBytes<B> { store_be64(buf_.data() + o, v); }

  B buf_{};
};

// A read-only span over a mutable one.
[[nodiscard]] constexpr Bytes as_bytes(MutBytes b) noexcept {
  return Bytes(b.data(), b.size());
}

}  // namespace nextip::base

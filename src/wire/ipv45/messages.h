// IPv4.5 message bodies (docs/wire/ipv45.md): Client Hello and Server Hello at their
// exact sizes, the TLVs of identity material and CONTROL, ECHO, ERROR, KEEPALIVE, and
// the protected DATA container. Reprs hold spans into the parsed buffer.
#pragma once

#include <array>
#include <optional>
#include <span>

#include "base/wire.h"
#include "wire/ipv45/packet.h"

namespace nextip::ipv45 {

namespace handshake {
inline constexpr u8 kClientHello = 0x01;
inline constexpr u8 kServerHello = 0x02;
inline constexpr u8 kCookieChallenge = 0x03;  // body defined by the session engine
inline constexpr std::size_t kNonceLen = 32;
inline constexpr std::size_t kX25519Len = 32;
inline constexpr std::size_t kMlkemEkLen = 1184;
inline constexpr std::size_t kMlkemCtLen = 1088;
inline constexpr std::size_t kClientHelloLen = 4 + kNonceLen + kX25519Len + kMlkemEkLen;  // 1252
inline constexpr std::size_t kServerHelloLen = 4 + kNonceLen + kX25519Len + kMlkemCtLen;  // 1156
}  // namespace handshake

// Zero bytes that fixed-size fields point at until set (a fixed-extent span has no
// empty state).
inline constexpr std::array<std::byte, handshake::kMlkemEkLen> kZeros{};

enum class IdentityType : u8 { anonymous = 0, x509 = 1, did = 2, psk = 3 };
enum class CipherSuite : u8 { none = 0, aes256gcm = 1, chacha20poly1305 = 2 };
[[nodiscard]] std::string_view name(IdentityType t) noexcept;
[[nodiscard]] std::string_view name(CipherSuite s) noexcept;

namespace tlv {
inline constexpr u8 kPskIdentity = 0x01;
inline constexpr u8 kCookie = 0x02;
inline constexpr u8 kCertificateChain = 0x03;
inline constexpr u8 kDid = 0x04;
inline constexpr u8 kSignature = 0x05;
inline constexpr u8 kPadding = 0x06;
inline constexpr u8 kCritical = 0x80;  // unknown critical TLVs are refused
}  // namespace tlv

struct Tlv {
  u8 type = 0;
  Bytes value;
  std::size_t offset = 0;
};

// Type (1) Length (2) Value; errors name `area` ("ipv45.hs.identity").
class TlvWalker {
 public:
  TlvWalker(Bytes area, std::string_view field_name, std::size_t base_offset) noexcept
      : a_(area), name_(field_name), base_(base_offset) {}
  [[nodiscard]] WireResult<std::optional<Tlv>> next() noexcept;
  // Walks all: every TLV well formed.
  [[nodiscard]] static WireResult<int> validate(Bytes area, std::string_view field_name,
                                                std::size_t base_offset) noexcept;

 private:
  Bytes a_;
  std::string_view name_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

// Appends one TLV at buf[at…]; returns the new end.
std::size_t emit_tlv(MutBytes buf, std::size_t at, u8 type, Bytes value) noexcept;

struct ClientHello {
  IdentityType identity_type = IdentityType::anonymous;
  CipherSuite suites[2] = {CipherSuite::aes256gcm, CipherSuite::chacha20poly1305};
  std::span<const std::byte, handshake::kNonceLen> nonce{kZeros.data(), handshake::kNonceLen};
  std::span<const std::byte, handshake::kX25519Len> x25519{kZeros.data(), handshake::kX25519Len};
  std::span<const std::byte, handshake::kMlkemEkLen> mlkem_ek{kZeros.data(), handshake::kMlkemEkLen};
  Bytes identity;  // TLVs

  [[nodiscard]] static WireResult<ClientHello> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return handshake::kClientHelloLen + identity.size(); }
  void emit(MutBytes buf) const noexcept;
};

struct ServerHello {
  CipherSuite selected = CipherSuite::aes256gcm;
  u16 session_id = 0;
  std::span<const std::byte, handshake::kNonceLen> nonce{kZeros.data(), handshake::kNonceLen};
  std::span<const std::byte, handshake::kX25519Len> x25519{kZeros.data(), handshake::kX25519Len};
  std::span<const std::byte, handshake::kMlkemCtLen> mlkem_ct{kZeros.data(), handshake::kMlkemCtLen};
  Bytes identity;  // TLVs (identity material + signature)

  [[nodiscard]] static WireResult<ServerHello> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return handshake::kServerHelloLen + identity.size(); }
  void emit(MutBytes buf) const noexcept;
};

namespace control {
inline constexpr u8 kMapRequest = 0x01;
inline constexpr u8 kMapReply = 0x02;
inline constexpr u8 kInpRequest = 0x03;
inline constexpr u8 kInpResponse = 0x04;
inline constexpr u8 kMobilityNotification = 0x05;
inline constexpr u8 kMobilityAck = 0x06;
inline constexpr u8 kTlvEid = 0x01;
inline constexpr u8 kTlvSite = 0x02;
inline constexpr u8 kTlvLocator = 0x03;
inline constexpr u8 kTlvSlaClass = 0x04;
inline constexpr u8 kTlvTtl = 0x05;
inline constexpr u8 kTlvStatus = 0x06;
inline constexpr u8 kTlvNonce = 0x07;
}  // namespace control

struct Control {
  u8 subtype = 0;
  u8 flags = 0;
  Bytes tlvs;
  [[nodiscard]] static WireResult<Control> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return 4 + tlvs.size(); }
  void emit(MutBytes buf) const noexcept;
};

struct Echo {
  u8 subtype = 1;  // 1 request, 2 reply
  u16 identifier = 0;
  base::u32 sequence = 0;
  Bytes data;
  [[nodiscard]] static WireResult<Echo> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return 8 + data.size(); }
  void emit(MutBytes buf) const noexcept;
};

enum class ErrorCode : u8 {
  unspecified = 0,
  hop_limit_exceeded = 1,
  mtu_exceeded = 2,
  unreachable = 3,
  auth_failed = 4,
  policy_denied = 5,
};
[[nodiscard]] std::string_view name(ErrorCode c) noexcept;

struct Error {
  u8 code = 0;  // ErrorCode; 6-255 unassigned but carried
  u8 offending_type = 0;
  u16 info = 0;  // MTU for mtu_exceeded
  Bytes quoted;
  [[nodiscard]] static WireResult<Error> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return 8 + quoted.size(); }
  void emit(MutBytes buf) const noexcept;
};

struct Keepalive {
  u8 flags = 0;  // 0x80 reply requested, 0x40 reply
  u16 interval = 0;
  base::u32 sequence = 0;
  [[nodiscard]] static WireResult<Keepalive> parse(Bytes body) noexcept;
  [[nodiscard]] static constexpr std::size_t buffer_len() noexcept { return 8; }
  void emit(MutBytes buf) const noexcept;
};

// DATA with E set (IPV45-7): Session ID, reserved, 64-bit sequence, ciphertext ‖ tag.
struct Protected {
  static constexpr std::size_t kHeader = 12;
  static constexpr std::size_t kTag = 16;
  u16 session_id = 0;
  base::u64 sequence = 0;
  Bytes sealed;  // ciphertext followed by the 16-byte tag
  [[nodiscard]] static WireResult<Protected> parse(Bytes body) noexcept;
  [[nodiscard]] std::size_t buffer_len() const noexcept { return kHeader + sealed.size(); }
  void emit(MutBytes buf) const noexcept;
};

}  // namespace nextip::ipv45

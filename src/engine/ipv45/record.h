// The record layer of one session: key epochs, AEAD sealing and opening of protected
// packets, sequence numbers, replay windows, the key phase bit and the limits that make
// nonce reuse impossible (003 "Nonce Management", "Forward Secrecy and Key Rotation";
// docs/wire/ipv45.md "AEAD associated data" and "Rekey").
//
// A protected packet (DATA, KEEPALIVE, ECHO, rekey HANDSHAKE) is, unfragmented:
//   fixed header (24) ‖ Session ID (2) ‖ Key Phase (1) ‖ Reserved (1) ‖ Sequence (8) ‖
//   ciphertext ‖ tag (16)
//   nonce = Session ID ‖ 0x0000 ‖ Sequence
//   AAD   = the 24 header bytes with Hop Limit set to 0 ‖ the 12 container bytes
// Hop Limit is the only header field that changes in transit, so it is the only byte
// left out; Payload Length, Type, Flags, Next Header, Flow Label and both Site IDs and
// EIDs are covered, as are the Key Phase and the reserved byte.
//
// Up to three epochs live at once: `current` (sending and receiving), `previous` (receive
// only, kept previous_lifetime after a switch for packets in flight, then wiped) and
// `next` (a rekey responder's new keys, receive only until the initiator's first packet
// under them confirms the switch). previous and next never coexist, so the one key phase
// bit names an epoch unambiguously.
//
// Nonce reuse is impossible by construction: a sequence number is taken from the epoch's
// counter only inside seal(), the counter only grows, it never passes max_sequence
// (2^32 − 1 by default), every epoch has fresh keys, and a RecordLayer cannot be copied.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "base/expected.h"
#include "base/time.h"
#include "crypto/aead.h"
#include "engine/ipv45/counters.h"
#include "engine/ipv45/errors.h"
#include "engine/ipv45/key_schedule.h"
#include "engine/ipv45/output.h"
#include "engine/ipv45/replay_window.h"

namespace nextip::ipv45 {

inline constexpr std::size_t kContainerLen = 12;
inline constexpr std::size_t kTagLen = 16;
inline constexpr std::size_t kAadLen = kHeaderLen + kContainerLen;
inline constexpr std::size_t kProtectedOverhead = kHeaderLen + kContainerLen + kTagLen;  // 52
inline constexpr base::u8 kKeyPhaseBit = 0x01;

struct RecordLimits {
  // The largest sequence number sealed under one key: the draft's "before the sequence
  // number reaches 2^32". Lowered only by tests.
  base::u64 max_sequence = 0xffff'ffffULL;
  // The last sequence numbers before max_sequence are kept for rekey and keepalive
  // messages: DATA stops at max_sequence - control_reserve.
  base::u64 control_reserve = 1024;
  // Start a rekey once this many packets were sealed under the current key…
  base::u64 rekey_after_packets = 0xffff'ffffULL - 0x10000;
  // …or once the current key is this old (003: 3600 s).
  base::Duration rekey_after_time = base::seconds(3600);
  // DATA is refused under a key older than this (the rekey is overdue).
  base::Duration reject_after_time = base::seconds(3600 + 180);
  // How long the previous epoch stays for packets in flight after a switch.
  base::Duration previous_lifetime = base::seconds(30);
};

class RecordLayer {
 public:
  enum class Which : std::uint8_t { current, previous, next };
  struct Opened {
    Which which = Which::current;
    base::u64 sequence = 0;
    bool newest = false;  // the highest sequence number seen in its epoch so far
  };

  RecordLayer(Role role, base::u16 session_id, CipherSuite suite, const RecordLimits& limits) noexcept
      : role_(role), session_id_(session_id), suite_(suite), limits_(limits) {}
  RecordLayer(const RecordLayer&) = delete;
  RecordLayer& operator=(const RecordLayer&) = delete;
  RecordLayer(RecordLayer&&) noexcept = default;
  RecordLayer& operator=(RecordLayer&&) noexcept = default;

  // Epoch 0 from the handshake becomes current. The secrets are consumed (wiped).
  [[nodiscard]] Expected<void, SessionError> install_initial(keys::EpochSecrets&& s, base::Instant now) noexcept;
  // Rekey initiator, on the Server Hello: the new epoch becomes current at once (the
  // responder can already open it); the old current becomes previous.
  [[nodiscard]] Expected<void, SessionError> install_and_switch(keys::EpochSecrets&& s, base::Instant now) noexcept;
  // Rekey responder, on the Client Hello: the new epoch is installed as next (receive
  // only). A previous epoch still in its grace time is wiped now.
  [[nodiscard]] Expected<void, SessionError> install_next(keys::EpochSecrets&& s, base::Instant now) noexcept;
  // Rekey responder, on the first authenticated packet under next.
  void promote_next(base::Instant now) noexcept;
  void drop_next() noexcept { next_.reset(); }
  // Wipes the previous epoch (its grace time is over).
  void retire_previous() noexcept { previous_.reset(); }

  // Seals a protected packet in place. `packet` is the whole unfragmented packet: the
  // fixed header (Payload Length already set), 12 container bytes (written here), the
  // plaintext and 16 bytes for the tag. `control` packets (rekey, keepalive) may use the
  // reserved sequence numbers and expired keys; DATA may not. Returns the sequence number.
  [[nodiscard]] Expected<base::u64, SessionError> seal(base::Instant now, base::MutBytes packet, bool control) noexcept;

  // Opens a whole protected packet (header checked, no extension headers) into `out`
  // (packet.size() - 52 bytes). Replay state is updated only when it authenticates.
  // Drops are counted in `c` and return nullopt; `out` is then wiped.
  [[nodiscard]] std::optional<Opened> open(base::Bytes packet, base::MutBytes out, Counters& c) noexcept;

  // Whether a rekey is due by packet count or key age (the caller decides who starts it).
  [[nodiscard]] bool rekey_due_by_packets() const noexcept;
  [[nodiscard]] base::Instant current_installed() const noexcept { return current_->installed; }
  [[nodiscard]] std::optional<base::Instant> previous_expiry() const noexcept;
  [[nodiscard]] bool established() const noexcept { return current_.has_value(); }
  [[nodiscard]] bool has_next() const noexcept { return next_.has_value(); }
  [[nodiscard]] bool has_previous() const noexcept { return previous_.has_value(); }
  [[nodiscard]] base::u32 current_epoch() const noexcept { return current_ ? current_->number : 0; }
  [[nodiscard]] base::u64 tx_sequence() const noexcept { return current_ ? current_->tx_seq : 0; }
  // The chain secret the next rekey mixes in: the current epoch's.
  [[nodiscard]] base::Bytes chain() const noexcept { return current_->chain.span(); }
  [[nodiscard]] base::u16 session_id() const noexcept { return session_id_; }
  [[nodiscard]] CipherSuite suite() const noexcept { return suite_; }
  [[nodiscard]] const RecordLimits& limits() const noexcept { return limits_; }

  // Nonce and AAD exactly as documented above (exposed for tests and tools).
  [[nodiscard]] static std::array<std::byte, crypto::Aead::kNonceSize> nonce(base::u16 session_id,
                                                                             base::u64 seq) noexcept;
  [[nodiscard]] static std::array<std::byte, kAadLen> aad(base::Bytes packet) noexcept;

 private:
  struct Epoch {
    base::u32 number = 0;
    crypto::Aead tx;
    crypto::Aead rx;
    keys::Key chain;
    base::u64 tx_seq = 0;
    ReplayWindow replay;
    base::Instant installed;
  };
  [[nodiscard]] Expected<Epoch, SessionError> make_epoch(base::u32 number, keys::EpochSecrets&& s,
                                                         base::Instant now) const noexcept;
  [[nodiscard]] Epoch* epoch_for_phase(base::u8 phase, Which& which) noexcept;

  Role role_;
  base::u16 session_id_;
  CipherSuite suite_;
  RecordLimits limits_;
  std::optional<Epoch> current_, previous_, next_;
  base::Instant previous_since_;
};

}  // namespace nextip::ipv45

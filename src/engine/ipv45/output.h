// What an Endpoint call produces (sans-IO, STYLE rule 3): packets to send and typed
// events, written into storage the caller owns. Nothing here allocates.
//
// The caller hands an Output (an arena for bytes, arrays for transmits and events) to
// every call, sends the transmits, handles the events, then clear()s it. Spans in
// Transmit and Event point into the arena and stay valid until clear().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.h"
#include "wire/ipv45/messages.h"

namespace nextip::ipv45 {

// Where a packet comes from or goes to: the outer IPv4 address (the peer's Locator in
// Mode C) and UDP port. The engine never opens a socket; the I/O layer maps this.
struct PeerAddr {
  base::u32 locator = 0;
  base::u16 port = kPort;
  friend constexpr bool operator==(const PeerAddr&, const PeerAddr&) = default;
};

// Names a session across calls; a closed session's handle never matches a new one.
struct SessionHandle {
  base::u32 slot = 0;
  base::u32 generation = 0;  // 0: no session
  [[nodiscard]] constexpr bool valid() const noexcept { return generation != 0; }
  friend constexpr bool operator==(const SessionHandle&, const SessionHandle&) = default;
};

enum class Role : std::uint8_t { client, server };

// Why a session or a handshake ended.
enum class CloseReason : std::uint8_t {
  handshake_timeout,  // no Server Hello after the last retransmission
  peer_error,         // ERROR received for our Client Hello (Event::error_code says which)
  idle_timeout,       // no authenticated packet for idle_timeout
  rekey_timeout,      // a rekey did not complete in time; keys expired
  half_open_timeout,  // responder: the client never confirmed
  local,              // Endpoint::close()
};
[[nodiscard]] std::string_view name(CloseReason r) noexcept;

enum class EventKind : std::uint8_t {
  established,       // handshake complete; suite, peer
  delivered,         // DATA authenticated: next_header, data = plaintext
  rekeyed,           // a new key epoch is in use for sending: epoch
  echo_reply,        // identifier, sequence, data; authenticated = protected reply
  error_received,    // error_code, info, data = quoted bytes (advisory unless it aborted a handshake)
  handshake_failed,  // reason (+ error_code for peer_error); the session is gone
  closed,            // reason; the session is gone, its keys wiped
};
[[nodiscard]] std::string_view name(EventKind k) noexcept;

struct Event {
  EventKind kind = EventKind::delivered;
  SessionHandle session;
  PeerAddr peer;
  base::u8 next_header = 0;  // delivered
  base::Bytes data;          // delivered / echo_reply / error_received
  CloseReason reason = CloseReason::local;
  base::u8 error_code = 0;  // ErrorCode, for error_received and peer_error
  base::u16 info = 0;       // error_received: the MTU of MTU_EXCEEDED
  base::u32 epoch = 0;      // rekeyed
  base::u16 identifier = 0;
  base::u32 sequence = 0;
  CipherSuite suite = CipherSuite::none;  // established
  bool authenticated = false;             // echo_reply, error_received
};

struct Transmit {
  PeerAddr to;
  base::Bytes packet;  // the IPv4.5 packet from its fixed header (the UDP payload in Mode C)
};

class Output {
 public:
  Output(base::MutBytes arena, std::span<Transmit> transmits, std::span<Event> events) noexcept
      : arena_(arena), tx_(transmits), ev_(events) {}

  // The free part of the arena: write a packet or event data at its start, then commit.
  [[nodiscard]] base::MutBytes space() const noexcept { return arena_.subspan(used_); }
  [[nodiscard]] bool has_transmit_room(std::size_t n = 1) const noexcept { return n_tx_ + n <= tx_.size(); }
  [[nodiscard]] bool has_event_room() const noexcept { return n_ev_ < ev_.size(); }
  // Commits `len` bytes at the start of space() as a packet to `to`.
  void commit_transmit(PeerAddr to, std::size_t len) noexcept;
  // Commits `len` bytes at the start of space() as event data and returns them.
  [[nodiscard]] base::Bytes commit_data(std::size_t len) noexcept;
  void push_event(const Event& e) noexcept;

  [[nodiscard]] std::span<const Transmit> transmits() const noexcept { return tx_.first(n_tx_); }
  [[nodiscard]] std::span<const Event> events() const noexcept { return ev_.first(n_ev_); }
  [[nodiscard]] std::size_t bytes_used() const noexcept { return used_; }
  void clear() noexcept { used_ = n_tx_ = n_ev_ = 0; }

 private:
  base::MutBytes arena_;
  std::span<Transmit> tx_;
  std::span<Event> ev_;
  std::size_t used_ = 0, n_tx_ = 0, n_ev_ = 0;
};

// Storage for an Output, for callers that do not have their own (tests, tools). Large:
// allocate it once, not per packet.
template <std::size_t ArenaBytes = 64 * 1024, std::size_t MaxTransmits = 64, std::size_t MaxEvents = 64>
struct OutputStorage {
  std::array<std::byte, ArenaBytes> arena{};
  std::array<Transmit, MaxTransmits> transmits{};
  std::array<Event, MaxEvents> events{};
  Output output{arena, transmits, events};
};

}  // namespace nextip::ipv45

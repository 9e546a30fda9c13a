// Test helpers for the IPv4.5 session engine (tests only): two Endpoints over an
// in-memory link with a fake clock, owned copies of events, and optional fault injection
// (loss, duplication, reordering) on the link.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "crypto/rng.h"
#include "engine/ipv45/endpoint.h"

namespace nextip::ipv45::testing {

using Buf = std::vector<std::byte>;

inline Buf bytes_of(std::string_view s) {
  Buf b(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) b[i] = static_cast<std::byte>(s[i]);
  return b;
}

inline crypto::DeterministicRng make_rng(std::string_view seed) {
  auto r = crypto::DeterministicRng::create(base::Bytes(reinterpret_cast<const std::byte*>(seed.data()), seed.size()));
  if (!r) std::abort();
  return std::move(*r);
}

struct OwnedEvent {
  EventKind kind;
  SessionHandle session;
  PeerAddr peer;
  base::u8 next_header = 0;
  Buf data;
  CloseReason reason = CloseReason::local;
  base::u8 error_code = 0;
  base::u16 info = 0;
  base::u32 epoch = 0;
  base::u16 identifier = 0;
  base::u32 sequence = 0;
  CipherSuite suite = CipherSuite::none;
  bool authenticated = false;
};

inline OwnedEvent own(const Event& e) {
  return OwnedEvent{e.kind,     e.session,    e.peer,         e.next_header, Buf(e.data.begin(), e.data.end()),
                    e.reason,   e.error_code, e.info,         e.epoch,       e.identifier,
                    e.sequence, e.suite,      e.authenticated};
}

struct WirePacket {
  PeerAddr from;
  PeerAddr to;
  Buf bytes;
};

inline constexpr PeerAddr kAddrA{0xc0000201, 40000};  // 192.0.2.1:40000, the client
inline constexpr PeerAddr kAddrB{0xc6336401, 4242};   // 198.51.100.1:4242, the server
inline constexpr base::u16 kSiteA = 0x0a0a;
inline constexpr base::u16 kSiteB = 0x0b0b;
inline constexpr base::u64 kEidB = 0x0000'5e00'5301ULL;

inline EndpointConfig client_config() {
  EndpointConfig c;
  c.local_site = kSiteA;
  return c;
}

inline EndpointConfig server_config() {
  EndpointConfig c;
  c.local_site = kSiteB;
  c.listen_eid = kEidB;
  return c;
}

// Two endpoints, A (client) and B (server), and the packets between them.
class Pair {
 public:
  explicit Pair(EndpointConfig ca = client_config(), EndpointConfig cb = server_config(),
                std::unique_ptr<crypto::Kem> kem_a = nullptr, std::unique_ptr<crypto::Kem> kem_b = nullptr)
      : rng_a(make_rng("A")), rng_b(make_rng("B")), out_(std::make_unique<OutputStorage<256 * 1024, 256, 256>>()) {
    auto ea = Endpoint::create(ca, rng_a, now, std::move(kem_a));
    auto eb = Endpoint::create(cb, rng_b, now, std::move(kem_b));
    if (!ea || !eb) std::abort();
    a = std::move(*ea);
    b = std::move(*eb);
  }

  Output& out() { return out_->output; }
  Endpoint& ep(PeerAddr who) { return who == kAddrA ? *a : *b; }
  std::vector<OwnedEvent>& events(PeerAddr who) { return who == kAddrA ? events_a : events_b; }

  // Moves what `who` produced in out() onto the wire and into its event list.
  void collect(PeerAddr who) {
    for (const Transmit& t : out().transmits())
      wire.push_back(WirePacket{who, t.to, Buf(t.packet.begin(), t.packet.end())});
    for (const Event& e : out().events()) events(who).push_back(own(e));
    out().clear();
  }

  // Hands one packet to its destination (by locator).
  void deliver(const WirePacket& p) {
    const PeerAddr dst = p.to.locator == kAddrA.locator ? kAddrA : kAddrB;
    ep(dst).receive(now, p.from, p.bytes, out());
    collect(dst);
  }

  // Delivers until the wire is empty; `filter` may drop or alter packets (false = drop).
  void run(const std::function<bool(WirePacket&)>& filter = {}) {
    for (int guard = 0; !wire.empty() && guard < 100000; ++guard) {
      WirePacket p = std::move(wire.front());
      wire.pop_front();
      if (filter && !filter(p)) continue;
      deliver(p);
    }
  }

  // Runs both endpoints' timers that are due at `now`.
  void timers() {
    for (PeerAddr who : {kAddrA, kAddrB}) {
      for (int i = 0; i < 8; ++i) {
        const auto at = ep(who).poll_at();
        if (!at || *at > now) break;
        ep(who).on_timeout(now, out());
        collect(who);
      }
    }
  }

  // Advances the clock step by step to `until`, running timers and the wire.
  void advance(base::Duration d, base::Duration step = base::seconds(1)) {
    const base::Instant until = now + d;
    while (now < until) {
      now = std::min(until, now + step);
      timers();
      run();
    }
  }

  SessionHandle connect(ConnectParams p = {}) {
    if (p.peer.locator == 0) {
      p.peer = kAddrB;
      p.peer_site = kSiteB;
      p.peer_eid = kEidB;
    }
    auto h = a->connect(now, p, out());
    EXPECT_TRUE(h.has_value());
    collect(kAddrA);
    return h ? *h : SessionHandle{};
  }

  // Connects and completes the handshake; returns (client handle, server handle).
  std::pair<SessionHandle, SessionHandle> establish(ConnectParams p = {}) {
    const SessionHandle ha = connect(p);
    run();
    SessionHandle hb;
    for (const OwnedEvent& e : events_b) {
      if (e.kind == EventKind::established) hb = e.session;
    }
    EXPECT_TRUE(hb.valid());
    return {ha, hb};
  }

  std::size_t count(PeerAddr who, EventKind k) {
    std::size_t n = 0;
    for (const OwnedEvent& e : events(who)) n += e.kind == k;
    return n;
  }

  base::Instant now = base::Instant::origin() + base::seconds(1000);
  crypto::DeterministicRng rng_a, rng_b;
  std::unique_ptr<Endpoint> a, b;
  std::deque<WirePacket> wire;
  std::vector<OwnedEvent> events_a, events_b;

 private:
  std::unique_ptr<OutputStorage<256 * 1024, 256, 256>> out_;
};

// A Kem that counts the operations of the real one (responder work under a flood).
class CountingKem final : public crypto::Kem {
 public:
  explicit CountingKem(int* encaps, int* keygens = nullptr) : encaps_(encaps), keygens_(keygens) {
    auto k = crypto::make_mlkem768();
    if (!k) std::abort();
    inner_ = std::move(*k);
  }
  std::string_view name() const noexcept override { return inner_->name(); }
  std::string_view implementation() const noexcept override { return inner_->implementation(); }
  Sizes sizes() const noexcept override { return inner_->sizes(); }
  Expected<void, crypto::Error> keygen_derand(base::Bytes seed, base::MutBytes ek,
                                              base::MutBytes dk) noexcept override {
    if (keygens_ != nullptr) ++*keygens_;
    return inner_->keygen_derand(seed, ek, dk);
  }
  Expected<void, crypto::Error> encaps_derand(base::Bytes ek, base::Bytes m, base::MutBytes ct,
                                              base::MutBytes ss) noexcept override {
    ++*encaps_;
    return inner_->encaps_derand(ek, m, ct, ss);
  }
  Expected<void, crypto::Error> decaps(base::Bytes dk, base::Bytes ct, base::MutBytes ss) noexcept override {
    return inner_->decaps(dk, ct, ss);
  }

 private:
  std::unique_ptr<crypto::Kem> inner_;
  int* encaps_;
  int* keygens_;
};

}  // namespace nextip::ipv45::testing

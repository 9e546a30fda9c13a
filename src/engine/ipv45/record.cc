#include "engine/ipv45/record.h"

#include <algorithm>

namespace nextip::ipv45 {

std::array<std::byte, crypto::Aead::kNonceSize> RecordLayer::nonce(base::u16 session_id, base::u64 seq) noexcept {
  // 003 crypto-nonce: session_id (16) ‖ reserved (16, zero) ‖ sequence_no (64).
  std::array<std::byte, crypto::Aead::kNonceSize> n{};
  base::store_be16(n.data(), session_id);
  base::store_be64(n.data() + 4, seq);
  return n;
}

std::array<std::byte, kAadLen> RecordLayer::aad(base::Bytes packet) noexcept {
  std::array<std::byte, kAadLen> a{};
  std::copy_n(packet.begin(), kAadLen, a.begin());
  a[field::kHopLimit] = std::byte{0};  // the one mutable header byte (decision IPV45-21)
  return a;
}

Expected<RecordLayer::Epoch, SessionError> RecordLayer::make_epoch(base::u32 number, keys::EpochSecrets&& s,
                                                                   base::Instant now) const noexcept {
  const auto suite = static_cast<crypto::AeadSuite>(suite_);
  const keys::Key& tx_key = role_ == Role::client ? s.c2s : s.s2c;
  const keys::Key& rx_key = role_ == Role::client ? s.s2c : s.c2s;
  auto tx = crypto::Aead::create(suite, tx_key.span());
  auto rx = crypto::Aead::create(suite, rx_key.span());
  // The AEAD contexts hold their own key schedules; the raw keys go now.
  s.c2s.clear();
  s.s2c.clear();
  s.confirm.clear();
  if (!tx || !rx) {
    s.chain.clear();
    return nextip::unexpected(SessionError::crypto);
  }
  return Epoch{number, std::move(*tx), std::move(*rx), std::move(s.chain), 0, ReplayWindow{}, now};
}

Expected<void, SessionError> RecordLayer::install_initial(keys::EpochSecrets&& s, base::Instant now) noexcept {
  auto e = make_epoch(0, std::move(s), now);
  if (!e) return nextip::unexpected(e.error());
  current_.emplace(std::move(*e));
  previous_.reset();
  next_.reset();
  return {};
}

Expected<void, SessionError> RecordLayer::install_and_switch(keys::EpochSecrets&& s, base::Instant now) noexcept {
  auto e = make_epoch(current_->number + 1, std::move(s), now);
  if (!e) return nextip::unexpected(e.error());
  next_.reset();
  previous_ = std::move(current_);
  previous_since_ = now;
  current_.emplace(std::move(*e));
  return {};
}

Expected<void, SessionError> RecordLayer::install_next(keys::EpochSecrets&& s, base::Instant now) noexcept {
  auto e = make_epoch(current_->number + 1, std::move(s), now);
  if (!e) return nextip::unexpected(e.error());
  previous_.reset();  // its phase bit is about to name `next`
  next_.emplace(std::move(*e));
  return {};
}

void RecordLayer::promote_next(base::Instant now) noexcept {
  if (!next_) return;
  previous_ = std::move(current_);
  previous_since_ = now;
  current_ = std::move(next_);
  current_->installed = now;
  next_.reset();
}

std::optional<base::Instant> RecordLayer::previous_expiry() const noexcept {
  if (!previous_) return std::nullopt;
  return previous_since_ + limits_.previous_lifetime;
}

bool RecordLayer::rekey_due_by_packets() const noexcept {
  return current_ && current_->tx_seq >= limits_.rekey_after_packets;
}

Expected<base::u64, SessionError> RecordLayer::seal(base::Instant now, base::MutBytes packet, bool control) noexcept {
  if (!current_) return nextip::unexpected(SessionError::not_established);
  Epoch& e = *current_;
  const base::u64 limit = control ? limits_.max_sequence : limits_.max_sequence - limits_.control_reserve;
  if (e.tx_seq >= limit) return nextip::unexpected(SessionError::sequence_exhausted);
  if (!control && now - e.installed >= limits_.reject_after_time) return nextip::unexpected(SessionError::key_expired);
  const base::u64 seq = ++e.tx_seq;  // the only place a sequence number is taken

  std::byte* c = packet.data() + kHeaderLen;
  base::store_be16(c, session_id_);
  base::store_u8(c + 2, static_cast<base::u8>(e.number & kKeyPhaseBit));
  base::store_u8(c + 3, 0);
  base::store_be64(c + 4, seq);
  const auto n = nonce(session_id_, seq);
  const auto a = aad(packet);
  const base::MutBytes body = packet.subspan(kAadLen);
  const base::Bytes plaintext(body.data(), body.size() - kTagLen);
  if (auto r = e.tx.seal(n, a, plaintext, body); !r) return nextip::unexpected(SessionError::crypto);
  return seq;
}

RecordLayer::Epoch* RecordLayer::epoch_for_phase(base::u8 phase, Which& which) noexcept {
  if (current_ && (current_->number & kKeyPhaseBit) == phase) {
    which = Which::current;
    return &*current_;
  }
  if (previous_) {
    which = Which::previous;
    return &*previous_;
  }
  if (next_) {
    which = Which::next;
    return &*next_;
  }
  return nullptr;
}

std::optional<RecordLayer::Opened> RecordLayer::open(base::Bytes packet, base::MutBytes out, Counters& c) noexcept {
  const std::byte* cont = packet.data() + kHeaderLen;
  const base::u8 phase_byte = base::load_u8(cont + 2);
  if ((phase_byte & ~kKeyPhaseBit) != 0 || base::load_u8(cont + 3) != 0) {
    ++c.drop_reserved;
    return std::nullopt;
  }
  Which which = Which::current;
  Epoch* e = epoch_for_phase(phase_byte, which);
  if (e == nullptr) {
    ++c.drop_no_key;
    return std::nullopt;
  }
  const base::u64 seq = base::load_be64(cont + 4);
  switch (e->replay.check(seq)) {
    case ReplayWindow::Verdict::ok: break;
    case ReplayWindow::Verdict::replay: ++c.drop_replay; return std::nullopt;
    case ReplayWindow::Verdict::too_old: ++c.drop_too_old; return std::nullopt;
  }
  const auto n = nonce(session_id_, seq);
  const auto a = aad(packet);
  if (auto r = e->rx.open(n, a, packet.subspan(kAadLen), out); !r) {
    ++c.drop_aead;
    return std::nullopt;
  }
  const bool newest = seq > e->replay.max_seen();
  (void)e->replay.update(seq);
  return Opened{which, seq, newest};
}

}  // namespace nextip::ipv45

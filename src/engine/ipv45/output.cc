#include "engine/ipv45/output.h"

namespace nextip::ipv45 {

std::string_view name(CloseReason r) noexcept {
  switch (r) {
    case CloseReason::handshake_timeout: return "handshake_timeout";
    case CloseReason::peer_error: return "peer_error";
    case CloseReason::idle_timeout: return "idle_timeout";
    case CloseReason::rekey_timeout: return "rekey_timeout";
    case CloseReason::half_open_timeout: return "half_open_timeout";
    case CloseReason::local: return "local";
  }
  return "?";
}

std::string_view name(EventKind k) noexcept {
  switch (k) {
    case EventKind::established: return "established";
    case EventKind::delivered: return "delivered";
    case EventKind::rekeyed: return "rekeyed";
    case EventKind::echo_reply: return "echo_reply";
    case EventKind::error_received: return "error_received";
    case EventKind::handshake_failed: return "handshake_failed";
    case EventKind::closed: return "closed";
  }
  return "?";
}

void Output::commit_transmit(PeerAddr to, std::size_t len) noexcept {
  tx_[n_tx_++] = Transmit{to, base::Bytes(arena_.data() + used_, len)};
  used_ += len;
}

base::Bytes Output::commit_data(std::size_t len) noexcept {
  const base::Bytes b(arena_.data() + used_, len);
  used_ += len;
  return b;
}

void Output::push_event(const Event& e) noexcept {
  ev_[n_ev_++] = e;
}

}  // namespace nextip::ipv45

// libFuzzer: the IPv4.5 session engine on hostile bytes. The first byte picks a target:
//   0  a listening responder: Client Hellos (fragmented or not), cookies, ECHO, ERROR …
//   1  an initiator with a pending handshake: Server Hello, cookie challenge, ERROR
//   2  both ends of an established session: protected DATA, KEEPALIVE, ECHO, rekey
//   3  the handshake body parsers with round trips (cookie challenge, Client and Server
//      Hello inspection)
//   4  the reassembler on arbitrary fragments of a known packet (never a wrong result)
//   5  the replay window against a naive model
// Inputs for 0-2 are packets framed as [length (2)][bytes]; bit 0x80 of the first byte
// rewrites each packet's destination to the endpoint (and, for 2, its Session ID), so
// the fuzzer does not have to guess random EIDs.
#include <memory>
#include <set>

#include "engine/ipv45/cookie.h"
#include "engine/ipv45/endpoint.h"
#include "engine/ipv45/fragment.h"
#include "engine/ipv45/handshake.h"
#include "engine/ipv45/reassembly.h"
#include "engine/ipv45/replay_window.h"
#include "fuzz/packet_fuzz.h"

using namespace nextip;
using namespace nextip::ipv45;
using base::Bytes;

namespace {

constexpr PeerAddr kClientAddr{0xc0000201, 40000};
constexpr PeerAddr kServerAddr{0xc6336401, 4242};
constexpr base::u16 kServerSite = 0x0b0b;
constexpr base::u64 kServerEid = 0x5e005301;
const base::Instant kNow = base::Instant::origin() + base::seconds(1000);

// A fresh stream per call: every input sees the same randomness (reproducible crashes).
std::unique_ptr<crypto::DeterministicRng> rng(std::string_view seed) {
  auto d = crypto::DeterministicRng::create(Bytes(reinterpret_cast<const std::byte*>(seed.data()), seed.size()));
  fuzz::require(d.has_value());
  return std::make_unique<crypto::DeterministicRng>(std::move(*d));
}

EndpointConfig config(bool server) {
  EndpointConfig c;
  c.local_site = server ? kServerSite : 0x0a0a;
  if (server) c.listen_eid = kServerEid;
  c.reassembly.slots = 8;
  return c;
}

OutputStorage<128 * 1024, 128, 128>& storage() {
  static auto* s = new OutputStorage<128 * 1024, 128, 128>();
  s->output.clear();
  return *s;
}

// Splits [len][bytes]… and hands each packet to `f`.
template <class F>
void for_each_packet(Bytes in, F f) {
  std::vector<std::byte> pkt;
  while (in.size() >= 2) {
    const std::size_t len = std::min<std::size_t>(base::load_be16(in.data()), in.size() - 2);
    pkt.assign(in.begin() + 2, in.begin() + 2 + static_cast<std::ptrdiff_t>(len));
    f(pkt);
    in = in.subspan(2 + len);
  }
}

void aim(std::vector<std::byte>& pkt, base::u16 site, base::u64 eid) {
  if (pkt.size() < kHeaderLen) return;
  base::store_be64(pkt.data() + field::kDstSite, (base::u64{site} << 48) | (eid & kEidMask));
}

void responder(Bytes in, bool aim_at, bool cookies) {
  auto c = config(true);
  c.cookie_mode = cookies ? CookieMode::always : CookieMode::never;
  auto r = rng("fuzz responder");
  auto ep = Endpoint::create(c, *r, kNow);
  fuzz::require(ep.has_value());
  Output& out = storage().output;
  for_each_packet(in, [&](std::vector<std::byte>& p) {
    if (aim_at) aim(p, kServerSite, kServerEid);
    (*ep)->receive(kNow, kClientAddr, p, out);
    out.clear();
  });
  (*ep)->on_timeout(kNow + base::seconds(61), out);
  fuzz::require((*ep)->reassembly_in_use() == 0);
}

void initiator(Bytes in, bool aim_at) {
  auto r = rng("fuzz initiator");
  auto ep = Endpoint::create(config(false), *r, kNow);
  fuzz::require(ep.has_value());
  Output& out = storage().output;
  ConnectParams cp;
  cp.peer = kServerAddr;
  cp.peer_site = kServerSite;
  cp.peer_eid = kServerEid;
  auto h = (*ep)->connect(kNow, cp, out);
  fuzz::require(h.has_value());
  const base::u64 eid = (*ep)->info(*h)->addressing.local_eid;
  out.clear();
  for_each_packet(in, [&](std::vector<std::byte>& p) {
    if (aim_at) aim(p, 0x0a0a, eid);
    (*ep)->receive(kNow, kServerAddr, p, out);
    out.clear();
  });
}

struct Established {
  std::unique_ptr<crypto::DeterministicRng> ra = rng("fuzz a"), rb = rng("fuzz b");
  std::unique_ptr<Endpoint> a, b;
  SessionHandle ha;
};

Established& established() {
  static Established* e = [] {
    auto* s = new Established;
    auto a = Endpoint::create(config(false), *s->ra, kNow);
    auto b = Endpoint::create(config(true), *s->rb, kNow);
    fuzz::require(a.has_value() && b.has_value());
    s->a = std::move(*a);
    s->b = std::move(*b);
    Output& out = storage().output;
    ConnectParams cp;
    cp.peer = kServerAddr;
    cp.peer_site = kServerSite;
    cp.peer_eid = kServerEid;
    s->ha = *s->a->connect(kNow, cp, out);
    // Shuttle until quiet.
    for (int round = 0; round < 8; ++round) {
      std::vector<std::pair<PeerAddr, std::vector<std::byte>>> wire;
      for (const Transmit& t : out.transmits())
        wire.emplace_back(t.to, std::vector<std::byte>(t.packet.begin(), t.packet.end()));
      out.clear();
      if (wire.empty()) break;
      for (auto& [to, bytes] : wire) {
        Endpoint& dst = to == kServerAddr ? *s->b : *s->a;
        dst.receive(kNow, to == kServerAddr ? kClientAddr : kServerAddr, bytes, out);
      }
    }
    fuzz::require(s->a->info(s->ha)->state == Session::State::established);
    return s;
  }();
  return *e;
}

void session(Bytes in, bool aim_at) {
  Established& e = established();
  Output& out = storage().output;
  const auto ia = *e.a->info(e.ha);
  for_each_packet(in, [&](std::vector<std::byte>& p) {
    if (aim_at && p.size() >= kHeaderLen + 2) {
      aim(p, ia.addressing.local_site, ia.addressing.local_eid);
      base::store_be64(p.data() + field::kSrcSite, (base::u64{ia.addressing.peer_site} << 48) | ia.addressing.peer_eid);
      base::store_be16(p.data() + kHeaderLen, ia.session_id);
    }
    e.a->receive(kNow, kServerAddr, p, out);
    e.b->receive(kNow, kClientAddr, p, out);
    // Nothing forged ever authenticates.
    for (const Event& ev : out.events()) fuzz::require(ev.kind != EventKind::delivered);
    out.clear();
  });
}

void parsers(Bytes in) {
  if (auto c = CookieChallenge::parse(in)) {
    std::vector<std::byte> out(c->buffer_len());
    c->emit(out);
    auto back = CookieChallenge::parse(out);
    fuzz::require(back.has_value() && back->buffer_len() == out.size());
  }
  if (auto ch = inspect_client_hello(in)) {
    fuzz::require(ch->signed_part.size() <= in.size() && ch->signed_part.size() >= handshake::kClientHelloLen);
    fuzz::require(ch->mac.empty() || ch->mac.size() == 32);
  }
  if (auto sh = inspect_server_hello(in)) {
    fuzz::require(sh->mac.size() == 32 && sh->signed_part.size() + 35 <= in.size());
  }
}

void reassembly(Bytes in) {
  // A known packet; the input chooses fragment boundaries, order, duplicates and damage.
  std::vector<std::byte> body(1500);
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<std::byte>(i * 13);
  ReassemblyLimits lim;
  lim.slots = 4;
  Reassembler r(lim);
  Counters c;
  std::vector<std::byte> frag;
  while (in.size() >= 5) {
    const std::size_t off = (base::load_be16(in.data()) % 200) * 8;
    const std::size_t len = std::min<std::size_t>(base::load_u8(in.data() + 2) * 8u + 8u, 1400);
    const bool more = (base::load_u8(in.data() + 3) & 1) != 0;
    const base::u32 ident = base::load_u8(in.data() + 4) & 3;
    in = in.subspan(5);
    if (off >= body.size()) continue;
    const std::size_t n = std::min(len, body.size() - off);
    frag.assign(kHeaderLen + 8 + n, std::byte{0});
    HeaderRepr h;
    h.type = Type::handshake;
    h.flags = static_cast<base::u8>(flag::kF | (more ? flag::kM : 0));
    h.next_header = ext::kFragmentation;
    h.payload_len = static_cast<base::u16>(8 + n);
    h.emit(frag);
    emit_fragment_header(base::MutBytes(frag).subspan(kHeaderLen),
                         FragmentHeader{ext::kNoNextHeader, static_cast<base::u16>(off / 8), more, ident, 0});
    std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(off), n, frag.begin() + kHeaderLen + 8);
    auto v = HeaderView<Bytes>::checked(frag);
    auto chain = v ? walk_chain(*v) : WireResult<Chain>(nextip::unexpected(base::WireError{}));
    if (!chain || !chain->fragment) continue;
    if (auto whole = r.add(kNow, kClientAddr, *v, *chain->fragment, c)) {
      // Whatever completes is a prefix of the one packet every fragment came from.
      const Bytes got = whole->subspan(kHeaderLen);
      fuzz::require(got.size() <= body.size() && std::equal(got.begin(), got.end(), body.begin()));
    }
    fuzz::require(r.in_use() <= lim.slots);
  }
}

void replay(Bytes in) {
  ReplayWindow w;
  std::set<base::u64> seen;
  base::u64 top = 0, seq = 1;
  while (in.size() >= 2) {
    const auto delta = static_cast<std::int16_t>(base::load_be16(in.data()));
    in = in.subspan(2);
    seq = delta < 0 && static_cast<base::u64>(-delta) >= seq
              ? 0
              : static_cast<base::u64>(static_cast<std::int64_t>(seq) + delta);
    bool ok = seq != 0 && !seen.contains(seq) && (seq > top || top - seq < ReplayWindow::kSize);
    fuzz::require((w.update(seq) == ReplayWindow::Verdict::ok) == ok);
    if (ok) {
      seen.insert(seq);
      top = std::max(top, seq);
    }
    if (seq == 0) seq = 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Bytes in = fuzz::as_bytes(data + 1, size - 1);
  const bool aim_at = (data[0] & 0x80) != 0;
  switch (data[0] & 0x0f) {
    case 0: responder(in, aim_at, (data[0] & 0x40) != 0); break;
    case 1: initiator(in, aim_at); break;
    case 2: session(in, aim_at); break;
    case 3: parsers(in); break;
    case 4: reassembly(in); break;
    case 5: replay(in); break;
    default: break;
  }
  return 0;
}

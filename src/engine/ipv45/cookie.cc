#include "engine/ipv45/cookie.h"

#include <algorithm>

#include "engine/ipv45/key_schedule.h"

namespace nextip::ipv45 {

namespace {

base::u32 seconds_of(base::Instant t) noexcept {
  return static_cast<base::u32>(std::chrono::duration_cast<base::seconds>(t.since_origin()).count());
}

}  // namespace

WireResult<CookieChallenge> CookieChallenge::parse(base::Bytes body) noexcept {
  constexpr base::FieldSpan kLayout[] = {{"ipv45.cookie.subtype", 0, 1},
                                         {"ipv45.cookie.reserved", 1, 1},
                                         {"ipv45.cookie.length", 2, 2},
                                         {"ipv45.cookie.nonce", 4, 32}};
  if (body.size() < cookie::kChallengeFixedLen) return nextip::unexpected(base::first_missing(kLayout, body.size()));
  if (base::load_u8(body.data()) != handshake::kCookieChallenge) {
    return base::wire_fail(base::WireErrc::bad_value, "ipv45.cookie.subtype", 0);
  }
  if (base::load_u8(body.data() + 1) != 0) {
    return base::wire_fail(base::WireErrc::reserved_nonzero, "ipv45.cookie.reserved", 1);
  }
  const std::size_t len = base::load_be16(body.data() + 2);
  if (len == 0 || len > cookie::kMaxLen) return base::wire_fail(base::WireErrc::bad_length, "ipv45.cookie.length", 2);
  if (cookie::kChallengeFixedLen + len > body.size()) {
    return base::wire_fail(base::WireErrc::truncated, "ipv45.cookie.value", cookie::kChallengeFixedLen);
  }
  CookieChallenge c;
  c.nonce = std::span<const std::byte, handshake::kNonceLen>(body.data() + 4, handshake::kNonceLen);
  c.cookie = body.subspan(cookie::kChallengeFixedLen, len);
  return c;
}

void CookieChallenge::emit(base::MutBytes buf) const noexcept {
  std::byte* p = buf.data();
  base::store_u8(p, handshake::kCookieChallenge);
  base::store_u8(p + 1, 0);
  base::store_be16(p + 2, static_cast<base::u16>(cookie.size()));
  std::copy(nonce.begin(), nonce.end(), p + 4);
  std::copy(cookie.begin(), cookie.end(), p + cookie::kChallengeFixedLen);
}

Expected<std::array<std::byte, cookie::kMacLen>, crypto::Error> CookieJar::mac(const Secret& s, base::u32 ts,
                                                                               const CookieBinding& b) noexcept {
  std::array<std::byte, 4 + 4 + 2 + 8 + 8 + handshake::kNonceLen> msg{};
  std::byte* p = msg.data();
  base::store_be32(p, ts);
  base::store_be32(p + 4, b.from.locator);
  base::store_be16(p + 8, b.from.port);
  base::store_be64(p + 10, (base::u64{b.src_site} << 48) | (b.src_eid & kEidMask));
  base::store_be64(p + 18, (base::u64{b.dst_site} << 48) | (b.dst_eid & kEidMask));
  std::copy(b.client_nonce.begin(), b.client_nonce.end(), p + 26);
  auto full = keys::hmac(s.key.span(), msg);
  if (!full) return nextip::unexpected(full.error());
  std::array<std::byte, cookie::kMacLen> out{};
  std::copy_n(full->begin(), cookie::kMacLen, out.begin());
  return out;
}

Expected<void, crypto::Error> CookieJar::mint(base::Instant now, crypto::Rng& rng, const CookieBinding& b,
                                              std::span<std::byte, cookie::kLen> out) noexcept {
  const base::u32 ts = seconds_of(now);
  const auto rotate_s = static_cast<base::u32>(std::chrono::duration_cast<base::seconds>(rotate_every_).count());
  if (!current_.set || ts - current_.since >= rotate_s || ts < current_.since) {
    Secret fresh;
    if (auto r = rng.fill(fresh.key.mut_span()); !r) return nextip::unexpected(r.error());
    fresh.since = ts;
    fresh.set = true;
    previous_ = std::move(current_);
    current_ = std::move(fresh);
  }
  auto m = mac(current_, ts, b);
  if (!m) return nextip::unexpected(m.error());
  base::store_be32(out.data(), ts);
  std::copy(m->begin(), m->end(), out.begin() + 4);
  return {};
}

bool CookieJar::verify(base::Instant now, const CookieBinding& b, base::Bytes cookie) const noexcept {
  if (cookie.size() != cookie::kLen) return false;
  const base::u32 ts = base::load_be32(cookie.data());
  const base::u32 now_s = seconds_of(now);
  const auto life_s = static_cast<base::u32>(std::chrono::duration_cast<base::seconds>(lifetime_).count());
  if (ts > now_s || now_s - ts > life_s) return false;
  const Secret* s = nullptr;
  if (current_.set && ts >= current_.since) {
    s = &current_;
  } else if (previous_.set && ts >= previous_.since) {
    s = &previous_;
  }
  if (s == nullptr) return false;
  auto m = mac(*s, ts, b);
  return m && crypto::ct_equal(*m, cookie.subspan(4));
}

}  // namespace nextip::ipv45

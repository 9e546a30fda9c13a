// GENEVE (RFC 8926) as ASIP transit uses it (001 §12.3): the §12.3 vector of
// packets.tsv, option TLVs and their bounds, the critical-option rule (RFC 8926 §3.5),
// the truncation sweep and randomized Repr round trips.
#include "wire/inet/geneve.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace nextip::inet {
namespace {

using Buf = std::vector<std::byte>;

Buf hex(std::string_view h) {
  Buf out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::byte>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}
Bytes bs(const Buf& b, std::size_t n) {
  return Bytes(b.data(), n);
}
Bytes bs(const Buf& b) {
  return Bytes(b.data(), b.size());
}
template <class T>
std::string err(const WireResult<T>& r) {
  if (r) return "ok";
  return std::string(base::code_name(r.error().code)) + " " + std::string(r.error().field) + "@" +
         std::to_string(r.error().offset);
}
std::string expect(WireErrc c, std::string_view field, std::size_t offset) {
  return std::string(base::code_name(c)) + " " + std::string(field) + "@" + std::to_string(offset);
}

// packets.tsv "12.3-geneve-asip" from the GENEVE header on: version 0, no options,
// protocol 0x88B5 (decision ASIP-11), VNI 1, then the first bytes of the inner ASIP packet.
const Buf kAsipTransit = hex("000088b50000010080000000007806400000");
// Three option words: class 0x0102 type 0x80 (critical) with 4 data bytes, then class
// 0xffff type 0x05 with none; C flag, protocol 0x6558, VNI 0xabcdef; payload "inner!".
const Buf kWithOptions =
    hex("03406558abcdef00010280"
        "01deadbeef"
        "ffff0500"
        "696e6e657221");

TEST(Geneve, DeconstructSection123Vector) {
  auto v = GeneveView<Bytes>::checked(bs(kAsipTransit));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->version(), 0);
  EXPECT_EQ(v->opt_len_words(), 0);
  EXPECT_EQ(v->header_len(), 8u);
  EXPECT_FALSE(v->oam());
  EXPECT_FALSE(v->critical());
  EXPECT_EQ(v->reserved_flags(), 0);
  EXPECT_EQ(v->protocol(), 34997);  // packets.tsv geneve.proto_type=34997
  EXPECT_EQ(v->vni(), 1u);
  EXPECT_EQ(v->reserved_byte(), 0);
  EXPECT_TRUE(v->options().empty());
  ASSERT_EQ(v->payload().size(), 10u);
  EXPECT_EQ(v->payload()[0], std::byte{0x80});  // ASIP version 8
  EXPECT_EQ(kGenevePort, 6081);
  auto r = GeneveRepr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->oam);
  EXPECT_FALSE(r->critical);
  EXPECT_EQ(r->protocol, 0x88b5);
  EXPECT_EQ(r->vni, 1u);
  EXPECT_TRUE(r->options.empty());
  EXPECT_EQ(r->header_len(), 8u);
}

TEST(Geneve, EmitWritesExactlyTheVectorHeader) {
  const GeneveRepr r{false, false, 0x88b5, 1, {}};
  Buf out(12, std::byte{0x99});
  r.emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(Buf(out.begin(), out.begin() + 8), Buf(kAsipTransit.begin(), kAsipTransit.begin() + 8));
  EXPECT_EQ(out[8], std::byte{0x99});
}

TEST(Geneve, OptionsAreWalkedAndKept) {
  auto v = GeneveView<Bytes>::checked(bs(kWithOptions));
  ASSERT_TRUE(v) << err(v);
  EXPECT_EQ(v->opt_len_words(), 3);
  EXPECT_EQ(v->header_len(), 20u);
  EXPECT_TRUE(v->critical());
  EXPECT_FALSE(v->oam());
  EXPECT_EQ(v->protocol(), 0x6558);
  EXPECT_EQ(v->vni(), 0xabcdefu);
  EXPECT_EQ(v->options().size(), 12u);
  EXPECT_EQ(v->payload().size(), 6u);
  GeneveOptionWalker w(v->options());
  auto o1 = w.next();
  ASSERT_TRUE(o1 && *o1);
  EXPECT_EQ((*o1)->option_class, 0x0102);
  EXPECT_EQ((*o1)->type, 0x80);
  EXPECT_TRUE((*o1)->critical());
  EXPECT_EQ((*o1)->data.size(), 4u);
  EXPECT_EQ((*o1)->data[0], std::byte{0xde});
  EXPECT_EQ((*o1)->offset, 0u);
  auto o2 = w.next();
  ASSERT_TRUE(o2 && *o2);
  EXPECT_EQ((*o2)->option_class, 0xffff);
  EXPECT_EQ((*o2)->type, 5);
  EXPECT_FALSE((*o2)->critical());
  EXPECT_TRUE((*o2)->data.empty());
  EXPECT_EQ((*o2)->offset, 8u);
  auto end = w.next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);

  auto r = GeneveRepr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->critical);
  EXPECT_EQ(r->vni, 0xabcdefu);
  EXPECT_EQ(r->options.size(), 12u);
  EXPECT_EQ(r->header_len(), 20u);
  Buf out(20, std::byte{0});
  r->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, Buf(kWithOptions.begin(), kWithOptions.begin() + 20));
}

TEST(Geneve, OptionLengthIgnoresItsReservedBits) {
  // RFC 8926 §3.5: the three R bits above the 5-bit length are ignored on receipt.
  Buf b = kWithOptions;
  b[11] = std::byte{0xe1};
  auto v = GeneveView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v) << err(v);
  GeneveOptionWalker w(v->options());
  auto o = w.next();
  ASSERT_TRUE(o && *o);
  EXPECT_EQ((*o)->data.size(), 4u);
}

TEST(Geneve, UnknownCriticalOptionMakesThePacketUndeliverable) {
  auto v = GeneveView<Bytes>::checked(bs(kWithOptions));
  ASSERT_TRUE(v);
  const auto nothing_known = [](u16, u8) { return false; };
  const auto first_known = [](u16 c, u8 t) { return c == 0x0102 && t == 0x80; };
  EXPECT_TRUE(geneve_has_unknown_critical(v->options(), nothing_known));
  EXPECT_FALSE(geneve_has_unknown_critical(v->options(), first_known));
  // Only the non-critical option: never undeliverable.
  const Buf only_plain = hex("ffff0500");
  EXPECT_FALSE(geneve_has_unknown_critical(bs(only_plain), nothing_known));
  EXPECT_FALSE(geneve_has_unknown_critical(Bytes{}, nothing_known));
}

TEST(Geneve, TruncationSweepNamesTheMissingField) {
  const char* names[] = {"geneve.version", "geneve.flags", "geneve.proto_type", "geneve.proto_type",
                         "geneve.vni",     "geneve.vni",   "geneve.vni",        "geneve.reserved"};
  const std::size_t offs[] = {0, 1, 2, 2, 4, 4, 4, 7};
  for (const Buf* m : {&kAsipTransit, &kWithOptions}) {
    for (std::size_t n = 0; n < 8; ++n) {
      EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(*m, n))), expect(WireErrc::truncated, names[n], offs[n])) << n;
    }
  }
  for (std::size_t n = 8; n < 20; ++n) {
    EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(kWithOptions, n))), expect(WireErrc::truncated, "geneve.options", 8))
        << n;
  }
  for (std::size_t n = 20; n <= kWithOptions.size(); ++n) {
    EXPECT_TRUE(GeneveView<Bytes>::checked(bs(kWithOptions, n))) << n;  // GENEVE has no length field
  }
}

TEST(Geneve, VersionOtherThanZeroIsRefused) {
  for (int ver = 1; ver < 4; ++ver) {
    Buf b = kAsipTransit;
    b[0] = static_cast<std::byte>(ver << 6);
    EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(b))), expect(WireErrc::bad_version, "geneve.version", 0)) << ver;
  }
}

TEST(Geneve, OptionLengthPastTheEndIsBadOption) {
  // Two option words, the option says 1 + 2 words.
  const Buf a = hex("02006558000001000102800211111111");
  EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(a))), expect(WireErrc::bad_option, "geneve.option.length", 11));
  // The second option, at option offset 4, runs past the end.
  const Buf b = hex("02006558000001000102800001028005");
  EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(b))), expect(WireErrc::bad_option, "geneve.option.length", 15));
  // Options area bigger than the bytes given.
  const Buf c = hex("3f006558000001000102800001028000");
  EXPECT_EQ(err(GeneveView<Bytes>::checked(bs(c))), expect(WireErrc::truncated, "geneve.options", 8));
}

TEST(Geneve, WalkerRefusesAPartialOptionHeader) {
  const Buf area = hex("0102");
  GeneveOptionWalker w(bs(area));
  auto o = w.next();
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, WireErrc::bad_option);
  EXPECT_EQ(o.error().field, "geneve.option.length");
}

TEST(Geneve, ReservedFieldsAreIgnoredOnReceiptAndSentAsZero) {
  Buf b = kAsipTransit;
  b[1] = std::byte{0x3f};  // reserved flag bits
  b[7] = std::byte{0xff};  // reserved byte
  auto v = GeneveView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->reserved_flags(), 0x3f);
  EXPECT_EQ(v->reserved_byte(), 0xff);
  auto r = GeneveRepr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (GeneveRepr{false, false, 0x88b5, 1, {}}));
  Buf out(8);
  r->emit(MutBytes(out.data(), out.size()));
  EXPECT_EQ(out, Buf(kAsipTransit.begin(), kAsipTransit.begin() + 8));
}

TEST(Geneve, OamFlag) {
  Buf b = kAsipTransit;
  b[1] = std::byte{0x80};
  auto v = GeneveView<Bytes>::checked(bs(b));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->oam());
  EXPECT_FALSE(v->critical());
  auto r = GeneveRepr::parse(*v);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->oam);
}

TEST(Geneve, RandomizedRoundTrip) {
  std::mt19937_64 rng(8926);
  for (int i = 0; i < 3000; ++i) {
    // Well-formed options filling up to 63 words.
    Buf opts;
    const std::size_t words = rng() % 20;
    while (opts.size() < 4 * words) {
      const std::size_t room = words - opts.size() / 4 - 1;
      const std::size_t dw = room == 0 ? 0 : rng() % (std::min<std::size_t>(room, 31) + 1);
      opts.push_back(static_cast<std::byte>(rng()));
      opts.push_back(static_cast<std::byte>(rng()));
      opts.push_back(static_cast<std::byte>(rng()));
      opts.push_back(static_cast<std::byte>(dw));
      for (std::size_t k = 0; k < 4 * dw; ++k) opts.push_back(static_cast<std::byte>(rng()));
    }
    const GeneveRepr r{(rng() & 1) != 0, (rng() & 1) != 0, static_cast<u16>(rng()), static_cast<u32>(rng() & 0xffffff),
                       bs(opts)};
    Buf b(r.header_len() + rng() % 16);
    r.emit(MutBytes(b.data(), b.size()));
    auto v = GeneveView<Bytes>::checked(bs(b));
    ASSERT_TRUE(v) << err(v) << " #" << i;
    auto p = GeneveRepr::parse(*v);
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, r) << i;
  }
}

}  // namespace
}  // namespace nextip::inet

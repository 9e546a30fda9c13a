#!/usr/bin/env python3
"""Rewrites an RFC 7915 vector row (Jool's SIIT suite) for the ASIP side of nextip's
translator: every IPv6 header, outer or quoted inside an ICMP error, becomes an ASIP
header (version 8), next header 58 becomes 143 (ICMP-ASIP, 001 §15.5), every IPv6
address becomes the ASIP address that plays the same part, and the transport and ICMP
checksums follow (RFC 1624 updates over the pseudo-header change, so quoted packets cut
short stay consistent). IPv4 packets are left as they are.

Address parts, in the vectors' network (their README):
  - hosts on the IPv6 side with IPv4 addresses in 192.0.2.0/24 (n6, via pool6) and
    1.0.0.0/24 (via EAM) are ASIP hosts 0.0.59.65:0:0:h (the locator of 001 §12.7);
    the translator owns those IPv4 addresses (--pool4) and knows their locator
    (--locator, 001 §12.7.3 (ii));
  - every other address that pool6 or the EAMT maps to IPv4 address a is an IPv4 host:
    ::a (IPv4-mapped, 001 §3.3), as is the pool6 form of an ASIP host's IPv4 address
    (what an ASIP host addresses to reach it through IPv4: hairpinning);
  - the translator's own IPv6 address is its ASIP address 0.0.59.65:0:0:198.51.100.1;
  - an address that neither maps is a foreign ASIP node 0.0.251.240:0:0:<low 32 bits>.

Rows that cannot mean the same in ASIP mode are skipped with the reason (SKIP below).
The row's configuration is rewritten too: pool6/EAMT dropped, pool4 and locators added,
and the knobs where nextip's ASIP defaults differ from RFC 7915 set back to RFC 7915's
(fragment IDs truncated, no Fragment-header MTU adjustment, generated IPv4 IDs), so the
expected bytes stay the row's; those ASIP defaults have their own vectors
(asip_12_7_test.py).

    asipify.py MANIFEST_DIR OUT_DIR   writes every converted row (for inspection)"""
import ipaddress
import pathlib
import struct
import sys
from dataclasses import dataclass, field

ASIP_LOCATOR = (15169 << 64)        # r = 0.0.59.65, z = s = 0, in bits 96..127 once shifted
LOCATOR_TEXT = "0.0.59.65"
FOREIGN_R = 64496                   # 0.0.251.240, documentation ASN (RFC 5398)
ASIP_SIDE = [ipaddress.ip_network("192.0.2.0/24"), ipaddress.ip_network("1.0.0.0/24")]
OWN_V6 = int(ipaddress.IPv6Address("2001:db8:1c0:2:1::"))
OWN_ASIP_TEXT = "0.0.59.65:0.0.0.0:0.0.0.0:198.51.100.1"
OWN_ASIP = (15169 << 96) | int(ipaddress.IPv4Address("198.51.100.1"))

SKIP = {
    "6791v46t": "pool6=null leaves 2.0.0.2 without an IPv6 form; in ASIP mode every IPv4 address has one "
                "(::a, 001 §3.3), so the RFC 6791 source on the ASIP side never arises",
    "6791v66t": "the quoted packet runs between two IPv4-side addresses (::1.0.0.1 -> ::10.0.0.10); an "
                "ASIP error quoting it names no host the translator serves (001 §12.2); ASIP hairpinned "
                "errors are tested in translator_test.cc",
}


# --- checksums -----------------------------------------------------------------------
def csum_add(a, b):
    s = a + b
    return (s & 0xFFFF) + (s >> 16)


def words_sum(data: bytes):
    if len(data) % 2:
        data += b"\0"
    s = 0
    for (w,) in struct.iter_unpack("!H", data):
        s = csum_add(s, w)
    return s


def checksum(data: bytes):
    return (~words_sum(data)) & 0xFFFF


def update(old_csum, removed: int, added: int):
    """RFC 1624 eqn. 3 with sums of several words: ~(~HC + ~m + m')."""
    s = csum_add((~old_csum) & 0xFFFF, (~removed) & 0xFFFF)
    s = csum_add(s, added)
    return (~s) & 0xFFFF


def pseudo_sum(src: int, dst: int, nh: int):
    return words_sum(src.to_bytes(16, "big") + dst.to_bytes(16, "big") + bytes([0, nh]))


# --- the row's SIIT address map ------------------------------------------------------
@dataclass
class SiitMap:
    pool6: ipaddress.IPv6Network | None
    eamt: list = field(default_factory=list)  # (IPv6Network, IPv4Network)

    @staticmethod
    def from_config(config: str):
        kv = dict(x.split("=", 1) for x in config.split(";") if x)
        pool6 = None if kv.get("pool6", "null") == "null" else ipaddress.ip_network(kv["pool6"])
        eamt = []
        if kv.get("eamt", "null") != "null":
            for e in kv["eamt"].split("|"):
                v6, v4 = e.split("=")
                eamt.append((ipaddress.ip_network(v6), ipaddress.ip_network(v4)))
        return SiitMap(pool6, eamt)

    def to_v4(self, a: int):
        """(IPv4 address, 'eam'|'pool6') or (None, None)."""
        addr = ipaddress.IPv6Address(a)
        best = None
        for v6, v4 in self.eamt:
            if addr in v6 and (best is None or v6.prefixlen > best[0].prefixlen):
                best = (v6, v4)
        if best:
            v6, v4 = best
            suffix = 32 - v4.prefixlen
            bits = (a >> (128 - v6.prefixlen - suffix)) & ((1 << suffix) - 1)
            return ipaddress.IPv4Address(int(v4.network_address) | bits), "eam"
        if self.pool6 and addr in self.pool6:
            n = self.pool6.prefixlen
            at = {32: [4, 5, 6, 7], 40: [5, 6, 7, 9], 48: [6, 7, 9, 10], 56: [7, 9, 10, 11], 64: [9, 10, 11, 12],
                  96: [12, 13, 14, 15]}[n]
            b = a.to_bytes(16, "big")
            return ipaddress.IPv4Address(bytes(b[i] for i in at)), "pool6"
        return None, None

    def eam_covers(self, v4: ipaddress.IPv4Address):
        return any(v4 in n for _, n in self.eamt)


def asip_of(m: SiitMap, a: int) -> int:
    if a == OWN_V6:
        return OWN_ASIP
    v4, via = m.to_v4(a)
    if v4 is None:
        return (FOREIGN_R << 96) | (a & 0xFFFFFFFF)
    h = int(v4)
    on_asip_side = any(v4 in n for n in ASIP_SIDE)
    if on_asip_side and (via == "eam" or not m.eam_covers(v4)):
        return (15169 << 96) | h
    return h  # IPv4-mapped


# --- packet rewriting ----------------------------------------------------------------
EXT = (0, 43, 60)


def convert_v6(m: SiitMap, pkt: bytearray, quoted: bool):
    """Rewrites the IPv6 packet in place (it may be cut short when quoted)."""
    if len(pkt) < 40 or pkt[0] >> 4 != 6:
        return
    pkt[0] = (pkt[0] & 0x0F) | 0x80
    src = int.from_bytes(pkt[8:24], "big")
    dst = int.from_bytes(pkt[24:40], "big")
    nsrc, ndst = asip_of(m, src), asip_of(m, dst)
    pkt[8:24] = nsrc.to_bytes(16, "big")
    pkt[24:40] = ndst.to_bytes(16, "big")
    plen = struct.unpack("!H", pkt[4:6])[0]
    # Walk the chain, rewriting next-header 58 wherever it appears.
    nh_at = 6
    pos = 40
    first_fragment = True
    while True:
        nh = pkt[nh_at]
        if nh == 58:
            pkt[nh_at] = 143
        if nh in EXT and pos + 2 <= len(pkt):
            nh_at = pos
            pos += (pkt[pos + 1] + 1) * 8
            continue
        if nh == 44 and pos + 8 <= len(pkt):
            first_fragment = (struct.unpack("!H", pkt[pos + 2:pos + 4])[0] >> 3) == 0
            nh_at = pos
            pos += 8
            if not first_fragment:
                if pkt[nh_at] == 58:
                    pkt[nh_at] = 143
                return
            continue
        break
    upper = nh
    l4 = pos
    if l4 > len(pkt) or not first_fragment:
        return
    old_ps = pseudo_sum(src, dst, upper)
    if upper in (6, 17):
        off = l4 + (16 if upper == 6 else 6)
        if off + 2 <= len(pkt):
            c = struct.unpack("!H", pkt[off:off + 2])[0]
            if upper == 17 and c == 0:
                return
            new = update(c, pseudo_sum(src, dst, 0), pseudo_sum(nsrc, ndst, 0))
            if upper == 17 and new == 0:
                new = 0xFFFF
            pkt[off:off + 2] = struct.pack("!H", new)
        return
    if upper != 58 or l4 + 4 > len(pkt):
        return
    typ = pkt[l4]
    if typ < 128 and l4 + 8 <= len(pkt):  # an error: rewrite the quoted packet too
        data_end = len(pkt)
        if typ in (1, 3) and pkt[l4 + 4] != 0:
            data_end = min(len(pkt), l4 + 8 + pkt[l4 + 4] * 8)
        inner = bytearray(pkt[l4 + 8:data_end])
        convert_v6(m, inner, True)
        pkt[l4 + 8:data_end] = inner
    if not quoted and plen + 40 == len(pkt):
        # The whole message is here: recompute.
        ln = len(pkt) - l4
        pkt[l4 + 2:l4 + 4] = b"\0\0"
        s = words_sum(nsrc.to_bytes(16, "big") + ndst.to_bytes(16, "big") + struct.pack("!IxxxB", ln, 143))
        s = csum_add(s, words_sum(bytes(pkt[l4:])))
        pkt[l4 + 2:l4 + 4] = struct.pack("!H", (~s) & 0xFFFF)
    else:
        c = struct.unpack("!H", pkt[l4 + 2:l4 + 4])[0]
        pkt[l4 + 2:l4 + 4] = struct.pack("!H", update(c, old_ps, pseudo_sum(nsrc, ndst, 143)))
    del old_ps


def convert_packet(m: SiitMap, pkt: bytes) -> bytes:
    if pkt and pkt[0] >> 4 == 6:
        b = bytearray(pkt)
        convert_v6(m, b, False)
        return bytes(b)
    return pkt


@dataclass
class Converted:
    input: bytes = b""
    expected: list = field(default_factory=list)
    args: list = field(default_factory=list)
    skip: str | None = None


def convert_row(row, inp: bytes, expected):
    if row["input"] in SKIP:
        return Converted(skip=SKIP[row["input"]])
    m = SiitMap.from_config(row["config"])
    kv = dict(x.split("=", 1) for x in row["config"].split(";") if x)
    args = ["--pool4", ",".join(str(n) for n in ASIP_SIDE)]
    for n in ASIP_SIDE:
        args += ["--locator", f"{n}={LOCATOR_TEXT}"]
    for k in ("rfc6791v4-prefix", "lowest-ipv6-mtu", "amend-udp-checksum-zero", "mtu.translator.v6",
              "mtu.translator.v4"):
        if k in kv:
            args += [f"--{k}", kv[k]]
    args += ["--own-v4", "198.51.100.1", "--own-v6", OWN_ASIP_TEXT,
             "--fragment-id", "truncate", "--max-fragmented-flows", "1000",
             "--fragment-header-mtu-adjust", "0", "--ipv4-id", "generate"]
    return Converted(convert_packet(m, inp), [convert_packet(m, e) for e in expected], args)


def main():
    import jool_vectors
    root = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for row in jool_vectors.read_manifest(root):
        d = root / row["dir"]
        c = convert_row(row, (d / f"{row['input']}.pkt").read_bytes(),
                        [(d / f"{e}.pkt").read_bytes() for e in row["expected"].split(",")])
        if c.skip:
            print(f"skip {row['input']}: {c.skip}")
            continue
        (out / f"{row['input']}.asip").write_bytes(c.input)
        for e, b in zip(row["expected"].split(","), c.expected):
            (out / f"{e}.asip").write_bytes(b)
    return 0


if __name__ == "__main__":
    sys.exit(main())

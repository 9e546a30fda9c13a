#!/usr/bin/env python3
"""001 §12.7.1-§12.7.8 (the ASIP<->IPv4 translation walkthrough) as byte-exact vectors,
run through `nextip translate --mode asip`, in both directions, with real checksums.

    asip_12_7_test.py PATH/TO/nextip

Every input packet and every expected output is built here, independently of nextip,
from the field descriptions of 001 §5 (the ASIP header: IPv6's 40-byte layout with
version 8; ICMP-ASIP is next header 143 with ICMPv6 numbering; transport and ICMP-ASIP
checksums over the IPv6 pseudo-header of RFC 8200 §8.1 with the ASIP addresses
verbatim), §12.2 and §12.7, RFC 791/792/793/768/1071, RFC 7915 and RFC 8200. nextip's
output is then compared byte for byte. An ASIP address r:z:s:h is 16 bytes r, z, s, h
(32 bits each, big-endian); "15169::192.0.2.1" is r=0.0.59.65, z=s=0, h=192.0.2.1.

One line per case (ok / FAIL with the first differing offsets and both hex strings),
then "N passed, M failed"; exit status 1 on any failure."""
import ipaddress
import json
import os
import struct
import subprocess
import sys
import tempfile

NEXTIP = None

# ---------------------------------------------------------------------------------------
# Packet building (RFC 791, 793, 768, 792, 1071; 001 §5, §12.7; RFC 8200 §4.5, §8.1)
# ---------------------------------------------------------------------------------------

PROTO_ICMP, PROTO_TCP, PROTO_UDP, NH_FRAG, NH_ICMP_ASIP = 1, 6, 17, 44, 143


def cksum(data: bytes) -> int:
    """RFC 1071 Internet checksum (the value to store in the field)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def v4(a: str) -> bytes:
    return ipaddress.IPv4Address(a).packed


def _word(x) -> bytes:
    return struct.pack("!I", x) if isinstance(x, int) else v4(x)


def asip(r, h, z=0, s=0) -> bytes:
    """The 16-byte ASIP address r:z:s:h (each an int or a dotted quad)."""
    return _word(r) + _word(z) + _word(s) + _word(h)


def ipv4_header(src, dst, proto, total_len, ttl=64, tos=0, ident=0, df=False, mf=False, off=0) -> bytes:
    """20-byte IPv4 header with a valid header checksum; off in bytes (multiple of 8)."""
    assert off % 8 == 0
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (off // 8)
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, total_len, ident, flags, ttl, proto, 0, v4(src), v4(dst))
    return h[:10] + struct.pack("!H", cksum(h)) + h[12:]


def ipv4(src, dst, proto, payload, **kw) -> bytes:
    return ipv4_header(src, dst, proto, 20 + len(payload), **kw) + payload


def asip_header(src, dst, nh, plen, hlim=64, tc=0, flow=0) -> bytes:
    """40-byte ASIP header (001 §5.1): version 8, TC, flow label, payload length, NH, hop limit."""
    assert len(src) == 16 and len(dst) == 16
    return struct.pack("!IHBB", (8 << 28) | (tc << 20) | flow, plen, nh, hlim) + src + dst


def asip_pkt(src, dst, nh, payload, **kw) -> bytes:
    return asip_header(src, dst, nh, len(payload), **kw) + payload


def frag_hdr(nh, off, m, ident) -> bytes:
    """8-byte Fragment extension header (RFC 8200 §4.5): off in bytes, 32-bit Identification."""
    assert off % 8 == 0
    return struct.pack("!BBHI", nh, 0, off | (1 if m else 0), ident)


def pseudo(src, dst, proto, length) -> bytes:
    """IPv4 pseudo-header (RFC 793/768) for 4-byte addresses; for 16-byte ASIP addresses
    the IPv6 layout of RFC 8200 §8.1 with the ASIP addresses verbatim (001 §12.7.1)."""
    if len(src) == 4:
        return src + dst + struct.pack("!BBH", 0, proto, length)
    return src + dst + struct.pack("!IxxxB", length, proto)


def with_cksum(seg: bytes, at: int, src=None, dst=None, proto=None) -> bytes:
    """Store the checksum of seg (over the pseudo-header if addresses are given) at offset at."""
    seg = seg[:at] + b"\0\0" + seg[at + 2:]
    ph = pseudo(src, dst, proto, len(seg)) if src is not None else b""
    return seg[:at] + struct.pack("!H", cksum(ph + seg)) + seg[at + 2:]


def tcp(src, dst, sport, dport, seq=0x01020304, ack=0x0A0B0C0D, flags=0x18, win=0xFAF0, opts=b"", data=b"") -> bytes:
    """TCP segment with the checksum computed over src/dst's pseudo-header (4 or 16 bytes)."""
    assert len(opts) % 4 == 0
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, ((20 + len(opts)) // 4) << 4, flags, win, 0, 0) + opts
    return with_cksum(hdr + data, 16, src, dst, PROTO_TCP)


def udp(src, dst, sport, dport, data=b"") -> bytes:
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    seg = with_cksum(seg, 6, src, dst, PROTO_UDP)
    assert seg[6:8] != b"\0\0"  # (a zero sum is sent as FFFF; our payloads never hit it)
    return seg


def icmp4(typ, code, rest: bytes, body=b"") -> bytes:
    """ICMPv4 message, checksum over the message (RFC 792)."""
    return with_cksum(struct.pack("!BBH", typ, code, 0) + rest + body, 2)


def icmpa(src, dst, typ, code, rest: bytes, body=b"") -> bytes:
    """ICMP-ASIP message (NH 143, ICMPv6 numbering), checksum over the ASIP pseudo-header."""
    return with_cksum(struct.pack("!BBH", typ, code, 0) + rest + body, 2, src, dst, NH_ICMP_ASIP)


def payload(n, seed=0) -> bytes:
    return bytes((i * 7 + seed) & 0xFF for i in range(n))


def ipv4_header_ok(p: bytes) -> bool:
    ihl = (p[0] & 15) * 4
    return cksum(p[:ihl]) == 0


# ---------------------------------------------------------------------------------------
# The walkthrough's addresses (001 §12.7 "Notation")
# ---------------------------------------------------------------------------------------

R = 15169  # 0.0.59.65
S8 = asip(R, "192.0.2.1")                # 15169::192.0.2.1
S8_0 = asip(0, "192.0.2.1")              # ::192.0.2.1 (locator lost)
D8M = asip(0, "198.51.100.1")            # ::198.51.100.1
S4, D4 = v4("192.0.2.1"), v4("198.51.100.1")
ROUTER4 = "203.0.113.1"
OWN4 = "198.51.100.254"
OWN8 = asip(R, "198.51.100.254")
BASE = ["translate", "--mode", "asip", "--pool4", "192.0.2.0/24", "--own-v4", OWN4,
        "--own-v6", "15169::198.51.100.254", "--json", "--hex"]
STATIC = ["--locator", "192.0.2.0/24=0.0.59.65"]
BIG_MTU = ["--mtu.translator.v6", "9000", "--mtu.translator.v4", "9000"]


def fwd_tcp(hlim=64, data=payload(100), sport=49152, dport=80, src=S8, dst=D8M):
    """§12.7.1's inbound packet: 40-byte ASIP header + 20-byte TCP + 100-byte payload."""
    return asip_pkt(src, dst, PROTO_TCP, tcp(src, dst, sport, dport, data=data), hlim=hlim)


def fwd_tcp_as_v4(ttl, data=payload(100), sport=49152, dport=80, src="192.0.2.1", dst="198.51.100.1", **kw):
    """The IPv4 packet §12.7.1 prints (TTL as given)."""
    return ipv4(src, dst, PROTO_TCP, tcp(v4(src), v4(dst), sport, dport, data=data), ttl=ttl, **kw)


# ---------------------------------------------------------------------------------------
# Running nextip and reporting
# ---------------------------------------------------------------------------------------

RESULTS = []


def record(name, err):
    RESULTS.append((name, err))
    print(f"ok    {name}" if err is None else f"FAIL  {name}: {err}")


def diff(got: bytes, want: bytes, ignore=()):
    ignore = set(ignore)
    offs = [i for i in range(max(len(got), len(want)))
            if i not in ignore and (i >= len(got) or i >= len(want) or got[i] != want[i])]
    if not offs and len(got) == len(want):
        return None
    shown = ", ".join(str(i) for i in offs[:12]) + (" …" if len(offs) > 12 else "")
    return (f"length {len(got)} (want {len(want)}); differing offsets {shown}\n"
            f"        got  {got.hex()}\n        want {want.hex()}")


class Run:
    """One nextip invocation over several packets (one translator, state carries over)."""

    def __init__(self, args, inputs, stats=True):
        self.error, self.results, self.stats = None, [], None
        with tempfile.TemporaryDirectory() as d:
            files = []
            for i, (side, data) in enumerate(inputs):
                path = os.path.join(d, f"p{i}.{side}")
                with open(path, "wb") as f:
                    f.write(data)
                files.append(f"{side}:{path}")
            cmd = [NEXTIP, *BASE, *(["--stats"] if stats else []), *args, *files]
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.cmd = " ".join(cmd[1:])
        if p.returncode != 0:
            self.error = f"nextip exited {p.returncode}: {p.stderr.strip()} (nextip {self.cmd})"
            return
        try:
            objs = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        except ValueError as e:
            self.error = f"unparsable output ({e}): {p.stdout[:300]}"
            return
        self.results = [o for o in objs if "stats" not in o]
        st = [o["stats"] for o in objs if "stats" in o]
        self.stats = st[0] if st else None
        if len(self.results) != len(inputs):
            self.error = f"{len(self.results)} results for {len(inputs)} inputs"

    def outputs(self, i):
        return [bytes.fromhex(o["hex"]) for o in self.results[i]["outputs"]]

    def describe(self, i):
        r = self.results[i]
        why = f" ({r.get('reason')}: {r.get('reason_text')})" if r.get("reason") else ""
        return f"verdict {r.get('verdict')}{why}"


def check_packets(name, run, i, wants, side, verdict="translated", ignore=(), extra=None):
    """Input i must give `verdict` and exactly the packets `wants` on `side`."""
    if run.error:
        return record(name, run.error)
    r = run.results[i]
    errs = []
    if r.get("verdict") != verdict:
        errs.append(f"{run.describe(i)}, want {verdict}")
    outs = r.get("outputs", [])
    if len(outs) != len(wants):
        errs.append(f"{len(outs)} output(s), want {len(wants)}")
    for k, (o, want) in enumerate(zip(outs, wants)):
        if o.get("side") != side:
            errs.append(f"output {k + 1} on side {o.get('side')}, want {side}")
        got = bytes.fromhex(o["hex"])
        if o.get("bytes") not in (None, len(got)):
            errs.append(f"output {k + 1}: bytes {o.get('bytes')} but hex has {len(got)}")
        d = diff(got, want, ignore)
        if d:
            errs.append(f"output {k + 1}: {d}")
    if extra and not errs:
        e = extra(run)
        if e:
            errs.append(e)
    record(name, "; ".join(errs) if errs else None)


def check_drop(name, run, i, reason):
    if run.error:
        return record(name, run.error)
    r = run.results[i]
    errs = []
    if r.get("verdict") != "dropped" or r.get("reason") != reason:
        errs.append(f"{run.describe(i)}, want dropped ({reason})")
    if r.get("outputs"):
        errs.append(f"{len(r['outputs'])} output(s), want none")
    if run.stats is not None and run.stats.get("drops", {}).get(reason, 0) < 1:
        errs.append(f"stats drops {run.stats.get('drops')} lack {reason}")
    record(name, "; ".join(errs) if errs else None)


def stat_is(key, want):
    def f(run):
        if run.stats is None:
            return "no stats line"
        if run.stats.get(key) != want:
            return f"stats {key} = {run.stats.get(key)}, want {want}"
        return None
    return f


# ---------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------

def builders_match_the_printed_bytes():
    """Our builders against the bytes 001 §12.7.1 prints (a check of this script itself)."""
    a = fwd_tcp()
    want_a = bytes.fromhex("80000000 00780640 00003b41 00000000 00000000 c0000201"
                           " 00000000 00000000 00000000 c6336401".replace(" ", ""))
    b = fwd_tcp_as_v4(64)
    want_b = bytes.fromhex("4500008c 00000000 4006".replace(" ", ""))
    err = diff(a[:40], want_a) or diff(b[:10], want_b) or diff(b[12:20], S4 + D4)
    if not err and (cksum(pseudo(S8, D8M, 6, 120) + a[40:]) != 0 or not ipv4_header_ok(b)
                    or cksum(pseudo(S4, D4, 6, 120) + b[20:]) != 0):
        err = "checksum self-check failed"
    record("self-check: builders reproduce §12.7.1's printed header bytes", err)


def case_12_7_1():
    # ASIP -> IPv4, TTL kept as printed.
    r = Run(["--decrement-ttl", "0"], [("asip", fwd_tcp())])
    check_packets("12.7.1 ASIP->IPv4 TCP, --decrement-ttl 0: printed header, TTL 64, TCP checksum for IPv4",
                  r, 0, [fwd_tcp_as_v4(64)], "v4")
    # Default: a translator is a router (decision ASIP-10).
    r = Run([], [("asip", fwd_tcp())])
    check_packets("12.7.1 ASIP->IPv4 TCP, default: TTL 63", r, 0, [fwd_tcp_as_v4(63)], "v4")
    # Hop limit 1 with decrement: the translator may not forward it as TTL 0.
    r = Run([], [("asip", fwd_tcp(hlim=1))])
    if not r.error:
        outs = r.outputs(0)
        bad = [o for o in outs if o[0] >> 4 == 4 and o[8] == 0 and o[9] == PROTO_TCP]
        record("12.7.1 hop limit 1: never emitted as an IPv4 packet with TTL 0",
               f"emitted with TTL 0: {bad[0].hex()}" if bad else None)
    # TCP options pass through byte for byte; only the checksum changes.
    opts = bytes.fromhex("020405b4" "0402" "080a" "0001e240" "00000000" "01" "030307")
    for name, flags, data in (("SYN with MSS/SACK-perm/timestamp/window-scale", 0x02, b""),
                              ("data segment with timestamp option", 0x18, payload(64, 3))):
        o = opts if flags == 0x02 else bytes.fromhex("0101080a0001e2410000beef")
        a = asip_pkt(S8, D8M, PROTO_TCP, tcp(S8, D8M, 49153, 443, flags=flags, opts=o, data=data))
        want = ipv4("192.0.2.1", "198.51.100.1", PROTO_TCP, tcp(S4, D4, 49153, 443, flags=flags, opts=o, data=data),
                    ttl=64)
        check_packets(f"12.7.1 TCP options untouched ({name})", Run(["--decrement-ttl", "0"], [("asip", a)]),
                      0, [want], "v4")
    # UDP and traffic class -> TOS.
    a = asip_pkt(S8, D8M, PROTO_UDP, udp(S8, D8M, 5353, 53, payload(33)), tc=0x2E)
    want = ipv4("192.0.2.1", "198.51.100.1", PROTO_UDP, udp(S4, D4, 5353, 53, payload(33)), ttl=63, tos=0x2E)
    check_packets("12.7.1 ASIP->IPv4 UDP, checksum for IPv4, traffic class copied to TOS",
                  Run([], [("asip", a)]), 0, [want], "v4")
    # Size boundary of RFC 7915 §5.1: <= 1260 bytes DF=0 and ID 0, above it DF=1 and an ID.
    a = fwd_tcp(data=payload(1220))   # IPv4 total 20+20+1220 = 1260
    check_packets("12.7.1 IPv4 output of exactly 1260 bytes: DF=0, ID=0",
                  Run([], [("asip", a)]), 0, [fwd_tcp_as_v4(63, data=payload(1220))], "v4")
    for n in (1221, 1360):
        a = fwd_tcp(data=payload(n))
        want = fwd_tcp_as_v4(63, data=payload(n), df=True)

        def hdr_ok(run):
            p = run.outputs(0)[0]
            return None if ipv4_header_ok(p) else f"IPv4 header checksum invalid: {p[:20].hex()}"
        check_packets(f"12.7.1 IPv4 output of {40 + n} bytes (> 1260): DF=1, ID generated, header checksum valid",
                      Run([], [("asip", a)]), 0, [want], "v4", ignore=(4, 5, 10, 11), extra=hdr_ok)


def v4_reply(tos=0, data=payload(50, 1)):
    """D4's reply: Src=198.51.100.1, Dst=192.0.2.1, ports swapped, DF=1."""
    return ipv4("198.51.100.1", "192.0.2.1", PROTO_TCP, tcp(D4, S4, 80, 49152, seq=0x0A0B0C0D, ack=0x01020368,
                                                           data=data), ttl=64, tos=tos, df=True, ident=0x3C3C)


def asip_reply(dst, hlim=63, tc=0, data=payload(50, 1)):
    return asip_pkt(D8M, dst, PROTO_TCP, tcp(D8M, dst, 80, 49152, seq=0x0A0B0C0D, ack=0x01020368, data=data),
                    hlim=hlim, tc=tc)


def case_12_7_1_reverse():
    r = Run([], [("asip", fwd_tcp()), ("v4", v4_reply())])
    check_packets("12.7.1 reverse with state: forward packet first, reply gets D=15169::192.0.2.1",
                  r, 1, [asip_reply(S8)], "asip", extra=stat_is("locator_missing", 0))
    r = Run(["--decrement-ttl", "0"], [("asip", fwd_tcp()), ("v4", v4_reply(tos=0x28))])
    check_packets("12.7.1 reverse with state, --decrement-ttl 0: hop limit 64, TOS copied to traffic class",
                  r, 1, [asip_reply(S8, hlim=64, tc=0x28)], "asip")
    r = Run([], [("v4", v4_reply())])
    check_packets("12.7.1 reverse without state or mapping: D=::192.0.2.1, locator_missing 1",
                  r, 0, [asip_reply(S8_0)], "asip", extra=stat_is("locator_missing", 1))
    r = Run(STATIC, [("v4", v4_reply())])
    check_packets("12.7.1 reverse with --locator 192.0.2.0/24=0.0.59.65: D=15169::192.0.2.1 without state",
                  r, 0, [asip_reply(S8)], "asip", extra=stat_is("locator_missing", 0))
    # State is per flow: a reply to another host of the pool has no locator.
    other = ipv4("198.51.100.1", "192.0.2.77", PROTO_TCP, tcp(D4, v4("192.0.2.77"), 80, 49152), ttl=64, df=True)
    d77 = asip(0, "192.0.2.77")
    want = asip_pkt(D8M, d77, PROTO_TCP, tcp(D8M, d77, 80, 49152), hlim=63)
    r = Run([], [("asip", fwd_tcp()), ("v4", other)])
    check_packets("12.7.1 reverse: state of 192.0.2.1 does not leak to a reply for 192.0.2.77",
                  r, 1, [want], "asip")


def case_12_7_2():
    ident, seq, data = 0x4242, 7, payload(56, 9)
    req = asip_pkt(S8, D8M, NH_ICMP_ASIP, icmpa(S8, D8M, 128, 0, struct.pack("!HH", ident, seq), data))
    want_req = ipv4("192.0.2.1", "198.51.100.1", PROTO_ICMP, icmp4(8, 0, struct.pack("!HH", ident, seq), data),
                    ttl=63)
    rep = ipv4("198.51.100.1", "192.0.2.1", PROTO_ICMP, icmp4(0, 0, struct.pack("!HH", ident, seq), data),
               ttl=64, ident=0x7777)
    want_rep = asip_pkt(D8M, S8, NH_ICMP_ASIP, icmpa(D8M, S8, 129, 0, struct.pack("!HH", ident, seq), data),
                        hlim=63)
    r = Run([], [("asip", req), ("v4", rep)])
    check_packets("12.7.2 ICMP-ASIP echo request 128 -> ICMPv4 8, id/seq/payload kept, checksum recomputed",
                  r, 0, [want_req], "v4")
    check_packets("12.7.2 ICMPv4 echo reply 0 -> ICMP-ASIP 129 with the locator restored (same run)",
                  r, 1, [want_rep], "asip", extra=stat_is("locator_missing", 0))
    want_rep0 = asip_pkt(D8M, S8_0, NH_ICMP_ASIP, icmpa(D8M, S8_0, 129, 0, struct.pack("!HH", ident, seq), data),
                         hlim=63)
    check_packets("12.7.2 echo reply without state: D=::192.0.2.1",
                  Run([], [("v4", rep)]), 0, [want_rep0], "asip", extra=stat_is("locator_missing", 1))
    # A reply to another echo identifier is another flow.
    rep2 = ipv4("198.51.100.1", "192.0.2.1", PROTO_ICMP, icmp4(0, 0, struct.pack("!HH", 0x4243, seq), data), ttl=64)
    r = Run([], [("asip", req), ("v4", rep2)])
    if not r.error:
        outs = r.outputs(1)
        record("12.7.2 echo reply translated (any locator) for an unrelated identifier",
               None if len(outs) == 1 and outs[0][:1] == b"\x80" else f"{r.describe(1)}")


def case_locator_state():
    """001 §12.7.1/§12.7.2: the reply reaches the originating host with its full r:z:s:h;
    §14.15: bounded state, and an evicted entry is never replaced by a fabricated one."""
    h1, h2 = "192.0.2.1", "192.0.2.2"
    a1, a2 = asip(R, h1), asip(64496, h2, z=7, s="0.0.1.9")

    def fwd(src):
        return asip_pkt(src, D8M, PROTO_UDP, udp(src, D8M, 3000, 53, payload(12)))

    def rep(h):
        return ipv4("198.51.100.1", h, PROTO_UDP, udp(D4, v4(h), 53, 3000, payload(12, 1)), ttl=64)

    def want(dst):
        return asip_pkt(D8M, dst, PROTO_UDP, udp(D8M, dst, 53, 3000, payload(12, 1)), hlim=63)
    r = Run([], [("asip", fwd(a1)), ("asip", fwd(a2)), ("v4", rep(h1)), ("v4", rep(h2))])
    check_packets("12.7.1 state is per host: reply to 192.0.2.1 gets 15169::192.0.2.1", r, 2, [want(a1)], "asip")
    check_packets("12.7.2 state keeps the full r:z:s: reply to 192.0.2.2 gets 64496:0.0.0.7:0.0.1.9:192.0.2.2",
                  r, 3, [want(a2)], "asip")
    r = Run(["--locator", "192.0.2.0/25=0.0.251.240:0.0.0.7:0.0.1.9"], [("v4", rep(h2))])
    check_packets("12.7.3 (ii) static mapping R:Z:S: reply to 192.0.2.2 gets 64496:0.0.0.7:0.0.1.9:192.0.2.2",
                  r, 0, [want(a2)], "asip")
    r = Run(["--locator-capacity", "1"], [("asip", fwd(a1)), ("asip", fwd(a2)), ("v4", rep(h2)), ("v4", rep(h1))])
    check_packets("14.15 --locator-capacity 1: the most recent flow's locator is restored", r, 2, [want(a2)], "asip")
    if not r.error:
        outs = r.outputs(3)
        okd = (asip(R, h1), asip(0, h1))
        record("14.15 --locator-capacity 1: the evicted host's reply gets its own locator or none, never another's",
               None if len(outs) == 1 and outs[0][24:40] in okd else
               f"{r.describe(3)}: {[o.hex() for o in outs]}")


def quoted_fwd_v4(ttl=64, total=None, df=False, mf=False, ident=0, off=0, sport=49152, dport=80):
    """The first 28 bytes of §12.7.1's IPv4 packet (header + first 8 TCP bytes)."""
    seg = tcp(S4, D4, sport, dport, data=payload(100))
    total = total or 20 + len(seg)
    return ipv4_header("192.0.2.1", "198.51.100.1", PROTO_TCP, total, ttl=ttl, df=df, mf=mf, ident=ident,
                       off=off) + seg[:8]


def reconstructed_inner(src, ttl=64, total=140, frag=None, sport=49152, dport=80):
    """The ASIP header §12.7.3 reconstructs, followed by the 8 quoted TCP bytes."""
    seg8 = tcp(S4, D4, sport, dport, data=payload(100))[:8]
    if frag is None:
        return asip_header(src, D8M, PROTO_TCP, total - 20, hlim=ttl) + seg8
    off, m, ident = frag
    return asip_header(src, D8M, NH_FRAG, total - 20 + 8, hlim=ttl) + frag_hdr(PROTO_TCP, off, m, ident) + seg8


def icmp4_error_to_host(typ, code, rest, quoted, src=ROUTER4, dst="192.0.2.1"):
    return ipv4(src, dst, PROTO_ICMP, icmp4(typ, code, rest, quoted), ttl=64, ident=0x0101)


def icmpa_error_from_router(typ, code, rest, inner, dst=S8, src_v4=ROUTER4):
    src = asip(0, src_v4)
    return asip_pkt(src, dst, NH_ICMP_ASIP, icmpa(src, dst, typ, code, rest, inner), hlim=63)


def case_12_7_3():
    err = icmp4_error_to_host(3, 1, b"\0\0\0\0", quoted_fwd_v4())
    want0 = icmpa_error_from_router(1, 0, b"\0\0\0\0", reconstructed_inner(S8))
    want1 = icmpa_error_from_router(1, 1, b"\0\0\0\0", reconstructed_inner(S8))
    r = Run([], [("asip", fwd_tcp()), ("v4", err)])
    check_packets("12.7.3 ICMPv4 3/1 -> ICMP-ASIP 1/0 (RFC 7915 §4.2), inner ASIP header rebuilt with "
                  "S.rrrr from state", r, 1, [want0], "asip", extra=stat_is("icmp_error_no_state", 0))
    r = Run(["--literal-host-unreach-code", "1"], [("asip", fwd_tcp()), ("v4", err)])
    check_packets("12.7.3 --literal-host-unreach-code 1: the printed \"01 01\"", r, 1, [want1], "asip")
    r = Run(STATIC, [("v4", err)])
    check_packets("12.7.3 with the static mapping only: same bytes, no state needed", r, 0, [want0], "asip",
                  extra=stat_is("icmp_error_no_state", 0))
    want_ns = icmpa_error_from_router(1, 0, b"\0\0\0\0", reconstructed_inner(S8_0), dst=S8_0)
    r = Run([], [("v4", err)])
    check_packets("12.7.3 without state or mapping: r=0 inside and outside, icmp_error_no_state 1 (§14.15)",
                  r, 0, [want_ns], "asip", extra=stat_is("icmp_error_no_state", 1))
    # Inner hop limit and payload length are copied from the quoted header, not recomputed.
    err2 = icmp4_error_to_host(3, 1, b"\0\0\0\0", quoted_fwd_v4(ttl=17, total=1000))
    want2 = icmpa_error_from_router(1, 0, b"\0\0\0\0", reconstructed_inner(S8, ttl=17, total=1000))
    check_packets("12.7.3 inner hop limit and payload length copied from the quoted header (TTL 17, TotLen 1000)",
                  Run(STATIC, [("v4", err2)]), 0, [want2], "asip")
    # RFC 7915 §4.2 for the other common cases.
    for (t4, c4, rest4), (t8, c8, rest8), what in (
            ((3, 0, b"\0\0\0\0"), (1, 0, b"\0\0\0\0"), "net unreachable 3/0 -> 1/0"),
            ((3, 3, b"\0\0\0\0"), (1, 4, b"\0\0\0\0"), "port unreachable 3/3 -> 1/4"),
            ((3, 13, b"\0\0\0\0"), (1, 1, b"\0\0\0\0"), "admin prohibited 3/13 -> 1/1"),
            ((3, 2, b"\0\0\0\0"), (4, 1, b"\0\0\0\x06"), "protocol unreachable 3/2 -> parameter problem 4/1 "
                                                          "pointing at Next Header (6)"),
            ((11, 0, b"\0\0\0\0"), (3, 0, b"\0\0\0\0"), "TTL exceeded 11/0 -> time exceeded 3/0")):
        err = icmp4_error_to_host(t4, c4, rest4, quoted_fwd_v4())
        want = icmpa_error_from_router(t8, c8, rest8, reconstructed_inner(S8))
        check_packets(f"12.7.3 RFC 7915 §4.2: {what}", Run(STATIC, [("v4", err)]), 0, [want], "asip")


def case_12_7_3_traceroute():
    """ICMPv4 Time Exceeded quoting a translated Echo Request (traceroute, §12.7.2): the inner
    ICMPv4 8 becomes ICMP-ASIP 128 and its checksum is the one the ASIP originator sent."""
    ident, seq, data = 0x5151, 3, payload(56, 2)
    req8 = icmpa(S8, D8M, 128, 0, struct.pack("!HH", ident, seq), data)
    req4 = icmp4(8, 0, struct.pack("!HH", ident, seq), data)
    q = ipv4_header("192.0.2.1", "198.51.100.1", PROTO_ICMP, 20 + len(req4), ttl=1) + req4[:8]
    err = icmp4_error_to_host(11, 0, b"\0\0\0\0", q)
    inner = asip_header(S8, D8M, NH_ICMP_ASIP, len(req8), hlim=1) + req8[:8]
    want = icmpa_error_from_router(3, 0, b"\0\0\0\0", inner)
    check_packets("12.7.3 ICMPv4 11/0 quoting an echo request -> ICMP-ASIP 3/0, inner 8 -> 128 with the "
                  "originator's checksum", Run(STATIC, [("v4", err)]), 0, [want], "asip")
    # And the other way: ICMP-ASIP 3/0 quoting an ICMP-ASIP echo sent to the IPv4 side's host.
    s4 = "203.0.113.7"
    src8, dst8 = asip(0, s4), asip(R, "192.0.2.9")
    e8 = icmpa(src8, dst8, 128, 0, struct.pack("!HH", ident, seq), data)
    e4 = icmp4(8, 0, struct.pack("!HH", ident, seq), data)
    router8 = asip(64496, "10.9.9.9")
    inner = asip_header(src8, dst8, NH_ICMP_ASIP, len(e8), hlim=1) + e8[:8]
    e = asip_pkt(router8, src8, NH_ICMP_ASIP, icmpa(router8, src8, 3, 0, b"\0\0\0\0", inner), hlim=64)
    want = ipv4(OWN4, s4, PROTO_ICMP, icmp4(11, 0, b"\0\0\0\0", ipv4_header(s4, "192.0.2.9", PROTO_ICMP,
                                                                                 20 + len(e4), ttl=1) + e4[:8]), ttl=63)
    check_packets("12.7.7 ICMP-ASIP 3/0 quoting an ICMP-ASIP echo -> ICMPv4 11/0, inner 128 -> 8 with the "
                  "IPv4 checksum", Run([], [("asip", e)]), 0, [want], "v4")


def case_12_7_4():
    def fn(mtu, quoted):
        return icmp4_error_to_host(3, 4, struct.pack("!HH", 0, mtu), quoted)

    def ptb(mtu, inner):
        return icmpa_error_from_router(2, 0, struct.pack("!I", mtu), inner)

    q = quoted_fwd_v4(total=1520, df=True, ident=0x1A2B)
    inner = reconstructed_inner(S8, total=1520)
    check_packets("12.7.4 ICMPv4 3/4 next-hop MTU 1500 -> ICMP-ASIP Packet Too Big MTU 1520",
                  Run(STATIC + BIG_MTU, [("v4", fn(1500, q))]), 0, [ptb(1520, inner)], "asip")
    check_packets("12.7.4 same with the locator from state (forward packet first)",
                  Run(BIG_MTU, [("asip", fwd_tcp()), ("v4", fn(1500, q))]), 1, [ptb(1520, inner)], "asip")
    qf = quoted_fwd_v4(total=1520, mf=True, ident=0x1234)
    innerf = reconstructed_inner(S8, total=1520, frag=(0, True, 0x1234))
    check_packets("12.7.4 FN quoting an IPv4 fragment (MF=1): MTU 1500+28 = 1528, inner Fragment header "
                  "(ID zero-extended)", Run(STATIC + BIG_MTU, [("v4", fn(1500, qf))]), 0, [ptb(1528, innerf)], "asip")
    q1000 = quoted_fwd_v4(total=1100, df=True, ident=0x0BAD)
    check_packets("12.7.4 FN 1000 -> MTU 1280 (never below the ASIP minimum)",
                  Run(STATIC + BIG_MTU, [("v4", fn(1000, q1000))]), 0,
                  [ptb(1280, reconstructed_inner(S8, total=1100))], "asip")
    check_packets("12.7.4 FN 1400 -> MTU 1420",
                  Run(STATIC + BIG_MTU, [("v4", fn(1400, q1000))]), 0,
                  [ptb(1420, reconstructed_inner(S8, total=1100))], "asip")
    # nextip's formula: min(fn+20, mtu.translator.v6, mtu.translator.v4+20).
    check_packets("12.7.4 FN 1500 with --mtu.translator.v6 1500: MTU 1500 (capped by the ASIP-side link)",
                  Run(STATIC + ["--mtu.translator.v6", "1500", "--mtu.translator.v4", "9000"], [("v4", fn(1500, q))]),
                  0, [ptb(1500, inner)], "asip")
    check_packets("12.7.4 FN 1500 with --mtu.translator.v4 1400: MTU 1420 (capped by the IPv4-side link + 20)",
                  Run(STATIC + ["--mtu.translator.v6", "9000", "--mtu.translator.v4", "1400"], [("v4", fn(1500, q))]),
                  0, [ptb(1420, inner)], "asip")


def asip_frag_datagram(src=S8, dst=D8M, ident=0xDEADBEEF, n=300, split=176, hlim=64, seed=0):
    """A TCP datagram from src to dst cut in two ASIP fragments; also returns the segment
    as the IPv4 side must carry it (checksum over the IPv4 pseudo-header)."""
    seg = tcp(src, dst, 40000, 80, data=payload(n, seed))
    seg4 = tcp(src[12:], dst[12:], 40000, 80, data=payload(n, seed))
    f1 = asip_pkt(src, dst, NH_FRAG, frag_hdr(PROTO_TCP, 0, True, ident) + seg[:split], hlim=hlim)
    f2 = asip_pkt(src, dst, NH_FRAG, frag_hdr(PROTO_TCP, split, False, ident) + seg[split:], hlim=hlim)
    return f1, f2, seg4


def v4_frags(src4, dst4, seg4, ident, split=176, ttl=63):
    a = ipv4(src4, dst4, PROTO_TCP, seg4[:split], ttl=ttl, ident=ident, mf=True)
    b = ipv4(src4, dst4, PROTO_TCP, seg4[split:], ttl=ttl, ident=ident, off=split)
    return a, b


def case_12_7_5():
    trunc = ["--fragment-id", "truncate", "--max-fragmented-flows", "100"]
    f1, f2, seg4 = asip_frag_datagram()
    w1, w2 = v4_frags("192.0.2.1", "198.51.100.1", seg4, 0xBEEF)
    r = Run(trunc, [("asip", f1), ("asip", f2)])
    check_packets("12.7.5 ASIP first fragment -> IPv4 MF=1 off 0 DF=0, ID = low 16 bits (truncate), "
                  "TCP checksum for IPv4", r, 0, [w1], "v4")
    check_packets("12.7.5 ASIP last fragment -> IPv4 MF=0 off 176, payload verbatim", r, 1, [w2], "v4")
    # Out of order, no reassembly: the last fragment alone is translated at once.
    r = Run(trunc, [("asip", f2)])
    check_packets("12.7.5 last ASIP fragment alone (no reassembly, no buffering)", r, 0, [w2], "v4")

    # Default (hash): one ID per datagram; IDs differing only in the upper 16 bits are told apart.
    pairs = [(0x0001BEEF, 0x0002BEEF), (0x12340005, 0x56780005), (0xFFFF0000, 0x00000000), (0xA5A5C3C3, 0x5A5AC3C3)]
    inputs = []
    for a, b in pairs:
        for ident in (a, b):
            g1, g2, _ = asip_frag_datagram(ident=ident)
            inputs += [("asip", g1), ("asip", g2)]
    r = Run([], inputs)
    if r.error:
        record("12.7.5 hash IDs", r.error)
    else:
        ids, errs = [], []
        for k in range(0, len(inputs), 2):
            o1, o2 = r.outputs(k), r.outputs(k + 1)
            if len(o1) != 1 or len(o2) != 1:
                errs.append(f"datagram {k // 2}: {r.describe(k)} / {r.describe(k + 1)}")
                continue
            want1, want2 = v4_frags("192.0.2.1", "198.51.100.1", seg4, 0)
            for got, want in ((o1[0], want1), (o2[0], want2)):
                d = diff(got, want, ignore=(4, 5, 10, 11))
                if d:
                    errs.append(f"datagram {k // 2}: {d}")
                if not ipv4_header_ok(got):
                    errs.append(f"datagram {k // 2}: IPv4 header checksum invalid")
            if o1[0][4:6] != o2[0][4:6]:
                errs.append(f"datagram {k // 2}: fragments got IDs {o1[0][4:6].hex()} and {o2[0][4:6].hex()}")
            ids.append(o1[0][4:6])
        record("12.7.5 hash (default): both fragments of a datagram share one IPv4 ID, rest as truncate",
               "; ".join(errs) if errs else None)
        same = [(f"{a:08x}", f"{b:08x}") for (a, b), (ia, ib) in zip(pairs, zip(ids[0::2], ids[1::2])) if ia == ib]
        record("12.7.5 hash (default): 32-bit IDs differing only in the upper 16 bits get different IPv4 IDs",
               f"same IPv4 ID for {same} (IDs {[i.hex() for i in ids]})" if same or len(ids) != 8 else None)

    # Truncation MUST be bounded: a third concurrent fragmented flow is refused.
    flows = []
    for k, (h, d, ident) in enumerate((("192.0.2.1", "198.51.100.1", 0x00010001),
                                       ("192.0.2.2", "198.51.100.2", 0x00020002),
                                       ("192.0.2.3", "198.51.100.3", 0x00030003))):
        flows.append(asip_frag_datagram(src=asip(R, h), dst=asip(0, d), ident=ident, seed=k))
    r = Run(["--fragment-id", "truncate", "--max-fragmented-flows", "2"],
            [("asip", flows[0][0]), ("asip", flows[1][0]), ("asip", flows[2][0]), ("asip", flows[0][1])])
    wa = v4_frags("192.0.2.1", "198.51.100.1", flows[0][2], 0x0001)
    wb = v4_frags("192.0.2.2", "198.51.100.2", flows[1][2], 0x0002)
    check_packets("12.7.5 truncate, --max-fragmented-flows 2: flow 1 translated", r, 0, [wa[0]], "v4")
    check_packets("12.7.5 truncate, --max-fragmented-flows 2: flow 2 translated", r, 1, [wb[0]], "v4")
    check_drop("12.7.5 truncate, --max-fragmented-flows 2: third concurrent flow dropped (fragment_flow_limit)",
               r, 2, "fragment_flow_limit")
    check_packets("12.7.5 truncate, --max-fragmented-flows 2: flow 1's next fragment still translated",
                  r, 3, [wa[1]], "v4")

    # IPv4 fragments -> ASIP fragments, ID zero-extended, M/offset mirrored, no reassembly.
    useg4 = udp(D4, S4, 53, 5353, payload(400, 5))
    useg8 = udp(D8M, S8, 53, 5353, payload(400, 5))
    i1 = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, useg4[:200], ttl=64, ident=0xABCD, mf=True)
    i2 = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, useg4[200:], ttl=64, ident=0xABCD, off=200)
    o1 = asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, 0, True, 0x0000ABCD) + useg8[:200], hlim=63)
    o2 = asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, 200, False, 0x0000ABCD) + useg8[200:], hlim=63)
    r = Run(STATIC, [("v4", i1), ("v4", i2)])
    check_packets("12.7.5 IPv4 first fragment -> ASIP with Fragment header (ID 0x0000ABCD, M=1, off 0), "
                  "UDP checksum for ASIP", r, 0, [o1], "asip")
    check_packets("12.7.5 IPv4 last fragment -> ASIP Fragment header M=0 off 200, payload verbatim",
                  r, 1, [o2], "asip")
    check_packets("12.7.5 IPv4 last fragment alone (fresh translator): translated at once",
                  Run(STATIC, [("v4", i2)]), 0, [o2], "asip")
    # A middle fragment of a TCP datagram (offset and M both set).
    tseg4 = tcp(D4, S4, 443, 50000, data=payload(500, 6))
    m4 = ipv4("198.51.100.1", "192.0.2.1", PROTO_TCP, tseg4[160:320], ttl=64, ident=0x0007, mf=True, off=160)
    m8 = asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_TCP, 160, True, 7) + tseg4[160:320], hlim=63)
    check_packets("12.7.5 IPv4 middle fragment (MF=1, off 160) -> ASIP Fragment header M=1 off 160",
                  Run(STATIC, [("v4", m4)]), 0, [m8], "asip")


def v4_to_asip_udp(total, df, ident=0x4D2E, seed=11):
    data = payload(total - 28, seed)
    pkt = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, udp(D4, S4, 4500, 4500, data), ttl=64, df=df, ident=ident)
    return pkt, udp(D8M, S8, 4500, 4500, data)


def check_fn_back(name, run, i, original, mtu):
    """The translator's own ICMPv4 3/4 to the IPv4 source (RFC 792, RFC 1812 §4.3.2.3)."""
    if run.error:
        return record(name, run.error)
    r = run.results[i]
    outs = run.outputs(i)
    errs = []
    if r.get("verdict") != "icmp-error":
        errs.append(f"{run.describe(i)}, want icmp-error")
    if len(outs) != 1:
        errs.append(f"{len(outs)} output(s), want 1")
    else:
        if r["outputs"][0].get("side") != "v4":
            errs.append(f"on side {r['outputs'][0].get('side')}, want v4")
        p = outs[0]
        if p[0] != 0x45 or p[9] != PROTO_ICMP or p[12:16] != v4(OWN4) or p[16:20] != original[12:16]:
            errs.append(f"outer header {p[:20].hex()}: want 45.. proto 1 from {OWN4} to the original source")
        if struct.unpack("!H", p[2:4])[0] != len(p):
            errs.append("total length != packet length")
        if not ipv4_header_ok(p) or p[8] == 0:
            errs.append("outer header checksum invalid or TTL 0")
        icmp = p[20:]
        if icmp[:2] != b"\x03\x04" or cksum(icmp) != 0:
            errs.append(f"ICMP type/code {icmp[:2].hex()} (want 0304) or checksum invalid")
        if icmp[4:8] != struct.pack("!HH", 0, mtu):
            errs.append(f"unused/next-hop MTU {icmp[4:8].hex()}, want {struct.pack('!HH', 0, mtu).hex()}")
        quoted = icmp[8:]
        if len(quoted) < 28 or quoted != original[:len(quoted)]:
            errs.append(f"quoted bytes are not a prefix (>= 28 bytes) of the original: {quoted[:48].hex()}")
        if len(p) > 576:
            errs.append(f"error is {len(p)} bytes, more than 576 (RFC 1812 §4.3.2.3)")
        if errs:
            errs.append(f"got {p.hex()}")
    record(name, "; ".join(errs) if errs else None)


def case_12_7_6():
    pkt, seg8 = v4_to_asip_udp(1000, df=True)
    check_packets("12.7.6 IPv4 DF=1 that fits -> one ASIP packet, no Fragment header",
                  Run(STATIC, [("v4", pkt)]), 0, [asip_pkt(D8M, S8, PROTO_UDP, seg8, hlim=63)], "asip")
    pkt, seg8 = v4_to_asip_udp(1260, df=True)
    check_packets("12.7.6 IPv4 DF=1 of 1260 bytes with --mtu.translator.v6 1280: fits exactly (1280)",
                  Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", pkt)]), 0,
                  [asip_pkt(D8M, S8, PROTO_UDP, seg8, hlim=63)], "asip")
    pkt, _ = v4_to_asip_udp(1261, df=True)
    check_fn_back("12.7.6 IPv4 DF=1 of 1261 bytes, --mtu.translator.v6 1280 -> ICMPv4 3/4 MTU 1260 from --own-v4",
                  Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", pkt)]), 0, pkt, 1260)
    pkt, _ = v4_to_asip_udp(1400, df=True)
    check_fn_back("12.7.6 IPv4 DF=1 of 1400 bytes, --mtu.translator.v6 1280 -> ICMPv4 3/4 MTU 1260",
                  Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", pkt)]), 0, pkt, 1260)
    # An IPv4 fragment with DF=1: the ASIP packet carries a Fragment header, so +28 / -28.
    data = payload(1240, 12)
    frag = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, data, ttl=64, df=True, mf=True, ident=0x0F0F)
    check_fn_back("12.7.6 IPv4 fragment with DF=1 (1260 bytes -> 1288 > 1280) -> ICMPv4 3/4 MTU 1252",
                  Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", frag)]), 0, frag, 1252)

    # DF=0 too big: translate, then fragment with Fragment headers.
    def frags(seg8, per, ident):
        out, off = [], 0
        while off < len(seg8):
            chunk = seg8[off:off + per]
            last = off + per >= len(seg8)
            out.append(asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, off, not last, ident) + chunk, hlim=63))
            off += per
        return out
    pkt, seg8 = v4_to_asip_udp(1500, df=False, ident=0x4D2E)
    check_packets("12.7.6 IPv4 DF=0 of 1500 bytes, --mtu.translator.v6 1280: ASIP fragments of 1232 data bytes, "
                  "ID 0x00004D2E", Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", pkt)]), 0,
                  frags(seg8, 1232, 0x4D2E), "asip")
    check_packets("12.7.6 IPv4 DF=0 of 1500 bytes, --mtu.translator.v6 1500 --lowest-ipv6-mtu 1400: "
                  "fragments of 1352 data bytes",
                  Run(STATIC + ["--mtu.translator.v6", "1500", "--lowest-ipv6-mtu", "1400"], [("v4", pkt)]), 0,
                  frags(seg8, 1352, 0x4D2E), "asip")
    pkt, seg8 = v4_to_asip_udp(2000, df=False, ident=0x0001, seed=13)
    check_packets("12.7.6 IPv4 DF=0 of 2000 bytes, --mtu.translator.v6 9000 --lowest-ipv6-mtu 1300: "
                  "fragments of (1300-48)&~7 = 1248 data bytes",
                  Run(STATIC + ["--mtu.translator.v6", "9000", "--mtu.translator.v4", "9000",
                                "--lowest-ipv6-mtu", "1300"], [("v4", pkt)]), 0, frags(seg8, 1248, 1), "asip")
    # An IPv4 fragment (DF=0) too big for the ASIP side is cut again: offsets continue from the
    # fragment's own, M stays set on every piece of a non-last fragment (RFC 7915 §4.1).
    useg4 = udp(D4, S4, 4600, 4600, payload(2000, 14))
    useg8 = udp(D8M, S8, 4600, 4600, payload(2000, 14))
    fa = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, useg4[:1480], ttl=64, ident=0x7777, mf=True)
    fb = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, useg4[1480:], ttl=64, ident=0x7777, off=1480)
    wa = [asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, 0, True, 0x7777) + useg8[:1232], hlim=63),
          asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, 1232, True, 0x7777) + useg8[1232:1480], hlim=63)]
    wb = [asip_pkt(D8M, S8, NH_FRAG, frag_hdr(PROTO_UDP, 1480, False, 0x7777) + useg8[1480:], hlim=63)]
    r = Run(STATIC + ["--mtu.translator.v6", "1280"], [("v4", fa), ("v4", fb)])
    check_packets("12.7.6 IPv4 first fragment of 1500 bytes, DF=0, --mtu.translator.v6 1280: two ASIP "
                  "fragments (off 0 and 1232, both M=1)", r, 0, wa, "asip")
    check_packets("12.7.6 the IPv4 last fragment (off 1480) that fits: one ASIP fragment, M=0", r, 1, wb, "asip")
    pkt, seg8 = v4_to_asip_udp(1200, df=False)
    check_packets("12.7.6 IPv4 DF=0 that fits -> one ASIP packet, no Fragment header",
                  Run(STATIC, [("v4", pkt)]), 0, [asip_pkt(D8M, S8, PROTO_UDP, seg8, hlim=63)], "asip")


def case_12_7_7():
    s4, h9 = "203.0.113.7", "192.0.2.9"
    src8, dst8 = asip(0, s4), asip(R, h9)
    router8 = asip(64496, "10.9.9.9")
    seg4 = tcp(v4(s4), v4(h9), 51000, 22, data=payload(100, 4))

    def err8(typ, code, rest=b"\0\0\0\0", inner_plen=120):
        inner = asip_header(src8, dst8, PROTO_TCP, inner_plen, hlim=63) + seg4[:8]
        return asip_pkt(router8, src8, NH_ICMP_ASIP, icmpa(router8, src8, typ, code, rest, inner), hlim=64)

    def err4(typ, code, rest=b"\0\0\0\0", inner_total=140):
        inner = ipv4_header(s4, h9, PROTO_TCP, inner_total, ttl=63) + seg4[:8]
        return ipv4(OWN4, s4, PROTO_ICMP, icmp4(typ, code, rest, inner), ttl=63)

    for (t8, c8), (t4, c4), what in (((1, 0), (3, 1), "1/0 no route -> 3/1"),
                                     ((1, 4), (3, 3), "1/4 port unreachable -> 3/3"),
                                     ((1, 3), (3, 1), "1/3 address unreachable -> 3/1"),
                                     ((1, 1), (3, 10), "1/1 admin prohibited -> 3/10"),
                                     ((3, 0), (11, 0), "3/0 hop limit exceeded -> 11/0")):
        r = Run([], [("asip", err8(t8, c8))])
        check_packets(f"12.7.7 ICMP-ASIP {what} from 64496::10.9.9.9: outer source --own-v4, inner "
                      "203.0.113.7 -> 192.0.2.9", r, 0, [err4(t4, c4)], "v4")
    # Packet Too Big -> Fragmentation Needed, MTU - 20 (RFC 7915 §5.2).
    r = Run(BIG_MTU, [("asip", err8(2, 0, struct.pack("!I", 1400)))])
    check_packets("12.7.7 ICMP-ASIP Packet Too Big 1400 -> ICMPv4 3/4 next-hop MTU 1380",
                  r, 0, [err4(3, 4, struct.pack("!HH", 0, 1380))], "v4")
    # The outer source: an ASIP router whose h the translator owns (pool4) keeps it; any
    # other source (not in pool4, mapped or not) becomes --own-v4 (RFC 7915 §5.1 / RFC 6791,
    # 001 §12.2: the translator does not emit IPv4 sources it does not own).
    inner = asip_header(src8, dst8, PROTO_TCP, 120, hlim=63) + seg4[:8]
    for rsrc, out_src, what in ((asip(0, "198.51.100.7"), OWN4, "::198.51.100.7 (mapped, outside pool4)"),
                                (asip(R, "192.0.2.200"), "192.0.2.200", "15169::192.0.2.200 (h in pool4)")):
        e = asip_pkt(rsrc, src8, NH_ICMP_ASIP, icmpa(rsrc, src8, 1, 4, b"\0\0\0\0", inner), hlim=64)
        want = ipv4(out_src, s4, PROTO_ICMP,
                    icmp4(3, 3, b"\0\0\0\0", ipv4_header(s4, h9, PROTO_TCP, 140, ttl=63) + seg4[:8]), ttl=63)
        check_packets(f"12.7.7 ICMP-ASIP 1/4 from {what}: outer source {out_src}",
                      Run([], [("asip", e)]), 0, [want], "v4",
                      extra=stat_is("rfc6791_used", 1 if out_src == OWN4 else 0))
    # Packet Too Big quoting an ASIP fragment: -28 (Fragment header), inner IPv4 fragment.
    fseg = tcp(v4(s4), v4(h9), 51000, 22, data=payload(1400, 8))
    inner = (asip_header(src8, dst8, NH_FRAG, 8 + 1232, hlim=63) + frag_hdr(PROTO_TCP, 0, True, 0x00C0FFEE)
             + fseg[:8])
    e = asip_pkt(router8, src8, NH_ICMP_ASIP, icmpa(router8, src8, 2, 0, struct.pack("!I", 1400), inner), hlim=64)
    want = ipv4(OWN4, s4, PROTO_ICMP,
                icmp4(3, 4, struct.pack("!HH", 0, 1372),
                      ipv4_header(s4, h9, PROTO_TCP, 20 + 1232, ttl=63, mf=True, ident=0xFFEE) + fseg[:8]), ttl=63)
    check_packets("12.7.7 ICMP-ASIP Packet Too Big 1400 quoting a fragment -> ICMPv4 3/4 MTU 1372 (-28), "
                  "inner IPv4 MF=1 ID 0xFFEE (truncate)",
                  Run(BIG_MTU + ["--fragment-id", "truncate", "--max-fragmented-flows", "100"], [("asip", e)]),
                  0, [want], "v4")
    # A long quote is cut so that the ICMPv4 error stays within 576 bytes (RFC 1812 §4.3.2.3);
    # the complete inner UDP header's checksum follows the address change.
    data = payload(900, 21)
    inner = asip_pkt(src8, dst8, PROTO_UDP, udp(src8, dst8, 51001, 53, data), hlim=63)
    e = asip_pkt(router8, src8, NH_ICMP_ASIP, icmpa(router8, src8, 1, 4, b"\0\0\0\0", inner), hlim=64)
    inner4 = ipv4(s4, h9, PROTO_UDP, udp(v4(s4), v4(h9), 51001, 53, data), ttl=63)
    want = ipv4(OWN4, s4, PROTO_ICMP, icmp4(3, 3, b"\0\0\0\0", inner4[:576 - 28]), ttl=63)
    check_packets("12.7.7 ICMP-ASIP 1/4 quoting 948 bytes -> ICMPv4 error cut to 576 bytes, inner UDP checksum "
                  "for IPv4", Run([], [("asip", e)]), 0, [want], "v4")


def case_12_7_3_long_quote():
    """An ICMPv4 error quoting a whole 1400-byte UDP packet: the ICMP-ASIP error is cut to
    1280 bytes (RFC 7915 §4.3: it must not exceed the minimum MTU), inner checksum for ASIP."""
    data = payload(1372, 17)
    q = ipv4("192.0.2.1", "198.51.100.1", PROTO_UDP, udp(S4, D4, 40002, 53, data), ttl=64, df=True, ident=0x2222)
    inner = asip_pkt(S8, D8M, PROTO_UDP, udp(S8, D8M, 40002, 53, data), hlim=64)
    err = icmp4_error_to_host(3, 3, b"\0\0\0\0", q)
    want = icmpa_error_from_router(1, 4, b"\0\0\0\0", inner[:1280 - 48])
    check_packets("12.7.3 ICMPv4 3/3 quoting 1400 bytes -> ICMP-ASIP error cut to 1280 bytes, inner UDP checksum "
                  "for ASIP", Run(STATIC, [("v4", err)]), 0, [want], "asip")


def case_12_7_8():
    for sport, dport, what in ((49152, 23, "TCP to telnet (23)"), (49152, 445, "TCP to 445"),
                               (0, 0, "TCP ports 0"), (65535, 65535, "TCP ports 65535")):
        err = icmp4_error_to_host(3, 3, b"\0\0\0\0", quoted_fwd_v4(sport=sport, dport=dport))
        want = icmpa_error_from_router(1, 4, b"\0\0\0\0", reconstructed_inner(S8, sport=sport, dport=dport))
        check_packets(f"12.7.8 ICMPv4 3/3 quoting {what}: translated, no port filtering",
                      Run(STATIC, [("v4", err)]), 0, [want], "asip")
    # UDP: the 8 quoted bytes hold the checksum, which follows the address change.
    for dport in (137, 161, 1900):
        data = payload(40, dport)
        q = ipv4("192.0.2.1", "198.51.100.1", PROTO_UDP, udp(S4, D4, 40001, dport, data), ttl=64)[:28]
        inner = asip_header(S8, D8M, PROTO_UDP, 48) + udp(S8, D8M, 40001, dport, data)[:8]
        err = icmp4_error_to_host(3, 3, b"\0\0\0\0", q)
        want = icmpa_error_from_router(1, 4, b"\0\0\0\0", inner)
        check_packets(f"12.7.8 ICMPv4 3/3 quoting UDP to port {dport}: translated, inner UDP checksum follows "
                      "the addresses", Run(STATIC, [("v4", err)]), 0, [want], "asip")


def case_12_2_drops():
    r = Run([], [("v4", ipv4("198.51.100.1", "10.0.0.1", PROTO_UDP, udp(D4, v4("10.0.0.1"), 1, 2, b"x"), ttl=64))])
    check_drop("12.2 IPv4 to an address outside --pool4 dropped (not_owned)", r, 0, "not_owned")
    q = ipv4_header("10.0.0.1", "198.51.100.1", PROTO_TCP, 140) + b"\0" * 8
    r = Run([], [("v4", icmp4_error_to_host(3, 1, b"\0\0\0\0", q, dst="10.0.0.1"))])
    check_drop("12.2 ICMPv4 error to an address outside --pool4 dropped (not_owned)", r, 0, "not_owned")
    src = asip(R, "10.1.1.1")
    r = Run([], [("asip", asip_pkt(src, D8M, PROTO_TCP, tcp(src, D8M, 1000, 80)))])
    check_drop("12.2 ASIP source whose h is outside pool4 dropped (source_not_owned)", r, 0, "source_not_owned")
    for dst, what in ((asip(64496, "198.51.100.1"), "r != 0"), (asip(0, "198.51.100.1", z=1), "z != 0"),
                      (asip(0, "198.51.100.1", s="0.0.0.1"), "s != 0")):
        r = Run([], [("asip", asip_pkt(S8, dst, PROTO_TCP, tcp(S8, dst, 1000, 80)))])
        check_drop(f"12.2 ASIP destination not IPv4-mapped ({what}) dropped (not_ipv4_mapped)",
                   r, 0, "not_ipv4_mapped")
    # The counters agree with the verdicts.
    r = Run([], [("v4", ipv4("198.51.100.1", "10.0.0.1", PROTO_UDP, udp(D4, v4("10.0.0.1"), 1, 2, b"x"), ttl=64)),
                 ("asip", fwd_tcp())])
    if r.error:
        record("12.2 stats", r.error)
    else:
        want = {"not_owned": 1}
        record("12.2 --stats: drops {not_owned: 1}, translated 1",
               None if r.stats and r.stats.get("drops") == want and r.stats.get("translated") == 1
               else f"stats {r.stats}")


def check_icmpa_back(name, run, i, original, typ, code, rest):
    """The translator's own ICMP-ASIP error to the ASIP source (from --own-v6)."""
    if run.error:
        return record(name, run.error)
    r, outs, errs = run.results[i], run.outputs(i), []
    if r.get("verdict") != "icmp-error":
        errs.append(f"{run.describe(i)}, want icmp-error")
    if len(outs) != 1:
        errs.append(f"{len(outs)} output(s), want 1")
    else:
        p = outs[0]
        src, dst = p[8:24], p[24:40]
        if r["outputs"][0].get("side") != "asip" or p[0] >> 4 != 8 or p[6] != NH_ICMP_ASIP:
            errs.append(f"not an ICMP-ASIP packet on the asip side: {p[:40].hex()}")
        if src != OWN8 or dst != original[8:24]:
            errs.append(f"from {src.hex()} to {dst.hex()}, want from --own-v6 to the original source")
        if struct.unpack("!H", p[4:6])[0] != len(p) - 40 or p[7] == 0:
            errs.append("payload length wrong or hop limit 0")
        icmp = p[40:]
        if cksum(pseudo(src, dst, NH_ICMP_ASIP, len(icmp)) + icmp) != 0:
            errs.append("ICMP-ASIP checksum invalid")
        if icmp[:2] != bytes([typ, code]) or icmp[4:8] != rest:
            errs.append(f"type/code/rest {icmp[:2].hex()} {icmp[4:8].hex()}, want {typ:02x}{code:02x} {rest.hex()}")
        quoted = icmp[8:]
        if len(quoted) < 48 or quoted != original[:len(quoted)]:
            errs.append("quoted bytes are not a prefix of the original packet")
        if len(p) > 1280:
            errs.append(f"{len(p)} bytes, more than 1280")
        if errs:
            errs.append(f"got {p.hex()}")
    record(name, "; ".join(errs) if errs else None)


def case_rfc7915_details():
    """RFC 7915 rules §12.2 incorporates ("the translation rules follow SIIT")."""
    # Hop limit / TTL exhausted at the translator (RFC 7915 §4.1, §5.1: a router).
    a = fwd_tcp(hlim=1)
    check_icmpa_back("RFC 7915 §5.1: ASIP hop limit 1 -> ICMP-ASIP 3/0 from --own-v6 back to the source",
                     Run([], [("asip", a)]), 0, a, 3, 0, b"\0\0\0\0")
    t = ipv4("198.51.100.1", "192.0.2.1", PROTO_TCP, tcp(D4, S4, 80, 49152, data=payload(20)), ttl=1)
    r = Run(STATIC, [("v4", t)])
    if not r.error and r.results[0].get("verdict") == "icmp-error":
        p = r.outputs(0)[0]
        ok = (p[9] == PROTO_ICMP and p[12:16] == v4(OWN4) and p[16:20] == D4 and p[20:22] == b"\x0b\x00"
              and cksum(p[20:]) == 0 and ipv4_header_ok(p) and p[28:28 + 28] == t[:28])
        record("RFC 7915 §4.1: IPv4 TTL 1 -> ICMPv4 11/0 from --own-v4 back to the source",
               None if ok else f"got {p.hex()}")
    else:
        record("RFC 7915 §4.1: IPv4 TTL 1 -> ICMPv4 11/0 from --own-v4 back to the source",
               r.error or f"{r.describe(0)}, want icmp-error")
    # Too big for the IPv4-side link: Packet Too Big back with that MTU + 20 (§12.7.4's rule,
    # RFC 7915 §5.1: the IPv4 packet would carry DF=1).
    a = fwd_tcp(data=payload(1440))   # ASIP 1500 -> IPv4 1480
    check_icmpa_back("12.7.4 ASIP packet of 1500 bytes, --mtu.translator.v4 1400 -> ICMP-ASIP 2/0 MTU 1420 "
                     "from --own-v6", Run(["--mtu.translator.v4", "1400"], [("asip", a)]), 0, a, 2, 0,
                     struct.pack("!I", 1420))
    # An ICMP error quoting an ICMP error is not translated (RFC 7915 §4.3, §5.3: stop at the
    # first embedded header and drop).
    inner_err = ipv4("192.0.2.1", "198.51.100.1", PROTO_ICMP, icmp4(3, 3, b"\0\0\0\0", quoted_fwd_v4()), ttl=64)
    nested = icmp4_error_to_host(3, 1, b"\0\0\0\0", inner_err)
    r = Run(STATIC, [("v4", nested)])
    record("RFC 7915 §4.3: ICMPv4 error quoting an ICMPv4 error is dropped",
           r.error or (None if r.results[0].get("verdict") == "dropped" and not r.results[0].get("outputs")
                       else f"{r.describe(0)}: {[o.hex() for o in r.outputs(0)]}"))
    h7, h9 = asip(0, "203.0.113.7"), asip(R, "192.0.2.9")
    quoted = asip_pkt(h9, h7, PROTO_TCP, tcp(h9, h7, 22, 51000))[:48]
    inner8 = asip_pkt(h7, h9, NH_ICMP_ASIP, icmpa(h7, h9, 1, 4, b"\0\0\0\0", quoted))
    router8 = asip(64496, "10.9.9.9")
    nested8 = asip_pkt(router8, h7, NH_ICMP_ASIP, icmpa(router8, h7, 1, 0, b"\0\0\0\0", inner8))
    r = Run([], [("asip", nested8)])
    record("RFC 7915 §5.3: ICMP-ASIP error quoting an ICMP-ASIP error is dropped",
           r.error or (None if r.results[0].get("verdict") == "dropped" and not r.results[0].get("outputs")
                       else f"{r.describe(0)}: {[o.hex() for o in r.outputs(0)]}"))
    # IPv4 options are ignored, not translated (RFC 7915 §4.1).
    seg8 = tcp(D8M, S8, 80, 49152, data=payload(30))
    seg4 = tcp(D4, S4, 80, 49152, data=payload(30))
    opt = bytes.fromhex("94040000")  # Router Alert
    h = struct.pack("!BBHHHBBH4s4s", 0x46, 0, 24 + len(seg4), 0x1111, 0x4000, 64, PROTO_TCP, 0, D4, S4) + opt
    h = h[:10] + struct.pack("!H", cksum(h)) + h[12:]
    check_packets("RFC 7915 §4.1: IPv4 options (Router Alert, IHL 6) dropped, payload translated",
                  Run(STATIC, [("v4", h + seg4)]), 0, [asip_pkt(D8M, S8, PROTO_TCP, seg8, hlim=63)], "asip")
    # ASIP extension headers before the upper layer are not carried over (RFC 7915 §5.1).
    seg8 = tcp(S8, D8M, 49152, 80, data=payload(40))
    seg4 = tcp(S4, D4, 49152, 80, data=payload(40))
    dopt = bytes([PROTO_TCP, 0, 1, 4, 0, 0, 0, 0])            # Destination Options, PadN
    a = asip_pkt(S8, D8M, 60, dopt + seg8)
    check_packets("RFC 7915 §5.1: ASIP Destination Options header skipped, protocol = TCP",
                  Run([], [("asip", a)]), 0, [ipv4("192.0.2.1", "198.51.100.1", PROTO_TCP, seg4, ttl=63)], "v4")
    rh = bytes([PROTO_TCP, 2, 0, 0, 0, 0, 0, 0]) + bytes(16)  # Routing header, segments left 0
    a = asip_pkt(S8, D8M, 43, rh + seg8)
    check_packets("RFC 7915 §5.1: ASIP Routing header with Segments Left 0 skipped",
                  Run([], [("asip", a)]), 0, [ipv4("192.0.2.1", "198.51.100.1", PROTO_TCP, seg4, ttl=63)], "v4")
    # Flow label is not carried to IPv4; TC is.
    a = asip_pkt(S8, D8M, PROTO_UDP, udp(S8, D8M, 7, 7, payload(10)), tc=0xB8, flow=0xABCDE)
    check_packets("RFC 7915 §5.1: flow label dropped, traffic class 0xB8 -> TOS 0xB8",
                  Run([], [("asip", a)]), 0,
                  [ipv4("192.0.2.1", "198.51.100.1", PROTO_UDP, udp(S4, D4, 7, 7, payload(10)), ttl=63, tos=0xB8)],
                  "v4")
    # UDP checksum 0 from IPv4 with --amend-udp-checksum-zero 1 (RFC 7915 §4.5).
    useg = struct.pack("!HHHH", 1234, 5678, 8 + 20, 0) + payload(20)
    t = ipv4("198.51.100.1", "192.0.2.1", PROTO_UDP, useg, ttl=64)
    want = asip_pkt(D8M, S8, PROTO_UDP, udp(D8M, S8, 1234, 5678, payload(20)), hlim=63)
    check_packets("RFC 7915 §4.5: IPv4 UDP checksum 0, --amend-udp-checksum-zero 1: checksum computed for ASIP",
                  Run(STATIC + ["--amend-udp-checksum-zero", "1"], [("v4", t)]), 0, [want], "asip",
                  extra=stat_is("udp_checksum_amended", 1))
    # Single-hop / unknown ICMP types are not translated (RFC 7915 §4.2, §5.2).
    for what, pkt, side in (
            ("ICMP-ASIP neighbor solicitation 135", asip_pkt(S8, D8M, NH_ICMP_ASIP,
                                                             icmpa(S8, D8M, 135, 0, bytes(4), bytes(16))), "asip"),
            ("ICMP-ASIP MLD query 130", asip_pkt(S8, D8M, NH_ICMP_ASIP, icmpa(S8, D8M, 130, 0, bytes(4), bytes(16))),
             "asip"),
            ("ICMPv4 timestamp 13", ipv4("198.51.100.1", "192.0.2.1", PROTO_ICMP, icmp4(13, 0, bytes(4), bytes(12)),
                                         ttl=64), "v4")):
        r = Run(STATIC, [(side, pkt)])
        record(f"RFC 7915 §4.2/§5.2: {what} not translated (dropped)",
               r.error or (None if r.results[0].get("verdict") == "dropped" and not r.results[0].get("outputs")
                           else f"{r.describe(0)}, outputs {[o['hex'] for o in r.results[0].get('outputs', [])]}"))


def main():
    global NEXTIP
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    NEXTIP = sys.argv[1]
    for case in (builders_match_the_printed_bytes, case_12_7_1, case_12_7_1_reverse, case_locator_state,
                 case_12_7_2, case_12_7_3, case_12_7_3_long_quote, case_12_7_3_traceroute, case_12_7_4,
                 case_12_7_5, case_12_7_6, case_12_7_7, case_12_7_8, case_12_2_drops, case_rfc7915_details):
        try:
            case()
        except Exception as e:  # a crash in one group must not hide the others
            import traceback
            record(f"{case.__name__} (exception)", "".join(traceback.format_exception_only(type(e), e)).strip())
    failed = sum(1 for _, e in RESULTS if e is not None)
    print(f"{len(RESULTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Black-box tests of `nextip translate`: --help, exit status, errors that name the option
and the value, --json / --hex / --stats output, --out-dir files, SIDE:FILE prefixes, and
SIIT (RFC 7915) examples with packets and checksums built here, independently of nextip.

usage: translate_cli_test.py PATH/TO/nextip"""
import ipaddress
import json
import os
import pathlib
import struct
import subprocess
import sys
import tempfile
import unittest

NEXTIP = None


def run(*args, cwd=None):
    p = subprocess.run([NEXTIP, "translate", *args], capture_output=True, text=True, timeout=60, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def json_lines(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# --- packets (RFC 791, 768, 792, 4443, 8200, 1071) ----------------------------------------

def cksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def a4(x):
    return ipaddress.IPv4Address(x).packed


def a6(x):
    return ipaddress.IPv6Address(x).packed


def ipv4(src, dst, proto, payload, ttl=64, tos=0, ident=0, df=False):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), ident, 0x4000 if df else 0, ttl, proto, 0,
                    a4(src), a4(dst))
    return h[:10] + struct.pack("!H", cksum(h)) + h[12:] + payload


def ipv6(src, dst, nh, payload, hlim=64, tc=0):
    return struct.pack("!IHBB", (6 << 28) | (tc << 20), len(payload), nh, hlim) + a6(src) + a6(dst) + payload


def asip_hdr_pkt(src16, dst16, nh, payload, hlim=64):
    return struct.pack("!IHBB", 8 << 28, len(payload), nh, hlim) + src16 + dst16 + payload


def pseudo(src, dst, proto, n):
    if len(src) == 4:
        return src + dst + struct.pack("!BBH", 0, proto, n)
    return src + dst + struct.pack("!IxxxB", n, proto)


def udp(src, dst, sport, dport, data):
    """src/dst: packed addresses (4 or 16 bytes)."""
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = cksum(pseudo(src, dst, 17, len(seg)) + seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def icmp_msg(typ, code, rest, body, ph=b""):
    m = struct.pack("!BBH", typ, code, 0) + rest + body
    return m[:2] + struct.pack("!H", cksum(ph + m)) + m[4:]


def blank_id(p):
    """An IPv4 packet with Identification and header checksum zeroed (for comparison)."""
    return p[:4] + b"\0\0" + p[6:10] + b"\0\0" + p[12:]


DATA = bytes(range(32, 32 + 40))
V6_SRC, V6_DST = "64:ff9b::c000:201", "64:ff9b::c633:6401"   # 192.0.2.1, 198.51.100.1
SIIT = ["--mode", "siit", "--pool6", "64:ff9b::/96"]
ASIP = ["--mode", "asip", "--pool4", "192.0.2.0/24", "--own-v4", "198.51.100.254"]


def siit_udp6():
    return ipv6(V6_SRC, V6_DST, 17, udp(a6(V6_SRC), a6(V6_DST), 4000, 53, DATA))


def siit_udp4(ttl=63):
    return ipv4("192.0.2.1", "198.51.100.1", 17, udp(a4("192.0.2.1"), a4("198.51.100.1"), 4000, 53, DATA), ttl=ttl)


def asip_udp():
    s = struct.pack("!I", 15169) + bytes(8) + a4("192.0.2.1")
    d = bytes(12) + a4("198.51.100.1")
    return asip_hdr_pkt(s, d, 17, udp(s, d, 4000, 53, DATA))


class Files:
    """A temporary directory holding packet files."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def put(self, name, data):
        p = self.dir / name
        p.write_bytes(data)
        return str(p)

    def close(self):
        self.tmp.cleanup()


class Base(unittest.TestCase):
    def setUp(self):
        self.f = Files()

    def tearDown(self):
        self.f.close()


class Help(unittest.TestCase):
    OPTIONS = ["--mode", "--from", "--out-dir", "--json", "--hex", "--stats", "--pool6", "--eamt",
               "--rfc6791v4-prefix", "--rfc6791v6-prefix", "--own-v4", "--own-v6", "--lowest-ipv6-mtu",
               "--mtu.translator.v6", "--mtu.translator.v4", "--mtu.n4.v4", "--amend-udp-checksum-zero",
               "--decrement-ttl", "--zeroize-traffic-class", "--override-tos", "--hairpin", "--ipv4-id",
               "--fragment-id", "--fragment-header-mtu-adjust", "--max-fragmented-flows", "--fragmented-flow-window",
               "--literal-host-unreach-code", "--icmp-errors", "--icmp-errors-per-second", "--icmp-error-burst",
               "--pool4", "--locator", "--locator-capacity", "--seed"]

    def test_help_mentions_every_option_and_exit_status(self):
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("Usage:", out)
        for opt in self.OPTIONS:
            self.assertRegex(out, rf"(?m)^\s+{opt.replace('.', '[.]')}\b", opt)
        self.assertIn("EXIT STATUS", out)
        for code in ("0", "1", "2"):
            self.assertRegex(out, rf"(?s)EXIT STATUS.*\b{code}\b")
        for word in ("siit", "asip", "v4:", "asip:", "FILE.N.SIDE"):
            self.assertIn(word, out)

    def test_top_level_help_lists_translate(self):
        p = subprocess.run([NEXTIP, "--help"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0)
        self.assertIn("translate", p.stdout)


class BadOptions(unittest.TestCase):
    """Exit 2 and a message naming the option and the offending value; nothing on stdout."""

    def bad(self, args, *needles):
        rc, out, err = run(*args, "v4:/dev/null")
        self.assertEqual(rc, 2, (args, out, err))
        self.assertEqual(out, "", args)
        for n in needles:
            self.assertIn(n, err, args)

    def test_values(self):
        cases = [
            (["--mode", "siit", "--pool6", "2001:db8::/33"], "--pool6", "2001:db8::/33"),
            (SIIT + ["--lowest-ipv6-mtu", "1000"], "--lowest-ipv6-mtu", "1000"),
            (["--mode", "foo", "--pool6", "64:ff9b::/96"], "--mode", "foo"),
            (SIIT + ["--mtu.translator.v6", "1279"], "--mtu.translator.v6", "1279"),
            (SIIT + ["--mtu.translator.v4", "67"], "--mtu.translator.v4", "67"),
            (SIIT + ["--decrement-ttl", "maybe"], "--decrement-ttl", "maybe"),
            (SIIT + ["--hairpin", "sometimes"], "--hairpin", "sometimes"),
            (SIIT + ["--override-tos", "256"], "--override-tos", "256"),
            (SIIT + ["--own-v4", "1.2.3"], "--own-v4", "1.2.3"),
            (SIIT + ["--own-v6", "15169::1.2.3.4"], "--own-v6", "15169::1.2.3.4"),
            (SIIT + ["--icmp-errors", "sometimes"], "--icmp-errors", "sometimes"),
            (SIIT + ["--eamt", "2001:db8::/120"], "--eamt", "2001:db8::/120"),
            (SIIT + ["--rfc6791v4-prefix", "banana"], "--rfc6791v4-prefix", "banana"),
            (ASIP + ["--pool4", "300.0.2.0/24"], "--pool4", "300.0.2.0/24"),
            (ASIP + ["--fragment-id", "random"], "--fragment-id", "random"),
            (ASIP + ["--ipv4-id", "random"], "--ipv4-id", "random"),
            (ASIP + ["--own-v6", "2001:db8::1"], "--own-v6", "2001:db8::1"),
            (ASIP + ["--locator", "192.0.2.0/24=foo"], "--locator", "foo"),
            (ASIP + ["--max-fragmented-flows", "-1"], "--max-fragmented-flows", "-1"),
            (ASIP + ["--locator-capacity", "lots"], "--locator-capacity", "lots"),
            (ASIP + ["--seed", "abc"], "--seed", "abc"),
            (ASIP + ["--literal-host-unreach-code", "2"], "--literal-host-unreach-code", "2"),
        ]
        for args, opt, value in cases:
            with self.subTest(opt=opt, value=value):
                self.bad(args, opt, value)

    def bad_unprefixed(self, args, *needles):
        with tempfile.NamedTemporaryFile() as f:
            rc, out, err = run(*args, f.name)
        self.assertEqual(rc, 2, (args, out, err))
        self.assertEqual(out, "", args)
        for n in needles:
            self.assertIn(n, err, args)

    def test_from_that_does_not_fit_the_mode(self):
        self.bad_unprefixed(SIIT + ["--from", "asip"], "--from", "asip")
        self.bad_unprefixed(ASIP + ["--from", "v6"], "--from", "v6")
        self.bad_unprefixed(SIIT + ["--from", "bogus"], "--from", "bogus")

    def test_from_is_checked_even_when_every_file_has_a_side(self):
        # An invalid option value is a usage error whatever the files look like.
        for args, value in ((SIIT + ["--from", "asip"], "asip"), (ASIP + ["--from", "v6"], "v6"),
                            (SIIT + ["--from", "bogus"], "bogus")):
            with self.subTest(args=args):
                self.bad(args, "--from", value)

    def test_side_prefix_that_does_not_fit_the_mode(self):
        with tempfile.NamedTemporaryFile() as f:
            rc, out, err = run(*SIIT, f"asip:{f.name}")
            self.assertEqual(rc, 2, err)
            self.assertIn("asip", err)
            rc, out, err = run(*ASIP, f"v6:{f.name}")
            self.assertEqual(rc, 2, err)
            self.assertIn("v6", err)

    def test_combinations(self):
        self.bad(["--mode", "siit"], "--pool6", "--eamt")
        self.bad(["--mode", "asip"], "--pool4")
        self.bad(SIIT + ["--pool4", "192.0.2.0/24"], "--pool4")
        self.bad(ASIP + ["--pool6", "64:ff9b::/96"], "--pool6")

    def test_usage_errors(self):
        rc, out, err = run(*SIIT)
        self.assertEqual(rc, 2)
        rc, out, err = run(*SIIT, "--frobnicate", "v6:/dev/null")
        self.assertEqual(rc, 2)
        self.assertIn("--frobnicate", err)
        # A file without a side, and no --from: which side is it on?
        rc, out, err = run(*SIIT, "/dev/null")
        self.assertEqual(rc, 2)
        self.assertIn("--from", err)
        rc, out, err = run(*SIIT, "mars:/dev/null")
        self.assertEqual(rc, 2)


class ExitStatus(Base):
    def test_unreadable_file_exits_1(self):
        missing = str(self.f.dir / "no-such-file.bin")
        rc, out, err = run(*SIIT, "--from", "v6", missing)
        self.assertEqual(rc, 1)
        self.assertIn(missing, err)

    def test_directory_as_packet_file_exits_1(self):
        # Reading a directory fails: that is "a file could not be read" (exit 1), not a crash.
        rc, out, err = run(*SIIT, f"v6:{self.f.dir}")
        self.assertEqual(rc, 1, f"exit {rc}: {err.strip()}")
        self.assertIn(str(self.f.dir), err)

    def test_unwritable_out_dir_exits_1(self):
        blocker = self.f.put("not-a-dir", b"x")
        rc, out, err = run(*SIIT, "--out-dir", blocker, f"v6:{self.f.put('p', siit_udp6())}")
        self.assertEqual(rc, 1, err)
        self.assertIn("not-a-dir", err)

    def test_good_files_before_a_missing_one_are_still_reported(self):
        good = self.f.put("good.bin", siit_udp6())
        rc, out, err = run(*SIIT, "--json", f"v6:{good}", f"v6:{self.f.dir / 'missing.bin'}")
        self.assertEqual(rc, 1)
        objs = json_lines(out)
        self.assertEqual(objs[0]["verdict"], "translated")

    def test_drops_are_verdicts_exit_0(self):
        junk = self.f.put("junk.bin", b"\x45\x00\x00")
        not_v6 = self.f.put("v4-on-v6-side.bin", siit_udp4())
        rc, out, err = run(*SIIT, "--json", "--stats", f"v6:{junk}", f"v6:{not_v6}")
        self.assertEqual(rc, 0, err)
        objs = json_lines(out)
        self.assertEqual([o["verdict"] for o in objs[:2]], ["dropped", "dropped"])
        for o in objs[:2]:
            self.assertTrue(o["reason"])
            self.assertTrue(o["reason_text"])
            self.assertEqual(o["outputs"], [])
        self.assertEqual(sum(objs[2]["stats"]["drops"].values()), 2)

    def test_asip_not_owned_drop_exit_0(self):
        p = self.f.put("p", ipv4("198.51.100.1", "10.0.0.1", 17, udp(a4("198.51.100.1"), a4("10.0.0.1"), 1, 2, b"x")))
        rc, out, _ = run(*ASIP, "--json", f"v4:{p}")
        self.assertEqual(rc, 0)
        self.assertEqual(json_lines(out)[0]["reason"], "not_owned")


class Output(Base):
    def test_json_shape(self):
        p = self.f.put("u.bin", siit_udp6())
        rc, out, err = run(*SIIT, "--json", "--hex", "--stats", f"v6:{p}")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2)
        o, st = json.loads(lines[0]), json.loads(lines[1])
        self.assertEqual(o["verdict"], "translated")
        self.assertEqual(o["from"], "v6")
        self.assertIn("u.bin", o["input"])
        self.assertEqual(len(o["outputs"]), 1)
        out0 = o["outputs"][0]
        self.assertEqual(out0["side"], "v4")
        self.assertEqual(out0["bytes"], len(bytes.fromhex(out0["hex"])))
        self.assertEqual(list(st), ["stats"])
        self.assertEqual(st["stats"]["translated"], 1)
        self.assertEqual(st["stats"]["in_v6"], 1)
        self.assertEqual(st["stats"]["out_v4"], 1)
        self.assertIsInstance(st["stats"]["drops"], dict)

    def test_json_without_hex_has_no_bytes(self):
        p = self.f.put("u.bin", siit_udp6())
        rc, out, _ = run(*SIIT, "--json", f"v6:{p}")
        o = json_lines(out)[0]
        self.assertNotIn("hex", o["outputs"][0])
        self.assertEqual(o["outputs"][0]["bytes"], 20 + 8 + len(DATA))

    def test_text_output(self):
        p = self.f.put("u.bin", siit_udp6())
        rc, out, _ = run(*ASIP, "--hex", f"asip:{self.f.put('a.bin', asip_udp())}")
        self.assertEqual(rc, 0)
        self.assertIn("a.bin (asip): translated", out)
        self.assertIn(siit_udp4().hex(), out.replace(" ", ""))
        rc, out, _ = run(*SIIT, f"v6:{p}", f"v4:{self.f.put('j.bin', b'junk')}")
        self.assertEqual(rc, 0)
        self.assertIn("u.bin (v6): translated", out)
        self.assertIn("j.bin (v4): dropped", out)

    def test_out_dir_files_equal_hex(self):
        # One input that fragments (two files), one that draws an ICMP error, one dropped.
        big = ipv4("198.51.100.1", "192.0.2.1", 17,
                   udp(a4("198.51.100.1"), a4("192.0.2.1"), 9, 9, bytes(1472)), ident=0x1234)
        toobig_df = ipv4("198.51.100.1", "192.0.2.1", 17,
                         udp(a4("198.51.100.1"), a4("192.0.2.1"), 9, 9, bytes(1372)), df=True)
        files = [f"v4:{self.f.put('big.bin', big)}", f"v4:{self.f.put('df.bin', toobig_df)}",
                 f"v4:{self.f.put('drop.bin', b'garbage')}"]
        outdir = self.f.dir / "out"
        rc, out, err = run(*ASIP, "--mtu.translator.v6", "1280", "--out-dir", str(outdir), "--json", "--hex", *files)
        self.assertEqual(rc, 0, err)
        objs = json_lines(out)
        self.assertEqual([o["verdict"] for o in objs], ["translated", "icmp-error", "dropped"])
        self.assertEqual(len(objs[0]["outputs"]), 2)
        want = {}
        for o, name in zip(objs, ("big.bin", "df.bin", "drop.bin")):
            for n, pkt in enumerate(o["outputs"], start=1):
                want[f"{name}.{n}.{pkt['side']}"] = bytes.fromhex(pkt["hex"])
        self.assertEqual(set(want), {"big.bin.1.asip", "big.bin.2.asip", "df.bin.1.v4"})
        self.assertEqual(sorted(os.listdir(outdir)), sorted(want))
        for name, data in want.items():
            self.assertEqual((outdir / name).read_bytes(), data, name)

    def test_out_dir_siit_sides(self):
        v4 = self.f.put("r.bin", ipv4("198.51.100.1", "192.0.2.1", 17,
                                      udp(a4("198.51.100.1"), a4("192.0.2.1"), 53, 4000, DATA)))
        v6 = self.f.put("q.bin", siit_udp6())
        outdir = self.f.dir / "o"
        rc, out, err = run(*SIIT, "--out-dir", str(outdir), "--json", "--hex", f"v4:{v4}", f"v6:{v6}")
        self.assertEqual(rc, 0, err)
        objs = json_lines(out)
        self.assertEqual(sorted(os.listdir(outdir)), ["q.bin.1.v4", "r.bin.1.v6"])
        self.assertEqual((outdir / "r.bin.1.v6").read_bytes().hex(), objs[0]["outputs"][0]["hex"])
        self.assertEqual((outdir / "q.bin.1.v4").read_bytes().hex(), objs[1]["outputs"][0]["hex"])

    def test_side_prefixes_and_from(self):
        v6 = self.f.put("a.bin", siit_udp6())
        v4 = self.f.put("b.bin", ipv4("198.51.100.1", "192.0.2.1", 17,
                                      udp(a4("198.51.100.1"), a4("192.0.2.1"), 53, 4000, DATA)))
        rc, out, err = run(*SIIT, "--json", f"v6:{v6}", f"v4:{v4}")
        self.assertEqual(rc, 0, err)
        objs = json_lines(out)
        self.assertEqual([o["from"] for o in objs], ["v6", "v4"])
        self.assertEqual([o["outputs"][0]["side"] for o in objs], ["v4", "v6"])
        # --from gives the side of unprefixed files; a prefix still wins.
        rc, out, err = run(*SIIT, "--json", "--from", "v6", v6, f"v4:{v4}")
        self.assertEqual(rc, 0, err)
        self.assertEqual([o["from"] for o in json_lines(out)], ["v6", "v4"])

    def test_asip_side(self):
        p = self.f.put("a.bin", asip_udp())
        rc, out, err = run(*ASIP, "--json", "--hex", "--from", "asip", p)
        self.assertEqual(rc, 0, err)
        o = json_lines(out)[0]
        self.assertEqual((o["from"], o["verdict"], o["outputs"][0]["side"]), ("asip", "translated", "v4"))
        self.assertEqual(bytes.fromhex(o["outputs"][0]["hex"]), siit_udp4())
        # An IPv6 packet on the ASIP side is not ASIP.
        p6 = self.f.put("six.bin", siit_udp6())
        rc, out, _ = run(*ASIP, "--json", f"asip:{p6}")
        self.assertEqual(rc, 0)
        self.assertEqual(json_lines(out)[0]["verdict"], "dropped")


class Siit(Base):
    def translate(self, side, pkt, *extra):
        p = self.f.put("p.bin", pkt)
        rc, out, err = run(*SIIT, "--json", "--hex", *extra, f"{side}:{p}")
        self.assertEqual(rc, 0, err)
        return json_lines(out)[0]

    def assertPacket(self, o, side, want):
        """In SIIT mode the IPv4 Identification is the translator's choice (RFC 7915 §5.1):
        bytes 4-5 and the header checksum are not compared, the checksum is verified."""
        self.assertEqual(o["verdict"], "translated", o)
        self.assertEqual(len(o["outputs"]), 1)
        self.assertEqual(o["outputs"][0]["side"], side)
        got = bytes.fromhex(o["outputs"][0]["hex"])
        if side == "v4":
            self.assertEqual(cksum(got[:20]), 0, "IPv4 header checksum")
            got, want = blank_id(got), blank_id(want)
        self.assertEqual(got.hex(), want.hex())

    def test_udp_v6_to_v4(self):
        o = self.translate("v6", siit_udp6())
        self.assertPacket(o, "v4", siit_udp4())
        got = bytes.fromhex(o["outputs"][0]["hex"])
        self.assertEqual(cksum(pseudo(got[12:16], got[16:20], 17, len(got) - 20) + got[20:]), 0)

    def test_udp_v6_to_v4_keep_ttl(self):
        self.assertPacket(self.translate("v6", siit_udp6(), "--decrement-ttl", "0"), "v4", siit_udp4(ttl=64))

    def test_udp_v4_to_v6(self):
        pkt = ipv4("198.51.100.1", "192.0.2.1", 17, udp(a4("198.51.100.1"), a4("192.0.2.1"), 53, 4000, DATA),
                   tos=0x20, df=True)
        want = ipv6(V6_DST, V6_SRC, 17, udp(a6(V6_DST), a6(V6_SRC), 53, 4000, DATA), hlim=63, tc=0x20)
        self.assertPacket(self.translate("v4", pkt), "v6", want)

    def test_icmpv6_echo_to_icmpv4_echo(self):
        rest = struct.pack("!HH", 0x0BEE, 1)
        body = b"ping" * 8
        ph = pseudo(a6(V6_SRC), a6(V6_DST), 58, 8 + len(body))
        pkt = ipv6(V6_SRC, V6_DST, 58, icmp_msg(128, 0, rest, body, ph))
        want = ipv4("192.0.2.1", "198.51.100.1", 1, icmp_msg(8, 0, rest, body), ttl=63)
        self.assertPacket(self.translate("v6", pkt), "v4", want)

    def test_icmpv4_echo_reply_to_icmpv6(self):
        rest = struct.pack("!HH", 0x0BEE, 1)
        body = b"pong" * 8
        pkt = ipv4("198.51.100.1", "192.0.2.1", 1, icmp_msg(0, 0, rest, body))
        ph = pseudo(a6(V6_DST), a6(V6_SRC), 58, 8 + len(body))
        want = ipv6(V6_DST, V6_SRC, 58, icmp_msg(129, 0, rest, body, ph), hlim=63)
        self.assertPacket(self.translate("v4", pkt), "v6", want)

    def test_eamt(self):
        src, dst = "2001:db8:6::5", "64:ff9b::c633:6401"
        pkt = ipv6(src, dst, 17, udp(a6(src), a6(dst), 1000, 2000, DATA))
        p = self.f.put("e.bin", pkt)
        rc, out, err = run("--mode", "siit", "--pool6", "64:ff9b::/96", "--eamt", "2001:db8:6::/120=203.0.113.0/24",
                           "--json", "--hex", f"v6:{p}")
        self.assertEqual(rc, 0, err)
        want = ipv4("203.0.113.5", "198.51.100.1", 17, udp(a4("203.0.113.5"), a4("198.51.100.1"), 1000, 2000, DATA),
                    ttl=63)
        self.assertPacket(json_lines(out)[0], "v4", want)

    def test_untranslatable_source_dropped(self):
        src = "2001:db8:9::1"  # neither in pool6 nor in an EAM
        pkt = ipv6(src, V6_DST, 17, udp(a6(src), a6(V6_DST), 1, 2, DATA))
        o = self.translate("v6", pkt)
        self.assertEqual(o["verdict"], "dropped")
        self.assertEqual(o["outputs"], [])


if __name__ == "__main__":
    NEXTIP = sys.argv.pop(1)
    unittest.main(verbosity=1)

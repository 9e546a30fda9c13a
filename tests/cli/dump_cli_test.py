#!/usr/bin/env python3
"""Black-box tests of `nextip dump`: hex input with family detection, --family, --json,
-v, captures, malformed reasons, exit codes, --help.

usage: dump_cli_test.py NEXTIP SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

NEXTIP = None
SOURCE = None


def run(*args, stdin=""):
    p = subprocess.run([NEXTIP, *args], input=stdin, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def vector(name):
    with open(os.path.join(SOURCE, "tests/vectors/packets.tsv")) as f:
        for line in f:
            if not line.startswith("#") and line.split("\t")[0] == name:
                return line.split("\t")[3]
    raise KeyError(name)


def fields(obj):
    out = {}
    for layer in obj["layers"]:
        for k, v in layer["fields"].items():
            out.setdefault(k, v)
    return out


class Hex(unittest.TestCase):
    def test_detects_each_family(self):
        lines = "\n".join(vector(n) for n in ("12.7.1-asip-tcp", "12.7.1-ipv4-tcp", "ipv8-header", "ipxl-option29",
                                              "ipv45-modec-echo", "ipv45-client-hello"))
        rc, out, err = run("dump", "--hex", "--json", stdin=lines + "\n")
        self.assertEqual(rc, 0, err)
        objs = [json.loads(l) for l in out.splitlines()]
        self.assertEqual([o["layers"][0]["protocol"] for o in objs], ["asip", "ip", "ipv8", "ip", "ip", "ipv45"])
        self.assertEqual(objs[3]["layers"][1]["protocol"], "ipxl")
        self.assertIn("ipv45", [l["protocol"] for l in objs[4]["layers"]])
        self.assertFalse(any(o["malformed"] for o in objs))

    def test_spec_style_hex_with_spaces_and_comments(self):
        h = vector("12.7.1-asip-tcp")
        spaced = " ".join(h[i:i + 2].upper() for i in range(0, len(h), 2)) + "   # §12.7.1"
        rc, out, _ = run("dump", "--hex", "--json", stdin="# a comment line\n\n" + spaced + "\n")
        self.assertEqual(rc, 0)
        obj = json.loads(out)
        self.assertEqual(fields(obj)["asip.src"], "15169::192.0.2.1")

    def test_family_forces_the_reading(self):
        rc, out, _ = run("dump", "--hex", "--json", "--family", "ipv8", stdin=vector("12.7.1-asip-tcp") + "\n")
        obj = json.loads(out)
        self.assertEqual(obj["layers"][0]["protocol"], "ipv8")
        self.assertTrue(obj["malformed"])

    def test_malformed_names_field_and_offset(self):
        rc, out, _ = run("dump", "--hex", stdin=vector("12.7.1-asip-tcp")[:60] + "\n")
        self.assertEqual(rc, 0)
        self.assertIn("MALFORMED: asip.dst at 24: truncated", out)

    def test_bad_hex_exits_2_naming_line_and_column(self):
        rc, _, err = run("dump", "--hex", stdin="80 00 zz\n")
        self.assertEqual(rc, 2)
        self.assertIn("line 1", err)
        self.assertIn("column 7", err)
        rc, _, err = run("dump", "--hex", stdin="800\n")
        self.assertEqual(rc, 2)
        self.assertIn("odd number", err)

    def test_verbose_lists_fields_with_offsets(self):
        rc, out, _ = run("dump", "--hex", "-v", stdin=vector("ipv8-header") + "\n")
        self.assertIn("ipv8.src = 0.0.251.240:192.0.2.1  [@12]", out)

    def test_unknown_family_is_a_usage_error(self):
        rc, _, err = run("dump", "--hex", "--family", "ipv9", stdin="00\n")
        self.assertEqual(rc, 2)
        self.assertIn("--family", err)


class Files(unittest.TestCase):
    def test_reads_a_capture(self):
        with tempfile.TemporaryDirectory() as d:
            pcap = os.path.join(d, "v.pcap")
            # text2pcap is not needed: write a pcap by hand (Ethernet, one frame).
            import struct
            frame = bytes.fromhex("020000000002020000000001" + "88b5" + vector("12.7.1-asip-tcp"))
            with open(pcap, "wb") as f:
                f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
                f.write(struct.pack("<IIII", 1, 0, len(frame), len(frame)) + frame)
            rc, out, err = run("dump", "--json", pcap)
            self.assertEqual(rc, 0, err)
            obj = json.loads(out)
            self.assertEqual(obj["link"], "ethernet")
            self.assertEqual([l["protocol"] for l in obj["layers"]], ["eth", "asip", "tcp", "data"])

    def test_missing_file_exits_1(self):
        rc, _, err = run("dump", "/nonexistent.pcap")
        self.assertEqual(rc, 1)
        self.assertIn("/nonexistent.pcap", err)

    def test_help(self):
        rc, out, _ = run("dump", "--help")
        self.assertEqual(rc, 0)
        for s in ("DESCRIPTION", "EXIT STATUS", "EXAMPLES", "--hex", "--family"):
            self.assertIn(s, out)


if __name__ == "__main__":
    NEXTIP = sys.argv.pop(1)
    SOURCE = sys.argv.pop(1)
    unittest.main(verbosity=1)

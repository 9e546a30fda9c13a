#!/usr/bin/env python3
"""Black-box tests of `nextip addr`: output, --json, exit codes, errors, --help.

usage: addr_cli_test.py PATH/TO/nextip"""
import json
import subprocess
import sys
import unittest

NEXTIP = None


def run(*args):
    p = subprocess.run([NEXTIP, *args], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def show_json(*args):
    rc, out, err = run("addr", "show", "--json", *args)
    return rc, [json.loads(line) for line in out.splitlines()], err


class Show(unittest.TestCase):
    def test_asip_reading(self):
        rc, objs, _ = show_json("64496::192.0.2.1")
        self.assertEqual(rc, 0)
        self.assertEqual(len(objs), 1)
        o = objs[0]
        self.assertTrue(o["valid"])
        self.assertFalse(o["ambiguous"])
        r = o["readings"][0]
        self.assertEqual(r["family"], "asip")
        self.assertEqual(r["address"], "64496::192.0.2.1")
        self.assertEqual(r["hex"], "0000fbf00000000000000000c0000201")
        self.assertEqual(r["class"], "terrestrial-unicast")
        self.assertEqual(r["scope"], "terrestrial")
        self.assertEqual(r["forms"]["dotted"], "0.0.251.240:0.0.0.0:0.0.0.0:192.0.2.1")
        self.assertEqual(r["forms"]["flat"], "0.0.251.240.0.0.0.0.0.0.0.0.192.0.2.1")
        self.assertEqual(r["forms"]["url"], "[64496::192.0.2.1]")
        self.assertEqual(r["maps_to"]["ipv6"]["address"], "0:fbf0::c000:201")
        self.assertIn("error", r["maps_to"]["ipv4"])

    def test_one_object_per_address(self):
        rc, objs, _ = show_json("::8.8.8.8", "127.1.0.0::10.0.0.1", "192.0.2.1::1234::DEAD:BEEF:0001")
        self.assertEqual(rc, 0)
        self.assertEqual([o["input"] for o in objs], ["::8.8.8.8", "127.1.0.0::10.0.0.1", "192.0.2.1::1234::DEAD:BEEF:0001"])
        self.assertEqual(objs[1]["readings"][0]["class"], "internal-zone")
        self.assertEqual(objs[2]["readings"][0]["family"], "ipv45")

    def test_ambiguous_text_shows_every_reading(self):
        rc, objs, _ = show_json("1.192.168.100.1")
        self.assertEqual(rc, 0)
        self.assertTrue(objs[0]["ambiguous"])
        self.assertEqual([r["family"] for r in objs[0]["readings"]], ["ipv8", "ipxl"])
        rc, out, _ = run("addr", "show", "1.192.168.100.1")
        self.assertIn("valid in 2 families (ipv8, ipxl)", out)
        self.assertIn("ipv8 0.0.0.1:192.168.100.1", out)
        self.assertIn("ipxl 0.0.0.1.192.168.100.1", out)

    def test_from_restricts(self):
        rc, objs, _ = show_json("--from", "ipxl", "1.192.168.100.1")
        self.assertEqual(rc, 0)
        self.assertEqual([r["family"] for r in objs[0]["readings"]], ["ipxl"])

    def test_invalid_exits_2_with_position(self):
        rc, out, err = run("addr", "show", "64496:0.0.0.1::")
        self.assertEqual(rc, 2)
        self.assertIn("asip: at 15: host field (h.h.h.h) may not be compressed", err)
        self.assertIn("^", err)
        rc, objs, _ = show_json("64496:0.0.0.1::")
        self.assertEqual(rc, 2)
        self.assertFalse(objs[0]["valid"])
        self.assertEqual(objs[0]["error"]["code"], "asip_host_compressed")
        self.assertEqual(objs[0]["error"]["pos"], 15)

    def test_mixed_valid_and_invalid(self):
        rc, objs, _ = show_json("::8.8.8.8", "nonsense")
        self.assertEqual(rc, 2)
        self.assertTrue(objs[0]["valid"])
        self.assertFalse(objs[1]["valid"])

    def test_translator_form(self):
        rc, objs, _ = show_json("--translator", "203.0.113.1", "198.51.100.42")
        self.assertEqual(rc, 0)
        self.assertEqual(objs[0]["readings"][0]["maps_to"]["ipv45"]["address"], "203.0.113.1::FFFF::FFFF:C633:642A")
        rc, objs, _ = show_json("203.0.113.1::FFFF::FFFF:C633:642A")
        r = objs[0]["readings"][0]
        self.assertEqual(r["class"], "ipv4-embedded")
        self.assertEqual(r["also_matches"], ["site-local"])
        self.assertEqual(r["maps_to"]["ipv4"]["address"], "198.51.100.42")

    def test_multicast_drop_is_reported(self):
        rc, objs, _ = show_json("255.255.255.0::224.0.0.1")
        r = objs[0]["readings"][0]
        self.assertEqual(r["class"], "cross-asn-multicast")
        self.assertEqual(r["drop"], "multicast-reserved-scope")


class Convert(unittest.TestCase):
    def conv(self, *args):
        return run("addr", "convert", *args)

    def test_spec_mappings(self):
        cases = [
            (["--to", "ipv4", "::8.8.8.8"], "8.8.8.8"),
            (["--to", "asip", "8.8.8.8"], "::8.8.8.8"),
            (["--to", "ipv6", "64496::192.0.2.1"], "0:fbf0::c000:201"),
            (["--to", "asip", "2001:db8::1"], "536939960::0.0.0.1"),
            (["--to", "ipxl", "192.168.100.1"], "0.0.0.1.192.168.100.1"),
            (["--to", "ipv8", "192.0.2.1"], "0.0.0.0:192.0.2.1"),
            (["--to", "ipv45", "--translator", "203.0.113.1", "198.51.100.42"], "203.0.113.1::FFFF::FFFF:C633:642A"),
            (["--to", "ipv4", "203.0.113.1::FFFF::FFFF:C633:642A"], "198.51.100.42"),
            (["--from", "ipxl", "--to", "asip", "1.192.168.100.1"], "::192.168.100.1"),
        ]
        for args, want in cases:
            rc, out, err = self.conv(*args)
            self.assertEqual((rc, out), (0, want + "\n"), (args, err))

    def test_no_mapping_says_why(self):
        rc, out, err = self.conv("--to", "ipv8", "64496::192.0.2.1")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("§1.3", err)
        rc, out, err = self.conv("--to", "ipv45", "198.51.100.42")
        self.assertEqual(rc, 2)
        self.assertIn("--translator", err)

    def test_ambiguous_is_refused_with_readings(self):
        # As IPv8 (ASN 1) there is no IPv4; as IPxl it is 192.168.100.1: one reading converts.
        rc, out, err = self.conv("--to", "ipv4", "1.192.168.100.1")
        self.assertEqual((rc, out), (0, "192.168.100.1\n"))
        self.assertIn("also reads as ipv8", err)
        # Both readings convert, to different IPv6 addresses: refused.
        rc, out, err = self.conv("--to", "ipv6", "1.192.168.100.1")
        self.assertEqual(rc, 2)
        self.assertIn("ambiguous", err)
        self.assertIn("--from ipv8", err)
        self.assertIn("--from ipxl", err)

    def test_json(self):
        rc, out, _ = self.conv("--json", "--to", "ipv4", "::8.8.8.8")
        o = json.loads(out)
        self.assertEqual(o["address"], "8.8.8.8")
        self.assertEqual(o["from"], "asip")
        self.assertIn("§3.3", o["rule"])

    def test_carrier_prefix_option(self):
        rc, out, _ = self.conv("--to", "ipv6", "--carrier-prefix", "ipv8=2001:db8:8::/64", "64496.192.0.2.1")
        self.assertEqual((rc, out), (0, "2001:db8:8::fbf0:c000:201\n"))
        rc, out, err = self.conv("--to", "ipv6", "--carrier-prefix", "asip=2001:db8::/64", "64496.192.0.2.1")
        self.assertEqual(rc, 2)
        self.assertIn("--carrier-prefix", err)

    def test_bad_family_names_the_option(self):
        rc, _, err = self.conv("--to", "ipv9", "::8.8.8.8")
        self.assertEqual(rc, 2)
        self.assertIn("--to", err)
        self.assertIn("ipv9", err)


class Prefix(unittest.TestCase):
    def test_prefixes(self):
        rc, out, _ = run("addr", "prefix", "--json", "15169::/32", "4.0.0.0.0/-2", "0.0.251.240:10.1.0.0/56")
        self.assertEqual(rc, 0)
        objs = [json.loads(l) for l in out.splitlines()]
        a, x, v8 = (o["readings"][0] for o in objs)
        self.assertEqual(a["last"], "15169:255.255.255.255:255.255.255.255:255.255.255.255")
        self.assertEqual(a["size"], "79228162514264337593543950336")
        self.assertEqual(x["first"], "0.0.0.4.0.0.0.0")
        self.assertEqual(x["last"], "0.0.0.7.255.255.255.255")
        self.assertEqual(x["signed_length"], -2)
        self.assertFalse(v8["injectable_across_as"])

    def test_host_bits_masked_with_note(self):
        rc, out, _ = run("addr", "prefix", "--json", "--from", "asip", "15169::1.2.3.4/32")
        self.assertEqual(rc, 0)
        r = json.loads(out)["readings"][0]
        self.assertEqual(r["prefix"], "15169::/32")
        self.assertTrue(any("bits set beyond" in n for n in r["notes"]))

    def test_rejects_dropped_trailing_numbers(self):
        rc, _, err = run("addr", "prefix", "--from", "ipxl", "1.192.168/16")
        self.assertEqual(rc, 2)
        self.assertIn("ipxl", err)


class Help(unittest.TestCase):
    def test_help_reads_like_a_man_page(self):
        for args in (["--help"], ["addr", "--help"], ["addr", "show", "--help"], ["addr", "convert", "--help"],
                     ["addr", "prefix", "--help"]):
            rc, out, _ = run(*args)
            self.assertEqual(rc, 0, args)
            self.assertIn("Usage:", out)
        _, out, _ = run("addr", "convert", "--help")
        for section in ("DESCRIPTION", "MAPPINGS", "EXAMPLES"):
            self.assertIn(section, out)

    def test_usage_error_exits_2(self):
        rc, _, err = run("addr", "show")
        self.assertEqual(rc, 2)
        self.assertIn("--help", err)
        rc, _, _ = run("frobnicate")
        self.assertEqual(rc, 2)


if __name__ == "__main__":
    NEXTIP = sys.argv.pop(1)
    unittest.main(verbosity=1)

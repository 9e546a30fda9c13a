#!/usr/bin/env python3
"""Black-box tests of `nextip crypto mlkem768`: known answers, --json, exit codes,
errors that name the option, --help.

usage: crypto_cli_test.py PATH/TO/nextip"""
import json
import pathlib
import subprocess
import sys
import unittest

NEXTIP = None
TESTDATA = pathlib.Path(__file__).resolve().parents[2] / "src" / "crypto" / "testdata"


def run(*args):
    p = subprocess.run([NEXTIP, "crypto", "mlkem768", *args], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def lines(out):
    """'name: hex' lines -> dict."""
    return dict(line.split(": ", 1) for line in out.splitlines())


def vector(name):
    """A C2SP CCTV file: 'key = hex' lines."""
    kv = {}
    for line in (TESTDATA / name).read_text().splitlines():
        if " = " in line and not line.startswith("#"):
            k, v = line.split(" = ", 1)
            kv[k] = v
    return kv


class KnownAnswers(unittest.TestCase):
    def test_cctv_unlucky_vector(self):
        v = vector("cctv_mlkem768_unlucky.txt")
        rc, out, err = run("keygen", "--seed", v["d"] + v["z"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(lines(out), {"ek": v["ek"], "dk": v["dk"]})
        rc, out, err = run("encaps", "--ek", v["ek"], "--m", v["m"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(lines(out), {"ct": v["c"], "ss": v["K"]})
        rc, out, err = run("decaps", "--dk", v["dk"], "--ct", v["c"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "ss: %s\n" % v["K"])

    def test_implicit_rejection_is_not_an_error(self):
        v = vector("cctv_mlkem768_strcmp.txt")
        rc, out, err = run("decaps", "--dk", v["dk"], "--ct", v["c"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "ss: %s\n" % v["K"])

    def test_upper_case_hex_is_accepted(self):
        v = vector("cctv_mlkem768_unlucky.txt")
        rc, out, _ = run("keygen", "--seed", (v["d"] + v["z"]).upper())
        self.assertEqual((rc, lines(out)["ek"]), (0, v["ek"]))


class Json(unittest.TestCase):
    def test_random_round_trip(self):
        rc, out, _ = run("keygen", "--json")
        self.assertEqual(rc, 0)
        key = json.loads(out)
        self.assertEqual(list(key), ["algorithm", "implementation", "d", "z", "ek", "dk"])
        self.assertEqual(key["algorithm"], "ML-KEM-768")
        self.assertEqual([len(key[k]) // 2 for k in ("d", "z", "ek", "dk")], [32, 32, 1184, 2400])
        self.assertTrue(key["dk"].endswith(key["z"]))
        rc, out, _ = run("encaps", "--ek", key["ek"], "--json")
        self.assertEqual(rc, 0)
        enc = json.loads(out)
        self.assertEqual([len(enc[k]) // 2 for k in ("m", "ct", "ss")], [32, 1088, 32])
        rc, out, _ = run("decaps", "--dk", key["dk"], "--ct", enc["ct"], "--json")
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["ss"], enc["ss"])

    def test_seed_gives_the_same_key_and_echoes_d_and_z(self):
        seed = "ab" * 32 + "cd" * 32
        a = json.loads(run("keygen", "--seed", seed, "--json")[1])
        b = json.loads(run("keygen", "--seed", seed, "--json")[1])
        self.assertEqual(a, b)
        self.assertEqual((a["d"], a["z"]), ("ab" * 32, "cd" * 32))


class Errors(unittest.TestCase):
    def assert_usage_error(self, args, *fragments):
        rc, out, err = run(*args)
        self.assertEqual(rc, 2, (args, err))
        self.assertEqual(out, "")
        for f in fragments:
            self.assertIn(f, err)

    def test_bad_hex_names_option_and_position(self):
        self.assert_usage_error(["keygen", "--seed", "00x" + "0" * 125], "--seed", "not hexadecimal: 'x' at position 2")

    def test_wrong_and_odd_lengths(self):
        self.assert_usage_error(["keygen", "--seed", "00"], "--seed", "wrong length: 1 byte;", "expected 64 bytes")
        self.assert_usage_error(["keygen", "--seed", "0" * 127], "--seed", "odd number of hex digits (127)")
        self.assert_usage_error(["encaps", "--ek", "00" * 1183], "--ek", "expected 1184 bytes")
        self.assert_usage_error(["encaps", "--ek", "00" * 1184, "--m", "00" * 31], "--m", "expected 32 bytes")
        self.assert_usage_error(["decaps", "--dk", "00" * 2400, "--ct", "00" * 1089], "--ct", "expected 1088 bytes")

    def test_failed_key_checks(self):
        v = vector("cctv_mlkem768_unlucky.txt")
        bad_ek = "ffff" + v["ek"][4:]  # coefficient 0 = 4095 >= q
        self.assert_usage_error(["encaps", "--ek", bad_ek], "--ek", "modulus check", "§7.2")
        dk = bytearray.fromhex(v["dk"])
        dk[2340] ^= 1  # inside H(ek)
        self.assert_usage_error(["decaps", "--dk", dk.hex(), "--ct", v["c"]], "--dk", "hash check", "§7.3")

    def test_missing_options(self):
        self.assert_usage_error(["encaps"], "--ek")
        self.assert_usage_error(["decaps", "--dk", "00"], "--ct")
        self.assert_usage_error([], "")


class Help(unittest.TestCase):
    def test_man_page_footer(self):
        for args in (["--help"], ["keygen", "--help"], ["decaps", "--help"]):
            rc, out, _ = run(*args)
            self.assertEqual(rc, 0)
            for section in ("DESCRIPTION", "OUTPUT", "EXIT STATUS", "EXAMPLES", "FIPS 203"):
                self.assertIn(section, out, args)
        p = subprocess.run([NEXTIP, "crypto", "--help"], capture_output=True, text=True)
        self.assertIn("mlkem768", p.stdout)


if __name__ == "__main__":
    NEXTIP = sys.argv.pop(1)
    unittest.main()

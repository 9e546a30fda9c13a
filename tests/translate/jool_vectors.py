#!/usr/bin/env python3
"""Replays the RFC 7915 vectors of ../shared/vectors/jool-siit (Jool's SIIT test suite)
through `nextip translate`, one translator per manifest row with the row's configuration,
and compares every output byte for byte except the row's ignore offsets.

    jool_vectors.py NEXTIP [--vectors DIR] [--mode siit|asip] [-v]

--mode asip first rewrites each row for the ASIP side with asipify.py (version 8, ICMP-ASIP
next header 143, ASIP addresses, checksums recomputed) and runs the translator in ASIP
mode. Rows that cannot mean the same thing in ASIP mode are skipped with the reason
asipify gives. Exit status 0 when every row passes (or is a documented exception)."""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import asipify  # noqa: E402
import vectors_dir  # noqa: E402

# The translator's own addresses in the vectors' network (README of the vectors).
OWN = ["--own-v4", "198.51.100.1", "--own-v6", "2001:db8:1c0:2:1::"]

# Rows where nextip deliberately answers differently, each recorded in
# docs/spec-decisions.md with the RFC clause that allows it: {(input, expected): id}.
EXCEPTIONS = {}


def extra_rows(root: pathlib.Path, rows):
    """ebe1 is in the vectors but not in the manifest: eat1 (IPv4 UDP, checksum 0) with
    amend-udp-checksum-zero=1 must come out with the computed checksum (RFC 7915 §4.5)."""
    extra = []
    if (root / "7915" / "ebe1.pkt").is_file():
        for r in rows:
            if r["input"] == "eat1":
                e = dict(r, expected="ebe1", expected_on="v6", ignore_offsets="", line="extra")
                e["config"] = r["config"].replace("amend-udp-checksum-zero=0", "amend-udp-checksum-zero=1")
                extra.append(e)
                break
    return extra


def read_manifest(root: pathlib.Path):
    rows = []
    lines = (root / "manifest.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        rows.append(dict(zip(header, line.split("\t")), line=n))
    return rows


def config_args(config: str):
    args = []
    for kv in config.split(";"):
        if not kv:
            continue
        k, v = kv.split("=", 1)
        args += [f"--{k}", v]
    return args


def compare(got: bytes, want: bytes, ignore):
    if len(got) != len(want):
        return f"length {len(got)}, expected {len(want)}"
    diffs = [i for i in range(len(want)) if i not in ignore and got[i] != want[i]]
    if diffs:
        shown = ", ".join(f"@{i}: {got[i]:02x} want {want[i]:02x}" for i in diffs[:8])
        return f"{len(diffs)} byte(s) differ: {shown}{' …' if len(diffs) > 8 else ''}"
    return None


def run_row(nextip, mode, row, inp: pathlib.Path, expected, extra_args, workdir):
    side = {"v4": "v4", "v6": "asip" if mode == "asip" else "v6"}[row["sent_on"]]
    cmd = [nextip, "translate", "--mode", mode, "--from", side, "--json", "--hex", "--icmp-errors-per-second", "0"]
    cmd += extra_args + [str(inp)]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    if p.returncode != 0:
        return f"nextip exited {p.returncode}: {p.stderr.strip()}"
    res = json.loads(p.stdout.splitlines()[0])
    outs = res["outputs"]
    want_side = {"v4": "v4", "v6": "asip" if mode == "asip" else "v6"}[row["expected_on"]]
    if len(outs) != len(expected):
        why = f" ({res.get('reason')}: {res.get('reason_text')})" if res.get("reason") else ""
        return f"{res['verdict']}{why}: {len(outs)} output(s), expected {len(expected)}"
    ignore = {int(x) for x in row["ignore_offsets"].split(",") if x}
    for i, (o, want) in enumerate(zip(outs, expected)):
        if o["side"] != want_side:
            return f"output {i + 1} on side {o['side']}, expected {want_side}"
        err = compare(bytes.fromhex(o["hex"]), want, ignore)
        if err:
            return f"output {i + 1}: {err}"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("nextip")
    ap.add_argument("--vectors")
    ap.add_argument("--mode", choices=["siit", "asip"], default="siit")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    root = vectors_dir.find(a.vectors, "vectors/jool-siit")
    if root is None:
        print("SKIP: ../shared/vectors/jool-siit not found (set NEXTIP_SHARED_DIR)")
        return 77
    rows = read_manifest(root)
    rows += extra_rows(root, rows)
    passed = failed = skipped = excepted = 0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        for row in rows:
            name = f"line {row['line']}: {row['input']} -> {row['expected']}"
            inp = root / row["dir"] / f"{row['input']}.pkt"
            expected = [(root / row["dir"] / f"{e}.pkt").read_bytes() for e in row["expected"].split(",")]
            args = config_args(row["config"]) + OWN
            if a.mode == "asip":
                conv = asipify.convert_row(row, inp.read_bytes(), expected)
                if conv.skip:
                    skipped += 1
                    print(f"skip  {name}: {conv.skip}")
                    continue
                inp = workdir / f"{row['input']}-{row['line']}.asip"
                inp.write_bytes(conv.input)
                expected = conv.expected
                args = conv.args
            err = run_row(a.nextip, a.mode, row, inp, expected, args, workdir)
            key = (row["input"], row["expected"])
            if err and key in EXCEPTIONS:
                excepted += 1
                print(f"exc   {name}: {EXCEPTIONS[key]} ({err})")
            elif err:
                failed += 1
                print(f"FAIL  {name}: {err}")
            else:
                passed += 1
                if a.verbose:
                    print(f"ok    {name}")
    print(f"jool-siit ({a.mode}): {passed} passed, {failed} failed, {excepted} documented exceptions, "
          f"{skipped} skipped, of {len(rows)} rows")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

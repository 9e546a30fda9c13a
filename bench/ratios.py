#!/usr/bin/env python3
"""Prints nextip/anchor ratios from a Google Benchmark JSON file.

usage: bench/ratios.py RESULT.json [PAIR ...]
PAIR is NEXTIP_NAME:ANCHOR_NAME; without pairs, the address-bench pairs are used.
A ratio below 1.0 means nextip is faster than the anchor."""
import json
import sys

DEFAULT_PAIRS = [
    ("BM_AsipParse", "BM_GlibcInetPton6"),
    ("BM_AsipFormat", "BM_GlibcInetNtop6"),
    ("BM_Ipv4Parse", "BM_GlibcInetPton4"),
    # wire_bench: time ratios (below 1.0 = nextip faster)
    ("BM_ParseIpv4UdpNoChecksum", "BM_LibtinsIpv4Udp"),
    ("BM_ParseIpv4TcpNoChecksum", "BM_LibtinsIpv4Tcp"),
    ("BM_ParseIpv4Udp", "BM_LibtinsIpv4Udp"),
    ("BM_ParseIpv4Tcp", "BM_LibtinsIpv4Tcp"),
    # checksum vs memcpy: a time ratio; throughput ratio = 1 / this (goal: throughput >= 0.5)
    ("BM_Checksum/1500", "BM_Memcpy/1500"),
    ("BM_Checksum/9000", "BM_Memcpy/9000"),
    ("BM_Checksum/65536", "BM_Memcpy/65536"),
    # translate_bench: ns per packet over a memcpy of the input packet (the floor)
    ("BM_Translate/siit/v6/udp64", "BM_Memcpy/64"),
    ("BM_Translate/siit/v4/udp64", "BM_Memcpy/64"),
    ("BM_Translate/siit/v6/tcp1400", "BM_Memcpy/1440"),
    ("BM_Translate/siit/v4/tcp1400", "BM_Memcpy/1420"),
    ("BM_Translate/asip/v6/udp64", "BM_Memcpy/64"),
    ("BM_Translate/asip/v4/udp64", "BM_Memcpy/64"),
    ("BM_Translate/asip/v6/tcp1400", "BM_Memcpy/1440"),
    ("BM_Translate/asip/v4/tcp1400", "BM_Memcpy/1420"),
    ("BM_AsipReplyFlowHit", "BM_AsipReplyNoState"),
]


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        data = json.load(f)
    times = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        if name.endswith("_median"):
            name = name[: -len("_median")]
        times[name] = b["real_time"]
    pairs = [tuple(p.split(":")) for p in sys.argv[2:]] or DEFAULT_PAIRS
    print(f"{'nextip':<22}{'ns':>8}  {'anchor':<22}{'ns':>8}  ratio")
    for ours, anchor in pairs:
        if ours not in times or anchor not in times:
            print(f"{ours} / {anchor}: missing")
            continue
        print(f"{ours:<22}{times[ours]:8.1f}  {anchor:<22}{times[anchor]:8.1f}  {times[ours] / times[anchor]:.2f}")
    for name, t in sorted(times.items()):
        if not any(name in p for p in pairs):
            print(f"{name:<22}{t:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

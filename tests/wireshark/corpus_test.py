#!/usr/bin/env python3
"""The capture corpus through `nextip dump --json`: at least 300 frames across every
family, each malformed exactly when the generator made it so, every malformed frame
with a reason that names a field and an offset, and no valid frame with a failing
checksum.

usage: corpus_test.py NEXTIP MAKE_CORPUS WORKDIR"""
import json
import os
import re
import subprocess
import sys


def main() -> int:
    nextip, make_corpus, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    pcap = os.path.join(work, "corpus.pcap")
    index = os.path.join(work, "corpus.jsonl")
    subprocess.run([make_corpus, pcap, index], check=True, stdout=subprocess.DEVNULL)
    expected = [json.loads(line) for line in open(index)]
    out = subprocess.run([nextip, "dump", "--json", pcap], check=True, capture_output=True, text=True).stdout
    dumped = [json.loads(line) for line in out.splitlines()]
    failures = []
    if len(expected) < 300:
        failures.append(f"corpus has {len(expected)} frames, want at least 300")
    if len(dumped) != len(expected):
        failures.append(f"dump read {len(dumped)} frames, the corpus has {len(expected)}")
    families = set()
    for e, d in zip(expected, dumped):
        families.update(l["protocol"] for l in d["layers"])
        if e["malformed"] != d["malformed"]:
            failures.append(f"frame {e['frame']} ({e['what']}): malformed={d['malformed']}, want {e['malformed']}")
        for layer in d["layers"]:
            err = layer.get("error")
            if err and not re.match(r"^[a-z0-9_.]+ at \d+: ", err) and not err.startswith("version nibble"):
                failures.append(f"frame {e['frame']}: reason without field and offset: {err}")
            for note in layer.get("notes", []):
                if "checksum does not verify" in note and not e["malformed"] and "checksum" not in e["what"]:
                    failures.append(f"frame {e['frame']} ({e['what']}): {layer['protocol']}: {note}")
    for want in ("ip", "ipxl", "udp", "tcp", "icmp", "geneve", "ipv6", "icmpv6", "asip", "icmpasip", "ipv8",
                 "icmpv8", "ipv45", "ipv45.frag", "ipv45.hs", "ipv45.ctl", "ipv45.echo", "ipv45.err", "ipv45.ka",
                 "ipv45.data", "asip.fragment", "asip.ah", "asip.hopopts", "asip.dstopts"):
        if want not in families:
            failures.append(f"no frame dissects to layer {want}")
    for f in failures:
        print("FAIL:", f)
    print(f"corpus: {len(expected)} frames, {sum(e['malformed'] for e in expected)} malformed, "
          f"{len(families)} layer kinds, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

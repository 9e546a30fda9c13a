#!/usr/bin/env python3
"""Helper of bench/lab_bench.sh: reads iperf3 --json output and prints the report.

usage:
  lab_bench.py tcp IPERF3.json        receiver-side Mbit/s of a TCP test
  lab_bench.py udp IPERF3.json LEN    packets per second received by the server
                                      (LEN-byte datagrams) of a UDP test
                                      (both followed by iperf3's client and server
                                      CPU %, "null" when not known)
  lab_bench.py report META.json RUNS.jsonl [--json OUT.json]
                                      the table and the ratios on stdout; every raw
                                      number in OUT.json

A value that cannot be measured (the test failed) is printed as "nan"."""
import json
import math
import statistics
import sys

SCENARIOS = [
    ("siit", "nextip SIIT (IPv6 -> IPv4, 64:ff9b::/96 + EAM)"),
    ("tayga", "tayga 0.9 (same job, stateless NAT64)"),
    ("asip", "nextip ASIP path (host node + translator)"),
    ("kernel", "kernel IPv6 forwarding (ceiling for ASIP)"),
]


def load(path):
    with open(path) as f:
        return json.load(f)


def tcp_mbps(path):
    j = load(path)
    if "error" in j and "end" not in j:
        raise ValueError(j["error"])
    return j["end"]["sum_received"]["bits_per_second"] / 1e6


def udp_pps(path, length):
    """Datagrams the server received per second: the receiver's byte count over its
    interval (iperf3 3.12 end.sum_received), cross-checked with packets - lost."""
    j = load(path)
    if "error" in j and "end" not in j:
        raise ValueError(j["error"])
    end = j["end"]
    rx = end.get("sum_received") or end["sum"]
    secs = rx["seconds"]
    if "packets" in rx and "lost_packets" in rx:
        got = rx["packets"] - rx["lost_packets"]
    else:
        got = rx["bytes"] / length
    return got / secs


def iperf_cpu(path):
    """iperf3's own CPU use over the test (percent of one core): client, server."""
    try:
        c = load(path)["end"]["cpu_utilization_percent"]
        return c["host_total"], c["remote_total"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def median(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    return statistics.median(xs) if xs else None


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def report(meta_path, runs_path, out_path):
    meta = load(meta_path)
    runs = []
    with open(runs_path) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    summary = {}
    for key, _ in SCENARIOS:
        s = {}
        for test in ("tcp", "udp"):
            rs = [r for r in runs if r["scenario"] == key and r["test"] == test]
            if not rs:
                continue
            s[test] = {
                "values": [r["value"] for r in rs],
                "median": median([r["value"] for r in rs]),
                "translator_cpu_pct_median": median([r.get("translator_cpu_pct") for r in rs]),
                "host_node_cpu_pct_median": median([r.get("host_node_cpu_pct") for r in rs]),
                "machine_busy_pct_median": median([r.get("machine_busy_pct") for r in rs]),
                "iperf3_client_cpu_pct_median": median([r.get("iperf3_client_cpu_pct") for r in rs]),
                "iperf3_server_cpu_pct_median": median([r.get("iperf3_server_cpu_pct") for r in rs]),
            }
        if s:
            summary[key] = s

    def med(key, test):
        return summary.get(key, {}).get(test, {}).get("median")

    tcp_unit = 1.0  # Mbit/s
    ratios = {
        "siit_over_tayga_tcp": ratio(med("siit", "tcp"), med("tayga", "tcp")),
        "siit_over_tayga_pps": ratio(med("siit", "udp"), med("tayga", "udp")),
        "asip_over_kernel_tcp": ratio(med("asip", "tcp"), med("kernel", "tcp")),
        "asip_over_kernel_pps": ratio(med("asip", "udp"), med("kernel", "udp")),
    }
    # Work per translator core: Mbit/s (or kpps) for each 100 % of one core it used.
    eff = {}
    for key in ("siit", "tayga", "asip"):
        for test in ("tcp", "udp"):
            t = summary.get(key, {}).get(test)
            if t and t["median"] is not None and t["translator_cpu_pct_median"]:
                v = t["median"] / (1000.0 if test == "udp" else tcp_unit)
                eff[f"{key}_{test}_per_core"] = v / (t["translator_cpu_pct_median"] / 100.0)
    ratios["siit_over_tayga_tcp_per_core"] = ratio(eff.get("siit_tcp_per_core"), eff.get("tayga_tcp_per_core"))
    ratios["siit_over_tayga_pps_per_core"] = ratio(eff.get("siit_udp_per_core"), eff.get("tayga_udp_per_core"))

    p = print
    p(f"nextip lab benchmark  {meta.get('date', '')}")
    p(f"machine: {meta.get('nproc')} CPU(s), kernel {meta.get('kernel')}, "
      f"load before {meta.get('load_before')} / after {meta.get('load_after', '?')}")
    p(f"{meta.get('nextip_version', 'nextip')} {meta.get('nextip')} (built {meta.get('nextip_built', '?')}, "
      f"tree at {meta.get('tree_head', '?')}), {meta.get('tayga_version', 'tayga ?')}, "
      f"{meta.get('iperf3_version', 'iperf3 ?')}")
    p(f"TCP: iperf3 -t {meta.get('seconds')}, UDP: iperf3 -u -l {meta.get('udp_len')} -b {meta.get('udp_rate')} "
      f"-t {meta.get('seconds')}; {meta.get('runs')} run(s) each, interleaved; medians")
    p("")
    hdr = ("scenario", "TCP Mbit/s", "UDP64 kpps", "xlat CPU% tcp", "xlat CPU% udp", "host-node CPU% tcp/udp",
           "machine busy% tcp/udp", "iperf3 cli/srv CPU% udp")
    rows = []
    for key, _ in SCENARIOS:
        s = summary.get(key)
        if not s:
            continue
        t, u = s.get("tcp", {}), s.get("udp", {})
        kpps = None if u.get("median") is None else u["median"] / 1000.0
        hn = "-"
        if key == "asip":
            hn = f"{fmt(t.get('host_node_cpu_pct_median'), 0)}/{fmt(u.get('host_node_cpu_pct_median'), 0)}"
        xl_t = fmt(t.get("translator_cpu_pct_median"), 0) if key != "kernel" else "(kernel)"
        xl_u = fmt(u.get("translator_cpu_pct_median"), 0) if key != "kernel" else "(kernel)"
        rows.append((key, fmt(t.get("median"), 0), fmt(kpps, 1), xl_t, xl_u, hn,
                     f"{fmt(t.get('machine_busy_pct_median'), 0)}/{fmt(u.get('machine_busy_pct_median'), 0)}",
                     f"{fmt(u.get('iperf3_client_cpu_pct_median'), 0)}/{fmt(u.get('iperf3_server_cpu_pct_median'), 0)}"))
    widths = [max(len(str(r[i])) for r in rows + [hdr]) for i in range(len(hdr))]
    line = "  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(hdr))
    p(line)
    p("-" * len(line))
    for r in rows:
        p("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)))
    p("")
    p("CPU% = percent of one core (utime+stime of the process over the test, kernel work done in its")
    p(f"context included); machine busy% = all {meta.get('nproc')} cores together (out of "
      f"{100 * int(meta.get('nproc', 1))}), every process on the machine; iperf3 cli/srv = iperf3's own report.")
    p("")
    p("every run (TCP Mbit/s | UDP kpps):")
    for key, _ in SCENARIOS:
        s = summary.get(key)
        if not s:
            continue
        tv = " ".join(fmt(v, 0) for v in s.get("tcp", {}).get("values", []))
        uv = " ".join(fmt(None if v is None else v / 1000.0, 1) for v in s.get("udp", {}).get("values", []))
        p(f"  {key:<7} {tv:<24} | {uv}")
    p("")

    def goal(r, g):
        if r is None:
            return "not measured"
        return f"{r:.2f}x  (goal >= {g:g}x: {'met' if r >= g else 'NOT met'})"

    p("ratios (medians):")
    p(f"  nextip SIIT / tayga, TCP throughput      {goal(ratios['siit_over_tayga_tcp'], 2)}")
    p(f"  nextip SIIT / tayga, UDP 64 B pps        {goal(ratios['siit_over_tayga_pps'], 2)}")
    pc_t, pc_u = ratios["siit_over_tayga_tcp_per_core"], ratios["siit_over_tayga_pps_per_core"]
    def x(r):
        return "not measured" if r is None else f"{r:.2f}x"

    p(f"  nextip SIIT / tayga, per translator core TCP {x(pc_t)}, pps {x(pc_u)}"
      "  (work per 100 % of one core)")
    # What the load generator leaves room for: even a translator that cost nothing could
    # not beat kernel forwarding through the same namespaces, so kernel/tayga bounds the
    # SIIT/tayga ratio measurable on this machine.
    ratios["kernel_over_tayga_tcp"] = ratio(med("kernel", "tcp"), med("tayga", "tcp"))
    ratios["kernel_over_tayga_pps"] = ratio(med("kernel", "udp"), med("tayga", "udp"))
    p(f"  headroom: kernel IPv6 forwarding / tayga  TCP {x(ratios['kernel_over_tayga_tcp'])}, "
      f"pps {x(ratios['kernel_over_tayga_pps'])}  (roughly the most any translator could show here)")
    at, au = ratios["asip_over_kernel_tcp"], ratios["asip_over_kernel_pps"]
    p(f"  ASIP path / kernel IPv6 forwarding, TCP  {x(at)}  (1.0 = the ceiling)")
    p(f"  ASIP path / kernel IPv6 forwarding, pps  {x(au)}  (1.0 = the ceiling)")

    if out_path:
        out = {"meta": meta, "runs": runs, "summary": summary, "ratios": ratios, "per_core": eff}
        with open(out_path, "w") as f:
            json.dump(out, f, indent=2, allow_nan=False, default=str)
            f.write("\n")
    return 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    cmd = argv[1]
    try:
        if cmd in ("tcp", "udp"):
            v = tcp_mbps(argv[2]) if cmd == "tcp" else udp_pps(argv[2], int(argv[3]))
            c, r = iperf_cpu(argv[2])
            print(f"{v:.3f} {'null' if c is None else f'{c:.1f}'} {'null' if r is None else f'{r:.1f}'}")
            return 0
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as e:
        print(f"lab_bench.py: {argv[2]}: {e}", file=sys.stderr)
        print("nan null null")
        return 1
    if cmd == "report":
        out = None
        rest = argv[4:]
        if rest[:1] == ["--json"] and len(rest) >= 2:
            out = rest[1]
        return report(argv[2], argv[3], out)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

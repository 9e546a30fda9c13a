#!/usr/bin/env bash
# Issue 5's proof on the default lab: an ASIP host (unmodified programs over nextip's
# host adaptor) reaches a plain IPv4 server through nextip's translator.
#   - a 50 MB HTTP download, checksum verified
#   - ping both ways; a UDP datagram to a closed port gives "connection refused"
#   - traceroute shows the translator and the server
#   - captures: version-8 packets on the ASIP link (nextip dump, tshark + our
#     dissector), plain IPv4 on the IPv4 side
#   - with a 1280-byte IPv4 link, TCP still completes and the host caches PMTU 1300
#     (§12.7.4: the IPv4 MTU + 20)
#   - killing the translator mid-transfer: a clear error, and `lab down` removes all
source "$(dirname "$0")/lib.sh"
netns_require_root
source "$(dirname "$0")/lablib.sh"

SERVER6="::198.51.100.1"      # the IPv4 server as an IPv4-mapped ASIP address
HOST4="192.0.2.1"             # the ASIP host 15169::192.0.2.1 as the server sees it
TRANSLATOR6="0:3b41::c633:64fe"  # the translator's own ASIP address 15169::198.51.100.254

lab_up default
ok "lab up (default topology)"

# --- 50 MB over HTTP, checksum verified
head -c 52428800 /dev/urandom >"$LAB_DIR/www/50MB.bin"
want=$(sha256sum <"$LAB_DIR/www/50MB.bin" | cut -d' ' -f1)
got=$(inns host curl -sS --fail --max-time 120 -g "http://[$SERVER6]/50MB.bin" | sha256sum | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "50 MB download: sha256 $got, want $want"
ok "50 MB HTTP download from the IPv4 server to the ASIP host, sha256 verified"

# --- ping both ways
inns host ping -c 3 -i 0.2 -W 2 "$SERVER6" >/dev/null || fail "ping from the ASIP host to the IPv4 server"
ok "ping ASIP host -> IPv4 server"
inns server ping -c 3 -i 0.2 -W 2 "$HOST4" >/dev/null || fail "ping from the IPv4 server to the ASIP host"
ok "ping IPv4 server -> ASIP host"

# --- closed UDP port
out=$(udp_refused host "$SERVER6") || fail "UDP to a closed port: $out"
ok "UDP to a closed port on the IPv4 server: $out"

# --- traceroute: the translator (its own ASIP address), then the server
trace=$(inns host traceroute -n -6 -q 1 -w 2 -m 6 "$SERVER6" 2>&1) || fail "traceroute: $trace"
grep -q "$TRANSLATOR6" <<<"$trace" || fail "traceroute does not show the translator ($TRANSLATOR6): $trace"
tail -n 1 <<<"$trace" | grep -q "$SERVER6" || fail "traceroute does not end at the server: $trace"
ok "traceroute shows the translator and the server hops"
echo "$trace" | sed 's/^/    /'

# --- captures
"$NEXTIP" lab exec --dir "$LAB_DIR" host -- "$NEXTIP" node status --control "$LAB_DIR/run/host.sock" >/dev/null ||
  fail "nextip node status on the host"
sleep 0.5  # let the nodes write their capture buffers
cap_asip="$LAB_DIR/pcap/host-asip0.pcap"
cap_v4="$LAB_DIR/pcap/translator-nx4.pcap"
[[ -s "$cap_asip" ]] || fail "no capture at $cap_asip"
"$NEXTIP" dump --json "$cap_asip" >"$LAB_DIR/asip.jsonl" || fail "nextip dump $cap_asip"
"$NEXTIP" dump --json "$cap_v4" >"$LAB_DIR/v4.jsonl" || fail "nextip dump $cap_v4"
versions=$(python3 -c '
import json, sys
seen = set()
for line in open(sys.argv[1]):
    p = json.loads(line)
    for l in p["layers"]:
        if l["protocol"] == "asip":
            seen.add(l["fields"]["asip.version"])
        if l["protocol"] in ("ipv6", "ipv4"):
            seen.add(l["protocol"])
print(" ".join(sorted(seen)))' "$LAB_DIR/asip.jsonl")
[[ "$versions" == "8" ]] || fail "the ASIP link capture holds more than version-8 packets: $versions"
ok "nextip dump: the ASIP link carries version-8 (ASIP) packets only"
v4=$(python3 -c '
import json, sys
print(" ".join(sorted({json.loads(l)["layers"][0]["protocol"] for l in open(sys.argv[1])})))' "$LAB_DIR/v4.jsonl")
[[ "$v4" == "ip" ]] || fail "the IPv4-side capture is not plain IPv4: $v4"
ok "nextip dump: the IPv4 side carries plain IPv4"
if command -v tshark >/dev/null; then
  t=$(tshark -r "$cap_asip" -c 50 -T fields -e asip.version 2>/dev/null | sort -u | tr '\n' ' ' || true)
  [[ "$t" == "8 " ]] || fail "tshark with the nextip dissector: asip.version values '$t'"
  ok "tshark + the nextip dissector: asip.version 8"
else
  echo "note: tshark not installed; the dissector check is left out"
fi

# --- MTU 1280 on the IPv4 side.
# (a) Both ends of the IPv4 link at 1280: TCP's MSS (1240 from the server) keeps every
#     packet within it, both ways; a download completes.
ip -n "${LAB_PREFIX}translator" link set eth1 mtu 1280
ip -n "${LAB_PREFIX}server" link set eth0 mtu 1280
got=$(inns host curl -sS --fail --max-time 60 -g "http://[$SERVER6]/10MB.bin" | sha256sum | cut -d' ' -f1)
want=$(sha256sum <"$LAB_DIR/www/10MB.bin" | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "download over the 1280-byte IPv4 link: sha256 mismatch"
ok "a download over a 1280-byte IPv4 link completes, sha256 verified"
# (b) Only the translator's egress at 1280 (the server still says MSS 1460): the ASIP
#     host sends full-size packets (an iperf3 upload), the translator's kernel answers
#     Fragmentation Needed (1280), the translator turns it into Packet Too Big with
#     1280 + 20 (§12.7.4), and the host's kernel caches PMTU 1300; TCP completes.
ip -n "${LAB_PREFIX}server" link set eth0 mtu 1500
inns host ip -6 route flush cache 2>/dev/null || true
up=$(inns host iperf3 -c "$SERVER6" -t 2 --connect-timeout 3000 --json) || fail "iperf3 upload through the 1280-byte egress: $up"
sent=$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1])["end"]["sum_received"]["bytes"]))' "$up")
((sent > 1000000)) || fail "iperf3 upload through the 1280-byte egress moved only $sent bytes"
ok "a TCP upload through the translator's 1280-byte egress completes ($((sent / 1000000)) MB in 2 s)"
route=$(inns host ip -6 route get "$SERVER6")
grep -q "mtu 1300" <<<"$route" || fail "the host did not cache PMTU 1300 (1280 + 20): $route"
ok "the ASIP host cached PMTU 1300 for the server (IPv4 MTU 1280 + 20, §12.7.4)"
ip -n "${LAB_PREFIX}translator" link set eth1 mtu 1500

# --- metrics: a counter for every drop reason
metrics=$(inns translator curl -sS --max-time 5 http://127.0.0.1:9100/metrics) || fail "metrics endpoint"
grep -q '^nextip_translator_drops_total{reason="ttl_expired"} [1-9]' <<<"$metrics" ||
  fail "metrics: the traceroute's expired hop limits are not counted"
ok "metrics endpoint serves the translator's counters ($(grep -c '^nextip_translator_drops_total' <<<"$metrics") drop reasons)"

# --- kill the translator mid-transfer
inns host curl -sS --max-time 60 --speed-time 3 --speed-limit 1000 --limit-rate 2M -g "http://[$SERVER6]/50MB.bin" -o /dev/null 2>"$LAB_DIR/curl.err" &
curl_pid=$!
sleep 1.5
pid=$(node_pid translator) || fail "no pid for the translator in lab status"
kill -9 "$pid"
if wait "$curl_pid"; then fail "curl finished although the translator was killed"; fi
ok "killing the translator mid-transfer fails the transfer: $(tr -d '\n' <"$LAB_DIR/curl.err")"
if "$NEXTIP" lab status --dir "$LAB_DIR" >"$LAB_DIR/status.txt" 2>&1; then
  cat "$LAB_DIR/status.txt"
  fail "lab status exits 0 with a dead node"
fi
grep -qi "translator" "$LAB_DIR/status.txt" || fail "lab status does not name the dead node"
ok "lab status reports the dead translator (exit 1)"

lab_down_and_assert_clean

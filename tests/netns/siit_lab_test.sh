#!/usr/bin/env bash
# The SIIT twin of the default lab: an IPv6-only host reaches the plain IPv4 server
# through nextip's translator in SIIT mode (RFC 7915, 64:ff9b::/96, an EAM for the host).
#   - a 50 MB HTTP download, checksum verified
#   - ping both ways; a UDP datagram to a closed port gives "connection refused"
#   - `lab down` leaves nothing behind
source "$(dirname "$0")/lib.sh"
netns_require_root
source "$(dirname "$0")/lablib.sh"

SERVER6="64:ff9b::c633:6401"  # 198.51.100.1 under the RFC 6052 well-known prefix
HOST4="192.0.2.1"             # the host 2001:db8:1::2 by its EAM

lab_up siit
ok "lab up (siit topology)"

head -c 52428800 /dev/urandom >"$LAB_DIR/www/50MB.bin"
want=$(sha256sum <"$LAB_DIR/www/50MB.bin" | cut -d' ' -f1)
got=$(inns host curl -sS --fail --max-time 120 -g "http://[$SERVER6]/50MB.bin" | sha256sum | cut -d' ' -f1)
[[ "$got" == "$want" ]] || fail "50 MB download: sha256 $got, want $want"
ok "50 MB HTTP download from the IPv4 server to the IPv6 host (SIIT), sha256 verified"

inns host ping -c 3 -i 0.2 -W 2 "$SERVER6" >/dev/null || fail "ping from the IPv6 host to the IPv4 server"
ok "ping IPv6 host -> IPv4 server"
inns server ping -c 3 -i 0.2 -W 2 "$HOST4" >/dev/null || fail "ping from the IPv4 server to the IPv6 host"
ok "ping IPv4 server -> IPv6 host"

out=$(udp_refused host "$SERVER6") || fail "UDP to a closed port: $out"
ok "UDP to a closed port on the IPv4 server: $out"

status=$("$NEXTIP" lab exec --dir "$LAB_DIR" translator -- "$NEXTIP" node status --json \
  --control "$LAB_DIR/run/translator.sock") || fail "nextip node status"
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); assert s["mode"]=="siit" and s["translator"]["translated"]>1000, s' \
  "$status" || fail "node status: $status"
ok "node status: SIIT translator with $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["translator"]["translated"])' "$status") packets translated"

lab_down_and_assert_clean

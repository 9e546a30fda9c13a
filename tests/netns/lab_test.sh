#!/usr/bin/env bash
# `nextip lab` itself, on a small topology of its own (no nextip node: two namespaces, a
# veth with IPv4 addresses, a route, a web server with TCP readiness, a generated file):
#   - up, status --json, exec curl (sha256 of the file), exec ping, down: nothing left;
#   - up twice without --force fails and names the lab; --force replaces it;
#   - a program killed with SIGKILL: status says so and exits 1; down still cleans up;
#   - a program that dies before it is ready: up exits 1 naming it, with its log;
#   - SIGINT while up waits for readiness: exit 130 and nothing left behind.
source "$(dirname "$0")/lib.sh"
netns_require_root

repo=$(cd "$(dirname "$0")/../.." && pwd)
NEXTIP=${NEXTIP_BIN:-${NEXTIP:-$repo/build/dev/apps/nextip/nextip}}
[[ -x "$NEXTIP" ]] || { echo "FAIL: no nextip binary at $NEXTIP (set NEXTIP_BIN)"; exit 1; }
for tool in curl python3 ping sha256sum; do
  command -v "$tool" >/dev/null || { echo "SKIP: needs $tool"; exit 77; }
done

prefix="nxt$$-"
work=$(mktemp -d /tmp/nextip-lab-test.XXXXXX)
dir="$work/lab"

fail() {
  echo "FAIL: $*"
  exit 1
}
ok() { echo "ok: $*"; }

cleanup() {
  "$NEXTIP" lab down --dir "$dir" --prefix "$prefix" >/dev/null 2>&1 || true
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^${prefix}" || true); do
    ip netns pids "$ns" | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  pkill -9 -f -- "$work/" 2>/dev/null || true
  netns_cleanup
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

leftovers() { ip netns list | awk '{print $1}' | grep "^${prefix}" || true; }

# assert_clean WHAT -> no namespace with the prefix, no process started from $work.
assert_clean() {
  local left procs
  left=$(leftovers)
  [[ -z "$left" ]] || fail "$1: namespaces left behind: $left"
  procs=$(pgrep -f -- "$work/" || true)
  [[ -z "$procs" ]] || fail "$1: processes left behind: $(ps -o pid,args -p "${procs//$'\n'/,}")"
  ok "$1: no namespace and no process left behind"
}

# topology FILE READY [RUN…] -> writes a topology whose web program is RUN (default: a
# Python web server) with readiness READY.
topology() {
  local file=$1 ready=$2
  shift 2
  local run='"python3", "-m", "http.server", "8080", "--bind", "10.77.0.2", "--directory", "{dir}/www"'
  if [[ $# -gt 0 ]]; then
    run=""
    for a in "$@"; do run+="${run:+, }\"$a\""; done
  fi
  cat >"$file" <<EOF
name = "labtest"
description = "two namespaces, a web server"

[[namespace]]
name = "client"

[[namespace]]
name = "server"
sysctl = { "net.ipv4.ip_forward" = "1" }

[[veth]]
a = "client:eth0"
b = "server:eth0"
a-mac = "02:6e:78:00:aa:01"
a-addresses = ["10.77.0.1/24"]
b-addresses = ["10.77.0.2/24"]
mtu = 1400

[[route]]
namespace = "client"
prefix = "10.78.0.0/16"
via = "10.77.0.2"

[[program]]
namespace = "server"
name = "web"
run = [$run]
ready = "$ready"

[[file]]
path = "www/blob.bin"
size = 300000

[[file]]
path = "www/index.html"
text = "hello from the lab\n"
EOF
}

topo="$work/lab.toml"
topology "$topo" "tcp:10.77.0.2:8080"

# --- up, status, exec, down ----------------------------------------------------------
out=$("$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" 2>"$work/up.err") ||
  fail "lab up: exit $?: $(cat "$work/up.err")"
grep -q "lab: \[1/" "$work/up.err" || fail "lab up printed no progress: $(cat "$work/up.err")"
grep -q "veth client:eth0 <-> server:eth0 (mtu 1400)" "$work/up.err" || fail "no veth step: $(cat "$work/up.err")"
grep -q "is up in $dir" <<<"$out" || fail "lab up summary: $out"
[[ -f "$dir/lab.json" ]] || fail "no $dir/lab.json"
ok "lab up (custom topology)"

[[ -z "$(ip netns list | awk '{print $1}' | grep -x "nx-client" || true)" ]] || fail "the default prefix was used"
status_json=$("$NEXTIP" lab status --dir "$dir" --json) || fail "lab status: exit $?"
web_pid=$(python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert s["topology"] == "labtest", s
assert [n["netns"] for n in s["namespaces"]] == [sys.argv[2] + "client", sys.argv[2] + "server"], s
assert all(n["exists"] for n in s["namespaces"]), s
[p] = s["processes"]
assert p["name"] == "web" and p["kind"] == "program" and p["state"] == "running", p
assert p["log"].endswith("/logs/web.log"), p
print(p["pid"])' "$status_json" "$prefix") || fail "lab status --json: $status_json"
ok "lab status --json: both namespaces, web running (pid $web_pid)"

want=$(sha256sum <"$dir/www/blob.bin")
got=$("$NEXTIP" lab exec --dir "$dir" client -- curl -sf --max-time 10 http://10.77.0.2:8080/blob.bin | sha256sum)
[[ "$got" == "$want" ]] || fail "curl through the lab: sha256 $got, want $want"
ok "lab exec client -- curl: the file arrives intact"

"$NEXTIP" lab exec --dir "$dir" client -- ping -c 2 -W 2 -i 0.2 10.77.0.2 >/dev/null || fail "lab exec ping"
"$NEXTIP" lab exec --dir "$dir" client -- ip route show 10.78.0.0/16 | grep -q "via 10.77.0.2" || fail "no route"
"$NEXTIP" lab exec --dir "$dir" client -- ip link show eth0 | grep -q "02:6e:78:00:aa:01" || fail "no MAC"
set +e
"$NEXTIP" lab exec --dir "$dir" client -- sh -c 'exit 7'
rc=$?
"$NEXTIP" lab exec --dir "$dir" router -- true 2>"$work/exec.err"
rc_unknown=$?
set -e
[[ $rc -eq 7 ]] || fail "lab exec returned $rc, want the command's 7"
[[ $rc_unknown -eq 2 ]] && grep -q "known: client, server, web" "$work/exec.err" ||
  fail "lab exec of an unknown node: exit $rc_unknown: $(cat "$work/exec.err")"
ok "lab exec: ping, route, MAC, the command's exit status, unknown node (exit 2, lists the known)"

# --- up twice ------------------------------------------------------------------------
set +e
"$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" >/dev/null 2>"$work/twice.err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "a second lab up: exit $rc, want 1"
grep -q "already up in $dir" "$work/twice.err" && grep -q "nextip lab down" "$work/twice.err" ||
  fail "a second lab up: $(cat "$work/twice.err")"
kill -0 "$web_pid" || fail "a refused lab up killed the running lab"
ok "lab up twice without --force: exit 1, names the lab, suggests lab down"

"$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" --force >/dev/null 2>"$work/force.err" ||
  fail "lab up --force: $(cat "$work/force.err")"
! kill -0 "$web_pid" 2>/dev/null || fail "lab up --force left the old web server running"
ok "lab up --force replaces the lab"

# --- a program killed with SIGKILL ----------------------------------------------------
web_pid=$("$NEXTIP" lab status --dir "$dir" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["processes"][0]["pid"])')
kill -9 "$web_pid"
sleep 0.5
set +e
"$NEXTIP" lab status --dir "$dir" >"$work/status.txt" 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "lab status with a killed program: exit $rc, want 1"
grep -q "killed by signal 9" "$work/status.txt" || fail "lab status: $(cat "$work/status.txt")"
ok "lab status reports the program killed by SIGKILL (exit 1)"

set +e
"$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" >/dev/null 2>"$work/stale.err"
rc=$?
set -e
[[ $rc -eq 1 ]] && grep -q "stale lab" "$work/stale.err" || fail "lab up over a stale lab: exit $rc: $(cat "$work/stale.err")"
ok "lab up over a stale lab.json: exit 1, says stale"

"$NEXTIP" lab down --dir "$dir" >"$work/down.txt" 2>&1 || fail "lab down: $(cat "$work/down.txt")"
grep -q "logs kept in $dir/logs" "$work/down.txt" || fail "lab down does not say where the logs are: $(cat "$work/down.txt")"
[[ ! -f "$dir/lab.json" ]] || fail "lab down left lab.json"
[[ -s "$dir/logs/web.log" ]] || fail "lab down removed the logs"
assert_clean "lab down"

out=$("$NEXTIP" lab down --dir "$dir" --prefix "$prefix") || fail "a second lab down: exit $?"
grep -q "nothing to take down" <<<"$out" || fail "a second lab down: $out"
ok "lab down again: nothing to do, exit 0"

set +e
"$NEXTIP" lab status --dir "$dir" >/dev/null 2>"$work/none.err"
rc=$?
set -e
[[ $rc -eq 1 ]] && grep -q "no lab is up in $dir" "$work/none.err" || fail "lab status without a lab: exit $rc"
ok "lab status without a lab: exit 1, says so"

# --- a program that dies before it is ready --------------------------------------------
topology "$topo" "tcp:10.77.0.2:8080" sh -c "echo web-is-broken-$$ >&2; exit 3"
set +e
"$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" --timeout 10 >/dev/null 2>"$work/died.err"
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "lab up with a dying program: exit $rc, want 1: $(cat "$work/died.err")"
grep -q "program 'web' in ${prefix}server exited 3 before it was ready" "$work/died.err" &&
  grep -q "web-is-broken-$$" "$work/died.err" || fail "lab up with a dying program: $(cat "$work/died.err")"
[[ ! -f "$dir/lab.json" ]] || fail "a failed lab up left lab.json"
assert_clean "lab up with a program that dies (exit 1, names it, shows its log)"

# --- SIGINT while waiting for readiness -------------------------------------------------
topology "$topo" "tcp:10.77.0.2:9" sleep 1000
"$NEXTIP" lab up "$topo" --dir "$dir" --prefix "$prefix" --timeout 60 >/dev/null 2>"$work/int.err" &
up_pid=$!
for _ in $(seq 100); do
  grep -q "program web" "$work/int.err" 2>/dev/null && break
  sleep 0.1
done
grep -q "program web" "$work/int.err" || fail "lab up never reached the program: $(cat "$work/int.err")"
sleep 0.3
# The state is written as the lab is built: the sleeping program is in it already.
sleep_pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["pid"])' "$dir/lab.json") ||
  fail "lab.json does not list the started program while lab up waits"
kill -0 "$sleep_pid" || fail "the program is not running while lab up waits"
kill -INT "$up_pid"
set +e
wait "$up_pid"
rc=$?
set -e
[[ $rc -eq 130 ]] || fail "lab up interrupted by SIGINT: exit $rc, want 130: $(cat "$work/int.err")"
grep -q "SIGINT" "$work/int.err" || fail "lab up does not say it was interrupted: $(cat "$work/int.err")"
[[ ! -f "$dir/lab.json" ]] || fail "an interrupted lab up left lab.json"
! kill -0 "$sleep_pid" 2>/dev/null || fail "an interrupted lab up left its program (pid $sleep_pid) running"
assert_clean "SIGINT during lab up (exit 130)"

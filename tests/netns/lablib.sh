# Helpers for the netns tests that run a whole lab (`nextip lab up`), sourced after
# lib.sh. Each test gets its own namespace prefix and lab directory, and a trap that
# runs `nextip lab down` and then lib.sh's cleanup, however the test ends.

NEXTIP="${NEXTIP:-${NEXTIP_BIN:-}}"
if [[ -z "$NEXTIP" ]]; then
  NEXTIP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/dev/apps/nextip/nextip"
fi
[[ -x "$NEXTIP" ]] || { echo "FAIL: nextip binary not found at $NEXTIP (set NEXTIP)"; exit 1; }

LAB_PREFIX="nxt$$-"
LAB_DIR="$(mktemp -d /tmp/nextip-lab-test.XXXXXX)"
_lab_up=0

lab_cleanup() {
  if ((_lab_up)); then
    "$NEXTIP" lab down --dir "$LAB_DIR" --prefix "$LAB_PREFIX" >/dev/null 2>&1 || true
  fi
  # Whatever `lab down` missed (it should miss nothing: lab_assert_clean checks).
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^${LAB_PREFIX}" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  if [[ -n "${KEEP_LAB_DIR:-}" ]]; then
    echo "lab directory kept: $LAB_DIR"
  else
    rm -rf "$LAB_DIR"
  fi
  netns_cleanup
}
trap lab_cleanup EXIT INT TERM

# lab_up TOPOLOGY -> brings the lab up (fails the test with its output if it cannot).
lab_up() {
  local out
  _lab_up=1
  if ! out=$("$NEXTIP" lab up "$1" --dir "$LAB_DIR" --prefix "$LAB_PREFIX" 2>&1); then
    echo "$out"
    echo "--- logs:"
    tail -n 30 "$LAB_DIR"/logs/*.log 2>/dev/null || true
    fail "nextip lab up $1"
  fi
}

# in NODE CMD... -> runs CMD inside NODE's namespace.
inns() {
  local node="$1"
  shift
  ip netns exec "${LAB_PREFIX}${node}" "$@"
}

fail() {
  echo "FAIL: $*"
  exit 1
}

ok() { echo "ok: $*"; }

# lab_down_and_assert_clean -> `nextip lab down`, then no namespace and no process of
# this lab may remain.
lab_down_and_assert_clean() {
  "$NEXTIP" lab down --dir "$LAB_DIR" --prefix "$LAB_PREFIX" >/dev/null || fail "nextip lab down"
  _lab_up=0
  local left
  left=$(ip netns list | awk '{print $1}' | grep "^${LAB_PREFIX}" || true)
  [[ -z "$left" ]] || fail "namespaces left behind: $left"
  if pgrep -f -- "--config $LAB_DIR/" >/dev/null; then
    fail "node processes left behind: $(pgrep -af -- "--config $LAB_DIR/")"
  fi
  if pgrep -f -- "--directory $LAB_DIR/" >/dev/null; then
    fail "programs left behind: $(pgrep -af -- "--directory $LAB_DIR/")"
  fi
  ok "lab down left no namespace and no process behind"
}

# node_pid NODE -> the pid of NODE's nextip daemon, from `nextip lab status --json`.
node_pid() {
  "$NEXTIP" lab status --dir "$LAB_DIR" --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
name = sys.argv[1]
for group in ("nodes", "processes", "programs"):
    for p in s.get(group, []):
        if p.get("name") == name and p.get("kind", "node") == "node":
            print(p["pid"]); sys.exit(0)
sys.exit(1)' "$1"
}

# udp_refused NODE ADDRESS -> a UDP datagram to port 9 of ADDRESS from NODE must end in
# ECONNREFUSED (the ICMP port unreachable came back through the translator).
udp_refused() {
  inns "$1" python3 - "$2" <<'EOF'
import socket, sys
addr = sys.argv[1]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(3)
s.connect((addr, 9))
s.send(b"nextip")
try:
    s.recv(100)
    print("unexpected answer"); sys.exit(1)
except ConnectionRefusedError:
    print("connection refused"); sys.exit(0)
except socket.timeout:
    print("timed out (no ICMP error came back)"); sys.exit(1)
EOF
}

#!/usr/bin/env bash
# Issue 5's performance goal, measured on real Linux networks in network namespaces:
# nextip's SIIT translator against Debian's tayga doing the same job, and nextip's ASIP
# path against plain kernel IPv6 forwarding (the ceiling). See docs/bench-lab.md.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
readonly HERE ROOT

NEXTIP="$ROOT/build/release/apps/nextip/nextip"
SECONDS_PER_TEST=10
RUNS=3
UDP_LEN=64
UDP_RATE=0
JSON_OUT=""
KEEP=0
SCENARIO_LIST="siit,tayga,asip,kernel"
# The RFC 6052 /96 prefix of both SIIT translators. Not the well-known 64:ff9b::/96 of
# the lab's siit topology: tayga refuses to translate the well-known prefix with
# non-global IPv4 addresses (RFC 6052 section 3.1), and the lab's server, 198.51.100.1,
# is a documentation address (tayga counts it as non-global). A network-specific
# prefix makes both translators do exactly the same work.
readonly PREFIX6="2001:db8:64::/96"

usage() {
  cat <<'EOF'
usage: bench/lab_bench.sh [options]            (as root)

Builds three network namespaces (host, translator, server) joined by veths, starts an
iperf3 server in the server namespace, and measures from the host namespace, in one
run, four ways of crossing the translator namespace:

  siit    nextip node, role translator, mode siit: one TUN for IPv6 and IPv4
          (pool6 2001:db8:64::/96, EAM 2001:db8:1::2/128 = 192.0.2.1/32)
  tayga   Debian's tayga doing the same job (prefix 2001:db8:64::/96,
          map 192.0.2.1 2001:db8:1::2) on its own TUN
  (A network-specific /96 rather than 64:ff9b::/96: tayga will not translate the
  well-known prefix with the lab's documentation IPv4 addresses, RFC 6052 3.1.)
  asip    nextip's ASIP path: a host node (TUN -> ASIP frames, EtherType 0x88B5, on a
          veth) and a translator node in mode asip (ASIP link -> IPv4 TUN)
  kernel  plain kernel IPv6 forwarding in the translator namespace, no nextip: the
          ceiling for asip

Each test: iperf3 TCP (-t SECONDS, receiver's Mbit/s) and iperf3 UDP with 64-byte
payloads (-u -l 64 -b 0, packets per second the server received). Runs are
interleaved (round 1 of every scenario, then round 2, ...) so load from other users
of the machine falls on every scenario alike; the report gives medians, the ratios
nextip-SIIT/tayga (goal: >= 2x) and ASIP/kernel, and the translator process's CPU
use (utime+stime from /proc/PID/stat, percent of one core).

options:
  --nextip PATH     the nextip binary, a release build
                    (default: build/release/apps/nextip/nextip)
  --seconds N       length of each iperf3 test (default 10)
  --runs N          runs of each test, median reported (default 3)
  --quick           smoke test: --seconds 3 --runs 1
  --scenarios LIST  comma-separated subset of siit,tayga,asip,kernel (default: all)
  --udp-rate RATE   iperf3 -b for the UDP test (default 0 = as fast as possible)
  --json FILE       write every raw number (runs, medians, ratios, machine) to FILE
  --keep            keep the working directory (configs, logs, iperf3 JSON)
  -h, --help        this text

Output: the table and ratios on stdout, progress on stderr. Everything it creates
(namespaces nxb<PID>-*, processes, the working directory) is removed on exit,
also on error or Ctrl-C.
EOF
}

die() { echo "lab_bench: $*" >&2; exit 1; }
log() { echo "lab_bench: $*" >&2; }

while (($#)); do
  case "$1" in
    --nextip) NEXTIP=${2:?--nextip needs a path}; shift 2 ;;
    --nextip=*) NEXTIP=${1#*=}; shift ;;
    --seconds) SECONDS_PER_TEST=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --quick) SECONDS_PER_TEST=3; RUNS=1; shift ;;
    --scenarios) SCENARIO_LIST=${2:?}; shift 2 ;;
    --udp-rate) UDP_RATE=${2:?}; shift 2 ;;
    --json) JSON_OUT=${2:?--json needs a file}; shift 2 ;;
    --json=*) JSON_OUT=${1#*=}; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

[[ $SECONDS_PER_TEST =~ ^[0-9]+$ && $SECONDS_PER_TEST -ge 1 ]] || die "--seconds: a positive integer"
[[ $RUNS =~ ^[0-9]+$ && $RUNS -ge 1 ]] || die "--runs: a positive integer"
IFS=, read -r -a SCENARIOS <<<"$SCENARIO_LIST"
for s in "${SCENARIOS[@]}"; do
  case "$s" in siit|tayga|asip|kernel) ;; *) die "--scenarios: unknown scenario '$s'" ;; esac
done
((EUID == 0)) || die "run as root (network namespaces, TUN devices)"
if [[ ! -x $NEXTIP ]]; then
  die "no nextip binary at $NEXTIP; build the release one first:
    cmake --preset release && ninja -C build/release nextip
  or give its path with --nextip PATH"
fi
NEXTIP=$(cd "$(dirname "$NEXTIP")" && pwd)/$(basename "$NEXTIP")
for t in ip iperf3 python3 ping; do command -v "$t" >/dev/null || die "$t is not installed (scripts/install-deps)"; done
if [[ " ${SCENARIOS[*]} " == *" tayga "* ]]; then
  command -v tayga >/dev/null || die "tayga is not installed (scripts/install-deps, or apt-get install tayga)"
fi
if [[ -n $JSON_OUT ]]; then
  JSON_OUT=$(cd "$(dirname "$JSON_OUT")" 2>/dev/null && pwd)/$(basename "$JSON_OUT") || die "--json: no such directory"
fi

# ---------------------------------------------------------------- names and cleanup
readonly P="nxb$$"
readonly NS_H="$P-host" NS_T="$P-tr" NS_S="$P-srv"
WORK=$(mktemp -d "/tmp/$P.XXXXXX") || die "mktemp failed"
HZ=$(getconf CLK_TCK)
readonly WORK HZ
PIDS=()          # every process this script started, by pid
TAYGA_TUN=""     # the persistent TUN made by tayga --mktun, while it exists
CLIENT_PID=""    # the iperf3 client while a test runs

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

stop_pid() {  # stop_pid PID: TERM, wait up to 3 s, then KILL
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

cleanup() {
  local rc=$? pid ns
  trap - EXIT INT TERM HUP
  [[ -n $CLIENT_PID ]] && stop_pid "$CLIENT_PID"
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  # Anything still running inside our own namespaces was started by us (children).
  for ns in "$NS_H" "$NS_T" "$NS_S"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  done
  for ns in "$NS_H" "$NS_T" "$NS_S"; do ip netns del "$ns" 2>/dev/null; done
  if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- measurement helpers
proc_ticks() {  # utime+stime of PID in clock ticks (fields 14 and 15 of /proc/PID/stat)
  local s
  s=$(<"/proc/$1/stat") 2>/dev/null || { echo 0; return; }
  s=${s##*) }
  # shellcheck disable=SC2086
  set -- $s
  echo $((${12} + ${13}))
}

machine_ticks() {  # "busy total" over all CPUs, from the first line of /proc/stat
  local _cpu user nice sys idle iowait irq softirq steal rest
  read -r _cpu user nice sys idle iowait irq softirq steal rest </proc/stat
  echo "$((user + nice + sys + irq + softirq + steal)) $((user + nice + sys + idle + iowait + irq + softirq + steal))"
}

now_ns() { date +%s%N; }

XLAT_PID=""      # the translator process of the running scenario (nextip node or tayga)
HOSTNODE_PID=""  # the ASIP host node
HOST_DST=""      # the server's address as the host namespace sees it
HOST_SRC=""      # the source to bind on the host ("" = the kernel's choice)

# run_test SCENARIO ROUND tcp|udp: one iperf3 test, one line appended to runs.jsonl
run_test() {
  local scen=$1 round=$2 test=$3 out="$WORK/$1-$3-$2.json" args=()
  local x0=0 x1=0 h0=0 h1=0 m0 m1 t0 t1 value cpu_x=null cpu_h=null busy mb0 mt0 mb1 mt1
  if [[ $test == tcp ]]; then
    args=(-t "$SECONDS_PER_TEST")
  else
    args=(-u -l "$UDP_LEN" -b "$UDP_RATE" -t "$SECONDS_PER_TEST")
  fi
  [[ -n $HOST_SRC ]] && args+=(-B "$HOST_SRC")
  [[ -n $XLAT_PID ]] && x0=$(proc_ticks "$XLAT_PID")
  [[ -n $HOSTNODE_PID ]] && h0=$(proc_ticks "$HOSTNODE_PID")
  m0=$(machine_ticks); t0=$(now_ns)
  # In the background and waited for, so that a signal runs the cleanup at once.
  timeout $((SECONDS_PER_TEST + 30)) ip netns exec "$NS_H" \
    iperf3 -c "$HOST_DST" --connect-timeout 3000 --json "${args[@]}" >"$out" 2>"$out.err" &
  CLIENT_PID=$!
  wait "$CLIENT_PID"
  CLIENT_PID=""
  t1=$(now_ns); m1=$(machine_ticks)
  [[ -n $XLAT_PID ]] && x1=$(proc_ticks "$XLAT_PID")
  [[ -n $HOSTNODE_PID ]] && h1=$(proc_ticks "$HOSTNODE_PID")
  local cl_cpu sv_cpu
  if [[ $test == tcp ]]; then
    read -r value cl_cpu sv_cpu < <(python3 "$HERE/lab_bench.py" tcp "$out")
  else
    read -r value cl_cpu sv_cpu < <(python3 "$HERE/lab_bench.py" udp "$out" "$UDP_LEN")
  fi
  [[ $value == nan || -z $value ]] && value=null
  local wall_ticks
  wall_ticks=$(((t1 - t0) * HZ / 1000000))  # ticks * 1000 over the wall time
  if [[ -n $XLAT_PID ]]; then
    cpu_x=$(awk -v d=$((x1 - x0)) -v w="$wall_ticks" 'BEGIN { printf "%.1f", d * 100000 / w }')
  fi
  if [[ -n $HOSTNODE_PID ]]; then
    cpu_h=$(awk -v d=$((h1 - h0)) -v w="$wall_ticks" 'BEGIN { printf "%.1f", d * 100000 / w }')
  fi
  read -r mb0 mt0 <<<"$m0"; read -r mb1 mt1 <<<"$m1"
  busy=$(awk -v b=$((mb1 - mb0)) -v t=$((mt1 - mt0)) -v n="$(nproc)" 'BEGIN { printf "%.1f", t ? b * 100 * n / t : 0 }')
  printf '{"scenario":"%s","test":"%s","run":%d,"value":%s,"unit":"%s","translator_cpu_pct":%s,"host_node_cpu_pct":%s,"machine_busy_pct":%s,"iperf3_client_cpu_pct":%s,"iperf3_server_cpu_pct":%s,"wall_s":%s}\n' \
    "$scen" "$test" "$round" "$value" "$([[ $test == tcp ]] && echo Mbit/s || echo pps)" "$cpu_x" "$cpu_h" "$busy" \
    "${cl_cpu:-null}" "${sv_cpu:-null}" \
    "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }')" >>"$WORK/runs.jsonl"
  local cpu_txt="translator CPU ${cpu_x}%"
  [[ $cpu_x == null ]] && cpu_txt="no translator process"
  [[ $cpu_h != null ]] && cpu_txt+=", host node CPU ${cpu_h}%"
  if [[ $value == null ]]; then
    log "  $scen $test run $round: FAILED ($(head -c 300 "$out.err" 2>/dev/null; grep -o '"error":.*' "$out" 2>/dev/null | head -c 200))"
  elif [[ $test == tcp ]]; then
    log "  $scen tcp run $round: $(printf '%.0f' "$value") Mbit/s, $cpu_txt, machine ${busy}%, iperf3 client ${cl_cpu}% server ${sv_cpu}%"
  else
    log "  $scen udp run $round: $(awk -v v="$value" 'BEGIN { printf "%.1f", v / 1000 }') kpps received, $cpu_txt, machine ${busy}%, iperf3 client ${cl_cpu}% server ${sv_cpu}%"
  fi
  sleep 0.5
}

wait_file() {  # wait_file PATH PID SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    [[ -e $1 ]] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

check_path() {  # a ping through the path before measuring; a warning if it fails
  if ! in_ns "$NS_H" ping -6 -c 1 -W 2 "$HOST_DST" >/dev/null 2>&1 &&
     ! in_ns "$NS_H" ping -6 -c 2 -W 2 "$HOST_DST" >/dev/null 2>&1; then
    log "  warning: $HOST_DST does not answer ping from the host namespace"
  fi
}

# ---------------------------------------------------------------- the topology
#   host eth0 2001:db8:1::2 ==== eth0 2001:db8:1::1   translator   eth1 198.51.100.254 ==== eth0 198.51.100.1  server
#   host asip0 (ASIP frames) ==== asip0                             2001:db8:2::1              2001:db8:2::2
setup_topology() {
  local ns
  for ns in "$NS_H" "$NS_T" "$NS_S"; do
    ip netns add "$ns" || die "ip netns add $ns failed"
    ip -n "$ns" link set lo up
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_ra=0
  done
  in_ns "$NS_T" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.default.accept_local=1
  ip link add eth0 netns "$NS_H" mtu 1500 type veth peer name eth0 netns "$NS_T" mtu 1500 || die "veth host-translator"
  ip link add asip0 netns "$NS_H" address 02:6e:78:00:01:01 mtu 1500 type veth \
    peer name asip0 netns "$NS_T" address 02:6e:78:00:01:02 mtu 1500 || die "veth asip0"
  ip link add eth1 netns "$NS_T" mtu 1500 type veth peer name eth0 netns "$NS_S" mtu 1500 || die "veth translator-server"
  ip -n "$NS_H" addr add 2001:db8:1::2/64 dev eth0 nodad
  ip -n "$NS_T" addr add 2001:db8:1::1/64 dev eth0 nodad
  ip -n "$NS_T" addr add 198.51.100.254/24 dev eth1
  ip -n "$NS_T" addr add 2001:db8:2::1/64 dev eth1 nodad
  ip -n "$NS_S" addr add 198.51.100.1/24 dev eth0
  ip -n "$NS_S" addr add 2001:db8:2::2/64 dev eth0 nodad
  ip -n "$NS_H" link set eth0 up; ip -n "$NS_H" link set asip0 up
  ip -n "$NS_T" link set eth0 up; ip -n "$NS_T" link set asip0 up; ip -n "$NS_T" link set eth1 up
  ip -n "$NS_S" link set eth0 up
  ip -n "$NS_H" -6 route add "$PREFIX6" via 2001:db8:1::1      # to the SIIT translators
  ip -n "$NS_H" -6 route add 2001:db8:2::/64 via 2001:db8:1::1   # kernel forwarding
  ip -n "$NS_S" route add 192.0.2.0/24 via 198.51.100.254         # replies to the translated host
  ip -n "$NS_S" -6 route add 2001:db8:1::/64 via 2001:db8:2::1
}

start_iperf_server() {
  ip netns exec "$NS_S" iperf3 --server >"$WORK/iperf3-server.log" 2>&1 &
  PIDS+=($!)
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -n $(ip netns exec "$NS_S" ss -Hltn 'sport = :5201' 2>/dev/null) ]] && return 0
    sleep 0.1
  done
  die "iperf3 server did not start: $(cat "$WORK/iperf3-server.log")"
}

write_configs() {
  cat >"$WORK/siit.toml" <<EOF
name = "siit"
role = "translator"
log-level = "warn"
control = "$WORK/siit.sock"
[tun]
name = "nx0"
mtu = 1500
routes = ["$PREFIX6", "192.0.2.0/24"]
[translator]
mode = "siit"
pool6 = "$PREFIX6"
eamt = ["2001:db8:1::2/128=192.0.2.1/32"]
own-v4 = "198.51.100.254"
own-v6 = "${PREFIX6%/96}c633:64fe"
EOF
  mkdir -p "$WORK/tayga"
  cat >"$WORK/tayga.conf" <<EOF
tun-device nxt64
ipv4-addr 192.0.2.254
prefix $PREFIX6
map 192.0.2.1 2001:db8:1::2
data-dir $WORK/tayga
EOF
  cat >"$WORK/asip-host.toml" <<EOF
name = "asip-host"
role = "host"
log-level = "warn"
control = "$WORK/asip-host.sock"
[tun]
name = "nx0"
mtu = 1500
[[link]]
interface = "asip0"
[[link.neighbour]]
prefix = "::/0"
mac = "02:6e:78:00:01:02"
[host]
addresses = ["15169::192.0.2.1"]
routes = ["::/0"]
EOF
  cat >"$WORK/asip-tr.toml" <<EOF
name = "asip-translator"
role = "translator"
log-level = "warn"
control = "$WORK/asip-tr.sock"
[tun]
name = "nx4"
mtu = 1500
routes = ["192.0.2.0/24"]
[[link]]
interface = "asip0"
[[link.neighbour]]
prefix = "15169::/32"
mac = "02:6e:78:00:01:01"
[translator]
mode = "asip"
pool4 = ["192.0.2.0/24"]
locator = ["192.0.2.0/24=0.0.59.65"]
own-v4 = "198.51.100.254"
own-v6 = "15169::198.51.100.254"
EOF
}

start_node() {  # start_node NS CONFIG NAME -> pid in NODE_PID
  local ns=$1 cfg=$2 name=$3
  rm -f "$WORK/$name.ready"
  ip netns exec "$ns" "$NEXTIP" node --config "$cfg" --ready-file "$WORK/$name.ready" >>"$WORK/$name.log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  wait_file "$WORK/$name.ready" "$NODE_PID" 10 || die "nextip node $name did not become ready: $(tail -5 "$WORK/$name.log")"
}

# scenario_up NAME / scenario_down NAME: start and stop what crosses the translator namespace
scenario_up() {
  XLAT_PID="" HOSTNODE_PID="" HOST_SRC=""
  case "$1" in
    siit)
      start_node "$NS_T" "$WORK/siit.toml" siit; XLAT_PID=$NODE_PID
      HOST_DST=${PREFIX6%/96}c633:6401 ;;                  # PREFIX6 + 198.51.100.1
    tayga)
      in_ns "$NS_T" tayga --config "$WORK/tayga.conf" --mktun >>"$WORK/tayga.log" 2>&1 || die "tayga --mktun: $(tail -3 "$WORK/tayga.log")"
      TAYGA_TUN=nxt64
      ip -n "$NS_T" link set nxt64 up
      ip -n "$NS_T" route add 192.0.2.0/24 dev nxt64
      ip -n "$NS_T" -6 route add "$PREFIX6" dev nxt64
      ip netns exec "$NS_T" tayga --config "$WORK/tayga.conf" --nodetach >>"$WORK/tayga.log" 2>&1 &
      XLAT_PID=$!
      PIDS+=("$XLAT_PID")
      sleep 0.5
      kill -0 "$XLAT_PID" 2>/dev/null || die "tayga did not start: $(tail -5 "$WORK/tayga.log")"
      HOST_DST=${PREFIX6%/96}c633:6401 ;;
    asip)
      start_node "$NS_T" "$WORK/asip-tr.toml" asip-tr; XLAT_PID=$NODE_PID
      start_node "$NS_H" "$WORK/asip-host.toml" asip-host; HOSTNODE_PID=$NODE_PID
      HOST_DST=::c633:6401            # ASIP ::198.51.100.1 (IPv4-mapped), as IPv6 carrier bits
      HOST_SRC=0:3b41::c000:201 ;;    # ASIP 15169::192.0.2.1
    kernel)
      HOST_DST=2001:db8:2::2 ;;
  esac
  check_path
}

scenario_down() {
  local pid
  for pid in $XLAT_PID $HOSTNODE_PID; do stop_pid "$pid"; done
  if [[ $1 == tayga && -n $TAYGA_TUN ]]; then
    in_ns "$NS_T" tayga --config "$WORK/tayga.conf" --rmtun >>"$WORK/tayga.log" 2>&1
    TAYGA_TUN=""
  fi
  XLAT_PID="" HOSTNODE_PID=""
  sleep 0.3
}

# ---------------------------------------------------------------- the run
meta() {
  local rev tv
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  tv=$(dpkg-query -W -f='tayga ${Version}' tayga 2>/dev/null || echo "tayga ?")
  python3 - <<EOF
import json, sys
print(json.dumps({
  "date": "$(date -Iseconds)",
  "nproc": $(nproc),
  "kernel": "$(uname -r)",
  "cpu_model": """$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')""",
  "load_before": "$LOAD_BEFORE",
  "load_after": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "nextip": "$NEXTIP",
  "nextip_version": "$("$NEXTIP" --version 2>/dev/null | head -1)",
  "nextip_built": "$(date -Iseconds -r "$NEXTIP")",
  "tree_head": "$rev",
  "tayga_version": "$tv",
  "iperf3_version": "$(iperf3 --version | head -1)",
  "seconds": $SECONDS_PER_TEST,
  "runs": $RUNS,
  "udp_len": $UDP_LEN,
  "udp_rate": "$UDP_RATE",
  "scenarios": "$SCENARIO_LIST",
}))
EOF
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "$(nproc) CPU(s), kernel $(uname -r), load $LOAD_BEFORE; nextip $NEXTIP"
log "scenarios ${SCENARIOS[*]}; ${RUNS} run(s) of ${SECONDS_PER_TEST} s TCP + ${SECONDS_PER_TEST} s UDP each"
setup_topology
write_configs
start_iperf_server
: >"$WORK/runs.jsonl"
for ((round = 1; round <= RUNS; round++)); do
  for s in "${SCENARIOS[@]}"; do
    log "round $round/$RUNS: $s"
    scenario_up "$s"
    run_test "$s" "$round" tcp
    run_test "$s" "$round" udp
    scenario_down "$s"
  done
done
meta >"$WORK/meta.json" || die "writing meta.json"
if [[ -n $JSON_OUT ]]; then
  python3 "$HERE/lab_bench.py" report "$WORK/meta.json" "$WORK/runs.jsonl" --json "$JSON_OUT"
  log "raw numbers in $JSON_OUT"
else
  python3 "$HERE/lab_bench.py" report "$WORK/meta.json" "$WORK/runs.jsonl"
fi

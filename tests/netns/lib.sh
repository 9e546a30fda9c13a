# Helpers for the netns integration tests (sourced). Every namespace and link a test
# makes carries the test's own prefix, and a trap removes them however the test ends.
# Needs root (CI runs as root); tests exit 77 ("skipped") without it.

set -euo pipefail

NETNS_PREFIX="nxt$$"
_netns_made=()

netns_require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "SKIP: needs root (network namespaces)"
    exit 77
  fi
}

netns_cleanup() {
  local ns
  for ns in "${_netns_made[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  _netns_made=()
}
trap netns_cleanup EXIT INT TERM

# netns_name NAME -> the namespace's full name (pure: safe inside $(...)).
netns_name() { echo "${NETNS_PREFIX}-$1"; }

# netns_add NAME -> creates namespace ${NETNS_PREFIX}-NAME with loopback up. Call it
# directly, never inside $(...), so that the cleanup list is kept.
netns_add() {
  local ns
  ns=$(netns_name "$1")
  ip netns add "$ns"
  _netns_made+=("$ns")
  ip -n "$ns" link set lo up
}

# netns_link NS_A IF_A NS_B IF_B -> a veth pair between two namespaces, both ends up.
netns_link() {
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# netns_leftovers -> lists namespaces that still carry this test's prefix.
netns_leftovers() {
  ip netns list | awk '{print $1}' | grep "^${NETNS_PREFIX}-" || true
}

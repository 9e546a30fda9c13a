#!/usr/bin/env bash
# The netns harness itself: two namespaces, a veth link, real IPv4 traffic, and nothing
# left behind afterwards. Later tests build topologies the same way.
source "$(dirname "$0")/lib.sh"
netns_require_root

netns_add a
netns_add b
a=$(netns_name a)
b=$(netns_name b)
netns_link "$a" veth-a "$b" veth-b
ip -n "$a" addr add 192.0.2.1/24 dev veth-a
ip -n "$b" addr add 192.0.2.2/24 dev veth-b

ip netns exec "$a" ping -c 2 -W 2 -i 0.2 192.0.2.2 >/dev/null
echo "ok: IPv4 ping across a veth pair between two namespaces"

netns_cleanup
left=$(netns_leftovers)
if [[ -n "$left" ]]; then
  echo "FAIL: namespaces left behind: $left"
  exit 1
fi
echo "ok: no namespace left behind"

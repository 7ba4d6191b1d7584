#!/usr/bin/env bash
# Records the service-listener fixture (packages/model/fixtures/service-listener.snapshot.json) from
# the real lab: kube-proxy's iptables rules for two Services with three endpoints on node-a, the
# servers of one endpoint (10.244.2.3) never started. A ping from the client to each endpoint first,
# so bridges and neighbour tables have learnt what a live node has. The e2e listener spec reads it.
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm -s --filter hoplens build # `pnpm hoplens` runs the built CLI: build it from this tree first
out=packages/model/fixtures
prefix=hl-slsn-
hostmap=$(mktemp)
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true; rm -f "$hostmap"' EXIT
pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
pnpm -s hoplens lab up service-listener --variant endpoint-not-listening --prefix "$prefix" > "$hostmap"
for ip in 10.244.1.3 10.244.2.2 10.244.2.3; do
  ip netns exec "${prefix}na-p2" ping -c1 -W1 "$ip" >/dev/null || true
done
pnpm -s hoplens collect --backend iproute2 --hosts "$hostmap" \
  --out "$out/service-listener.snapshot.json" --source "service-listener lab (endpoint-not-listening)"
echo "recorded $out/service-listener.snapshot.json"

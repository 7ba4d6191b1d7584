#!/usr/bin/env bash
# Records the NodePort/ExternalIP fixture (packages/model/fixtures/kube-service-nodeport.snapshot.json)
# from the real lab: the kube-service scenario's fault-free variant (iptables mode) on node-a, whose web
# Service has NodePort 30080 and ExternalIP 203.0.113.10, routed from node-b. A ping from node-b's root
# to node-a and from the client to each endpoint first, so bridges and neighbour tables have learnt
# what a live node has. The NodePort unit tests read it. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm -s --filter hoplens build # `pnpm hoplens` runs the built CLI: build it from this tree first
out=packages/model/fixtures
prefix=hl-knp-
hostmap=$(mktemp)
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true; rm -f "$hostmap"' EXIT
pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
pnpm -s hoplens lab up kube-service --variant ok --prefix "$prefix" > "$hostmap"
ip netns exec "${prefix}nb" ping -c1 -W1 192.168.210.1 >/dev/null || true
for ip in 10.244.1.3 10.244.2.2 10.244.2.3; do
  ip netns exec "${prefix}na-p2" ping -c1 -W1 "$ip" >/dev/null || true
done
pnpm -s hoplens collect --backend iproute2 --hosts "$hostmap" \
  --out "$out/kube-service-nodeport.snapshot.json" --source "kube-service lab (ok, NodePort and ExternalIP)"
echo "recorded $out/kube-service-nodeport.snapshot.json"

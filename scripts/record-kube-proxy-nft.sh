#!/usr/bin/env bash
# Records the kube-proxy nftables-mode fixture (packages/model/fixtures/kube-service-ok-nft.snapshot.json)
# from the real lab: the kube-service scenario's fault-free variant with kube-proxy's `table ip kube-proxy`
# loaded by `nft -f` on node-a (web, dns, db, empty and self Services). A ping from the client to each
# endpoint first, so bridges and neighbour tables have learnt what a live node has. The nftables-mode
# unit tests (Services by name, hostile rulesets) read it. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm -s --filter hoplens build # `pnpm hoplens` runs the built CLI: build it from this tree first
out=packages/model/fixtures
prefix=hl-knft-
hostmap=$(mktemp)
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true; rm -f "$hostmap"' EXIT
pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
pnpm -s hoplens lab up kube-service --variant ok-nft --prefix "$prefix" > "$hostmap"
for ip in 10.244.1.3 10.244.2.2 10.244.2.3; do
  ip netns exec "${prefix}na-p2" ping -c1 -W1 "$ip" >/dev/null || true
done
pnpm -s hoplens collect --backend iproute2 --hosts "$hostmap" \
  --out "$out/kube-service-ok-nft.snapshot.json" --source "kube-service lab (ok-nft)"
echo "recorded $out/kube-service-ok-nft.snapshot.json"

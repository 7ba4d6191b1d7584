#!/usr/bin/env bash
# Re-records the snapshots shipped with hoplens (packages/model/fixtures) from the real lab: the seed
# demo (broken and fixed) and a bridge-CNI pair of nodes, with the iproute2 backend so the raw `ip`
# text is kept for the parser tests. Needs root. The unit tests and the first-run demo read these files.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm -s --filter hoplens build # `pnpm hoplens` runs the built CLI: build it from this tree first
out=packages/model/fixtures
prefix=hl-seed-
trap 'pnpm -s hoplens lab down --prefix hl-seed- >/dev/null 2>&1 || true; pnpm -s hoplens lab down --prefix hl-brdg- >/dev/null 2>&1 || true' EXIT
for variant in broken fixed; do
  pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
  pnpm -s hoplens lab up seed --variant "$variant" --prefix "$prefix" > "$out/seed-hostmap.json"
  # One ping each way first, so the underlay neighbor tables look like a live cluster's.
  ip netns exec "${prefix}worker" ping -c1 -W1 192.168.200.2 >/dev/null || true
  pnpm -s hoplens collect --backend iproute2 --hosts "$out/seed-hostmap.json" --out "$out/seed-$variant.snapshot.json" --source "seed demo ($variant)"
  echo "recorded $out/seed-$variant.snapshot.json"
done
pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
prefix=hl-brdg-
pnpm -s hoplens lab up bridged-nodes --variant ok --prefix "$prefix" > "$out/bridged-hostmap.json"
# Traffic inside and across the nodes, so bridges and neighbours have learnt what a live node has.
ip netns exec "${prefix}na-p2" ping -c1 -W1 10.244.1.3 >/dev/null || true
ip netns exec "${prefix}na-p2" ping -c1 -W1 10.244.2.2 >/dev/null || true
pnpm -s hoplens collect --backend iproute2 --hosts "$out/bridged-hostmap.json" --out "$out/bridged-ok.snapshot.json" --source "bridged nodes (ok)"
echo "recorded $out/bridged-ok.snapshot.json"

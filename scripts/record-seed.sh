#!/usr/bin/env bash
# Re-records the seed demo snapshots shipped with hoplens (packages/model/fixtures) from the real
# lab. Needs root. The unit tests and the first-run demo read these files.
set -euo pipefail
cd "$(dirname "$0")/.."
out=packages/model/fixtures
prefix=hl-seed-
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true' EXIT
for variant in broken fixed; do
  pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
  pnpm -s hoplens lab up seed --variant "$variant" --prefix "$prefix" > "$out/seed-hostmap.json"
  # One ping each way first, so the underlay neighbor tables look like a live cluster's.
  ip netns exec "${prefix}worker" ping -c1 -W1 192.168.200.2 >/dev/null || true
  pnpm -s hoplens collect --hosts "$out/seed-hostmap.json" --out "$out/seed-$variant.snapshot.json" --source "seed demo ($variant)"
  echo "recorded $out/seed-$variant.snapshot.json"
done

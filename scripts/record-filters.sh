#!/usr/bin/env bash
# Records the packet-filter fixtures (packages/model/fixtures/filters-*.snapshot.json) from the real
# lab: variants of peer-pod-filters and node-filters with iptables (both backends), nftables, NOTRACK
# rules, IPv6 and tc classifiers (u32 hash tables, classic BPF, an eBPF program), collected with the
# iproute2 backend so the raw nft / iptables-save / tc text is kept for the parser tests. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
out=packages/model/fixtures
prefix=hl-fltr-
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true' EXIT
record() { # scenario variant ping-netns ping-target
  pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
  pnpm -s hoplens lab up "$1" --variant "$2" --prefix "$prefix" > /tmp/hoplens-filters-hostmap.json
  # One ping first, so counters and neighbour tables look like a live host's.
  ip netns exec "$prefix$3" ping -c1 -W1 "$4" >/dev/null || true
  pnpm -s hoplens collect --backend iproute2 --hosts /tmp/hoplens-filters-hostmap.json \
    --out "$out/filters-$1-$2.snapshot.json" --source "$1 ($2)"
  echo "recorded $out/filters-$1-$2.snapshot.json"
}
record peer-pod-filters iptables-ok worker 10.132.2.46
record peer-pod-filters notrack worker 10.132.2.46
record peer-pod-filters nft-tunnel-ok worker 10.132.2.46
record peer-pod-filters legacy-tunnel-drop worker 10.132.2.46
record peer-pod-filters dual-stack worker fd00:132:2::46
record node-filters br-forward-drop na-p2 10.244.1.3
record node-filters u32-hash-drop na 10.244.1.3
record node-filters cbpf-drop na 10.244.1.3
record node-filters ebpf na 10.244.1.3

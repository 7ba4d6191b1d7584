#!/usr/bin/env bash
# Re-records the iptables-nft fixtures (packages/collector/fixtures/iptables-nft): for each ruleset
# there (*.rules loaded with iptables-nft-restore, *.nft with nft -f, into a scratch namespace), what the netlink helper
# (native/nldump.c) writes for that namespace and what `iptables-nft-save -c` prints. The decoder's
# unit tests read both: the helper's bytes must decode to the parse of the text.
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=packages/collector/fixtures/iptables-nft
ns="hl-$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')-rec"
helper=$(mktemp)
trap 'ip netns delete "$ns" 2>/dev/null || true; rm -f "$helper"' EXIT
cc -O2 -Wall -o "$helper" packages/collector/native/nldump.c
for rules in "$dir"/*.rules "$dir"/*.nft; do
  name=$(basename "${rules%.*}")
  ip netns delete "$ns" 2>/dev/null || true
  ip netns add "$ns"
  case "$rules" in
    *.rules) ip netns exec "$ns" iptables-nft-restore < "$rules" ;;
    *.nft) ip netns exec "$ns" nft -f "$rules" ;;
  esac
  "$helper" "/run/netns/$ns" > "$dir/$name.helper.bin"
  ip netns exec "$ns" iptables-nft-save -c | grep -v '^# \(Generated\|Completed\)' > "$dir/$name.save.txt"
  echo "recorded $dir/$name.helper.bin and $name.save.txt"
done

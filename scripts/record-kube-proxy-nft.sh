#!/usr/bin/env bash
# Records the kube-proxy nftables-mode fixture (packages/model/fixtures/kube-service-ok-nft.snapshot.json)
# from the real lab: the kube-service scenario's fault-free variant with kube-proxy's `table ip kube-proxy`
# loaded by `nft -f` on node-a (web, dns, db, empty and self Services). A ping from the client to each
# endpoint first, so bridges and neighbour tables have learnt what a live node has. The nftables-mode
# unit tests (Services by name, hostile rulesets) read it. Needs root.
set -euo pipefail
source "$(dirname "$0")/lib/recordLabFixture.sh"
record_lab_fixture hl-knft- kube-service ok-nft kube-service-ok-nft.snapshot.json "kube-service lab (ok-nft)" \
  na-p2:10.244.1.3 na-p2:10.244.2.2 na-p2:10.244.2.3

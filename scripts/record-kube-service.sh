#!/usr/bin/env bash
# Records the kube-service fixture (packages/model/fixtures/kube-service-endpoint-dropped.snapshot.json)
# from the real lab: kube-proxy's iptables rules for two Services with three endpoints on node-a,
# one endpoint's ports dropped in FORWARD. A ping from the client to each endpoint first, so
# bridges and neighbour tables have learnt what a live node has. The e2e Service trace reads it. Needs root.
set -euo pipefail
source "$(dirname "$0")/lib/recordLabFixture.sh"
record_lab_fixture hl-ksvc- kube-service endpoint-dropped kube-service-endpoint-dropped.snapshot.json "kube-service lab (endpoint-dropped)" \
  na-p2:10.244.1.3 na-p2:10.244.2.2 na-p2:10.244.2.3

#!/usr/bin/env bash
# Records the service-listener fixture (packages/model/fixtures/service-listener.snapshot.json) from
# the real lab: kube-proxy's iptables rules for two Services with three endpoints on node-a, the
# servers of one endpoint (10.244.2.3) never started. A ping from the client to each endpoint first,
# so bridges and neighbour tables have learnt what a live node has. The e2e listener spec reads it.
# Needs root.
set -euo pipefail
source "$(dirname "$0")/lib/recordLabFixture.sh"
record_lab_fixture hl-slsn- service-listener endpoint-not-listening service-listener.snapshot.json "service-listener lab (endpoint-not-listening)" \
  na-p2:10.244.1.3 na-p2:10.244.2.2 na-p2:10.244.2.3

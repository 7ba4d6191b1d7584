#!/usr/bin/env bash
# Records the NodePort/ExternalIP fixture (packages/model/fixtures/kube-service-nodeport.snapshot.json)
# from the real lab: the kube-service scenario's fault-free variant (iptables mode) on node-a, whose web
# Service has NodePort 30080 and ExternalIP 203.0.113.10, routed from node-b. A ping from node-b's root
# to node-a and from the client to each endpoint first, so bridges and neighbour tables have learnt
# what a live node has. The NodePort unit tests read it. Needs root.
set -euo pipefail
source "$(dirname "$0")/lib/recordLabFixture.sh"
record_lab_fixture hl-knp- kube-service ok kube-service-nodeport.snapshot.json "kube-service lab (ok, NodePort and ExternalIP)" \
  nb:192.168.210.1 na-p2:10.244.1.3 na-p2:10.244.2.2 na-p2:10.244.2.3

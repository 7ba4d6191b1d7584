import iptablesOk from '../../fixtures/filters-peer-pod-filters-iptables-ok.snapshot.json' with { type: 'json' };
import nftTunnelOk from '../../fixtures/filters-peer-pod-filters-nft-tunnel-ok.snapshot.json' with { type: 'json' };
import notrack from '../../fixtures/filters-peer-pod-filters-notrack.snapshot.json' with { type: 'json' };
import legacyTunnelDrop from '../../fixtures/filters-peer-pod-filters-legacy-tunnel-drop.snapshot.json' with { type: 'json' };
import dualStack from '../../fixtures/filters-peer-pod-filters-dual-stack.snapshot.json' with { type: 'json' };
import brForwardDrop from '../../fixtures/filters-node-filters-br-forward-drop.snapshot.json' with { type: 'json' };
import u32HashDrop from '../../fixtures/filters-node-filters-u32-hash-drop.snapshot.json' with { type: 'json' };
import cbpfDrop from '../../fixtures/filters-node-filters-cbpf-drop.snapshot.json' with { type: 'json' };
import ebpf from '../../fixtures/filters-node-filters-ebpf.snapshot.json' with { type: 'json' };
import type { Snapshot } from '../schema/snapshot.ts';
import { readSnapshot } from '../snapshot/readSnapshot.ts';

/**
 * Snapshots recorded from the lab's filter variants (scripts/record-filters.sh), a fresh copy per
 * call: iptables of both backends, nftables, cloud-api-adaptor's NOTRACK rules, IPv6, and tc
 * classifiers (u32 hash tables, classic BPF, an eBPF program).
 */
const fresh = (json: unknown) => (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(json)));
export const FILTERS = {
  iptablesOk: fresh(iptablesOk),
  nftTunnelOk: fresh(nftTunnelOk),
  notrack: fresh(notrack),
  legacyTunnelDrop: fresh(legacyTunnelDrop),
  dualStack: fresh(dualStack),
  brForwardDrop: fresh(brForwardDrop),
  u32HashDrop: fresh(u32HashDrop),
  cbpfDrop: fresh(cbpfDrop),
  ebpf: fresh(ebpf),
};

/** The namespaces of the recorded filter snapshots (prefix hl-fltr-). */
export const F = {
  worker: { host: 'worker', netns: 'hl-fltr-worker' },
  pod: { host: 'worker', netns: 'hl-fltr-pod' },
  vm: { host: 'podvm', netns: 'hl-fltr-vm' },
  podns: { host: 'podvm', netns: 'hl-fltr-podns' },
  na: { host: 'node-a', netns: 'hl-fltr-na' },
  na2: { host: 'node-a', netns: 'hl-fltr-na-p2' },
  na3: { host: 'node-a', netns: 'hl-fltr-na-p3' },
  nb2: { host: 'node-b', netns: 'hl-fltr-nb-p2' },
} as const;

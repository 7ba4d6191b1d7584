import broken from '../../fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '../../fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import bridged from '../../fixtures/bridged-ok.snapshot.json' with { type: 'json' };
import { interfaceId, netnsId } from '../ids.ts';
import type { Link, NetnsInventory } from '../schema/inventory.ts';
import { readSnapshot } from '../snapshot/readSnapshot.ts';
import type { Snapshot } from '../schema/snapshot.ts';

/** Snapshots recorded from the real seed lab (scripts/record-seed.sh); a fresh copy per call. */
export const seedBroken = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(broken)));
export const seedFixed = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(fixed)));
/** Two bridge-CNI nodes with two pods each, recorded from the lab's bridged-nodes/ok. */
export const bridgedOk = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(bridged)));

export const SEED = {
  worker: { host: 'worker', netns: 'hl-seed-worker' },
  pod: { host: 'worker', netns: 'hl-seed-pod' },
  vm: { host: 'podvm', netns: 'hl-seed-vm' },
  podns: { host: 'podvm', netns: 'hl-seed-podns' },
  podIp: '10.132.2.46',
  podMac: '0a:58:0a:84:02:2e',
  vmMac: '7e:e5:f7:e6:f5:1a',
} as const;

export const BRIDGED = {
  nodeA: { host: 'node-a', netns: 'hl-brdg-na' },
  nodeB: { host: 'node-b', netns: 'hl-brdg-nb' },
  a2: { host: 'node-a', netns: 'hl-brdg-na-p2' },
  a3: { host: 'node-a', netns: 'hl-brdg-na-p3' },
  b2: { host: 'node-b', netns: 'hl-brdg-nb-p2' },
  b3: { host: 'node-b', netns: 'hl-brdg-nb-p3' },
} as const;

type NsRef = { readonly host: string; readonly netns: string };

/** A namespace of a snapshot, for mutating a recorded snapshot in a test. */
export function nsIn(snapshot: Snapshot, ns: NsRef): NetnsInventory {
  const found = snapshot.hosts.find((h) => h.name === ns.host)?.namespaces.find((n) => n.name === ns.netns);
  if (!found) throw new Error(`no ${ns.host}/${ns.netns}`);
  return found;
}

/** The link of a namespace by name, for mutating a recorded snapshot in a test. */
export function linkIn(snapshot: Snapshot, ns: NsRef, name: string): Link {
  const link = nsIn(snapshot, ns).links.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name} in ${ns.host}/${ns.netns}`);
  return link;
}

/** The graph id of a link of a recorded snapshot. */
export const linkId = (snapshot: Snapshot, ns: NsRef, name: string): string =>
  interfaceId({ ...ns, ifindex: linkIn(snapshot, ns, name).ifindex });

/** The graph id of a namespace. */
export const nsId = (ns: NsRef): string => netnsId(ns);

/** A second tunnel device in the worker's root with the pod's VNI on another port. */
export function withSecondTunnel(vni: number): Snapshot {
  const snap = seedFixed();
  const vxlan1 = linkIn(snap, SEED.pod, 'vxlan1');
  nsIn(snap, SEED.worker).links.push({
    ...vxlan1,
    ifindex: 40,
    name: 'vxlan9',
    mac: '02:00:00:00:00:09',
    vxlan: { ...vxlan1.vxlan!, vni, port: 4790 },
  });
  return snap;
}

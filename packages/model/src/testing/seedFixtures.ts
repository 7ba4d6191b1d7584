import broken from '../../fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '../../fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { readSnapshot } from '../snapshot/readSnapshot.ts';
import type { Snapshot } from '../schema/snapshot.ts';

/** Snapshots recorded from the real seed lab (scripts/record-seed.sh); a fresh copy per call. */
export const seedBroken = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(broken)));
export const seedFixed = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(fixed)));

export const SEED = {
  worker: { host: 'worker', netns: 'hl-seed-worker' },
  pod: { host: 'worker', netns: 'hl-seed-pod' },
  vm: { host: 'podvm', netns: 'hl-seed-vm' },
  podns: { host: 'podvm', netns: 'hl-seed-podns' },
  podIp: '10.132.2.46',
  podMac: '0a:58:0a:84:02:2e',
  vmMac: '7e:e5:f7:e6:f5:1a',
} as const;

/** The link of a namespace by name, for mutating a recorded snapshot in a test. */
export function linkIn(snapshot: Snapshot, ns: { host: string; netns: string }, name: string) {
  const link = snapshot.hosts
    .find((h) => h.name === ns.host)
    ?.namespaces.find((n) => n.name === ns.netns)
    ?.links.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name} in ${ns.host}/${ns.netns}`);
  return link;
}

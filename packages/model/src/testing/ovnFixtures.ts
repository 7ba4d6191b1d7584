import ok from '../../fixtures/ovn-ok.snapshot.json' with { type: 'json' };
import broken from '../../fixtures/ovn-broken.snapshot.json' with { type: 'json' };
import aclDrop from '../../fixtures/ovn-acl-drop.snapshot.json' with { type: 'json' };
import ifaceIdUnknown from '../../fixtures/ovn-iface-id-unknown.snapshot.json' with { type: 'json' };
import portMissing from '../../fixtures/ovn-port-missing.snapshot.json' with { type: 'json' };
import traces from '../../fixtures/ovs-traces.json' with { type: 'json' };
import { interfaceId } from '../ids.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { readSnapshot } from '../snapshot/readSnapshot.ts';

const SNAPSHOTS = {
  ok,
  broken,
  'acl-drop': aclDrop,
  'iface-id-unknown': ifaceIdUnknown,
  'port-missing': portMissing,
} as const;

/** The ovn-seed lab's variants, recorded by scripts/record-ovs.sh; a fresh copy per call. */
export const ovnSeed = (variant: keyof typeof SNAPSHOTS): Snapshot =>
  readSnapshot(JSON.parse(JSON.stringify(SNAPSHOTS[variant])));

/** Where things are in the recorded ovn-seed snapshots. */
export const OVN = {
  worker: { host: 'worker', netns: 'hl-ovnr-worker' },
  podA: { host: 'worker', netns: 'hl-ovnr-pod-a' },
  podB: { host: 'worker', netns: 'hl-ovnr-pod-b' },
  pod: { host: 'worker', netns: 'hl-ovnr-pod' },
  vm: { host: 'podvm', netns: 'hl-ovnr-vm' },
  podns: { host: 'podvm', netns: 'hl-ovnr-podns' },
  mp0: { ip: '10.132.2.2', mac: '0a:58:0a:84:02:02' },
  podAIp: '10.132.2.10',
  podBIp: '10.132.2.11',
  seedIp: '10.132.2.46',
  seedMac: '0a:58:0a:84:02:2e',
  brokenVmMac: '7e:e5:f7:e6:f5:1a',
} as const;

/** The graph id of a device of a recorded snapshot, by name. */
export function deviceId(snapshot: Snapshot, ns: { host: string; netns: string }, name: string): string {
  const link = snapshot.hosts
    .find((h) => h.name === ns.host)
    ?.namespaces.find((n) => n.name === ns.netns)
    ?.links.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name} in ${ns.host}/${ns.netns}`);
  return interfaceId({ ...ns, ifindex: link.ifindex });
}

/** An ofproto/trace answer recorded from the lab, as OVS printed it (scripts/record-ovs.sh). */
export function ovsTraceText(name: keyof typeof traces): string {
  return traces[name];
}

import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { linkDown } from './linkDown.ts';

describe('link-down', () => {
  it('is critical for a down device on a path, with the command that brings it up', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.worker, 'ens3').adminUp = false;
    const [f, ...rest] = linkDown.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [linkId(snap, SEED.worker, 'ens3')] });
    expect(f!.fix).toBe('ip netns exec hl-seed-worker ip link set dev ens3 up');
  });

  it('is critical for an up device without carrier whose peer is up (a cable, not a veth peer)', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'cni0').carrier = false;
    const [f] = linkDown.run(new SnapshotIndex(snap));
    expect(f).toMatchObject({ severity: 'critical', subjects: [linkId(snap, BRIDGED.nodeA, 'cni0')] });
    expect(f!.message).toContain('no carrier');
  });

  it('leaves a veth whose peer is down to veth-peer-missing, and loopback alone', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.a3, 'eth0').adminUp = false;
    linkIn(snap, BRIDGED.nodeA, 'veth3').carrier = false;
    linkIn(snap, BRIDGED.a3, 'lo').adminUp = false;
    const findings = linkDown.run(new SnapshotIndex(snap));
    expect(findings.map((f) => f.subjects)).toEqual([[linkId(snap, BRIDGED.a3, 'eth0')]]);
  });

  it('only notes a down device that nothing uses, with no command: bringing it up mends nothing', () => {
    const snap = bridgedOk();
    const ns = nsIn(snap, BRIDGED.nodeA);
    ns.links.push({ ...ns.links[1]!, ifindex: 99, name: 'spare0', kind: 'dummy', adminUp: false, carrier: false });
    const [f, ...rest] = linkDown.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'info', subjects: [linkId(snap, BRIDGED.nodeA, 'spare0')] });
    expect(f!.message).toContain('nothing collected depends on it');
    expect(f!.fix).toBeUndefined();
  });

  it('notes where tc filters send some frames into a down device: dropped there (no command: a drop sink may be meant)', () => {
    const snap = bridgedOk();
    const ns = nsIn(snap, BRIDGED.nodeA);
    const cni0 = ns.links.find((l) => l.name === 'cni0')!;
    ns.links.push({ ...ns.links[1]!, ifindex: 99, name: 'sink0', kind: 'dummy', adminUp: false, carrier: false });
    const redirect = (pref: number, action: 'redirect' | 'mirror') => ({
      ifindex: cni0.ifindex,
      dev: 'cni0',
      direction: 'ingress' as const,
      kind: 'u32',
      pref,
      matchesAll: false,
      actions: [{ kind: 'mirred' as const, action, direction: 'egress' as const, targetDev: 'sink0' }],
    });
    ns.tcFilters.push(redirect(10, 'redirect'), redirect(20, 'mirror'));
    const [f, ...rest] = linkDown.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'info', subjects: [linkId(snap, BRIDGED.nodeA, 'sink0')] });
    expect(f!.message).toContain('(cni0 ingress pref 10, cni0 ingress pref 20): those frames are dropped there');
    expect(f!.message).not.toContain('nothing collected depends on it');
    expect(f!.fix).toBeUndefined();
  });

  it('is silent on the fault-free labs', () => {
    expect(linkDown.run(new SnapshotIndex(seedFixed()))).toEqual([]);
    expect(linkDown.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
  });
});

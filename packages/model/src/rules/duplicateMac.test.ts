import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, seedFixed } from '../testing/seedFixtures.ts';
import { duplicateMac } from './duplicateMac.ts';

describe('duplicate-mac', () => {
  it('flags two pods on one bridge with one MAC', () => {
    const snap = bridgedOk();
    const mac = linkIn(snap, BRIDGED.a2, 'eth0').mac!;
    linkIn(snap, BRIDGED.a3, 'eth0').mac = mac.toUpperCase();
    const [f, ...rest] = duplicateMac.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', evidence: { mac } });
    expect(f!.subjects.sort()).toEqual([linkId(snap, BRIDGED.a2, 'eth0'), linkId(snap, BRIDGED.a3, 'eth0')].sort());
  });

  it('allows a bridge to borrow its port’s MAC, and one MAC on two nodes', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'cni0').mac = linkIn(snap, BRIDGED.nodeA, 'veth2').mac;
    linkIn(snap, BRIDGED.b2, 'eth0').mac = linkIn(snap, BRIDGED.a2, 'eth0').mac;
    expect(duplicateMac.run(new SnapshotIndex(snap))).toEqual([]);
  });

  it('allows the pod MAC on the worker’s pass-through eth0 and on the pod VM', () => {
    expect(duplicateMac.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

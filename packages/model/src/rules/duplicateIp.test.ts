import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, nsIn, seedFixed } from '../testing/seedFixtures.ts';
import { duplicateIp } from './duplicateIp.ts';

/** Gives the eth0 of a bridged pod another address. */
function readdress(snap: ReturnType<typeof bridgedOk>, pod: { host: string; netns: string }, ip: string): void {
  const addr = nsIn(snap, pod).addresses.find((a) => a.family === 'inet' && a.scope === 'global')!;
  addr.address = ip;
}

describe('duplicate-ip', () => {
  it('flags two pods on one bridge holding one address', () => {
    const snap = bridgedOk();
    readdress(snap, BRIDGED.a3, '10.244.1.2');
    const [f, ...rest] = duplicateIp.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', evidence: { ip: '10.244.1.2' } });
    expect(f!.subjects.sort()).toEqual([linkId(snap, BRIDGED.a2, 'eth0'), linkId(snap, BRIDGED.a3, 'eth0')].sort());
  });

  it('allows one address on two layer-2 segments (two nodes’ bridges)', () => {
    const snap = bridgedOk();
    readdress(snap, BRIDGED.b3, '10.244.1.2');
    expect(duplicateIp.run(new SnapshotIndex(snap))).toEqual([]);
  });

  it('allows a peer pod’s IP on the worker’s pass-through eth0 and on the pod VM', () => {
    expect(duplicateIp.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

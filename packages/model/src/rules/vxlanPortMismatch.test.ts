import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { vxlanPortMismatch } from './vxlanPortMismatch.ts';
import { vniMismatch } from './vniMismatch.ts';

describe('vxlan-port-mismatch', () => {
  it('names both ports and recreates the pod VM end on the worker’s port', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.port = 4790;
    const index = new SnapshotIndex(snap);
    const [f, ...rest] = vxlanPortMismatch.run(index);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'vxlan-port-mismatch', severity: 'fatal' });
    expect(Object.values(f!.evidence)).toEqual(expect.arrayContaining(['4789', '4790']));
    expect(f!.subjects).toContain(linkId(snap, SEED.podns, 'vxlan0'));
    expect(f!.message).toMatch(/4789/);
    expect(f!.message).toMatch(/4790/);
    expect(f!.fix).toContain('dstport 4789 dev ens4');
    // One fault, one rule: the VNIs agree.
    expect(vniMismatch.run(index)).toEqual([]);
  });

  it('is silent when both ends use one port', () => {
    expect(vxlanPortMismatch.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

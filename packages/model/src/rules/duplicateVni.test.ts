import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, SEED, seedFixed, withSecondTunnel } from '../testing/seedFixtures.ts';
import { duplicateVni } from './duplicateVni.ts';

describe('duplicate-vni', () => {
  it('flags two devices on one host with one VNI, naming their ports', () => {
    const snap = withSecondTunnel(555000);
    const [f, ...rest] = duplicateVni.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', evidence: { host: 'worker', vni: '555000' } });
    expect(f!.subjects.sort()).toEqual([linkId(snap, SEED.pod, 'vxlan1'), linkId(snap, SEED.worker, 'vxlan9')].sort());
    expect(f!.message).toContain('port 4790');
  });

  it('allows one VNI on the two hosts a tunnel joins, and distinct VNIs on one host', () => {
    expect(duplicateVni.run(new SnapshotIndex(seedFixed()))).toEqual([]);
    expect(duplicateVni.run(new SnapshotIndex(withSecondTunnel(555001)))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, SEED, seedFixed, withSecondTunnel } from '../testing/seedFixtures.ts';
import { staleTunnel } from './staleTunnel.ts';

describe('stale-tunnel', () => {
  it('flags a tunnel device nothing uses, with the command that removes it', () => {
    const snap = withSecondTunnel(555009);
    const [f, ...rest] = staleTunnel.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', subjects: [linkId(snap, SEED.worker, 'vxlan9')] });
    expect(f!.fix).toBe('ip netns exec hl-seed-worker ip link del vxlan9');
  });

  it('is silent for tunnels joined by tc or holding the pod’s address', () => {
    expect(staleTunnel.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

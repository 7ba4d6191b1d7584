import { describe, expect, it } from 'vitest';
import { seedFixed } from '../testing/seedFixtures.ts';
import { netnsFrom } from './netnsFrom.ts';
import { SnapshotIndex } from './snapshotIndex.ts';

describe('netnsFrom', () => {
  const index = new SnapshotIndex(seedFixed());

  it('takes a bare host to its root namespace', () => {
    expect(netnsFrom(index, 'worker')).toEqual({ host: 'worker', netns: 'hl-seed-worker' });
  });

  it('takes HOST/NETNS as written, and HOST/ as the collector’s own namespace', () => {
    expect(netnsFrom(index, 'podvm/hl-seed-podns')).toEqual({ host: 'podvm', netns: 'hl-seed-podns' });
    expect(netnsFrom(index, 'podvm/')).toEqual({ host: 'podvm', netns: null });
  });

  it('leaves a host without a root namespace at the collector’s own', () => {
    expect(netnsFrom(index, 'nowhere')).toEqual({ host: 'nowhere', netns: null });
  });
});

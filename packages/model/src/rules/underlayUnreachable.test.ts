import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { underlayUnreachable } from './underlayUnreachable.ts';

describe('underlay-unreachable', () => {
  it('flags a tunnel whose socket namespace has no route to the remote', () => {
    const snap = seedFixed();
    const vm = nsIn(snap, SEED.vm);
    vm.routes = vm.routes.filter((r) => r.dst !== '192.168.200.0/24');
    const [f, ...rest] = underlayUnreachable.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'fatal', subjects: [linkId(snap, SEED.podns, 'vxlan0')] });
    expect(f!.message).toBe(
      'podvm/hl-seed-podns/vxlan0 sends its packets from podvm/hl-seed-vm, where there is no route to the remote 192.168.200.1',
    );
  });

  it('flags a tunnel whose underlay has lost its carrier, naming the device', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.worker, 'ens3').carrier = false;
    const [f] = underlayUnreachable.run(new SnapshotIndex(snap));
    expect(f!.subjects).toEqual([linkId(snap, SEED.pod, 'vxlan1'), linkId(snap, SEED.worker, 'ens3')]);
    expect(f!.message).toContain('which has no carrier');
  });

  it('offers to bring an administratively down underlay up', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.worker, 'ens3').adminUp = false;
    const [f] = underlayUnreachable.run(new SnapshotIndex(snap));
    expect(f!.fix).toBe('ip netns exec hl-seed-worker ip link set dev ens3 up');
  });

  it('is silent on the fault-free seed', () => {
    expect(underlayUnreachable.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

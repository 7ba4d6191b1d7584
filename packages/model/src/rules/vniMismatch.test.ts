import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { tunnelRemoteUnknown } from './tunnelRemoteUnknown.ts';
import { vniMismatch } from './vniMismatch.ts';

describe('vni-mismatch', () => {
  it('names both ends and both VNIs, and recreates the pod VM end with the worker’s VNI', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 555001;
    const [f, ...rest] = vniMismatch.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'vni-mismatch', severity: 'fatal' });
    expect(f!.subjects.sort()).toEqual([linkId(snap, SEED.pod, 'vxlan1'), linkId(snap, SEED.podns, 'vxlan0')].sort());
    expect(f!.message).toMatch(/VNI 555000.*VNI 555001|VNI 555001.*VNI 555000/);
    const fix = f!.fix!.split('\n');
    expect(fix[0]).toBe('ip netns exec hl-seed-podns ip link del vxlan0');
    // Made in the VM root so its socket stays there, as cloud-api-adaptor does, then moved back.
    expect(fix[1]).toBe(
      'ip netns exec hl-seed-vm ip link add vxlan0 address 0a:58:0a:84:02:2e mtu 1450 type vxlan id 555000 remote 192.168.200.1 dstport 4789 dev ens4',
    );
    expect(fix).toContain('ip netns exec hl-seed-vm ip link set vxlan0 netns hl-seed-podns');
    expect(fix).toContain('ip netns exec hl-seed-podns ip addr add 10.132.2.46/24 dev vxlan0');
    expect(fix).toContain('ip netns exec hl-seed-podns ip route add default via 10.132.2.1 dev vxlan0');
    expect(fix).toContain(
      'ip netns exec hl-seed-podns ip neigh replace 10.132.2.1 lladdr 0a:58:0a:84:02:01 dev vxlan0 nud permanent',
    );
  });

  it('is not claimed while the worker end’s own partner may be on the pod VM in what was not collected', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 555001;
    // Another namespace of the pod VM could not be entered: the worker's VNI 555000 may live there.
    snap.hosts.find((h) => h.name === SEED.podns.host)!.errors.push({ netns: 'hl-seed-other', message: 'gone' });
    const index = new SnapshotIndex(snap);
    expect(vniMismatch.run(index)).toEqual([]);
    // What is known stays fatal: the worker has no device for the pod VM end's VNI 555001.
    const [far, near, ...rest] = tunnelRemoteUnknown.run(index).sort((a, b) => a.severity.localeCompare(b.severity));
    expect(rest).toEqual([]);
    expect(far).toMatchObject({ severity: 'fatal', subjects: [linkId(snap, SEED.podns, 'vxlan0')] });
    expect(near).toMatchObject({ severity: 'warning', subjects: [linkId(snap, SEED.pod, 'vxlan1')] });
  });

  it('is silent when both ends share the VNI', () => {
    expect(vniMismatch.run(new SnapshotIndex(seedFixed()))).toEqual([]);
  });
});

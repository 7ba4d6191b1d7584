import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { mtuMismatch } from './mtuMismatch.ts';

describe('mtu-mismatch', () => {
  it('is critical for veth ends that differ, and sets the bridge port apart from its siblings back to theirs', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'veth3').mtu = 1400;
    const [f, ...rest] = mtuMismatch.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.subjects).toEqual([linkId(snap, BRIDGED.a3, 'eth0'), linkId(snap, BRIDGED.nodeA, 'veth3')]);
    expect(f!.message).toContain('MTU 1500');
    expect(f!.message).toContain('has 1400');
    // veth3 is the one port of cni0 at 1400: the pod's 1500 is what the segment carries.
    expect(f!.fix).toBe('ip netns exec hl-brdg-na ip link set dev veth3 mtu 1500');
  });

  it('lowers the larger end where nothing says which end is set apart', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'veth3').mtu = 1400;
    linkIn(snap, BRIDGED.nodeA, 'veth2').mtu = 1300;
    const f = mtuMismatch
      .run(new SnapshotIndex(snap))
      .find((x) => x.subjects.includes(linkId(snap, BRIDGED.a3, 'eth0')));
    expect(f!.fix).toBe('ip netns exec hl-brdg-na-p3 ip link set dev eth0 mtu 1400');
  });

  it('warns when a tunnel’s MTU plus 50 bytes of VXLAN exceeds its underlay’s', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.worker, 'ens3').mtu = 1400;
    linkIn(snap, SEED.vm, 'ens4').mtu = 1400;
    const findings = mtuMismatch.run(new SnapshotIndex(snap));
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    const worker = findings.find((f) => f.subjects[0] === linkId(snap, SEED.pod, 'vxlan1'))!;
    expect(worker.message).toContain('need 1500');
    expect(worker.fix).toBe('ip netns exec hl-seed-pod ip link set dev vxlan1 mtu 1350');
  });

  it('prints no command for a tunnel that is a bridge port: lowering it alone would make the bridge drop silently', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.worker, 'ens3').mtu = 1400;
    const pod = nsIn(snap, SEED.pod);
    const br = { ...linkIn(snap, SEED.pod, 'vxlan1'), name: 'br0', kind: 'bridge', ifindex: 900 };
    delete br.vxlan;
    pod.links.push(br);
    linkIn(snap, SEED.pod, 'vxlan1').masterIfindex = 900;
    const f = mtuMismatch.run(new SnapshotIndex(snap)).find((x) => x.subjects[0] === linkId(snap, SEED.pod, 'vxlan1'))!;
    expect(f.fix).toBeUndefined();
    expect(f.message).toContain('It is a port of br0: lowering it alone makes the bridge drop them silently');
  });

  it('is silent on the fault-free labs (vxlan 1450 on a 1500 underlay fits exactly)', () => {
    expect(mtuMismatch.run(new SnapshotIndex(seedFixed()))).toEqual([]);
    expect(mtuMismatch.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
  });
});

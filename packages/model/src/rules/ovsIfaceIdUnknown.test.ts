import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { ovsIfaceIdUnknown } from './ovsIfaceIdUnknown.ts';

describe('ovs-iface-id-unknown', () => {
  it('flags a port OVN has not bound because its iface-id names no pod', () => {
    const snap = ovnSeed('iface-id-unknown');
    const [f, ...rest] = ovsIfaceIdUnknown.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subjects: [deviceId(snap, OVN.worker, 'veth-a'), deviceId(snap, OVN.podA, 'eth0')],
      evidence: { ifaceId: 'default_a-old' },
    });
    expect(f!.message).toContain('no ovn-installed');
  });

  it('names the right iface-id, and the command, where Kubernetes names the pod otherwise', () => {
    const snap = ovnSeed('ok');
    const a = snap.pods.find((p) => p.name === 'a')!;
    Object.assign(a, { namespace: 'shop', name: 'cart-7d9', inferred: false });
    const [f] = ovsIfaceIdUnknown.run(new SnapshotIndex(snap));
    expect(f?.evidence).toMatchObject({ ifaceId: 'default_a', expected: 'shop_cart-7d9' });
    expect(f?.fix).toBe(
      'ip netns exec hl-ovnr-worker ovs-vsctl set interface veth-a external_ids:iface-id=shop_cart-7d9',
    );
  });

  it('is silent where every port names a pod', () => {
    expect(ovsIfaceIdUnknown.run(new SnapshotIndex(ovnSeed('ok')))).toEqual([]);
  });
});

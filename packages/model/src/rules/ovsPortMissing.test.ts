import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { ovsPortMissing } from './ovsPortMissing.ts';

describe('ovs-port-missing', () => {
  it('flags the host side of a pod’s veth that is not a port of br-int', () => {
    const snap = ovnSeed('port-missing');
    const [f, ...rest] = ovsPortMissing.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subjects: [deviceId(snap, OVN.worker, 'veth-b'), deviceId(snap, OVN.podB, 'eth0')],
      evidence: { bridge: 'br-int' },
    });
    expect(f!.fix).toBeUndefined();
  });

  it('prints the port to add where Kubernetes names the pod', () => {
    const snap = ovnSeed('port-missing');
    const b = snap.pods.find((p) => p.netns.some((n) => n.netns === OVN.podB.netns))!;
    Object.assign(b, { namespace: 'shop', name: 'cart-7d9', inferred: false });
    const [f] = ovsPortMissing.run(new SnapshotIndex(snap));
    expect(f?.fix).toBe(
      'ip netns exec hl-ovnr-worker ovs-vsctl add-port br-int veth-b -- set interface veth-b external_ids:iface-id=shop_cart-7d9 external_ids:attached_mac=0a:58:0a:84:02:0b',
    );
  });

  it('is silent where every pod is plugged in, and on nodes without Open vSwitch', () => {
    expect(ovsPortMissing.run(new SnapshotIndex(ovnSeed('ok')))).toEqual([]);
    const snap = ovnSeed('port-missing');
    delete snap.hosts[0]!.ovs;
    expect(ovsPortMissing.run(new SnapshotIndex(snap))).toEqual([]);
  });
});

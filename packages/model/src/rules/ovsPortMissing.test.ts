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

  it('does not judge a userspace datapath some of whose OVSDB rows were not read: the port may be one of them', () => {
    const snap = ovnSeed('port-missing');
    const worker = snap.hosts.find((h) => h.name === OVN.worker.host)!;
    worker.ovs!.unreadRows = 1;
    worker.errors.push({ message: 'OVSDB unix:/run/openvswitch/db.sock: Port veth-b: a name that is not a string' });
    expect(ovsPortMissing.run(new SnapshotIndex(snap))).toEqual([]);
    // On the kernel datapath a port's master says it, whatever OVSDB could not be read.
    for (const b of worker.ovs!.bridges) b.datapathType = 'system';
    expect(ovsPortMissing.run(new SnapshotIndex(snap)).map((f) => f.severity)).toEqual(['critical']);
  });

  it('is silent where every pod is plugged in, and on nodes without Open vSwitch', () => {
    expect(ovsPortMissing.run(new SnapshotIndex(ovnSeed('ok')))).toEqual([]);
    const snap = ovnSeed('port-missing');
    delete snap.hosts[0]!.ovs;
    expect(ovsPortMissing.run(new SnapshotIndex(snap))).toEqual([]);
  });
});

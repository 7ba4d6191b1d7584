import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { ovsPortSecurity } from './ovsPortSecurity.ts';

describe('ovs-port-security', () => {
  it('flags the pod VM’s interface across the tunnel whose MAC the peer pod’s port does not admit', () => {
    const snap = ovnSeed('broken');
    const [f, ...rest] = ovsPortSecurity.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'fatal',
      subjects: [deviceId(snap, OVN.worker, 'veth-seed'), deviceId(snap, OVN.podns, 'vxlan0')],
      evidence: { attachedMac: OVN.seedMac, senderMac: OVN.brokenVmMac, ifaceId: 'default_seed' },
    });
    expect(f!.fix).toContain(`ip netns exec hl-ovnr-podns ip link set dev vxlan0 address ${OVN.seedMac}`);
  });

  it('flags an ordinary pod whose eth0 lost the MAC the CNI gave it', () => {
    const snap = ovnSeed('ok');
    const eth0 = snap.hosts[0]!.namespaces.find((n) => n.name === OVN.podA.netns)!.links.find(
      (l) => l.name === 'eth0',
    )!;
    eth0.mac = '02:00:00:00:00:0a';
    const [f] = ovsPortSecurity.run(new SnapshotIndex(snap));
    expect(f?.subjects).toEqual([deviceId(snap, OVN.worker, 'veth-a'), deviceId(snap, OVN.podA, 'eth0')]);
  });

  it('is silent where every sender has its port’s MAC', () => {
    expect(ovsPortSecurity.run(new SnapshotIndex(ovnSeed('ok')))).toEqual([]);
  });
});

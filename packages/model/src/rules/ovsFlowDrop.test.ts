import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { ovsFlowDrop } from './ovsFlowDrop.ts';

describe('ovs-flow-drop', () => {
  it('names the ACL rule that drops the management port’s traffic to a pod, from OVS’s recorded answers', () => {
    const snap = ovnSeed('acl-drop');
    const [f, ...rest] = ovsFlowDrop.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      subjects: [deviceId(snap, OVN.worker, 'ovn-k8s-mp0'), deviceId(snap, OVN.worker, 'veth-b')],
      evidence: {
        bridge: 'br-int',
        table: '10',
        priority: '1001',
        cookie: '0xac10dead',
        match: 'ip,nw_dst=10.132.2.11',
      },
    });
    expect(f!.message).toContain('br-int on worker drops ICMP echo request 10.132.2.2 → 10.132.2.11');
  });

  it('finds each rule that drops an unbound port’s traffic: port security one way, the L2 lookup the other', () => {
    const findings = ovsFlowDrop.run(new SnapshotIndex(ovnSeed('iface-id-unknown')));
    expect(findings.map((f) => [f.evidence.table, f.evidence.cookie])).toEqual([
      ['0', '0x5ec0dead'],
      ['30', '0x1200dead'],
    ]);
    expect(findings[0]!.evidence.packets).toContain('ARP who-has 10.132.2.1 tell 10.132.2.10');
  });

  it('is silent where every recorded answer forwards', () => {
    expect(ovsFlowDrop.run(new SnapshotIndex(ovnSeed('ok')))).toEqual([]);
  });
});

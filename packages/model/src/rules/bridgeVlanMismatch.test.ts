import { describe, expect, it } from 'vitest';
import type { BridgeVlan } from '../schema/inventory.ts';
import { NetBuilder } from '../testing/netBuilder.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { bridgeVlanMismatch } from './bridgeVlanMismatch.ts';

const access = (vid: number): BridgeVlan[] => [{ vid, pvid: true, untagged: true }];

/** cni0 (10.22.0.1/24) filtering VLANs, with a pod per entry of `pvids` (undefined: a port without a PVID). */
function pods(pvids: (number | undefined)[], filtering = true) {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const br = b.link(node, 'cni0', 'bridge', {
    kindData: { kind: 'bridge', vlanFiltering: filtering },
    bridgeVlans: access(100),
  });
  b.addr(node, 'cni0', '10.22.0.1/24');
  pvids.forEach((pvid, i) => {
    const pod = b.netns('node', `pod${i}`);
    const [port] = b.veth(node, `veth${i}`, pod, 'eth0');
    port.masterIfindex = br.ifindex;
    port.bridgeVlans = pvid === undefined ? [{ vid: 100, pvid: false, untagged: true }] : access(pvid);
    b.addr(pod, 'eth0', `10.22.0.${i + 2}/24`);
  });
  return bridgeVlanMismatch.run(new SnapshotIndex(b.snapshot()));
}

describe('bridge-vlan-mismatch', () => {
  it('names the pod port whose PVID differs from its subnet’s, and gives it theirs', () => {
    const [f, ...rest] = pods([100, 200]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'critical',
      evidence: { port: 'veth1', vlans: 'VLANs 200 PVID untagged', peers: 'cni0 self, veth0', peerPvid: '100' },
      fix: 'ip netns exec node bridge vlan add dev veth1 vid 100 pvid untagged',
    });
    expect(f!.message).toContain('veth1 on');
  });

  it('names a port without a PVID', () => {
    const [f] = pods([100, undefined]);
    expect(f!.message).toContain('no VLAN (it has no PVID)');
    expect(f!.fix).toBe('ip netns exec node bridge vlan add dev veth1 vid 100 pvid untagged');
  });

  it('is silent where all agree, where the bridge does not filter, and where there is no majority to point at', () => {
    expect(pods([100, 100, 100])).toEqual([]);
    expect(pods([100, 200], false)).toEqual([]);
    const b = new NetBuilder();
    const node = b.netns('node', 'node', { root: true });
    const br = b.link(node, 'cni0', 'bridge', { kindData: { kind: 'bridge', vlanFiltering: true } });
    for (const [i, vid] of [100, 200].entries()) {
      const pod = b.netns('node', `pod${i}`);
      const [port] = b.veth(node, `veth${i}`, pod, 'eth0');
      port.masterIfindex = br.ifindex;
      port.bridgeVlans = access(vid);
      b.addr(pod, 'eth0', `10.22.0.${i + 2}/24`);
    }
    expect(bridgeVlanMismatch.run(new SnapshotIndex(b.snapshot()))).toEqual([]);
  });
});

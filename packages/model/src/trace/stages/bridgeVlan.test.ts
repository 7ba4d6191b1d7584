import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import type { BridgeVlan, Link } from '../../schema/inventory.ts';
import { NetBuilder, type BuiltNetns } from '../../testing/netBuilder.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const access = (vid: number): BridgeVlan[] => [{ vid, pvid: true, untagged: true }];

/**
 * A node whose bridge cni0 (10.22.0.1/24) filters VLANs, as the CNI bridge plugin with `"vlan": 100`
 * leaves it: its own port and both pods' ports carry VLAN 100 as PVID, untagged.
 */
function vlanBridge(): { b: NetBuilder; node: BuiltNetns; br: Link; ports: Link[]; pods: BuiltNetns[] } {
  const b = new NetBuilder();
  const node = b.netns('node', 'node', { root: true });
  const br = b.link(node, 'cni0', 'bridge', {
    kindData: { kind: 'bridge', vlanFiltering: true, vlanProtocol: '802.1Q', defaultPvid: 1 },
    bridgeVlans: access(100),
  });
  b.addr(node, 'cni0', '10.22.0.1/24');
  const ports: Link[] = [];
  const pods: BuiltNetns[] = [];
  for (let i = 0; i < 2; i++) {
    const pod = b.netns('node', `pod${i}`);
    const [port] = b.veth(node, `veth${i}`, pod, 'eth0');
    port.masterIfindex = br.ifindex;
    port.bridgeVlans = access(100);
    b.addr(pod, 'eth0', `10.22.0.${i + 2}/24`);
    b.route(pod, 'default', { gateway: '10.22.0.1', dev: 'eth0' });
    ports.push(port);
    pods.push(pod);
  }
  return { b, node, br, ports, pods };
}

const ping = (b: NetBuilder, from: string, to: string) => {
  const index = new SnapshotIndex(b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};

describe('a bridge with VLAN filtering', () => {
  it('delivers between pods whose ports share the PVID, naming the VLAN the frame joins', () => {
    const r = ping(vlanBridge().b, 'pod0', '10.22.0.3');
    expect(r.verdict).toBe('delivered');
    expect(r.hops.map((h) => h.reason)).toContain(
      'veth0 puts the untagged frame in VLAN 100 (VLANs 100 PVID untagged)',
    );
  });

  it('delivers to the bridge’s own address where its own port carries the VLAN, and drops where it does not', () => {
    const t = vlanBridge();
    expect(ping(t.b, 'pod0', '10.22.0.1').verdict).toBe('delivered');
    t.br.bridgeVlans = access(1);
    expect(ping(t.b, 'pod0', '10.22.0.1').verdict).toBe('dropped');
  });

  it('puts what the node itself sends into the bridge’s own PVID, and drops it where its own port has none', () => {
    const t = vlanBridge();
    expect(ping(t.b, 'node', '10.22.0.3').verdict).toBe('delivered');
    t.br.bridgeVlans = [{ vid: 100, pvid: false, untagged: true }];
    t.b.neighbor(t.node, 'cni0', '10.22.0.3', t.b.dev(t.pods[1]!, 'eth0').mac!);
    const last = ping(t.b, 'node', '10.22.0.3').hops.at(-1)!;
    expect(last.reason).toContain('cni0 self (VLANs 100 untagged) has no PVID for an untagged frame');
    expect(last.fix).toBe('ip netns exec node bridge vlan add dev cni0 vid 100 pvid untagged self');
  });

  it('drops between pods on one subnet whose ports have different PVIDs: ARP never crosses VLANs', () => {
    const t = vlanBridge();
    t.ports[1]!.bridgeVlans = access(200);
    const r = ping(t.b, 'pod0', '10.22.0.3');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)!.reason).toContain('ARP gets no answer');
  });

  it('drops an untagged frame entering a port without a PVID, and says which `bridge vlan add` lets it in', () => {
    const t = vlanBridge();
    t.ports[0]!.bridgeVlans = [{ vid: 100, pvid: false, untagged: true }];
    // A static neighbour entry: the ICMP frame itself meets the filter, not a silent ARP probe.
    t.b.neighbor(t.pods[0]!, 'eth0', '10.22.0.3', t.b.dev(t.pods[1]!, 'eth0').mac!);
    const r = ping(t.b, 'pod0', '10.22.0.3');
    expect(r.verdict).toBe('dropped');
    const last = r.hops.at(-1)!;
    expect(last.reason).toBe(
      'cni0 filters VLANs and veth0 (VLANs 100 untagged) has no PVID for an untagged frame: the bridge drops the frame',
    );
    expect(last.dropReason).toBe('NOT_SPECIFIED');
    expect(last.fix).toBe('ip netns exec node bridge vlan add dev veth0 vid 100 pvid untagged');
  });

  it('drops a unicast frame for a MAC behind a port without its VLAN, naming that port and the fix', () => {
    const t = vlanBridge();
    t.ports[1]!.bridgeVlans = access(200);
    t.b.neighbor(t.pods[0]!, 'eth0', '10.22.0.3', t.b.dev(t.pods[1]!, 'eth0').mac!);
    const last = ping(t.b, 'pod0', '10.22.0.3').hops.at(-1)!;
    expect(last.verdict).toBe('dropped');
    expect(last.reason).toContain(
      'in VLAN 100 (it is behind veth1, and veth1 (VLANs 200 PVID untagged) does not carry VLAN 100)',
    );
    expect(last.fix).toBe('ip netns exec node bridge vlan add dev veth1 vid 100 pvid untagged');
  });

  it('sends the frame tagged out of a port where the VLAN is not untagged, and the pod, with no vlan device, drops it', () => {
    const t = vlanBridge();
    t.ports[1]!.bridgeVlans = [{ vid: 100, pvid: true, untagged: false }];
    t.b.neighbor(t.pods[0]!, 'eth0', '10.22.0.3', t.b.dev(t.pods[1]!, 'eth0').mac!);
    const last = ping(t.b, 'pod0', '10.22.0.3').hops.at(-1)!;
    expect(last.verdict).toBe('dropped');
    expect(last.reason).toContain('tagged VLAN 100, and eth0 has no vlan device for it');
    expect(last.dropReason).toBe('OTHERHOST');
  });

  it('cannot tell where another port’s VLANs, or the bridge’s own, were not collected, and names it', () => {
    const t = vlanBridge();
    delete t.ports[1]!.bridgeVlans;
    expectUnknownStop(ping(t.b, 'pod0', '10.22.0.3'), [
      'the VLANs of veth1 were not collected',
      'whether the frame may leave by it',
    ]);
    const own = vlanBridge();
    delete own.br.bridgeVlans;
    expectUnknownStop(ping(own.b, 'pod0', '10.22.0.1'), ['the VLANs of cni0 self were not collected']);
    // A frame its own port refuses is dropped, whatever the others carry.
    own.ports[0]!.bridgeVlans = [{ vid: 100, pvid: false, untagged: true }];
    own.b.neighbor(own.pods[0]!, 'eth0', '10.22.0.3', own.b.dev(own.pods[1]!, 'eth0').mac!);
    expect(ping(own.b, 'pod0', '10.22.0.3').hops.at(-1)).toMatchObject({
      verdict: 'dropped',
      reason:
        'cni0 filters VLANs and veth0 (VLANs 100 untagged) has no PVID for an untagged frame: the bridge drops the frame',
    });
  });

  it('reads runs of VLANs as the kernel compresses them: a trunk port with an access PVID in the middle', () => {
    const t = vlanBridge();
    t.ports[1]!.bridgeVlans = [
      { vid: 50, vidEnd: 99, pvid: false, untagged: false },
      { vid: 100, pvid: true, untagged: true },
      { vid: 101, vidEnd: 150, pvid: false, untagged: false },
    ];
    expect(ping(t.b, 'pod0', '10.22.0.3').verdict).toBe('delivered');
    t.ports[1]!.bridgeVlans = [{ vid: 50, vidEnd: 150, pvid: false, untagged: false }];
    expect(ping(t.b, 'pod0', '10.22.0.3').verdict).toBe('dropped');
  });

  it('cannot tell where a port’s VLANs were not collected, or the bridge filters 802.1ad tags', () => {
    const t = vlanBridge();
    delete t.ports[0]!.bridgeVlans;
    expectUnknownStop(ping(t.b, 'pod0', '10.22.0.3'), [
      'the VLANs of veth0 were not collected',
      "carrying the frame's VLAN: it would go on; not: it would be dropped",
    ]);
    const ad = vlanBridge();
    ad.br.kindData = { kind: 'bridge', vlanFiltering: true, vlanProtocol: '802.1ad' };
    expectUnknownStop(ping(ad.b, 'pod0', '10.22.0.3'), [
      'hoplens models 802.1Q filtering only, so whether veth0 lets the frame in cannot be told',
    ]);
  });

  it('ignores VLANs where filtering is off, and in snapshots taken before it was collected', () => {
    const off = vlanBridge();
    off.br.kindData = { kind: 'bridge', vlanFiltering: false };
    off.ports[1]!.bridgeVlans = access(200);
    expect(ping(off.b, 'pod0', '10.22.0.3').verdict).toBe('delivered');
    const old = vlanBridge();
    delete old.br.kindData;
    old.ports[1]!.bridgeVlans = [];
    expect(ping(old.b, 'pod0', '10.22.0.3').verdict).toBe('delivered');
  });
});

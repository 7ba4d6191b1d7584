import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { buildGraph } from './buildGraph.ts';

describe('Open vSwitch in the graph', () => {
  const snap = ovnSeed('port-missing');
  const graph = buildGraph(new SnapshotIndex(snap));
  const brInt = deviceId(snap, OVN.worker, 'br-int');

  it('joins each port to its bridge, and only the ports OVSDB names', () => {
    const ports = graph.edges.flatMap((e) => (e.kind === 'ovs-port' && e.target === brInt ? [e] : []));
    expect(ports.map((e) => [e.source, e.ofport, e.reason]).sort()).toEqual(
      [
        [deviceId(snap, OVN.worker, 'ovn-k8s-mp0'), 1, undefined],
        [deviceId(snap, OVN.worker, 'veth-a'), 2, undefined],
        [deviceId(snap, OVN.worker, 'veth-seed'), 3, undefined],
      ].sort(),
    );
  });

  it('draws the bridge as a switch and names the pod behind each port from its iface-id', () => {
    const ovs = (id: string) => graph.nodes.flatMap((n) => (n.kind === 'interface' && n.id === id ? [n.ovs] : []))[0];
    expect(ovs(brInt)).toMatchObject({ role: 'bridge', datapath: 'netdev' });
    expect(ovs(deviceId(snap, OVN.worker, 'veth-a'))).toEqual({
      role: 'port',
      bridge: 'br-int',
      ofport: 2,
      ifaceId: 'default_a',
      pod: 'default/a',
    });
    expect(ovs(deviceId(snap, OVN.worker, 'veth-b'))).toBeUndefined();
  });
});

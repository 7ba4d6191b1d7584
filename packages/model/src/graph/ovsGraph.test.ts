import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { buildGraph } from './buildGraph.ts';

describe('Open vSwitch in the graph', () => {
  const snap = ovnSeed('port-missing');
  const graph = buildGraph(new SnapshotIndex(snap));
  const brInt = deviceId(snap, OVN.worker, 'br-int');

  it('joins each port to its bridge, and only the ports OVSDB names', () => {
    const ports = graph.edges.filter((e) => e.kind === 'ovs-port' && e.target === brInt);
    expect(ports.map((e) => [e.source, e.label]).sort()).toEqual(
      [
        [deviceId(snap, OVN.worker, 'ovn-k8s-mp0'), 'port 1'],
        [deviceId(snap, OVN.worker, 'veth-a'), 'port 2'],
        [deviceId(snap, OVN.worker, 'veth-seed'), 'port 3'],
      ].sort(),
    );
  });

  it('draws the bridge as a switch and names the pod behind each port from its iface-id', () => {
    const node = (id: string) => graph.nodes.find((n) => n.id === id);
    expect(node(brInt)?.details).toMatchObject({ ovs: 'bridge', datapath: 'netdev' });
    expect(node(deviceId(snap, OVN.worker, 'veth-a'))?.details).toMatchObject({
      ovs: 'port',
      bridge: 'br-int',
      ofport: '2',
      pod: 'default/a',
    });
    expect(node(deviceId(snap, OVN.worker, 'veth-b'))?.details.ovs).toBeUndefined();
  });
});

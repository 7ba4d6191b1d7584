import type { GraphEdge } from '../schema/graph.ts';
import { parseIfaceId } from '../topology/ifaceIdNames.ts';
import { ovsTopology } from '../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';

/**
 * What a device is to Open vSwitch, as graph details: a bridge (drawn as a switch) with its
 * datapath and rule count, or a port with its OpenFlow number and the pod its iface-id names.
 */
export function ovsDetails(index: SnapshotIndex, le: LinkEntry): Record<string, string> {
  const topo = ovsTopology(index);
  const sw = topo.switches.find((s) => s.device === le);
  if (sw) {
    return {
      ovs: 'bridge',
      datapath: sw.bridge.datapathType,
      flows: String(sw.bridge.flowsTotal ?? sw.bridge.flows.length),
    };
  }
  const port = topo.byLink.get(le);
  if (!port) return {};
  const id = port.iface.externalIds['iface-id'];
  const pod = id === undefined ? undefined : parseIfaceId(id);
  return {
    ovs: port.internal ? 'internal-port' : 'port',
    bridge: port.sw.bridge.name,
    ...(port.iface.ofport === undefined ? {} : { ofport: String(port.iface.ofport) }),
    ...(id === undefined ? {} : { ifaceId: id }),
    ...(pod ? { pod: `${pod.namespace}/${pod.name}` } : {}),
  };
}

/** An `ovs-port` edge from each port's device to its bridge's device. */
export function ovsPortEdges(index: SnapshotIndex): Omit<GraphEdge, 'id'>[] {
  const edges: Omit<GraphEdge, 'id'>[] = [];
  for (const sw of ovsTopology(index).switches) {
    if (!sw.device) continue;
    for (const p of sw.ports) {
      if (!p.link || p.link === sw.device) continue;
      edges.push({
        kind: 'ovs-port',
        source: p.link.id,
        target: sw.device.id,
        label: p.iface.ofport === undefined ? '' : `port ${p.iface.ofport}`,
        broken: p.iface.ofport === undefined,
        details: { bridge: sw.bridge.name, ...(p.iface.error === undefined ? {} : { error: p.iface.error }) },
      });
    }
  }
  return edges;
}

import { edgeId } from '../ids.ts';
import type { EdgeOf, OvsFacts } from '../schema/graph.ts';
import { parseIfaceId } from '../topology/ifaceIdNames.ts';
import { ovsTopology, type OvsTopology } from '../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';

/**
 * What a device is to Open vSwitch: a bridge (drawn as a switch) with its datapath and rule count,
 * or a port with its OpenFlow number and the pod its iface-id names. Undefined for other devices.
 * `topo` is the snapshot's `ovsTopology`, asked once by the caller: the graph asks this of 10⁵ devices.
 */
export function ovsFacts(topo: OvsTopology, le: LinkEntry): OvsFacts | undefined {
  // Most clusters have no Open vSwitch: no hashing of 10⁵ devices then. With it, one switch per node,
  // so a lookup, not a scan of every switch for each device.
  if (topo.byLink.size === 0 && topo.byDevice.size === 0) return undefined;
  const sw = topo.byDevice.get(le);
  if (sw) {
    return { role: 'bridge', datapath: sw.bridge.datapathType, flows: sw.bridge.flowsTotal ?? sw.bridge.flows.length };
  }
  const port = topo.byLink.get(le);
  if (!port) return undefined;
  const id = port.iface.externalIds['iface-id'];
  const pod = id === undefined ? undefined : parseIfaceId(id);
  return {
    role: port.internal ? 'internal-port' : 'port',
    bridge: port.sw.bridge.name,
    ...(port.iface.ofport === undefined ? {} : { ofport: port.iface.ofport }),
    ...(id === undefined ? {} : { ifaceId: id }),
    ...(pod ? { pod: `${pod.namespace}/${pod.name}` } : {}),
  };
}

/** An `ovs-port` edge from each port's device to its bridge's device; broken where OVS gave it no OpenFlow port. */
export function ovsPortEdges(index: SnapshotIndex): EdgeOf<'ovs-port'>[] {
  const edges: EdgeOf<'ovs-port'>[] = [];
  for (const sw of ovsTopology(index).switches) {
    if (!sw.device) continue;
    for (const p of sw.ports) {
      if (!p.link || p.link === sw.device) continue;
      const { ofport, error } = p.iface;
      const reason = ofport === undefined ? (error ?? 'Open vSwitch gave it no OpenFlow port') : undefined;
      edges.push({
        id: edgeId('ovs-port', p.link.id, sw.device.id),
        kind: 'ovs-port',
        source: p.link.id,
        target: sw.device.id,
        bridge: sw.bridge.name,
        ...(ofport === undefined ? {} : { ofport }),
        ...(reason === undefined ? {} : { reason }),
      });
    }
  }
  return edges;
}

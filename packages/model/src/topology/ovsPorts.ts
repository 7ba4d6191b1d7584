import type { HostInventory } from '../schema/inventory.ts';
import type { OvsBridge, OvsInterface, OvsInventory, OvsTraceAnswer } from '../schema/ovs.ts';
import { ovsQueryKey } from '../ovs/ovsFlow.ts';
import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** An interface of an Open vSwitch bridge, with the device it is on the host (where collected). */
export interface OvsPortEntry {
  readonly sw: OvsSwitch;
  readonly iface: OvsInterface;
  /** The device, in the host's root namespace where ovs-vswitchd runs; undefined when not there. */
  readonly link: LinkEntry | undefined;
  /** A port whose device the switch itself made (`internal`): what it outputs there, the host's stack receives. */
  readonly internal: boolean;
}

/** One bridge of a host's switch. */
export interface OvsSwitch {
  readonly host: HostInventory;
  readonly ovs: OvsInventory;
  readonly bridge: OvsBridge;
  readonly ports: readonly OvsPortEntry[];
  readonly byDpPort: ReadonlyMap<number, OvsPortEntry>;
  /** The bridge's own internal port's device (`br-int`), where collected. */
  readonly device: LinkEntry | undefined;
}

/** Every switch of a snapshot, and the lookups the tracer, the graph and the rules make. */
export interface OvsTopology {
  readonly switches: readonly OvsSwitch[];
  /** The OVS port a device is, by its entry. */
  readonly byLink: ReadonlyMap<LinkEntry, OvsPortEntry>;
  /** The switch whose own internal port a device is (the first, should two claim it). */
  readonly byDevice: ReadonlyMap<LinkEntry, OvsSwitch>;
  /** Recorded ofproto/trace answers, by ovsQueryKey. */
  readonly answers: ReadonlyMap<string, OvsTraceAnswer>;
}

/** Open vSwitch bridges and ports, resolved to devices; built once per snapshot. */
export function ovsTopology(index: SnapshotIndex): OvsTopology {
  return index.derive(collectOvsTopology);
}

function collectOvsTopology(index: SnapshotIndex): OvsTopology {
  const switches: OvsSwitch[] = [];
  const byLink = new Map<LinkEntry, OvsPortEntry>();
  const byDevice = new Map<LinkEntry, OvsSwitch>();
  const answers = new Map<string, OvsTraceAnswer>();
  for (const host of index.snapshot.hosts) {
    const ovs = host.ovs;
    if (!ovs) continue;
    const root = index.rootOf(host.name);
    for (const a of ovs.traces) answers.set(ovsQueryKey({ host: host.name, ...a }), a);
    for (const bridge of ovs.bridges) {
      const ports: OvsPortEntry[] = [];
      const byDpPort = new Map<number, OvsPortEntry>();
      const sw = { host, ovs, bridge, ports, byDpPort, device: undefined as LinkEntry | undefined };
      for (const port of bridge.ports) {
        for (const iface of port.interfaces) {
          const link = root?.linksByName.get(iface.name);
          const entry: OvsPortEntry = { sw, iface, link, internal: iface.type === 'internal' };
          ports.push(entry);
          if (iface.dpPort !== undefined) byDpPort.set(iface.dpPort, entry);
          if (link) byLink.set(link, entry);
        }
      }
      sw.device = ports.find((p) => p.internal && p.iface.name === bridge.name)?.link;
      if (sw.device && !byDevice.has(sw.device)) byDevice.set(sw.device, sw);
      switches.push(sw);
    }
  }
  return { switches, byLink, byDevice, answers };
}

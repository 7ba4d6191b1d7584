import { memo } from '../util/memo.ts';
import { hasGlobalAddress } from '../rules/linkFacts.ts';
import { ovsTopology, type OvsSwitch } from './ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';
import { vethPairs } from './vethPairs.ts';

/** The host side of a pod's veth that should be a port of its node's pod switch, and is not. */
export interface UnpluggedOvsPort {
  /** The end in the host's root namespace, attached to nothing. */
  readonly host: LinkEntry;
  /** The pod's end, with its address. */
  readonly pod: LinkEntry;
  /** The node's Open vSwitch bridge its pods hang off. */
  readonly sw: OvsSwitch;
}

const cache = new WeakMap<SnapshotIndex, readonly UnpluggedOvsPort[]>();

/**
 * On a node whose pods hang off an Open vSwitch bridge (its ports carry OVN-K's `iface-id`), the
 * pods' host-side veths that are not ports of it and that nothing else reaches (no kernel bridge,
 * no address or route of their own): the pod behind each is cut off. A userspace-datapath switch
 * some of whose OVSDB rows could not be read is not judged. Computed once per snapshot.
 */
export function unpluggedOvsPorts(index: SnapshotIndex): readonly UnpluggedOvsPort[] {
  return memo(cache, index, () => find(index));
}

const podPorts = (sw: OvsSwitch): number =>
  sw.ports.filter((p) => !p.internal && p.iface.externalIds['iface-id'] !== undefined).length;

function find(index: SnapshotIndex): UnpluggedOvsPort[] {
  const topo = ovsTopology(index);
  const podSwitch = new Map<string, OvsSwitch>();
  for (const sw of topo.switches) {
    const best = podSwitch.get(sw.host.name);
    if (podPorts(sw) > 0 && (best === undefined || podPorts(sw) > podPorts(best))) podSwitch.set(sw.host.name, sw);
  }
  const found: UnpluggedOvsPort[] = [];
  if (podSwitch.size === 0) return found;
  for (const { a, b } of vethPairs(index).pairs) {
    // The host side of a pod is the end in the host's root namespace, without an address of its own.
    const [host, pod] = a.netns.ns.root ? [a, b] : [b, a];
    const sw = podSwitch.get(host.ref.host);
    if (!sw || !host.netns.ns.root || pod.netns === host.netns || pod.ref.host !== host.ref.host) continue;
    // On the userspace datapath a port shows no master: only OVSDB says what is one, and a row it
    // could not read may be this port's. (On the kernel datapath the missing master says it.)
    if (sw.bridge.datapathType === 'netdev' && host.netns.host.ovs?.unreadRows !== undefined) continue;
    if (topo.byLink.has(host) || host.link.masterIfindex !== undefined) continue;
    if (hasGlobalAddress(host) || !hasGlobalAddress(pod)) continue;
    if (host.netns.ns.routes.some((r) => r.dev === host.link.name && r.family !== 'inet6')) continue;
    found.push({ host, pod, sw });
  }
  return found;
}

import { parseIp, parsePrefix, prefixContains } from '../net/ip.ts';
import type { NetnsEntry, SnapshotIndex } from './snapshotIndex.ts';

/** Where a pod's default route must point: the gateway address and the pod's device. */
export interface PodGateway {
  readonly gateway: string;
  readonly dev: string;
}

/**
 * The gateway a pod's default route must use, read off the topology: the address, in the subnet of
 * the pod's own address, that the namespace across the pod's veth holds on that veth or on the
 * bridge it is a port of, where that namespace forwards — what a bridge or ptp CNI configures. For a
 * pod VM's pod namespace, the default route cloud-api-adaptor intended (apf.json). Undefined unless
 * exactly one address qualifies: a fix must not guess.
 */
export function podGateway(index: SnapshotIndex, ns: NetnsEntry, podIp: string): PodGateway | undefined {
  const own = ns.ns.addresses.find((a) => a.address === podIp);
  const le = own && ns.linksByIndex.get(own.ifindex);
  if (!own || !le) return undefined;
  const intent = ns.host.peerPod;
  if (intent && (intent.interface ?? 'vxlan0') === le.link.name) {
    const route = intent.routes.find((r) => (r.dst === '0.0.0.0/0' || r.dst === 'default') && r.gateway);
    return route?.gateway ? { gateway: route.gateway, dev: route.dev ?? le.link.name } : undefined;
  }
  const ip = parseIp(podIp);
  const subnet = ip && parsePrefix(`${podIp}/${own.prefixlen}`, ip.family);
  const peer = le.link.peer && index.link(le.link.peer);
  if (!ip || !subnet || !peer || peer.netns.ns.ipForward !== true) return undefined;
  const master =
    peer.link.masterIfindex === undefined ? undefined : peer.netns.linksByIndex.get(peer.link.masterIfindex);
  const holders = new Set([peer.link.ifindex, ...(master?.link.kind === 'bridge' ? [master.link.ifindex] : [])]);
  const candidates = peer.netns.ns.addresses.filter((a) => {
    const v = holders.has(a.ifindex) && a.scope === 'global' ? parseIp(a.address) : undefined;
    return v !== undefined && v.family === ip.family && prefixContains(subnet, v);
  });
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return only ? { gateway: only.address, dev: le.link.name } : undefined;
}

import type { HostInventory } from '../schema/inventory.ts';

/** A pod's Kubernetes name as the CNI recorded it on its switch port. */
export interface IfaceIdName {
  readonly namespace: string;
  readonly name: string;
  /** The `iface-id` it was read from. */
  readonly ifaceId: string;
}

/** `<namespace>_<pod>`: a Kubernetes namespace is a DNS label, so the first `_` ends it. */
const IFACE_ID = /^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)_([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)$/;

/** Splits an OVN-Kubernetes `iface-id` into the pod's namespace and name; undefined for any other id. */
export function parseIfaceId(ifaceId: string): IfaceIdName | undefined {
  const m = IFACE_ID.exec(ifaceId);
  return m ? { namespace: m[1] ?? '', name: m[2] ?? '', ifaceId } : undefined;
}

/**
 * The pods a host's Open vSwitch names, by the namespace behind each port: OVN-Kubernetes sets
 * `external_ids:iface-id=<namespace>_<pod>` on the host side of a pod's veth, so the Kubernetes
 * name is known without asking Kubernetes. A port OVN has not bound (`ovn-installed` missing where
 * the host's other ports have it) names nothing: its iface-id may well be wrong.
 */
export function ifaceIdNames(host: HostInventory): Map<string | null, IfaceIdName> {
  const out = new Map<string | null, IfaceIdName>();
  const ovs = host.ovs;
  const root = host.namespaces.find((ns) => ns.root);
  if (!ovs || !root) return out;
  const ifaces = ovs.bridges.flatMap((b) => b.ports.flatMap((p) => p.interfaces));
  const ovnHost = ifaces.some((i) => i.externalIds['ovn-installed'] === 'true');
  for (const iface of ifaces) {
    const id = iface.externalIds['iface-id'];
    if (iface.type !== '' || id === undefined) continue;
    if (ovnHost && iface.externalIds['ovn-installed'] !== 'true') continue;
    const named = parseIfaceId(id);
    const peer = root.links.find((l) => l.name === iface.name)?.peer;
    if (named && peer && peer.host === host.name && peer.netns !== root.name) out.set(peer.netns, named);
  }
  return out;
}

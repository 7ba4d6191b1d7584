import { parseIp } from '../net/ip.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { Pod } from '../schema/snapshot.ts';
import type { HostInventory } from '../schema/inventory.ts';
import { ifaceIdNames } from './ifaceIdNames.ts';

/**
 * Infers pods when Kubernetes names none: each non-root netns with a global address is a pod,
 * and namespaces on different hosts sharing that address are one peer pod (worker side and pod VM).
 * The pod takes the Kubernetes name its switch port records (OVN-K's `iface-id`), where there is
 * one; otherwise it is named after its namespace on a node, where the CNI created it, and with no
 * Kubernetes namespace to go by its namespace is that node, which keeps `namespace/name` unique.
 */
export function inferPods(hosts: readonly HostInventory[]): Pod[] {
  const byIp = new Map<string, { ref: NetnsRef; kind: HostInventory['kind'] }[]>();
  for (const host of hosts) {
    for (const ns of host.namespaces) {
      if (ns.root) continue;
      const loopbacks = new Set(ns.links.filter((l) => l.kind === 'loopback').map((l) => l.ifindex));
      for (const a of ns.addresses) {
        if (a.scope !== 'global' || loopbacks.has(a.ifindex) || !parseIp(a.address)) continue;
        const list = byIp.get(a.address) ?? [];
        if (!list.some((e) => e.ref.host === host.name && e.ref.netns === ns.name)) {
          list.push({ ref: { host: host.name, netns: ns.name }, kind: host.kind });
        }
        byIp.set(a.address, list);
      }
    }
  }
  const named = new Map(hosts.map((h) => [h.name, ifaceIdNames(h)]));
  const pods = new Map<string, Pod>();
  for (const [ip, holders] of byIp) {
    const sorted = [...holders].sort((a, b) => rank(a.kind) - rank(b.kind));
    const main = sorted[0];
    if (!main) continue;
    const port = named.get(main.ref.host)?.get(main.ref.netns);
    const name = port?.name ?? main.ref.netns ?? main.ref.host;
    const key = port ? `port:${port.namespace}/${port.name}` : `ns:${main.ref.host}/${name}`;
    const existing = pods.get(key);
    if (existing) {
      existing.ips.push(ip);
      continue;
    }
    pods.set(key, {
      name,
      namespace: port?.namespace ?? main.ref.host,
      ips: [ip],
      netns: sorted.map((h) => h.ref),
      ...(main.kind === 'node' ? { node: main.ref.host } : {}),
      inferred: true,
    });
  }
  return [...pods.values()];
}

const rank = (kind: HostInventory['kind']): number => (kind === 'node' ? 0 : kind === 'pod-vm' ? 1 : 2);

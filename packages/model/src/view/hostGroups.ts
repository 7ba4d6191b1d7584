import type { Graph } from '../schema/graph.ts';
import type { HostGroup } from '../schema/view.ts';
import { nodeHosts } from './nodeHosts.ts';

/**
 * Hosts grouped for the overview: a pod VM whose working tunnels all lead to one node joins that
 * node's group (it is that node's peer pod); every other host is a group of its own. Groups come in
 * graph order, leaders first, so the same snapshot always gives the same overview.
 */
export function hostGroups(
  graph: Graph,
  hostOf: ReadonlyMap<string, readonly string[]> = nodeHosts(graph),
): Omit<HostGroup, 'slot' | 'expanded' | 'summary'>[] {
  const hosts = graph.nodes.filter((n) => n.kind === 'host');
  const kindOf = new Map(hosts.map((h) => [h.id, h.hostKind]));
  const nodesOfVm = new Map<string, Set<string>>();
  for (const e of graph.edges) {
    if (e.kind !== 'vxlan-tunnel' || e.reason !== undefined) continue;
    const a = hostOf.get(e.source)?.[0];
    const b = hostOf.get(e.target)?.[0];
    if (a === undefined || b === undefined) continue;
    for (const [vm, node] of [
      [a, b],
      [b, a],
    ] as const) {
      if (kindOf.get(vm) !== 'pod-vm' || kindOf.get(node) !== 'node') continue;
      const set = nodesOfVm.get(vm) ?? new Set<string>();
      set.add(node);
      nodesOfVm.set(vm, set);
    }
  }
  const members = new Map<string, string[]>();
  const joined = new Set<string>();
  for (const [vm, nodes] of nodesOfVm) {
    if (nodes.size !== 1) continue;
    const [node] = nodes;
    if (node === undefined) continue;
    members.set(node, [...(members.get(node) ?? []), vm]);
    joined.add(vm);
  }
  const labelOf = new Map(hosts.map((h) => [h.id, h.label]));
  return hosts
    .filter((h) => !joined.has(h.id))
    .map((h) => {
      const vms = (members.get(h.id) ?? []).sort((x, y) => (labelOf.get(x) ?? x).localeCompare(labelOf.get(y) ?? y));
      const more = vms.length === 0 ? '' : ` +${vms.length} pod VM${vms.length > 1 ? 's' : ''}`;
      return { id: h.id, label: `${h.label}${more}`, hosts: [h.id, ...vms] };
    });
}

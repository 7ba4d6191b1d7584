import type { ElementDefinition } from 'cytoscape';
import type { Finding, Graph, InterfaceNode } from '@hoplens/model';

/**
 * Rules whose first two subjects are two interfaces that must have one MAC and do not: the pod's eth0
 * on the worker and the pod VM's tunnel end.
 */
const MAC_PAIR_RULES: ReadonlySet<string> = new Set(['mac-mismatch-across-tunnel']);

const PREFIX = 'mismatch:';
/** Id of the link drawn between a mismatched pair. */
export const mismatchLinkId = (a: string, b: string): string => `${PREFIX}${a}>${b}`;
/** True for the id of a link between a mismatched pair. */
export const isMismatchLink = (id: string): boolean => id.startsWith(PREFIX);

/**
 * A link between the two interfaces of each MAC mismatch both drawn, labelled with both MACs side
 * by side, so the pair reads at a glance wherever the two ends sit on the graph.
 */
export function mismatchLinks(graph: Graph, findings: readonly Finding[]): ElementDefinition[] {
  const interfaces = new Map<string, InterfaceNode>();
  for (const n of graph.nodes) if (n.kind === 'interface') interfaces.set(n.id, n);
  const out = new Map<string, ElementDefinition>();
  for (const f of findings) {
    if (!MAC_PAIR_RULES.has(f.rule)) continue;
    const [a, b] = [interfaces.get(f.subjects[0] ?? ''), interfaces.get(f.subjects[1] ?? '')];
    if (!a?.mac || !b?.mac) continue;
    const id = mismatchLinkId(a.id, b.id);
    out.set(id, {
      group: 'edges',
      data: { id, source: a.id, target: b.id, label: `${a.mac} ≠ ${b.mac}`, kind: 'mismatch', weight: 1 },
      classes: 'mismatch',
    });
  }
  return [...out.values()];
}

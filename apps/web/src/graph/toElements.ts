import type { ElementDefinition } from 'cytoscape';
import {
  isBrokenEdge,
  nodeParent,
  worse,
  worstByElement,
  type Finding,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Severity,
} from '@hoplens/model';
import { edgeLabel, nodeLabel } from './elementLabels.ts';
import type { Position } from './layoutPositions.ts';
import { mismatchLinks } from './mismatchLinks.ts';

/** Classes that say what a node is; the stylesheet draws by them. */
function nodeClasses(n: GraphNode): string[] {
  switch (n.kind) {
    case 'host':
      return ['host', `host-${n.hostKind}`, ...(n.collapsed ? ['collapsed'] : [])];
    case 'interface':
      // An Open vSwitch bridge is drawn as a switch: its kernel device's state says nothing of
      // whether the userspace datapath switches frames.
      if (n.ovs?.role === 'bridge') return ['interface', 'ovs-bridge'];
      // Admin down or without carrier: either way no frame passes, and both are drawn grey.
      return ['interface', ...(n.state === 'up' ? [] : ['down'])];
    case 'netns':
    case 'pod':
    case 'remote':
      return [n.kind];
  }
}

/** Classes of an edge: its kind (a summed edge also the kind it sums), broken, with a finding. */
function edgeClasses(e: GraphEdge, severity: ReadonlyMap<string, Severity>): string[] {
  const summed = e.kind === 'summed';
  return [
    summed ? e.of : e.kind,
    ...(summed ? ['summed'] : []),
    ...(isBrokenEdge(e) ? ['broken'] : []),
    ...(e.kind === 'vxlan-tunnel' && e.untold !== undefined ? ['untold'] : []),
    ...(severity.has(e.id) || (summed && e.severity) ? ['finding'] : []),
  ];
}

/**
 * Cytoscape elements from the model's graph: compound parents, a label with the MAC under each
 * interface name, classes by kind, severity of findings and broken edges, and a link between the two
 * ends of each MAC mismatch. Pure, so it is tested without a browser.
 */
export function toElements(
  graph: Graph,
  findings: readonly Finding[],
  positions: ReadonlyMap<string, Position>,
): ElementDefinition[] {
  const severity = worstByElement(findings);
  const nodes: ElementDefinition[] = graph.nodes.map((n) => {
    // A collapsed group box carries the worst finding of everything folded into it.
    const sev = worse(severity.get(n.id), n.kind === 'host' ? n.collapsed?.severity : undefined);
    const parent = nodeParent(n);
    const position = positions.get(n.id);
    return {
      group: 'nodes',
      data: { id: n.id, label: nodeLabel(n), kind: n.kind, ...(parent === undefined ? {} : { parent }) },
      classes: [...nodeClasses(n), ...(sev ? ['finding', `finding-${sev}`] : [])].join(' '),
      ...(position ? { position: { ...position } } : {}),
    };
  });
  const edges: ElementDefinition[] = graph.edges.map((e) => ({
    group: 'edges',
    data: {
      id: e.id,
      source: e.source,
      target: e.target,
      label: edgeLabel(e),
      kind: e.kind,
      weight: e.kind === 'summed' ? e.count : 1,
    },
    classes: edgeClasses(e, severity).join(' '),
  }));
  return [...nodes, ...edges, ...mismatchLinks(graph, findings)];
}

import type { ElementDefinition } from 'cytoscape';
import type { Finding, Graph, Severity } from '@hoplens/model';
import { layoutPositions } from './layoutPositions.ts';

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2, fatal: 3 };

/** The most severe finding per graph element. */
export function severityByElement(findings: readonly Finding[]): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const f of findings) {
    for (const id of f.subjects) {
      const had = out.get(id);
      if (!had || RANK[f.severity] > RANK[had]) out.set(id, f.severity);
    }
  }
  return out;
}

/**
 * Cytoscape elements from the model's graph: compound parents, a label with the MAC under each
 * interface name, classes by kind, severity of findings and broken edges. Pure, so it is tested
 * without a browser.
 */
export function toElements(graph: Graph, findings: readonly Finding[]): ElementDefinition[] {
  const positions = layoutPositions(graph);
  const severity = severityByElement(findings);
  const nodes: ElementDefinition[] = graph.nodes.map((n) => {
    const sev = severity.get(n.id);
    const label = n.kind === 'interface' && n.details.mac ? `${n.label}\n${n.details.mac}` : n.label;
    const classes = [
      n.kind,
      n.details.kind === 'unknown' ? 'unknown' : '',
      n.details.state === 'down' ? 'down' : '',
      sev ? `finding finding-${sev}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const position = positions.get(n.id);
    return {
      group: 'nodes',
      data: { id: n.id, label, kind: n.kind, ...(n.parent ? { parent: n.parent } : {}) },
      classes,
      ...(position ? { position: { ...position } } : {}),
    };
  });
  const edges: ElementDefinition[] = graph.edges.map((e) => ({
    group: 'edges',
    data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind },
    classes: [e.kind, e.broken ? 'broken' : '', severity.has(e.id) ? 'finding' : ''].filter(Boolean).join(' '),
  }));
  return [...nodes, ...edges];
}

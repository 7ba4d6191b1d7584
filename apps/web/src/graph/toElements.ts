import type { ElementDefinition } from 'cytoscape';
import { SeveritySchema, worse, worstByElement, type Finding, type Graph, type Severity } from '@hoplens/model';
import Value from 'typebox/value';
import type { Position } from './layoutPositions.ts';

/** Glyphs before a host's name, one per host kind, as the legend shows them. */
export const HOST_ICONS: Readonly<Record<string, string>> = { node: '▣', 'pod-vm': '◈', other: '○', unknown: '?' };

const severityOf = (s: string | undefined): Severity | undefined => (Value.Check(SeveritySchema, s) ? s : undefined);

function nodeLabel(n: Graph['nodes'][number]): string {
  if (n.kind === 'interface' && n.details.mac) return `${n.label}\n${n.details.mac}`;
  if (n.kind !== 'host') return n.label;
  const icon = HOST_ICONS[n.details.kind ?? ''] ?? '';
  if (n.details.collapsed !== 'true') return `${icon} ${n.label}`;
  const findings = Number(n.details.findings ?? 0);
  const tunnels = Number(n.details.tunnels ?? 0);
  const counts = [`${n.details.pods ?? 0} pods`, `${n.details.interfaces ?? 0} ifs`];
  if (tunnels) counts.push(`${tunnels} tunnel${tunnels > 1 ? 's' : ''}`);
  if (findings) counts.push(`${findings} ⚠`);
  return `${icon} ${n.label}\n${counts.join(' · ')}`;
}

/**
 * Cytoscape elements from the model's graph: compound parents, a label with the MAC under each
 * interface name, classes by kind, severity of findings and broken edges. Pure, so it is tested
 * without a browser.
 */
export function toElements(
  graph: Graph,
  findings: readonly Finding[],
  positions: ReadonlyMap<string, Position>,
): ElementDefinition[] {
  const severity = worstByElement(findings);
  const nodes: ElementDefinition[] = graph.nodes.map((n) => {
    // A collapsed group box carries the worst finding of everything folded into it.
    const sev = worse(severity.get(n.id), severityOf(n.details.severity));
    const label = nodeLabel(n);
    const classes = [
      n.kind,
      n.kind === 'host' ? `host-${n.details.kind ?? 'other'}` : '',
      n.details.collapsed === 'true' ? 'collapsed' : '',
      n.details.kind === 'unknown' ? 'unknown' : '',
      // Admin down or without carrier: either way no frame passes, and both are drawn grey.
      n.details.state === 'down' || n.details.state === 'no-carrier' ? 'down' : '',
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
    data: {
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.label,
      kind: e.kind,
      weight: Number(e.details.count ?? 1),
    },
    classes: [
      e.kind,
      e.broken ? 'broken' : '',
      severity.has(e.id) || e.details.severity ? 'finding' : '',
      e.id.startsWith('sum:') ? 'summed' : '',
    ]
      .filter(Boolean)
      .join(' '),
  }));
  return [...nodes, ...edges];
}

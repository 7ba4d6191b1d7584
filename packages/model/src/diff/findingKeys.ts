import type { Finding } from '../schema/finding.ts';
import type { Analysis } from '../snapshot/analyze.ts';

/**
 * Findings by identity: the rule and the names of what it concerns. Interface ids carry the ifindex,
 * which changes when a device is made again, so an interface counts by its netns and name. The same
 * key in two snapshots is the same finding: compare and the timeline both match by it. Only the
 * findings' subjects are named: naming every node of a 5,000-node graph cost each import ~0.9 s.
 */
export function findingKeys(side: Analysis): Map<string, Finding> {
  const subjects = new Set<string>();
  for (const f of side.findings) for (const s of f.subjects) subjects.add(s);
  const names = new Map<string, string>();
  if (subjects.size > 0)
    for (const n of side.graph.nodes)
      if (subjects.has(n.id)) names.set(n.id, n.kind === 'interface' ? `${n.parent}/${n.label}` : n.id);
  const out = new Map<string, Finding>();
  for (const f of side.findings) {
    const key = `${f.rule}\0${f.subjects
      .map((s) => names.get(s) ?? s)
      .sort()
      .join('\0')}`;
    if (!out.has(key)) out.set(key, f);
  }
  return out;
}

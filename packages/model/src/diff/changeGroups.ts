import type { Finding } from '../schema/finding.ts';
import type { Change, SnapshotDiff } from '../schema/diff.ts';

/** A comparison's changes read by what they mean. */
export interface ChangeGroups {
  /** Changes to read: everything but the rebuild's new random MACs. */
  readonly changes: readonly Change[];
  /**
   * New random MACs of devices deleted and created again (a lab rebuild), where nothing else of the
   * device changed, and the neighbour entries that only follow them. Grouped apart, not dropped: one
   * a finding concerns always stays in `changes`.
   */
  readonly remacs: readonly Change[];
}

const lladdr = (s: string | undefined): string | undefined => /^lladdr (\S+)$/.exec(s ?? '')?.[1];

/** Splits the MAC re-randomisation of a rebuild from the changes that matter. */
export function groupChanges(diff: SnapshotDiff): ChangeGroups {
  const concerned = new Set([...diff.findings.resolved, ...diff.findings.added].flatMap((f) => f.subjects));
  const onlyMac = new Map<string, number>();
  for (const c of diff.changes)
    if (c.what === 'interface' && c.change === 'changed' && c.element)
      onlyMac.set(c.element, (onlyMac.get(c.element) ?? 0) + (c.field === 'mac' ? 0 : 1));
  const isRemac = (c: Change): boolean =>
    c.what === 'interface' &&
    c.field === 'mac' &&
    c.recreated === true &&
    c.element !== undefined &&
    onlyMac.get(c.element) === 0 &&
    !concerned.has(c.element);
  const remacs = diff.changes.filter(isRemac);
  const renamed = new Map(remacs.map((c) => [c.before ?? '', c.after ?? '']));
  const follows = (c: Change): boolean => {
    const [a, b] = [lladdr(c.before), lladdr(c.after)];
    return c.what === 'neighbor' && c.change === 'changed' && a !== undefined && renamed.get(a) === b;
  };
  return {
    changes: diff.changes.filter((c) => !isRemac(c) && !follows(c)),
    remacs: diff.changes.filter((c) => isRemac(c) || follows(c)),
  };
}

/** The changes behind a finding that appeared or went away: those on what it concerns. */
export function changesBehind(finding: Finding, changes: readonly Change[]): Change[] {
  const subjects = new Set(finding.subjects);
  return changes.filter((c) => c.element !== undefined && subjects.has(c.element));
}

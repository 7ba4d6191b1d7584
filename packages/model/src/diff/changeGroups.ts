import type { Finding } from '../schema/finding.ts';
import type { Change, SnapshotDiff } from '../schema/diff.ts';
import { ChangesByElement } from './changesByElement.ts';

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

/**
 * The changes behind a finding that appeared or went away: those on what it concerns, in the
 * comparison's order. Asked about many findings, give the changes indexed once.
 */
export function changesBehind(finding: Finding, changes: readonly Change[] | ChangesByElement): Change[] {
  return (changes instanceof ChangesByElement ? changes : new ChangesByElement(changes)).on(finding.subjects);
}

/** The words and values a finding states (message and evidence), as tokens, lower case. */
function statedTokens(finding: Finding): Set<string> {
  const text = [finding.message, ...Object.values(finding.evidence)].join(' ').toLowerCase();
  return new Set(text.split(/[\s,;()]+/).map((t) => t.replace(/[.:]+$/, '')));
}

/**
 * The changes behind a finding split by whether they touch a value the finding states: `named` moved
 * a value its message or evidence quotes (the MAC that mismatched, the state that was down), so
 * it is what resolved or raised it; `alongside` only happened on an element it concerns (a rebuilt
 * device's new random MAC on the same tunnel), and is not claimed as a cause.
 */
export function changesNamedBy(
  finding: Finding,
  changes: readonly Change[] | ChangesByElement,
): { readonly named: Change[]; readonly alongside: Change[] } {
  const stated = statedTokens(finding);
  const quotes = (v: string | undefined): boolean => v !== undefined && v !== '' && stated.has(v.toLowerCase());
  const behind = changesBehind(finding, changes);
  const named = behind.filter((c) => quotes(c.before) || quotes(c.after));
  const isNamed = new Set(named);
  return { named, alongside: behind.filter((c) => !isNamed.has(c)) };
}

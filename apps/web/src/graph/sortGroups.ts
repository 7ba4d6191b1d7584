import { SEVERITY_RANK, type HostGroup } from '@hoplens/model';

/** What the problem list sorts by: problems first (the default), the group's name, or its pods. */
export type GroupSort = 'problems' | 'group' | 'pods';

const byName = new Intl.Collator('en', { numeric: true }).compare;
const rank = (g: HostGroup): number => (g.summary.severity ? SEVERITY_RANK[g.summary.severity] + 1 : 0);

const COMPARE: Record<GroupSort, (a: HostGroup, b: HostGroup) => number> = {
  // The worst severity, then the most findings, then the most pods concerned; ties by name.
  problems: (a, b) =>
    rank(b) - rank(a) ||
    b.summary.findings - a.summary.findings ||
    b.summary.pods - a.summary.pods ||
    byName(a.label, b.label),
  // node-2 before node-10.
  group: (a, b) => byName(a.label, b.label),
  pods: (a, b) => b.summary.pods - a.summary.pods || byName(a.label, b.label),
};

/** The groups in the order asked, only those with findings when `onlyProblems`. */
export function sortGroups(groups: readonly HostGroup[], sort: GroupSort, onlyProblems: boolean): HostGroup[] {
  const kept = onlyProblems ? groups.filter((g) => g.summary.findings > 0) : [...groups];
  return kept.sort(COMPARE[sort]);
}

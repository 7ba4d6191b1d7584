import type { Change } from '@hoplens/model';

/** The order the comparison lists kinds of change in. */
export const WHAT_ORDER: readonly Change['what'][] = ['host', 'netns', 'interface', 'tc', 'route', 'neighbor'];
const CHANGE_ORDER: readonly Change['change'][] = ['added', 'removed', 'changed'];

/** One kind of change counted: "interface: 10 added, 40,212 changed". */
export interface KindCount {
  readonly what: Change['what'];
  readonly count: number;
  readonly text: string;
}

/**
 * A long list of changes counted by what changed (in the list's order of kinds), then how (added,
 * removed, changed), so that a comparison of two clusters reads at once; only kinds there are.
 */
export function countsByKind(changes: readonly Change[]): KindCount[] {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(`${c.what} ${c.change}`, (counts.get(`${c.what} ${c.change}`) ?? 0) + 1);
  return WHAT_ORDER.flatMap((what) => {
    let count = 0;
    const parts = CHANGE_ORDER.flatMap((change) => {
      const n = counts.get(`${what} ${change}`);
      if (n === undefined) return [];
      count += n;
      return [`${n.toLocaleString('en-US')} ${change}`];
    });
    return parts.length === 0 ? [] : [{ what, count, text: `${what}: ${parts.join(', ')}` }];
  });
}

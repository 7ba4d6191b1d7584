import type { Change } from '@hoplens/model';

/** The order the comparison lists kinds of change in. */
export const WHAT_ORDER: readonly Change['what'][] = ['host', 'netns', 'interface', 'tc', 'route', 'neighbor'];
const CHANGE_ORDER: readonly Change['change'][] = ['added', 'removed', 'changed'];

/**
 * "interface: 10 added, 40,212 changed · route: 12,000 added": a long list of changes counted by what
 * changed (in the list's order of kinds), then how (added, removed, changed), so that a comparison
 * of two clusters reads at once.
 */
export function changeCounts(changes: readonly Change[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(`${c.what} ${c.change}`, (counts.get(`${c.what} ${c.change}`) ?? 0) + 1);
  return WHAT_ORDER.flatMap((what) => {
    const parts = CHANGE_ORDER.flatMap((change) => {
      const n = counts.get(`${what} ${change}`);
      return n === undefined ? [] : [`${n.toLocaleString('en-US')} ${change}`];
    });
    return parts.length === 0 ? [] : [`${what}: ${parts.join(', ')}`];
  }).join(' · ');
}

import type { DisclosedGraph } from '@hoplens/model';

/** Host groups a view may hold expanded at once: enough to follow a path across a few nodes. */
export const MAX_OPEN_GROUPS = 8;

/** Which group holds each host of a view. */
export function groupOfHost(view: DisclosedGraph): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of view.groups) for (const h of g.hosts) out.set(h, g.id);
  return out;
}

/**
 * The expand list with `add` opened: new groups go last, already open ones stay, and past
 * MAX_OPEN_GROUPS the longest open close, never one just asked for.
 */
export function withExpanded(current: readonly string[], add: readonly string[]): string[] {
  const adding = add.filter((g, i) => !current.includes(g) && add.indexOf(g) === i);
  if (adding.length === 0) return [...current];
  const next = [...current, ...adding];
  return next.slice(Math.max(0, next.length - Math.max(MAX_OPEN_GROUPS, adding.length)));
}

/**
 * The groups `next` closed to make room for others it opened (past MAX_OPEN_GROUPS): none when it
 * only closed some (the user's ×) or only opened some.
 */
export function closedForRoom(prev: readonly string[], next: readonly string[]): string[] {
  const opened = next.some((g) => !prev.includes(g));
  return opened ? prev.filter((g) => !next.includes(g)) : [];
}

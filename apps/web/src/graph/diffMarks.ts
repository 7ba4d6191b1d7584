import type { SnapshotDiff } from '@hoplens/model';
import type { DiffMark } from './highlight.ts';

const STRENGTH: Record<DiffMark, number> = { removed: 0, added: 1, changed: 2 };

/**
 * Marks for the drawn graph from a diff: each change on its element, or, when that element is not
 * drawn (inside a collapsed group), on the group's box. A box or element with several marks shows the
 * strongest: changed, then added, then removed.
 */
export function diffMarks(
  diff: SnapshotDiff,
  drawn: ReadonlySet<string>,
  boxOf: (elementId: string) => string | undefined,
): Map<string, DiffMark> {
  const out = new Map<string, DiffMark>();
  for (const c of diff.changes) {
    if (!c.element) continue;
    const target = drawn.has(c.element) ? c.element : boxOf(c.element);
    if (!target) continue;
    const had = out.get(target);
    if (!had || STRENGTH[c.change] > STRENGTH[had]) out.set(target, c.change);
  }
  return out;
}

import { plural } from './plural.ts';

/** Where the snapshot compared against lies in time from the one shown. */
export type CompareSide = 'older' | 'newer';

/** The comparison panel's words, which read forward in time whichever side the other snapshot is on. */
export interface CompareWords {
  readonly heading: string;
  /** Findings of the other snapshot that this one does not have. */
  readonly resolvedTitle: string;
  /** Findings of this snapshot that the other does not have. */
  readonly addedTitle: string;
  readonly summary: (counts: { resolved: number; added: number; unchanged: number; changes: number }) => string;
}

/**
 * Against an older snapshot: what changed since (resolved, new). Against a newer one (a broken
 * snapshot beside its fix), "new" would name the faults the fix removed: the words say instead that
 * this snapshot's findings are gone in the newer one, and which the newer one has alone.
 */
export function compareWords(side: CompareSide): CompareWords {
  if (side === 'older')
    return {
      heading: 'Changes since the older snapshot',
      resolvedTitle: 'Resolved',
      addedTitle: 'New',
      summary: (c) =>
        `${plural(c.resolved, 'finding')} resolved, ${c.added} new, ${c.unchanged} unchanged; ${plural(c.changes, 'change')}`,
    };
  return {
    heading: 'This snapshot against a newer one',
    resolvedTitle: 'Only in the newer snapshot',
    addedTitle: 'Gone in the newer snapshot',
    summary: (c) =>
      `${plural(c.added, 'finding')} here gone in the newer snapshot, ${c.resolved} only in the newer one, ` +
      `${c.unchanged} in both; ${plural(c.changes, 'change')}`,
  };
}

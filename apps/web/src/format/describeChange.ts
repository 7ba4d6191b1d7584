import type { Change } from '@hoplens/model';

/** What a change did, in words: "mac: a → b", or what was added or removed. */
export function describeChange(c: Change): string {
  if (c.change === 'changed') return `${c.field ?? ''}: ${c.before ?? ''} → ${c.after ?? ''}`;
  return c.change === 'added' ? (c.after ?? '') : (c.before ?? '');
}

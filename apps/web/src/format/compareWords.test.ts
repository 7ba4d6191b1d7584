import { expect, it } from 'vitest';
import { compareWords } from './compareWords.ts';

const counts = { resolved: 0, added: 2, unchanged: 1, changes: 3 };

it('reads forward against an older snapshot: resolved and new since', () => {
  const w = compareWords('older');
  expect([w.heading, w.resolvedTitle, w.addedTitle]).toEqual(['Changes since the older snapshot', 'Resolved', 'New']);
  expect(w.summary(counts)).toBe('0 findings resolved, 2 new, 1 unchanged; 3 changes');
});

it('against a newer snapshot (a broken one beside its fix) calls this snapshot’s faults gone in the newer one, not new', () => {
  const w = compareWords('newer');
  expect(w.heading).toBe('This snapshot against a newer one');
  expect(w.addedTitle).toBe('Gone in the newer snapshot');
  expect(w.resolvedTitle).toBe('Only in the newer snapshot');
  expect(w.summary(counts)).toBe(
    '2 findings here gone in the newer snapshot, 0 only in the newer one, 1 in both; 3 changes',
  );
  expect(`${w.heading} ${w.summary(counts)}`).not.toMatch(/back from|resolved|\bnew\b(?! snapshot| one)/i);
});

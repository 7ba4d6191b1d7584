import { describe, expect, it } from 'vitest';
import type { SnapshotSummary } from '@hoplens/model';
import { withSummary } from './withSummary.ts';

const summary = (id: string, createdAt: string): SnapshotSummary => ({
  id,
  createdAt,
  source: 'test',
  hosts: 1,
  pods: 0,
  findings: { info: 0, warning: 0, critical: 0, fatal: 0 },
});

describe('a snapshot announced live joins the list', () => {
  const older = summary('a', '2026-11-26T10:00:00.000Z');
  const newer = summary('c', '2026-11-26T12:00:00.000Z');

  it('in its place, newest first', () => {
    const mid = summary('b', '2026-11-26T11:00:00.000Z');
    expect(withSummary([newer, older], mid).map((s) => s.id)).toEqual(['c', 'b', 'a']);
    expect(withSummary([newer, older], summary('d', '2026-11-27T00:00:00.000Z')).map((s) => s.id)).toEqual([
      'd',
      'c',
      'a',
    ]);
    expect(withSummary([newer], summary('z', '2026-01-01T00:00:00.000Z')).map((s) => s.id)).toEqual(['c', 'z']);
  });

  it('once: a snapshot the list holds leaves it as it is', () => {
    const list = [newer, older];
    expect(withSummary(list, older)).toBe(list);
  });
});

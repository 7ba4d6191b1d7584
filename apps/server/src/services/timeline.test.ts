import { describe, expect, it } from 'vitest';
import type { FindingRef } from '@hoplens/model';
import { buildTimeline, newFindings, type SeriesEntry } from './timeline.ts';

const ref = (key: string): FindingRef => ({ key, rule: key, severity: 'fatal', message: key, subjects: [] });
const keys = new Map([
  [1, ref('mac')],
  [2, ref('mtu')],
]);
const at = (n: number) => `2026-11-26T10:${String(n * 5).padStart(2, '0')}:00.000Z`;
const entry = (n: number, findings: number[]): SeriesEntry => ({
  id: `s${n}`,
  createdAt: at(n),
  source: 'sources',
  pinned: false,
  findings,
});

describe('buildTimeline', () => {
  const series = [entry(0, []), entry(1, [2]), entry(2, [1, 2]), entry(3, [2]), entry(4, [1, 2]), entry(5, [1])];
  const t = buildTimeline('sources', series, keys);

  it('gives each stretch of a finding the snapshot it appeared in, the one before it, and where it was resolved', () => {
    expect(t.findings.find((f) => f.key === 'mac')?.spans).toEqual([
      { appeared: 's2', appearedAt: at(2), before: 's1', resolved: 's3', resolvedAt: at(3) },
      { appeared: 's4', appearedAt: at(4), before: 's3' },
    ]);
    expect(t.findings.find((f) => f.key === 'mtu')?.spans).toEqual([
      { appeared: 's1', appearedAt: at(1), before: 's0', resolved: 's5', resolvedAt: at(5) },
    ]);
  });

  it('lists the most recently appeared first, and every snapshot of the series', () => {
    expect(t.findings.map((f) => f.key)).toEqual(['mac', 'mtu']);
    expect(t.snapshots.map((s) => s.id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
  });

  it('has no "before" for a finding present since the first snapshot', () => {
    expect(buildTimeline('x', [entry(0, [1])], keys).findings[0]?.spans).toEqual([
      { appeared: 's0', appearedAt: at(0) },
    ]);
  });
});

describe('newFindings', () => {
  const series = [entry(0, [2]), entry(1, [1, 2]), entry(2, [1])];
  it('names what a snapshot has that the one before it lacked', () => {
    expect(newFindings(series, 's1')).toEqual({ before: 's0', added: [1] });
    expect(newFindings(series, 's2')).toEqual({ before: 's1', added: [] });
  });
  it('announces nothing for the first snapshot of a series', () => {
    expect(newFindings(series, 's0')).toEqual({ before: null, added: [] });
  });
});

import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../store/snapshotStore.ts';
import { describeRetention, expiredSnapshots } from './retention.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-26T12:00:00.000Z');
const entry = (
  id: string,
  daysAgo: number,
  findings: number[] | null = [],
  more: Partial<HistoryEntry> = {},
): HistoryEntry => ({
  id,
  createdAt: new Date(now - daysAgo * DAY).toISOString(),
  source: 'sources',
  pinned: false,
  findings,
  ...more,
});
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('expiredSnapshots', () => {
  it('keeps everything when no limit is asked for', () => {
    expect(expiredSnapshots([entry('a', 400), entry('b', 300)], {}, now)).toEqual([]);
  });

  it('lets go of what is older than --keep, and says why', () => {
    const out = expiredSnapshots([entry('a', 9), entry('b', 8), entry('c', 1)], { keepMs: 7 * DAY }, now);
    expect(ids(out)).toEqual(['a', 'b']);
    expect(out[0]?.reason).toBe('older than 7d');
  });

  it('keeps the newest --keep-last, and with both limits what either keeps', () => {
    const all = [entry('a', 9), entry('b', 8), entry('c', 3), entry('d', 1)];
    expect(ids(expiredSnapshots(all, { keepLast: 2 }, now))).toEqual(['a', 'b']);
    expect(ids(expiredSnapshots(all, { keepLast: 1, keepMs: 5 * DAY }, now))).toEqual(['a', 'b']);
    expect(ids(expiredSnapshots(all, { keepLast: 3, keepMs: 2 * DAY }, now))).toEqual(['a']);
  });

  it('keeps pinned snapshots, and those whose findings are not known yet', () => {
    const all = [entry('a', 9, [], { pinned: true }), entry('b', 9, null), entry('c', 9)];
    expect(ids(expiredSnapshots(all, { keepLast: 0 }, now))).toEqual(['c']);
  });

  it('keeps the first appearance of each finding and the snapshot before it, per source', () => {
    const all = [
      entry('a', 20, []),
      entry('b', 19, []),
      entry('c', 18, [1]),
      entry('d', 17, [1]),
      entry('e', 16, [1, 2]),
      entry('f', 15, []),
      entry('g', 14, [1]),
      entry('x', 13, [1], { source: 'imported dump' }),
    ];
    // c: first 1 (b before it); e: first 2 (d before it); g: 1 again, not a first; x: first in its own source.
    expect(ids(expiredSnapshots(all, { keepLast: 0 }, now))).toEqual(['a', 'f', 'g']);
  });
});

describe('describeRetention', () => {
  it('says what is kept', () => {
    expect(describeRetention({})).toBe('everything is kept');
    expect(describeRetention({ keepMs: 7 * DAY, keepLast: 100 })).toBe(
      'keeps younger than 7d or the last 100, and every pinned snapshot and first appearance of a finding',
    );
  });
});

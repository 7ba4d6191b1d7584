import { describe, expect, it } from 'vitest';
import { summarizeCollection, type SourceRun } from './summarizeCollection.ts';

const NOW = 1_000_000;
const agent = (i: number, extra: Partial<SourceRun> = {}): SourceRun => ({
  source: `agent node-${i}`,
  state: 'done',
  hosts: 1,
  startedAt: NOW - 10_000,
  endedAt: NOW - 10_000 + i,
  ...extra,
});

describe('summarizeCollection', () => {
  it('counts 5,000 sources by state and names only the slowest five and the first ten failures', () => {
    const runs: SourceRun[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 500 === 7) runs.push(agent(i, { state: 'failed', hosts: 0, message: `node-${i}: timed out` }));
      else if (i >= 4900) runs.push({ source: `agent node-${i}`, state: 'queued', hosts: 0 });
      else if (i >= 4890)
        runs.push({ source: `agent node-${i}`, state: 'collecting', hosts: 0, startedAt: NOW - 10_000 });
      else runs.push(agent(i));
    }
    const s = summarizeCollection(runs, NOW);
    expect(s.counts).toEqual({ total: 5000, queued: 100, collecting: 10, done: 4880, failed: 10 });
    expect(s.hosts).toBe(4880);
    expect(s.failures.map((f) => f.source)).toEqual(
      [7, 507, 1007, 1507, 2007, 2507, 3007, 3507, 4007, 4507].map((i) => `agent node-${i}`),
    );
    expect(s.failures[0]).toMatchObject({ state: 'failed', message: 'node-7: timed out', ms: 7 });
    // The ones still being asked have taken 10 s so far: longer than any finished one.
    expect(s.slowest).toHaveLength(5);
    expect(s.slowest.every((x) => x.state === 'collecting' && x.ms === 10_000)).toBe(true);
  });

  it('lists finished sources longest first, and leaves queued ones out of the slowest', () => {
    const runs: SourceRun[] = [
      agent(1, { endedAt: NOW - 10_000 + 300 }),
      { source: 'waiting', state: 'queued', hosts: 0 },
      agent(2, { endedAt: NOW - 10_000 + 9_000, state: 'failed', message: 'timed out after 9000 ms' }),
      agent(3, { endedAt: NOW - 10_000 + 50 }),
    ];
    const s = summarizeCollection(runs, NOW, { slowest: 2, failures: 10 });
    expect(s.slowest.map((x) => [x.source, x.ms])).toEqual([
      ['agent node-2', 9000],
      ['agent node-1', 300],
    ]);
    expect(s.counts).toEqual({ total: 4, queued: 1, collecting: 0, done: 2, failed: 1 });
  });

  it('gives zero counts and empty lists for a run with no sources yet', () => {
    expect(summarizeCollection([], NOW)).toEqual({
      counts: { total: 0, queued: 0, collecting: 0, done: 0, failed: 0 },
      hosts: 0,
      slowest: [],
      failures: [],
    });
  });
});

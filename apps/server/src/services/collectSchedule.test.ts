import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../store/snapshotStore.ts';
import { FakeClock } from '../testing/fakeClock.ts';
import { CollectSchedule } from './collectSchedule.ts';

const MIN = 60_000;

/** A schedule over a fake clock, recording what it claims and how each run ends. */
function harness(opts: { run: () => Promise<RunOutcome>; othersClaim?: Set<number>; start?: number }) {
  const clock = new FakeClock(opts.start ?? 3_333_334 * 5 * MIN + 17_000);
  const claimed: number[] = [];
  const finished: { slot: number; outcome: RunOutcome }[] = [];
  const startedAt: number[] = [];
  const schedule = new CollectSchedule({
    everyMs: 5 * MIN,
    clock,
    run: () => {
      startedAt.push(clock.now());
      return opts.run();
    },
    claim: (slot) => {
      if (opts.othersClaim?.has(slot)) return Promise.resolve(false);
      claimed.push(slot);
      return Promise.resolve(true);
    },
    finish: (slot, outcome) => {
      finished.push({ slot, outcome });
      return Promise.resolve();
    },
  });
  return { clock, schedule, claimed, finished, startedAt };
}

describe('CollectSchedule', () => {
  it('collects once per period, at the slot boundary plus a jitter of at most a tenth of the period', async () => {
    const h = harness({ run: () => Promise.resolve({ outcome: 'stored', snapshot: 'x' }) });
    h.schedule.start();
    await h.clock.advance(16 * MIN);
    expect(h.finished.map((f) => f.outcome.outcome)).toEqual(['stored', 'stored', 'stored']);
    for (const [i, t] of h.startedAt.entries()) {
      const slot = h.claimed[i]!;
      expect(slot % (5 * MIN)).toBe(0);
      expect(t - slot).toBe(15_000); // random() = 0.5 of the 30 s jitter window
    }
    expect(h.schedule.status().nextAt).toBeDefined();
  });

  it('records a failed collection as failed, and runs the next one all the same', async () => {
    let n = 0;
    const h = harness({
      run: () =>
        Promise.resolve(n++ === 0 ? { outcome: 'failed', message: 'collector crashed' } : { outcome: 'stored' }),
    });
    h.schedule.start();
    await h.clock.advance(11 * MIN);
    expect(h.finished.map((f) => f.outcome)).toEqual([
      { outcome: 'failed', message: 'collector crashed' },
      { outcome: 'stored' },
    ]);
  });

  it('never runs two collections at once: a slot that comes during a long run is skipped', async () => {
    let release: () => void = () => undefined;
    let concurrent = 0;
    let most = 0;
    const h = harness({
      run: async () => {
        most = Math.max(most, ++concurrent);
        await new Promise<void>((r) => (release = r));
        concurrent--;
        return { outcome: 'stored' };
      },
    });
    h.schedule.start();
    await h.clock.advance(12 * MIN); // first run starts after ~3 min and hangs through the next slot
    release();
    await h.clock.advance(5 * MIN);
    release();
    await h.clock.advance(1);
    expect(most).toBe(1);
    expect(h.finished.map((f) => f.outcome.outcome)).toEqual(['skipped', 'stored', 'stored']);
  });

  it('leaves a slot another server claimed to that server', async () => {
    const start = 3_333_334 * 5 * MIN + 17_000;
    const firstSlot = (Math.floor(start / (5 * MIN)) + 1) * 5 * MIN;
    const h = harness({ run: () => Promise.resolve({ outcome: 'stored' }), othersClaim: new Set([firstSlot]), start });
    h.schedule.start();
    await h.clock.advance(6 * MIN);
    expect(h.startedAt).toEqual([]);
    await h.clock.advance(5 * MIN);
    expect(h.startedAt).toHaveLength(1);
  });

  it('stops collecting when stopped', async () => {
    const h = harness({ run: () => Promise.resolve({ outcome: 'stored' }) });
    h.schedule.start();
    h.schedule.stop();
    await h.clock.advance(30 * MIN);
    expect(h.startedAt).toEqual([]);
  });
});

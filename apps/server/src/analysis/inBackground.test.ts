import { describe, expect, it } from 'vitest';
import { inBackground } from './inBackground.ts';

describe('inBackground', () => {
  it('does nothing in the caller’s turn and lets other work run between slices', async () => {
    const done: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const running = inBackground(
      Array.from({ length: 50 }, (_, i) => i),
      (i) => {
        const until = performance.now() + 2;
        while (performance.now() < until); // 2 ms of work per item
        done.push(i);
      },
      { sliceMs: 5 },
    );
    expect(done).toEqual([]);
    expect(await running).toBe(50);
    clearInterval(timer);
    expect(done).toHaveLength(50);
    expect(ticks).toBeGreaterThan(5); // timers ran between the slices
  });

  it('stops when asked', async () => {
    const done: number[] = [];
    const n = await inBackground([1, 2, 3, 4], (i) => done.push(i), { stop: () => done.length >= 2 });
    expect(n).toBe(2);
    expect(done).toEqual([1, 2]);
  });
});

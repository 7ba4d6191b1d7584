import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from './concurrencyLimit.ts';

describe('concurrencyLimit', () => {
  it('runs at most the limit at once, starts tasks in the order given, and frees a slot on failure', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async (): Promise<number> => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (i === 1) throw new Error('task 1 fails');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      'task 1 fails',
      20,
      30,
      40,
    ]);
  });
});

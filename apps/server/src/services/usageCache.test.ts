import { expect, it } from 'vitest';
import { UsageCache } from './usageCache.ts';

/** A store count that answers only when released, as one waiting behind a large write does. */
function slowCounter() {
  let count = 0;
  const waiting: (() => void)[] = [];
  return {
    reads: () => count,
    release: () => waiting.splice(0).forEach((r) => r()),
    read: () => {
      const n = ++count;
      return new Promise<number>((r) => waiting.push(() => r(n)));
    },
  };
}

it('answers from the last count without asking the store again while nothing changed', async () => {
  const c = slowCounter();
  const cache = new UsageCache(c.read, 10_000, () => 0);
  const first = cache.get();
  c.release();
  expect(await first).toBe(1);
  expect(await cache.get()).toBe(1);
  expect(c.reads()).toBe(1);
});

it('after a change, waits for a count that includes it, never the one from before', async () => {
  const c = slowCounter();
  const cache = new UsageCache(c.read, 10_000, () => 0);
  const first = cache.get();
  c.release();
  await first;
  // A count started before the change, still running when the change lands, does not satisfy it.
  cache.invalidate();
  const during = cache.get();
  cache.invalidate();
  const after = cache.get();
  c.release();
  expect(await during).toBe(2);
  c.release();
  expect(await after).toBe(3);
  expect(await cache.get()).toBe(3);
});

it('past its age, answers the old count at once and counts again in the background', async () => {
  const c = slowCounter();
  let now = 0;
  const cache = new UsageCache(c.read, 1000, () => now);
  const first = cache.get();
  c.release();
  await first;
  now = 5000;
  expect(await cache.get()).toBe(1);
  expect(c.reads()).toBe(2);
  c.release();
  await new Promise((r) => setImmediate(r));
  expect(await cache.get()).toBe(2);
});

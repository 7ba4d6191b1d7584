import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Runs `work` on each item in slices of about `sliceMs`, yielding to the event loop between
 * slices so that requests keep being answered. Stops early when `stop()` says so.
 * Resolves with the number of items done.
 */
export async function inBackground<T>(
  items: Iterable<T>,
  work: (item: T) => void,
  { sliceMs = 10, stop = () => false }: { sliceMs?: number; stop?: () => boolean } = {},
): Promise<number> {
  let done = 0;
  // Never inside the caller's turn: the caller (a request) answers first.
  await yieldToEventLoop();
  let sliceStart = performance.now();
  for (const item of items) {
    if (stop()) break;
    work(item);
    done++;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return done;
}

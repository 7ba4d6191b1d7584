/**
 * At most `n` tasks at once; the others wait in order for a free slot. What a collection asks of
 * thousands of agents runs through one of these, so sockets, answers in flight and memory stay
 * bounded, and an agent's timeout starts only when it is asked.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots must be a positive integer, not ${size}`);
    this.free = size;
  }

  /** Runs `task` once a slot is free (`onStart` just before), and frees the slot when it settles. */
  async run<T>(task: () => Promise<T>, onStart?: () => void): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      onStart?.();
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

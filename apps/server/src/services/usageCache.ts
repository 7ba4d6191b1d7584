/**
 * What the store reports of itself (GET /api/info), kept between requests: counting a store can
 * wait behind a large snapshot being written, and the dashboard asks often. `invalidate` (a snapshot
 * stored or deleted) makes the next answer wait for a fresh count, so an answer is never older than
 * the last change this server made; otherwise a count older than `maxAgeMs` (changes made by another
 * server on the same database) is answered as it is and refreshed in the background.
 */
export class UsageCache<T> {
  private generation = 0;
  private value: { readonly info: T; readonly generation: number; readonly at: number } | undefined;
  private inflight: { readonly generation: number; readonly done: Promise<T> } | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly maxAgeMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The store changed: the next answer counts again. */
  invalidate(): void {
    this.generation++;
  }

  get(): Promise<T> {
    const v = this.value;
    if (v?.generation !== this.generation) return this.refresh();
    if (this.now() - v.at > this.maxAgeMs) void this.refresh().catch(() => undefined);
    return Promise.resolve(v.info);
  }

  private refresh(): Promise<T> {
    const generation = this.generation;
    if (this.inflight?.generation === generation) return this.inflight.done;
    const at = this.now();
    const done = this.read()
      .then((info) => {
        if (!this.value || this.value.generation <= generation) this.value = { info, generation, at };
        return info;
      })
      .finally(() => {
        if (this.inflight?.done === done) this.inflight = undefined;
      });
    this.inflight = { generation, done };
    return done;
  }
}

/**
 * Rendered answers (bytes) about immutable snapshots: once a view is rendered it is the
 * answer for good. Least recently used first out once the total passes the budget.
 */
export class RenderedCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /** The cached rendering of `key`, or a fresh one from `render`, kept if it fits the budget. */
  get(key: string, render: () => Buffer): Buffer {
    const hit = this.find(key);
    if (hit !== undefined) return hit;
    const value = render();
    this.keep(key, value);
    return value;
  }

  /** The cached rendering of `key`, now the most recently used; undefined when there is none. */
  find(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Keeps `value` as `key`'s rendering if it fits the budget, the least recently used out first. */
  keep(key: string, value: Buffer): void {
    if (value.length > this.budgetBytes || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.length;
    }
  }

  /** Drops every entry whose key starts with `prefix` (a deleted snapshot's views). */
  forget(prefix: string): void {
    this.forgetWhere((key) => key.startsWith(prefix));
  }

  /** Drops every entry whose key `drop` accepts. */
  forgetWhere(drop: (key: string) => boolean): void {
    for (const [key, value] of this.entries) {
      if (!drop(key)) continue;
      this.entries.delete(key);
      this.bytes -= value.length;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }
}

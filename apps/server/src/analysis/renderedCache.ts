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
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = render();
    if (value.length > this.budgetBytes) return value;
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.length;
    }
    return value;
  }

  /** Drops every entry whose key starts with `prefix` (a deleted snapshot's views). */
  forget(prefix: string): void {
    for (const [key, value] of this.entries) {
      if (!key.startsWith(prefix)) continue;
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

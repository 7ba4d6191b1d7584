import type { LinkEntry } from './snapshotIndex.ts';

/** Up to this many devices, a namespace is scanned instead of hashed. */
const SCAN = 8;

/**
 * A namespace's devices by one key, read from the index's list of every device (a namespace's are
 * contiguous there). A cluster has ~10⁵ namespaces of two or three devices: a Map each was two more
 * hash tables per namespace to build and for the collector to copy, where a scan of three is
 * quicker. Bigger namespaces get their Map on first use. Like a Map filled in order, a repeated key
 * answers with its last device.
 */
abstract class LinkLookup<K> implements ReadonlyMap<K, LinkEntry> {
  private map: Map<K, LinkEntry> | undefined;

  constructor(
    private readonly all: readonly LinkEntry[],
    private readonly start: number,
    private readonly end: number,
  ) {}

  protected abstract keyOf(le: LinkEntry): K;

  get(key: K): LinkEntry | undefined {
    if (this.end - this.start > SCAN) return this.asMap().get(key);
    for (let i = this.end - 1; i >= this.start; i--) {
      const le = this.all[i]!;
      if (this.keyOf(le) === key) return le;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.asMap().size;
  }

  forEach(fn: (value: LinkEntry, key: K, map: ReadonlyMap<K, LinkEntry>) => void, thisArg?: unknown): void {
    this.asMap().forEach((v, k) => fn.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[K, LinkEntry]> {
    return this.asMap().entries();
  }

  keys(): MapIterator<K> {
    return this.asMap().keys();
  }

  values(): MapIterator<LinkEntry> {
    return this.asMap().values();
  }

  [Symbol.iterator](): MapIterator<[K, LinkEntry]> {
    return this.asMap().entries();
  }

  private asMap(): Map<K, LinkEntry> {
    if (this.map) return this.map;
    const map = new Map<K, LinkEntry>();
    for (let i = this.start; i < this.end; i++) map.set(this.keyOf(this.all[i]!), this.all[i]!);
    return (this.map = map);
  }
}

/** A namespace's devices by ifindex. */
export class LinksByIndex extends LinkLookup<number> {
  protected keyOf(le: LinkEntry): number {
    return le.link.ifindex;
  }
}

/** A namespace's devices by name. */
export class LinksByName extends LinkLookup<string> {
  protected keyOf(le: LinkEntry): string {
    return le.link.name;
  }
}

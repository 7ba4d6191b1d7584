/**
 * Values by string key, several per key, in an open-addressing table sized once from the number of
 * keys expected: the index's tables by MAC and by IP hold ~10⁶ keys at 5,000 nodes.
 *
 * Why not a Map: a Map grows by doubling, and each larger backing store is fresh memory (V8 puts it
 * in large-object space, one mapping each), so 540,000 keys cost ~16,500 page faults — measured
 * ~400–700 ms on this kind of VM, where a first touch of a page costs ~24 µs — against ~150 ms here
 * (one Int32Array of slots, and the keys and values in two arrays).
 *
 * A key's values are kept as the value alone, or an array once a second one comes: nearly every
 * key has one, and a list of its own each would be 10⁶ more long-lived objects. So V must never be
 * an array itself.
 */
export class MultiTable<V extends object> {
  /** Index of the key in `keys`, plus one; 0 is an empty slot. */
  private slots: Int32Array;
  private mask: number;
  private readonly keys: string[] = [];
  private readonly values: (V | V[])[] = [];
  /**
   * The hash's starting value, drawn per table: keys come from hosts and files (hostile input), and
   * keys made to collide under a known hash would turn every probe into a scan of the table.
   */
  private readonly seed = (Math.random() * 2 ** 32) >>> 0;

  constructor(expectedKeys: number) {
    this.slots = new Int32Array(slotsFor(expectedKeys));
    this.mask = this.slots.length - 1;
  }

  /** How many distinct keys it holds. */
  get size(): number {
    return this.keys.length;
  }

  /** Adds a value under `key`; returns how many values the key now has. */
  add(key: string, value: V): number {
    const slot = this.find(key);
    const at = this.slots[slot]!;
    if (at !== 0) {
      const had = this.values[at - 1]!;
      if (Array.isArray(had)) return had.push(value);
      this.values[at - 1] = [had, value];
      return 2;
    }
    this.keys.push(key);
    this.values.push(value);
    this.slots[slot] = this.keys.length;
    // Kept at most half full, so that a probe ends within a few slots.
    if (this.keys.length * 2 > this.slots.length) this.grow();
    return 1;
  }

  /** The key's values: one, or an array of two or more; undefined for none. */
  get(key: string): V | V[] | undefined {
    const at = this.slots[this.find(key)]!;
    return at === 0 ? undefined : this.values[at - 1];
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  private find(key: string): number {
    let slot = hash(key, this.seed) & this.mask;
    for (;;) {
      const at = this.slots[slot]!;
      if (at === 0 || this.keys[at - 1] === key) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** More keys came than expected: twice the slots, every key placed again. */
  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.keys.length; i++) {
      let slot = hash(this.keys[i]!, this.seed) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = i + 1;
    }
  }
}

/** A power of two at least twice the keys (at most half full), and at least 16. */
function slotsFor(keys: number): number {
  let n = 16;
  while (n < keys * 2) n *= 2;
  return n;
}

/** FNV-1a over the string's UTF-16 code units from `seed`: cheap, and spreads the similar keys of MACs and IPs well. */
function hash(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

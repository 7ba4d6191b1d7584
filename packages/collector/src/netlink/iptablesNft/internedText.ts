import { str } from '../rtattr.ts';

/** Slots of the table (a power of two): a kube-proxy node has ~4,000 distinct chain names. */
const SLOTS = 1 << 14;

/**
 * NUL-terminated names read from a rule dump, each distinct ASCII name made into a string once: a
 * kube-proxy chain name or comment recurs in several rules, and building it again (a string per
 * character) was most of what a rule allocated. Found by a hash of its bytes in a fixed table (a
 * name whose slot another took is built again), so a name seen before costs no allocation, and a
 * hostile dump of a million names costs no more memory than a few.
 */
export class InternedText {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  /**
   * The bytes of the whole buffer the last view read lies in: an indexed load, not a DataView call,
   * per byte (cheaper before the JIT warms up), and one array for every view into that buffer (an
   * extension's info is a view of its own per rule: a kube-proxy node's 10,000 comments).
   */
  private buffer: ArrayBufferLike | undefined;
  private bytes: Uint8Array = new Uint8Array(0);

  private bytesOf(v: DataView): Uint8Array {
    if (v.buffer !== this.buffer) {
      this.buffer = v.buffer;
      this.bytes = new Uint8Array(v.buffer);
    }
    return this.bytes;
  }

  /** The text of a NUL-terminated char array of `size` bytes, undefined when it is not terminated. */
  cString(v: DataView, at: number, size: number): string | undefined {
    const bytes = this.bytesOf(v);
    const from = v.byteOffset + at;
    const end = Math.min(from + size, v.byteOffset + v.byteLength);
    let nul = from;
    while (nul < end && bytes[nul] !== 0) nul++;
    return nul >= end ? undefined : this.text(v, at, nul - from + 1);
  }

  /** The text of the `len` bytes at `at`, up to a NUL; UTF-8 beyond ASCII is decoded (and not kept). */
  text(v: DataView, at: number, len: number): string {
    const bytes = this.bytesOf(v);
    // Offsets into the whole buffer from here on.
    at += v.byteOffset;
    let h = 0x811c9dc5;
    let n = 0;
    for (; n < len; n++) {
      const c = bytes[at + n]!;
      if (c === 0) break;
      if (c >= 0x80) return str(new DataView(v.buffer, at, len)) ?? '';
      h = Math.imul(h ^ c, 0x01000193);
    }
    const slot = (h ^ n) & (SLOTS - 1);
    const seen = this.slots[slot];
    if (seen !== undefined && seen.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = seen.charCodeAt(i) === bytes[at + i];
      if (same) return seen;
    }
    // One string, not one per character as `+=` makes.
    const out = String.fromCharCode.apply(null, bytes.subarray(at, at + n) as unknown as number[]);
    this.slots[slot] = out;
    return out;
  }
}

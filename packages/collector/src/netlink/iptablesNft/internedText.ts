import { str } from '../rtattr.ts';

/**
 * NUL-terminated names read from a rule dump, each distinct ASCII name made into a string once: a
 * kube-proxy chain name or comment recurs in several rules, and building it again (a string per
 * character) was most of what a rule allocated. Looked up by a hash of its bytes, so a name seen
 * before costs no allocation at all.
 */
export class InternedText {
  private readonly byHash = new Map<number, string>();
  /** Hostile dumps may hold any number of distinct names: past this many, the table starts over. */
  private static readonly MAX = 1 << 16;

  /** The text of the `len` bytes at `at`, up to a NUL; UTF-8 beyond ASCII is decoded (and not kept). */
  text(v: DataView, at: number, len: number): string {
    let h = 0x811c9dc5;
    let n = 0;
    for (; n < len; n++) {
      const c = v.getUint8(at + n);
      if (c === 0) break;
      if (c >= 0x80) return str(new DataView(v.buffer, v.byteOffset + at, len)) ?? '';
      h = Math.imul(h ^ c, 0x01000193);
    }
    const key = (h ^ n) >>> 0;
    const seen = this.byHash.get(key);
    if (seen !== undefined && seen.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = seen.charCodeAt(i) === v.getUint8(at + i);
      if (same) return seen;
    }
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(v.getUint8(at + i));
    if (this.byHash.size >= InternedText.MAX) this.byHash.clear();
    this.byHash.set(key, out);
    return out;
  }
}

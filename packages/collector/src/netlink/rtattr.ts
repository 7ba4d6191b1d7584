/**
 * Reading rtnetlink: messages (struct nlmsghdr) and their attributes (struct rtattr), straight
 * from the kernel's bytes. Little-endian host order, as the helper copies them unchanged.
 */

/** One netlink message: its type and its payload (after the 16-byte header). */
export interface NlMessage {
  readonly type: number;
  readonly flags: number;
  readonly body: DataView;
}

export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;

/** A malformed or truncated netlink answer. */
export class NetlinkFormatError extends Error {
  override readonly name = 'NetlinkFormatError';
}

/** Netlink's alignment of messages and attributes. */
export const align4 = (n: number): number => (n + 3) & ~3;

/**
 * The length of the message whose header starts at `off` (at least 16 bytes must remain), checked
 * against the buffer: a NetlinkFormatError for a length shorter than its header or past the end.
 */
export function messageLength(buf: DataView, off: number): number {
  const len = buf.getUint32(off, true);
  if (len < 16 || off + len > buf.byteLength) throw new NetlinkFormatError(`netlink message of ${len} bytes at ${off}`);
  return len;
}

/**
 * The messages of one recv() buffer, in order; NLMSG_DONE ends them. An array, not a generator: a
 * one-shot collect reads ~10,000 messages of a 250-pod node mostly before the JIT warms up, where a
 * generator's resumption per message costs more than the message's own decoding; a malformed
 * message throws before any is read.
 */
export function messages(buf: DataView): NlMessage[] {
  const out: NlMessage[] = [];
  let off = 0;
  while (off + 16 <= buf.byteLength) {
    const len = messageLength(buf, off);
    const type = buf.getUint16(off + 4, true);
    if (type === NLMSG_DONE) break;
    out.push({
      type,
      flags: buf.getUint16(off + 6, true),
      body: new DataView(buf.buffer, buf.byteOffset + off + 16, len - 16),
    });
    off += align4(len);
  }
  return out;
}

/**
 * The messages of one type in a dump's recv() buffers, in order, each buffer checked whole as
 * `messages` checks it. Walked by index: unoptimized, as a one-shot `collect` runs the decoders,
 * each step of a for-of allocates its result.
 */
export function messagesOfType(buffers: readonly DataView[], type: number): NlMessage[] {
  const out: NlMessage[] = [];
  for (let b = 0; b < buffers.length; b++) {
    const all = messages(buffers[b]!);
    for (let i = 0; i < all.length; i++) if (all[i]!.type === type) out.push(all[i]!);
  }
  return out;
}

/** Attrs' scratch list of (type, offset) pairs, reused by every message (grown when one has more). */
let scratch = new Int32Array(256);
/** The offsets of a message without attributes: never written. */
const NONE: number[] = [];

/**
 * A message's attributes by type (the last wins, as in the kernel's parsers). Only where each
 * type's last attribute starts is kept, in one array indexed by type: a view is made for the few
 * attributes a decoder asks for, not for the dozens a link message carries (a 250-pod node's dump
 * has ~60,000 of them), and a one-shot `collect` runs this in the interpreter, where one store per
 * attribute costs a third of three pushes.
 */
export class Attrs {
  /** By type: the offset of the last attribute of that type (types are 14 bits, see below). */
  private readonly last: number[];

  constructor(
    private readonly view: DataView,
    private readonly start: number,
  ) {
    // Walked once into a scratch list of (type, offset), then stored in an array made at its final
    // size: grown one attribute at a time it was copied two or three times per link message, 4 of
    // the ~40 MB a 250-pod node's `collect` allocates (most of that process's time is its GC).
    let seen = scratch;
    let n = 0;
    let max = -1;
    const end = view.byteLength;
    let off = start;
    while (off + 4 <= end) {
      const len = view.getUint16(off, true);
      if (len < 4 || off + len > end) throw new NetlinkFormatError(`attribute of ${len} bytes at ${off}`);
      // NLA_F_NESTED and NLA_F_NET_BYTEORDER live in the top bits of the type.
      const type = view.getUint16(off + 2, true) & 0x3fff;
      if (n === seen.length) {
        const grown = new Int32Array(seen.length * 2);
        grown.set(seen);
        seen = scratch = grown;
      }
      seen[n++] = type;
      seen[n++] = off;
      if (type > max) max = type;
      off += align4(len);
    }
    const last: number[] = max < 0 ? NONE : new Array<number>(max + 1);
    for (let i = 0; i < n; i += 2) last[seen[i]!] = seen[i + 1]!;
    this.last = last;
  }

  /** The payload of the attribute of this type, if the message has one. */
  get(type: number): DataView | undefined {
    const off = this.last[type];
    if (off === undefined) return undefined;
    const view = this.view;
    return new DataView(view.buffer, view.byteOffset + off + 4, view.getUint16(off, true) - 4);
  }

  has(type: number): boolean {
    return this.last[type] !== undefined;
  }

  // Typed readers: the value of an attribute read where it lies, without a DataView for its payload
  // (a 250-pod node's dumps ask for ~100,000 attributes; each view is an allocation, and the
  // collection's garbage is most of what a one-shot `collect` spends in GC). Each reads as the
  // function of the same name does on `get(type)`.

  /** As u8(get(type)). */
  u8(type: number): number | undefined {
    const off = this.last[type];
    return off !== undefined && this.view.getUint16(off, true) >= 5 ? this.view.getUint8(off + 4) : undefined;
  }

  /** As u16(get(type)). */
  u16(type: number): number | undefined {
    const off = this.last[type];
    return off !== undefined && this.view.getUint16(off, true) >= 6 ? this.view.getUint16(off + 4, true) : undefined;
  }

  /** As u32(get(type)). */
  u32(type: number): number | undefined {
    const off = this.last[type];
    return off !== undefined && this.view.getUint16(off, true) >= 8 ? this.view.getUint32(off + 4, true) : undefined;
  }

  /** As s32(get(type)). */
  s32(type: number): number | undefined {
    const off = this.last[type];
    return off !== undefined && this.view.getUint16(off, true) >= 8 ? this.view.getInt32(off + 4, true) : undefined;
  }

  /** As be16(get(type)). */
  be16(type: number): number | undefined {
    const off = this.last[type];
    return off !== undefined && this.view.getUint16(off, true) >= 6 ? this.view.getUint16(off + 4, false) : undefined;
  }

  /** As str(get(type)). */
  str(type: number): string | undefined {
    const off = this.last[type];
    return off === undefined ? undefined : strAt(this.view, off + 4, this.view.getUint16(off, true) - 4);
  }

  /** As mac(get(type)). */
  mac(type: number): string | undefined {
    const off = this.last[type];
    return off === undefined ? undefined : macAt(this.view, off + 4, this.view.getUint16(off, true) - 4);
  }

  /** As ipAddress(get(type)). */
  ip(type: number): string | undefined {
    const off = this.last[type];
    return off === undefined ? undefined : ipAt(this.view, off + 4, this.view.getUint16(off, true) - 4);
  }

  /** Every type once, in the order first seen. */
  types(): number[] {
    const seen = new Set<number>();
    const view = this.view;
    // The constructor has checked every length: this walk cannot overrun.
    for (let off = this.start; off + 4 <= view.byteLength; off += align4(view.getUint16(off, true)))
      seen.add(view.getUint16(off + 2, true) & 0x3fff);
    return [...seen];
  }

  /** Every type once (its last occurrence), in the order first seen, with its payload. */
  entries(): [number, DataView][] {
    return this.types().map((t) => [t, this.get(t)!]);
  }
}

/** Attributes from `start` to the end of `view`. */
export function attrs(view: DataView, start = 0): Attrs {
  return new Attrs(view, start);
}

/** Nested attributes in order (tc actions are a list keyed 1, 2, …). */
export function attrList(view: DataView): DataView[] {
  return attrs(view)
    .entries()
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v);
}

export const u8 = (v: DataView | undefined): number | undefined => (v && v.byteLength >= 1 ? v.getUint8(0) : undefined);
export const u16 = (v: DataView | undefined): number | undefined =>
  v && v.byteLength >= 2 ? v.getUint16(0, true) : undefined;
export const u32 = (v: DataView | undefined): number | undefined =>
  v && v.byteLength >= 4 ? v.getUint32(0, true) : undefined;
export const s32 = (v: DataView | undefined): number | undefined =>
  v && v.byteLength >= 4 ? v.getInt32(0, true) : undefined;
export const be16 = (v: DataView | undefined): number | undefined =>
  v && v.byteLength >= 2 ? v.getUint16(0, false) : undefined;

const decoder = new TextDecoder();

/** A NUL-terminated string attribute. */
export function str(v: DataView | undefined): string | undefined {
  return v && strAt(v, 0, v.byteLength);
}

/** The NUL-terminated string in the `len` bytes at `off` of `v`. */
function strAt(v: DataView, off: number, len: number): string {
  // Interface names and kinds are short ASCII: built directly, without a TextDecoder call.
  let out = '';
  for (let i = 0; i < len; i++) {
    const c = v.getUint8(off + i);
    if (c === 0) return out;
    if (c >= 0x80 || i >= 64) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset + off, len);
      const nul = bytes.indexOf(0);
      return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
    }
    out += String.fromCharCode(c);
  }
  return out;
}

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A link-layer address as `ip` prints it (lower-case hex, colon separated). */
export function mac(v: DataView | undefined): string | undefined {
  return v && macAt(v, 0, v.byteLength);
}

/** The link-layer address in the `len` bytes at `off` of `v`; undefined when empty. */
function macAt(v: DataView, off: number, len: number): string | undefined {
  if (len === 0) return undefined;
  let out = hex[v.getUint8(off)]!;
  for (let i = 1; i < len; i++) out += `:${hex[v.getUint8(off + i)]!}`;
  return out;
}

/** An IPv4 or IPv6 address as `ip` prints it (RFC 5952 for v6). */
export function ipAddress(v: DataView | undefined): string | undefined {
  return v && ipAt(v, 0, v.byteLength);
}

/** The IPv4 or IPv6 address in the `len` bytes at `off` of `v`; undefined for another length. */
function ipAt(v: DataView, off: number, len: number): string | undefined {
  if (len === 4) return `${v.getUint8(off)}.${v.getUint8(off + 1)}.${v.getUint8(off + 2)}.${v.getUint8(off + 3)}`;
  if (len !== 16) return undefined;
  // IPv4-mapped addresses keep the dotted tail, as inet_ntop does.
  if (
    v.getUint32(off) === 0 &&
    v.getUint32(off + 4) === 0 &&
    v.getUint16(off + 8) === 0 &&
    v.getUint16(off + 10) === 0xffff
  ) {
    return `::ffff:${v.getUint8(off + 12)}.${v.getUint8(off + 13)}.${v.getUint8(off + 14)}.${v.getUint8(off + 15)}`;
  }
  // The longest run of two or more zero words (the first of equals) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (v.getUint16(off + i * 2) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && v.getUint16(off + j * 2) === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += v.getUint16(off + i * 2).toString(16);
  }
  return out;
}

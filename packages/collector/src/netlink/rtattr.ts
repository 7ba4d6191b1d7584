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

const align4 = (n: number): number => (n + 3) & ~3;

/** The messages of one recv() buffer, in order; NLMSG_DONE ends them. */
export function* messages(buf: DataView): Generator<NlMessage> {
  let off = 0;
  while (off + 16 <= buf.byteLength) {
    const len = buf.getUint32(off, true);
    if (len < 16 || off + len > buf.byteLength)
      throw new NetlinkFormatError(`netlink message of ${len} bytes at ${off}`);
    const type = buf.getUint16(off + 4, true);
    if (type === NLMSG_DONE) return;
    yield {
      type,
      flags: buf.getUint16(off + 6, true),
      body: new DataView(buf.buffer, buf.byteOffset + off + 16, len - 16),
    };
    off += align4(len);
  }
}

/** Attributes from `start` to the end of `view`, by type (the last wins, as in the kernel's parsers). */
export function attrs(view: DataView, start = 0): Map<number, DataView> {
  const out = new Map<number, DataView>();
  let off = start;
  while (off + 4 <= view.byteLength) {
    const len = view.getUint16(off, true);
    if (len < 4 || off + len > view.byteLength) throw new NetlinkFormatError(`attribute of ${len} bytes at ${off}`);
    // NLA_F_NESTED and NLA_F_NET_BYTEORDER live in the top bits of the type.
    out.set(view.getUint16(off + 2, true) & 0x3fff, new DataView(view.buffer, view.byteOffset + off + 4, len - 4));
    off += align4(len);
  }
  return out;
}

/** Nested attributes in order (tc actions are a list keyed 1, 2, …). */
export function attrList(view: DataView): DataView[] {
  return [...attrs(view).entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
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
  if (!v) return undefined;
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const nul = bytes.indexOf(0);
  return decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A link-layer address as `ip` prints it (lower-case hex, colon separated). */
export function mac(v: DataView | undefined): string | undefined {
  if (!v || v.byteLength === 0) return undefined;
  const parts: string[] = [];
  for (let i = 0; i < v.byteLength; i++) parts.push(hex[v.getUint8(i)]!);
  return parts.join(':');
}

/** An IPv4 or IPv6 address as `ip` prints it (RFC 5952 for v6). */
export function ipAddress(v: DataView | undefined): string | undefined {
  if (!v) return undefined;
  if (v.byteLength === 4) return `${v.getUint8(0)}.${v.getUint8(1)}.${v.getUint8(2)}.${v.getUint8(3)}`;
  if (v.byteLength !== 16) return undefined;
  const words = Array.from({ length: 8 }, (_, i) => v.getUint16(i * 2, false));
  // IPv4-mapped addresses keep the dotted tail, as inet_ntop does.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${v.getUint8(12)}.${v.getUint8(13)}.${v.getUint8(14)}.${v.getUint8(15)}`;
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const h = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  return best < 0 ? h(words) : `${h(words.slice(0, best))}::${h(words.slice(best + bestLen))}`;
}

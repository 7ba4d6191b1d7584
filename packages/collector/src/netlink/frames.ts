import { NetlinkFormatError } from './rtattr.ts';

/** What the helper sends per namespace (see native/nldump.c). */
export const FRAME = {
  link: 1,
  addr: 2,
  route4: 3,
  route6: 4,
  neigh: 5,
  fdb: 6,
  qdisc: 7,
  filterIngress: 8,
  filterEgress: 9,
  rule4: 10,
  rule6: 11,
  nftChains: 12,
  nftables: 13,
  forward: 20,
  nsid: 21,
  sysctl: 22,
  unreplied: 23,
  error: 99,
} as const;

/** One namespace's answers from the helper, still raw. */
export interface NetnsFrames {
  readonly dumps: Map<number, DataView[]>;
  readonly errors: string[];
  ipForward?: boolean;
  /** `path:value` lines of the namespace's sysctl files, as `grep -rH` prints them. */
  sysctl?: string;
  /** `port count` lines of unreplied UDP conntrack entries; undefined where the table was not read. */
  unreplied?: string;
  /** nsid → index of the namespace (in the helper's argument list) it names. */
  readonly nsids: Map<number, number>;
}

/** Splits the helper's output into per-namespace dumps; `count` is the number of namespaces asked for. */
export function splitFrames(out: Buffer, count: number): NetnsFrames[] {
  const result: NetnsFrames[] = Array.from({ length: count }, () => ({
    dumps: new Map(),
    errors: [],
    nsids: new Map(),
  }));
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let off = 0;
  while (off < out.byteLength) {
    if (off + 12 > out.byteLength) throw new NetlinkFormatError(`truncated frame header at ${off}`);
    const ns = view.getUint32(off, true);
    const kind = view.getUint32(off + 4, true);
    const len = view.getUint32(off + 8, true);
    off += 12;
    if (off + len > out.byteLength) throw new NetlinkFormatError(`truncated frame at ${off}: ${len} bytes announced`);
    const target = result[ns];
    if (!target) throw new NetlinkFormatError(`frame for namespace #${ns} of ${count}`);
    const body = new DataView(out.buffer, out.byteOffset + off, len);
    off += len;
    if (kind === FRAME.error)
      target.errors.push(
        out.toString('utf8', body.byteOffset - out.byteOffset, body.byteOffset - out.byteOffset + len),
      );
    else if (kind === FRAME.forward) target.ipForward = len === 1 && body.getUint8(0) === 0x31;
    else if (kind === FRAME.sysctl)
      target.sysctl =
        (target.sysctl ?? '') +
        out.toString('utf8', body.byteOffset - out.byteOffset, body.byteOffset - out.byteOffset + len);
    else if (kind === FRAME.unreplied)
      target.unreplied =
        (target.unreplied ?? '') +
        out.toString('utf8', body.byteOffset - out.byteOffset, body.byteOffset - out.byteOffset + len);
    else if (kind === FRAME.nsid && len === 8) target.nsids.set(body.getInt32(0, true), body.getUint32(4, true));
    else {
      const list = target.dumps.get(kind);
      if (list) list.push(body);
      else target.dumps.set(kind, [body]);
    }
  }
  return result;
}

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
  nftRules: 14,
  nftGen: 15,
  forward: 20,
  nsid: 21,
  sysctl: 22,
  unreplied: 23,
  sockets: 24,
  pneigh: 25,
  bridgeVlans: 26,
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

/**
 * The little-endian u32 at `off` (the caller has checked that its 4 bytes are there): read in place,
 * without Buffer#readUInt32LE's call and checks, three times per frame on every chunk.
 */
const le32 = (b: Uint8Array, off: number): number =>
  (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16)) + b[off + 3]! * 0x1000000;

const emptyFrames = (): NetnsFrames => ({ dumps: new Map(), errors: [], nsids: new Map() });

/**
 * Reads the helper's output as it streams: `push` each chunk, and every namespace whose frames are
 * complete (the helper has moved on to a later one) is handed to `onNamespace` at once, so decoding
 * runs while the helper still dumps the next namespaces. `end` hands over the rest; it throws a
 * NetlinkFormatError when the framing is broken (truncated, a namespace out of range or revisited).
 */
export class FrameReader {
  private readonly frames: (NetnsFrames | undefined)[];
  /** Bytes of an unfinished frame, kept until `need` bytes have come (one copy, however many chunks). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 12;
  /** Namespaces below this index are complete and handed over. */
  private done = 0;
  /** Where the next frame starts in the whole output. */
  private read = 0;

  /**
   * `onDump`, when given, also sees each dump frame as it comes, before its namespace is complete
   * (`frames`: that namespace's frames so far, this one included): a long dump can be decoded while
   * the helper still writes the rest of its namespace.
   */
  constructor(
    private readonly count: number,
    private readonly onNamespace: (index: number, frames: NetnsFrames) => void,
    private readonly onDump?: (index: number, kind: number, body: DataView, frames: NetnsFrames) => void,
  ) {
    this.frames = Array.from({ length: count }, emptyFrames);
  }

  push(chunk: Buffer): void {
    let off = 0;
    // A frame begun in an earlier chunk: only its own bytes are copied, once they have all come.
    // Frames inside a chunk are read where they lie: copying whole chunks together cost a 250-pod
    // node's collection ~10 MB of fresh memory and a fifth of its main thread.
    while (this.pendingBytes > 0) {
      const take = Math.min(this.need - this.pendingBytes, chunk.byteLength - off);
      this.pending.push(chunk.subarray(off, off + take));
      this.pendingBytes += take;
      off += take;
      if (this.pendingBytes < this.need) return;
      const frame = Buffer.concat(this.pending, this.pendingBytes);
      const len = le32(frame, 8);
      if (this.need === 12 && len > 0) {
        this.pending = [frame];
        this.need = 12 + len;
        continue;
      }
      this.pending = [];
      this.pendingBytes = 0;
      this.need = 12;
      this.frameAt(frame, 0);
    }
    while (off + 12 <= chunk.byteLength) {
      const len = le32(chunk, off + 8);
      if (off + 12 + len > chunk.byteLength) break;
      this.frameAt(chunk, off);
      off += 12 + len;
    }
    if (off === chunk.byteLength) return;
    this.pending = [chunk.subarray(off)];
    this.pendingBytes = chunk.byteLength - off;
    this.need = this.pendingBytes >= 12 ? 12 + le32(chunk, off + 8) : 12;
  }

  /** The frame whose header is at `off` in `buf` (its body follows it there). */
  private frameAt(buf: Buffer, off: number): void {
    const ns = le32(buf, off);
    const kind = le32(buf, off + 4);
    const len = le32(buf, off + 8);
    const at = this.read;
    this.read += 12 + len;
    if (ns >= this.count) throw new NetlinkFormatError(`frame for namespace #${ns} of ${this.count}`);
    if (ns < this.done) throw new NetlinkFormatError(`frame for namespace #${ns} after #${this.done} at ${at}`);
    this.handOver(ns);
    const frames = this.frames[ns]!;
    const body = addFrame(frames, kind, buf, off + 12, len);
    if (body && this.onDump) this.onDump(ns, kind, body, frames);
  }

  end(): void {
    if (this.pendingBytes > 0) {
      const left = Buffer.concat(this.pending, this.pendingBytes);
      if (left.byteLength < 12) throw new NetlinkFormatError(`truncated frame header at ${this.read}`);
      throw new NetlinkFormatError(`truncated frame at ${this.read + 12}: ${left.readUInt32LE(8)} bytes announced`);
    }
    this.handOver(this.count);
  }

  /** Hands over every namespace before `upTo`: the helper writes namespaces one after the other. */
  private handOver(upTo: number): void {
    while (this.done < upTo) {
      const i = this.done++;
      const f = this.frames[i]!;
      this.frames[i] = undefined;
      this.onNamespace(i, f);
    }
  }
}

// No closure per frame (a kube-proxy node sends ~10,000 frames): each made here costs an allocation,
// and under tsx a defineProperty for its name too.
/** Adds a frame to its namespace's; a dump frame's body is returned. */
function addFrame(target: NetnsFrames, kind: number, out: Buffer, off: number, len: number): DataView | undefined {
  if (kind === FRAME.error) target.errors.push(out.toString('utf8', off, off + len));
  else if (kind === FRAME.forward) target.ipForward = len === 1 && out[off] === 0x31;
  else if (kind === FRAME.sysctl) target.sysctl = (target.sysctl ?? '') + out.toString('utf8', off, off + len);
  else if (kind === FRAME.unreplied) target.unreplied = (target.unreplied ?? '') + out.toString('utf8', off, off + len);
  else if (kind === FRAME.nsid && len === 8) target.nsids.set(out.readInt32LE(off), out.readUInt32LE(off + 4));
  else {
    const body = new DataView(out.buffer, out.byteOffset + off, len);
    const list = target.dumps.get(kind);
    if (list) list.push(body);
    else target.dumps.set(kind, [body]);
    return body;
  }
  return undefined;
}

/** Splits the helper's whole output into per-namespace dumps; `count` is the number of namespaces asked for. */
export function splitFrames(out: Buffer, count: number): NetnsFrames[] {
  const result: NetnsFrames[] = [];
  const reader = new FrameReader(count, (i, f) => (result[i] = f));
  reader.push(out);
  reader.end();
  return result;
}

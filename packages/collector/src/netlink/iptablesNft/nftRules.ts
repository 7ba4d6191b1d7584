import { attrs, messages, NetlinkFormatError, NLMSG_DONE, NLMSG_ERROR, str } from '../rtattr.ts';

/** (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE / NFT_MSG_NEWGEN. */
const NEWRULE = (10 << 8) | 6;
const NEWGEN = (10 << 8) | 15;
/** NLM_F_DUMP_INTR: the ruleset changed while the kernel was dumping it. */
const DUMP_INTR = 0x10;
const RULE = { TABLE: 1, CHAIN: 2, HANDLE: 3, EXPRESSIONS: 4, USERDATA: 7 };
const EXPR = { NAME: 1, DATA: 2 };
const DATA = { VALUE: 1, VERDICT: 2 };
const VERDICT = { CODE: 1, CHAIN: 2 };

/** One nf_tables expression, as much of it as iptables-nft writes; any other is `unknown`. */
export type NftExpr =
  | {
      readonly kind: 'payload';
      readonly dreg: number;
      readonly base: number;
      readonly offset: number;
      readonly len: number;
    }
  | { readonly kind: 'meta'; readonly dreg: number; readonly key: number }
  | {
      readonly kind: 'bitwise';
      readonly sreg: number;
      readonly dreg: number;
      readonly mask: Uint8Array;
      readonly xor: Uint8Array;
    }
  | { readonly kind: 'cmp'; readonly sreg: number; readonly op: number; readonly data: Uint8Array }
  | {
      readonly kind: 'range';
      readonly sreg: number;
      readonly op: number;
      readonly from: Uint8Array;
      readonly to: Uint8Array;
    }
  | { readonly kind: 'counter'; readonly packets: number; readonly bytes: number }
  | { readonly kind: 'verdict'; readonly code: number; readonly chain?: string }
  | {
      readonly kind: 'xt';
      readonly type: 'match' | 'target';
      readonly name: string;
      readonly rev: number;
      readonly info: DataView;
    }
  | { readonly kind: 'unknown'; readonly what: string };

/** A rule of the dump: where it sits and its expressions in order. */
export interface NftRule {
  readonly family: number;
  readonly table: string;
  readonly chain: string;
  readonly exprs: readonly NftExpr[];
  readonly userdata: boolean;
}

/**
 * What a rule dump holds; `interrupted` when the kernel flagged it (NLM_F_DUMP_INTR), refused it,
 * or it stopped before its NLMSG_DONE.
 */
export interface NftRuleDump {
  readonly rules: NftRule[];
  readonly interrupted: boolean;
}

/**
 * The NFT_MSG_NEWRULE messages of a dump (after struct nfgenmsg), their expressions decoded. Read
 * by offsets over one DataView per buffer: a kube-proxy node's 10,000 rules are ~7 MB of attributes.
 */
export function decodeNftRules(buffers: readonly DataView[]): NftRuleDump {
  const rules: NftRule[] = [];
  let interrupted = false;
  try {
    for (const buf of buffers) {
      let off = 0;
      while (off + 16 <= buf.byteLength) {
        const len = buf.getUint32(off, true);
        if (len < 16 || off + len > buf.byteLength)
          throw new NetlinkFormatError(`netlink message of ${len} bytes at ${off}`);
        const type = buf.getUint16(off + 4, true);
        if (type === NLMSG_DONE) break;
        if (buf.getUint16(off + 6, true) & DUMP_INTR || type === NLMSG_ERROR) interrupted = true;
        if (type === NEWRULE) rules.push(decodeRule(buf, off + 16, off + len));
        off += (len + 3) & ~3;
      }
    }
  } finally {
    // The cache would otherwise keep the last buffer (up to the whole helper output) alive.
    last.table.buf = last.chain.buf = undefined;
  }
  return { rules, interrupted: interrupted || !endsWithDone(buffers.at(-1)) };
}

/*
 * The readers below are loops over offsets, without a closure per call: under tsx (esbuild's
 * keepNames) every closure made costs a defineProperty, and a kube-proxy rule has a dozen expressions.
 */

/** The length of the attribute at `off` (checked against `end`), its type in `attrType`. */
let attrType = 0;
function attrAt(v: DataView, off: number, end: number): number {
  const len = v.getUint16(off, true);
  if (len < 4 || off + len > end) throw new NetlinkFormatError(`attribute of ${len} bytes at ${off}`);
  attrType = v.getUint16(off + 2, true) & 0x3fff;
  return len;
}

/** A NUL-terminated string of at most `len` bytes at `at` (names here are short ASCII). */
function text(v: DataView, at: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) {
    const c = v.getUint8(at + i);
    if (c === 0) return out;
    if (c >= 0x80) return str(new DataView(v.buffer, v.byteOffset + at, len)) ?? out;
    out += String.fromCharCode(c);
  }
  return out;
}

/** The expression names decoded here, as constants: a rule's dozen names allocate no string. */
const NAMES = ['payload', 'meta', 'bitwise', 'cmp', 'range', 'counter', 'immediate', 'match', 'target'];

/** `text()` of a name, as one of NAMES where it is one (the same string, not a new one). */
function nameAt(v: DataView, at: number, len: number): string {
  for (const n of NAMES) {
    if (len !== n.length + 1 || v.getUint8(at + n.length) !== 0) continue;
    let same = true;
    for (let i = 0; i < n.length && same; i++) same = v.getUint8(at + i) === n.charCodeAt(i);
    if (same) return n;
  }
  return text(v, at, len);
}

/** The previous rule's table and chain: a chain's rules come one after the other, and share the strings. */
const last = {
  table: { at: -1, len: 0, buf: undefined as DataView | undefined, value: '' },
  chain: { at: -1, len: 0, buf: undefined as DataView | undefined, value: '' },
};

function cachedText(v: DataView, at: number, len: number, c: (typeof last)['table']): string {
  if (c.buf && c.len === len) {
    let same = true;
    for (let i = 0; i < len && same; i++) same = v.getUint8(at + i) === c.buf.getUint8(c.at + i);
    if (same) return c.value;
  }
  c.buf = v;
  c.at = at;
  c.len = len;
  c.value = text(v, at, len);
  return c.value;
}

function decodeRule(v: DataView, start: number, end: number): NftRule {
  if (end - start < 4) throw new NetlinkFormatError('nf_tables rule without its header');
  let table: string | undefined;
  let chain: string | undefined;
  let userdata = false;
  const exprs: NftExpr[] = [];
  for (let off = start + 4; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    const type = attrType;
    if (type === RULE.TABLE) table = cachedText(v, off + 4, len - 4, last.table);
    else if (type === RULE.CHAIN) chain = cachedText(v, off + 4, len - 4, last.chain);
    else if (type === RULE.USERDATA) userdata = true;
    else if (type === RULE.EXPRESSIONS) {
      for (let e = off + 4; e + 4 <= off + len;) {
        const eLen = attrAt(v, e, off + len);
        exprs.push(decodeExpr(v, e + 4, e + eLen));
        e += (eLen + 3) & ~3;
      }
    }
    off += (len + 3) & ~3;
  }
  if (table === undefined || chain === undefined) throw new NetlinkFormatError('nf_tables rule without table or chain');
  return { family: v.getUint8(start), table, chain, exprs, userdata };
}

/** Offsets and lengths of the current expression's data attributes by type (1..7), -1 where absent. */
const dataAt = new Int32Array(8);
const dataLen = new Int32Array(8);

function be32(v: DataView, t: number): number | undefined {
  return dataAt[t]! >= 0 && dataLen[t] === 4 ? v.getUint32(dataAt[t]!, false) : undefined;
}

/** The NFTA_DATA_VALUE inside the nested nft_data attribute of type t. */
function value(v: DataView, t: number): Uint8Array | undefined {
  const at = dataAt[t]!;
  if (at < 0) return undefined;
  const end = at + dataLen[t]!;
  for (let off = at; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === DATA.VALUE) return new Uint8Array(v.buffer, v.byteOffset + off + 4, len - 4);
    off += (len + 3) & ~3;
  }
  return undefined;
}

function decodeExpr(v: DataView, start: number, end: number): NftExpr {
  let name = '';
  let dStart = -1;
  let dEnd = -1;
  for (let off = start; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === EXPR.NAME) name = nameAt(v, off + 4, len - 4);
    else if (attrType === EXPR.DATA) [dStart, dEnd] = [off + 4, off + len];
    off += (len + 3) & ~3;
  }
  dataAt.fill(-1);
  for (let off = dStart; dStart >= 0 && off + 4 <= dEnd;) {
    const len = attrAt(v, off, dEnd);
    if (attrType < 8) {
      dataAt[attrType] = off + 4;
      dataLen[attrType] = len - 4;
    }
    off += (len + 3) & ~3;
  }
  switch (name) {
    case 'payload': {
      const [dreg, base, offset, plen] = [be32(v, 1), be32(v, 2), be32(v, 3), be32(v, 4)];
      // A payload write (sreg set) is no match iptables-nft makes.
      if (dreg === undefined || base === undefined || offset === undefined || plen === undefined || dataAt[5]! >= 0)
        return { kind: 'unknown', what: 'payload write' };
      return { kind: 'payload', dreg, base, offset, len: plen };
    }
    case 'meta': {
      const [dreg, key] = [be32(v, 1), be32(v, 2)];
      if (dreg === undefined || key === undefined) return { kind: 'unknown', what: 'meta set' };
      return { kind: 'meta', dreg, key };
    }
    case 'bitwise': {
      const [sreg, dreg, op] = [be32(v, 1), be32(v, 2), be32(v, 6)];
      const [mask, xor] = [value(v, 4), value(v, 5)];
      if (sreg === undefined || dreg === undefined || !mask || !xor || (op !== undefined && op !== 0))
        return { kind: 'unknown', what: 'bitwise shift' };
      return { kind: 'bitwise', sreg, dreg, mask, xor };
    }
    case 'cmp': {
      const [sreg, op, data] = [be32(v, 1), be32(v, 2), value(v, 3)];
      if (sreg === undefined || op === undefined || !data) return { kind: 'unknown', what: 'cmp' };
      return { kind: 'cmp', sreg, op, data };
    }
    case 'range': {
      const [sreg, op, from, to] = [be32(v, 1), be32(v, 2), value(v, 3), value(v, 4)];
      if (sreg === undefined || op === undefined || !from || !to) return { kind: 'unknown', what: 'range' };
      return { kind: 'range', sreg, op, from, to };
    }
    case 'counter': {
      if (dataAt[1]! < 0 || dataAt[2]! < 0 || dataLen[1] !== 8 || dataLen[2] !== 8)
        return { kind: 'unknown', what: 'counter' };
      const [bytes, packets] = [u64(v, dataAt[1]!), u64(v, dataAt[2]!)];
      if (bytes === undefined || packets === undefined) return { kind: 'unknown', what: 'counter past 2^53' };
      return { kind: 'counter', bytes, packets };
    }
    case 'immediate':
      return be32(v, 1) === 0 && dataAt[2]! >= 0
        ? verdictOf(v, dataAt[2]!, dataAt[2]! + dataLen[2]!)
        : { kind: 'unknown', what: 'immediate data' };
    case 'match':
    case 'target': {
      const rev = be32(v, 2);
      if (dataAt[1]! < 0 || rev === undefined || dataAt[3]! < 0) return { kind: 'unknown', what: name };
      const info = new DataView(v.buffer, v.byteOffset + dataAt[3]!, dataLen[3]);
      return { kind: 'xt', type: name, name: text(v, dataAt[1]!, dataLen[1]!), rev, info };
    }
    default:
      return { kind: 'unknown', what: name === '' ? 'an unnamed expression' : name };
  }
}

/** A big-endian u64 as a number; undefined past 2^53 (a number would lose it). */
function u64(v: DataView, at: number): number | undefined {
  const hi = v.getUint32(at, false);
  return hi >= 2 ** 21 ? undefined : hi * 2 ** 32 + v.getUint32(at + 4, false);
}

/** NFTA_DATA_VERDICT in an immediate's data: its code and chain. */
function verdictOf(v: DataView, start: number, end: number): NftExpr {
  for (let off = start; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === DATA.VERDICT) {
      let code: number | undefined;
      let chain: string | undefined;
      for (let a = off + 4; a + 4 <= off + len;) {
        const aLen = attrAt(v, a, off + len);
        if (attrType === VERDICT.CODE && aLen === 8) code = v.getInt32(a + 4, false);
        else if (attrType === VERDICT.CHAIN) chain = text(v, a + 4, aLen - 4);
        a += (aLen + 3) & ~3;
      }
      if (code === undefined) return { kind: 'unknown', what: 'verdict' };
      return { kind: 'verdict', code, ...(chain === undefined ? {} : { chain }) };
    }
    off += (len + 3) & ~3;
  }
  return { kind: 'unknown', what: 'immediate data' };
}

/** The generation ids of NFT_MSG_NEWGEN answers, in the order they came. */
export function decodeNftGens(buffers: readonly DataView[]): number[] {
  const out: number[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== NEWGEN || m.body.byteLength < 4) continue;
      const id = attrs(m.body, 4).get(1);
      if (id && id.byteLength === 4) out.push(id.getUint32(0, false));
    }
  }
  return out;
}

/** Whether the last buffer of a dump holds its NLMSG_DONE (messages() stops there without saying). */
function endsWithDone(last: DataView | undefined): boolean {
  let off = 0;
  while (last && off + 16 <= last.byteLength) {
    const len = last.getUint32(off, true);
    if (len < 16) return false;
    if (last.getUint16(off + 4, true) === NLMSG_DONE) return true;
    off += (len + 3) & ~3;
  }
  return false;
}

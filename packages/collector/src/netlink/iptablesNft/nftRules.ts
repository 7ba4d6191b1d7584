import { align4, attrs, messageLength, messages, NetlinkFormatError, NLMSG_DONE, NLMSG_ERROR } from '../rtattr.ts';
import type { InternedText } from './internedText.ts';

/** (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE / NFT_MSG_NEWGEN. */
const NEWRULE = (10 << 8) | 6;
const NEWGEN = (10 << 8) | 15;
/** NLM_F_DUMP_INTR: the ruleset changed while the kernel was dumping it. */
const DUMP_INTR = 0x10;
const RULE = { TABLE: 1, CHAIN: 2, HANDLE: 3, EXPRESSIONS: 4, USERDATA: 7 };
const EXPR = { NAME: 1, DATA: 2 };
const DATA = { VALUE: 1, VERDICT: 2 };
const VERDICT = { CODE: 1, CHAIN: 2 };

/** Which expression an NftExpr holds; `unknown` for any other (its `what` says which). */
export type NftExprKind = 'payload' | 'meta' | 'bitwise' | 'cmp' | 'range' | 'counter' | 'verdict' | 'xt' | 'unknown';

/**
 * One nf_tables expression, as much of it as iptables-nft writes. One object is refilled for every
 * expression of a dump (a kube-proxy node has ~120,000): byte fields are offsets into `v`, not views,
 * and only the fields of its `kind` are meaningful.
 */
export class NftExpr {
  kind: NftExprKind = 'unknown';
  /** The dump buffer the offsets below are in. */
  v: DataView = new DataView(new ArrayBuffer(0));
  dreg = 0;
  sreg = 0;
  /** The payload base, or the meta key. */
  key = 0;
  offset = 0;
  len = 0;
  op = 0;
  /** cmp: its data; range: from; bitwise: the mask. */
  aAt = 0;
  aLen = 0;
  /** range: to; bitwise: the xor. */
  bAt = 0;
  bLen = 0;
  packets = 0;
  bytes = 0;
  /** verdict: its code, and the chain of a jump or goto. */
  code = 0;
  chain: string | undefined = undefined;
  /** xt: a `match` or a `target`, the extension's name and revision, and where its info lies. */
  xtType: 'match' | 'target' = 'match';
  name = '';
  rev = 0;
  infoAt = 0;
  infoLen = 0;
  /** unknown: what it was. */
  what = '';
}

/**
 * What a rule dump is read into, rule by rule: `rule` says where a rule sits (false to have its
 * expressions only checked), `expr` gets each expression in order, `end` closes the rule.
 */
export interface NftRuleSink {
  rule(family: number, table: string, chain: string): boolean;
  expr(e: NftExpr): void;
  end(userdata: boolean): void;
}

/**
 * Reads the NFT_MSG_NEWRULE messages of one buffer of a dump (after struct nfgenmsg) into `sink`,
 * and says whether the kernel flagged it interrupted (NLM_F_DUMP_INTR) or refused it; a dump is
 * also interrupted where its last buffer has no NLMSG_DONE (`endsWithDone`). Read by offsets over
 * the buffer (a kube-proxy node's 10,000 rules are ~7 MB of attributes), with nothing made per
 * expression; a malformed message throws a NetlinkFormatError.
 */
export function readNftRules(buf: DataView, sink: NftRuleSink, names: InternedText): boolean {
  let interrupted = false;
  let off = 0;
  while (off + 16 <= buf.byteLength) {
    const len = messageLength(buf, off);
    const type = buf.getUint16(off + 4, true);
    if (type === NLMSG_DONE) break;
    if (buf.getUint16(off + 6, true) & DUMP_INTR || type === NLMSG_ERROR) interrupted = true;
    if (type === NEWRULE) readRule(buf, off + 16, off + len, sink, names);
    off += align4(len);
  }
  return interrupted;
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

/** The expression names decoded here, as constants: a rule's dozen names allocate no string. */
const NAMES = ['payload', 'meta', 'bitwise', 'cmp', 'range', 'counter', 'immediate', 'match', 'target'];

/** An expression's name, as one of NAMES where it is one (the same string, not a new one). */
function nameAt(v: DataView, at: number, len: number, names: InternedText): string {
  for (const n of NAMES) {
    if (len !== n.length + 1 || v.getUint8(at + n.length) !== 0) continue;
    let same = true;
    for (let i = 0; i < n.length && same; i++) same = v.getUint8(at + i) === n.charCodeAt(i);
    if (same) return n;
  }
  return names.text(v, at, len);
}

/**
 * Where the rule's expression lists lie: [start, end) pairs (the kernel sends one list), the first
 * `listEnds` entries. Counted, not emptied by `length = 0`, which gives V8's array up its storage
 * and makes the next rule allocate it again.
 */
const lists: number[] = [];
let listEnds = 0;
const expr = new NftExpr();

function readRule(v: DataView, start: number, end: number, sink: NftRuleSink, names: InternedText): void {
  if (end - start < 4) throw new NetlinkFormatError('nf_tables rule without its header');
  let table: string | undefined;
  let chain: string | undefined;
  let userdata = false;
  listEnds = 0;
  for (let off = start + 4; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    const type = attrType;
    if (type === RULE.TABLE) table = names.text(v, off + 4, len - 4);
    else if (type === RULE.CHAIN) chain = names.text(v, off + 4, len - 4);
    else if (type === RULE.USERDATA) userdata = true;
    else if (type === RULE.EXPRESSIONS) {
      lists[listEnds++] = off + 4;
      lists[listEnds++] = off + len;
    }
    off += align4(len);
  }
  if (table === undefined || chain === undefined) throw new NetlinkFormatError('nf_tables rule without table or chain');
  const wanted = sink.rule(v.getUint8(start), table, chain);
  expr.v = v;
  for (let l = 0; l < listEnds; l += 2) {
    const listEnd = lists[l + 1]!;
    for (let e = lists[l]!; e + 4 <= listEnd;) {
      const eLen = attrAt(v, e, listEnd);
      readExpr(v, e + 4, e + eLen, names);
      if (wanted) sink.expr(expr);
      e += align4(eLen);
    }
  }
  sink.end(userdata);
}

/** Offsets and lengths of the current expression's data attributes by type (1..7), -1 where absent. */
const dataAt = new Int32Array(8);
const dataLen = new Int32Array(8);

function be32(v: DataView, t: number): number | undefined {
  return dataAt[t]! >= 0 && dataLen[t] === 4 ? v.getUint32(dataAt[t]!, false) : undefined;
}

/** The NFTA_DATA_VALUE inside the nested nft_data attribute of type t: its offset (its length in `valueLen`), or -1. */
let valueLen = 0;
function value(v: DataView, t: number): number {
  const at = dataAt[t]!;
  if (at < 0) return -1;
  const end = at + dataLen[t]!;
  for (let off = at; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === DATA.VALUE) {
      valueLen = len - 4;
      return off + 4;
    }
    off += align4(len);
  }
  return -1;
}

function unknown(what: string): void {
  expr.kind = 'unknown';
  expr.what = what;
}

/** Reads the expression's attributes in [start, end) into `expr`. */
function readExpr(v: DataView, start: number, end: number, names: InternedText): void {
  let name = '';
  let dStart = -1;
  let dEnd = -1;
  for (let off = start; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === EXPR.NAME) name = nameAt(v, off + 4, len - 4, names);
    else if (attrType === EXPR.DATA) {
      dStart = off + 4;
      dEnd = off + len;
    }
    off += align4(len);
  }
  dataAt.fill(-1);
  for (let off = dStart; dStart >= 0 && off + 4 <= dEnd;) {
    const len = attrAt(v, off, dEnd);
    if (attrType < 8) {
      dataAt[attrType] = off + 4;
      dataLen[attrType] = len - 4;
    }
    off += align4(len);
  }
  const e = expr;
  switch (name) {
    case 'payload': {
      const dreg = be32(v, 1);
      const base = be32(v, 2);
      const offset = be32(v, 3);
      const plen = be32(v, 4);
      // A payload write (sreg set) is no match iptables-nft makes.
      if (dreg === undefined || base === undefined || offset === undefined || plen === undefined || dataAt[5]! >= 0)
        return unknown('payload write');
      e.kind = 'payload';
      e.dreg = dreg;
      e.key = base;
      e.offset = offset;
      e.len = plen;
      return;
    }
    case 'meta': {
      const dreg = be32(v, 1);
      const key = be32(v, 2);
      if (dreg === undefined || key === undefined) return unknown('meta set');
      e.kind = 'meta';
      e.dreg = dreg;
      e.key = key;
      return;
    }
    case 'bitwise': {
      const sreg = be32(v, 1);
      const dreg = be32(v, 2);
      const op = be32(v, 6);
      const mask = value(v, 4);
      const maskLen = valueLen;
      const xor = value(v, 5);
      if (sreg === undefined || dreg === undefined || mask < 0 || xor < 0 || (op !== undefined && op !== 0))
        return unknown('bitwise shift');
      e.kind = 'bitwise';
      e.sreg = sreg;
      e.dreg = dreg;
      e.aAt = mask;
      e.aLen = maskLen;
      e.bAt = xor;
      e.bLen = valueLen;
      return;
    }
    case 'cmp': {
      const sreg = be32(v, 1);
      const op = be32(v, 2);
      const data = value(v, 3);
      if (sreg === undefined || op === undefined || data < 0) return unknown('cmp');
      e.kind = 'cmp';
      e.sreg = sreg;
      e.op = op;
      e.aAt = data;
      e.aLen = valueLen;
      return;
    }
    case 'range': {
      const sreg = be32(v, 1);
      const op = be32(v, 2);
      const from = value(v, 3);
      const fromLen = valueLen;
      const to = value(v, 4);
      if (sreg === undefined || op === undefined || from < 0 || to < 0) return unknown('range');
      e.kind = 'range';
      e.sreg = sreg;
      e.op = op;
      e.aAt = from;
      e.aLen = fromLen;
      e.bAt = to;
      e.bLen = valueLen;
      return;
    }
    case 'counter': {
      if (dataAt[1]! < 0 || dataAt[2]! < 0 || dataLen[1] !== 8 || dataLen[2] !== 8) return unknown('counter');
      const bytes = u64(v, dataAt[1]!);
      const packets = u64(v, dataAt[2]!);
      if (bytes === undefined || packets === undefined) return unknown('counter past 2^53');
      e.kind = 'counter';
      e.bytes = bytes;
      e.packets = packets;
      return;
    }
    case 'immediate':
      if (be32(v, 1) === 0 && dataAt[2]! >= 0) verdictOf(v, dataAt[2]!, dataAt[2]! + dataLen[2]!, names);
      else unknown('immediate data');
      return;
    case 'match':
    case 'target': {
      const rev = be32(v, 2);
      if (dataAt[1]! < 0 || rev === undefined || dataAt[3]! < 0) return unknown(name);
      e.kind = 'xt';
      e.xtType = name;
      e.name = names.text(v, dataAt[1]!, dataLen[1]!);
      e.rev = rev;
      e.infoAt = dataAt[3]!;
      e.infoLen = dataLen[3]!;
      return;
    }
    default:
      return unknown(name === '' ? 'an unnamed expression' : name);
  }
}

/** A big-endian u64 as a number; undefined past 2^53 (a number would lose it). */
function u64(v: DataView, at: number): number | undefined {
  const hi = v.getUint32(at, false);
  return hi >= 2 ** 21 ? undefined : hi * 2 ** 32 + v.getUint32(at + 4, false);
}

/** NFTA_DATA_VERDICT in an immediate's data: its code and chain. */
function verdictOf(v: DataView, start: number, end: number, names: InternedText): void {
  for (let off = start; off + 4 <= end;) {
    const len = attrAt(v, off, end);
    if (attrType === DATA.VERDICT) {
      let code: number | undefined;
      let chain: string | undefined;
      for (let a = off + 4; a + 4 <= off + len;) {
        const aLen = attrAt(v, a, off + len);
        if (attrType === VERDICT.CODE && aLen === 8) code = v.getInt32(a + 4, false);
        else if (attrType === VERDICT.CHAIN) chain = names.text(v, a + 4, aLen - 4);
        a += align4(aLen);
      }
      if (code === undefined) return unknown('verdict');
      expr.kind = 'verdict';
      expr.code = code;
      expr.chain = chain;
      return;
    }
    off += align4(len);
  }
  unknown('immediate data');
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
export function endsWithDone(last: DataView | undefined): boolean {
  let off = 0;
  while (last && off + 16 <= last.byteLength) {
    const len = last.getUint32(off, true);
    if (len < 16) return false;
    if (last.getUint16(off + 4, true) === NLMSG_DONE) return true;
    off += align4(len);
  }
  return false;
}

import { attrs, messages, NetlinkFormatError, NLMSG_ERROR, str, type Attrs } from '../rtattr.ts';

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
  | { readonly kind: 'payload'; readonly dreg: number; readonly base: number; readonly offset: number; readonly len: number }
  | { readonly kind: 'meta'; readonly dreg: number; readonly key: number }
  | { readonly kind: 'bitwise'; readonly sreg: number; readonly dreg: number; readonly mask: Uint8Array; readonly xor: Uint8Array }
  | { readonly kind: 'cmp'; readonly sreg: number; readonly op: number; readonly data: Uint8Array }
  | { readonly kind: 'range'; readonly sreg: number; readonly op: number; readonly from: Uint8Array; readonly to: Uint8Array }
  | { readonly kind: 'counter'; readonly packets: bigint; readonly bytes: bigint }
  | { readonly kind: 'verdict'; readonly code: number; readonly chain?: string }
  | { readonly kind: 'xt'; readonly type: 'match' | 'target'; readonly name: string; readonly rev: number; readonly info: DataView }
  | { readonly kind: 'unknown'; readonly what: string };

/** A rule of the dump: where it sits and its expressions in order. */
export interface NftRule {
  readonly family: number;
  readonly table: string;
  readonly chain: string;
  readonly exprs: readonly NftExpr[];
  readonly userdata: boolean;
}

/** What a rule dump holds; `interrupted` when the kernel flagged it (NLM_F_DUMP_INTR) or refused it. */
export interface NftRuleDump {
  readonly rules: NftRule[];
  readonly interrupted: boolean;
}

const bytesOf = (v: DataView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
const be32 = (a: Attrs, t: number): number | undefined => {
  const v = a.get(t);
  return v && v.byteLength === 4 ? v.getUint32(0, false) : undefined;
};
const be64 = (a: Attrs, t: number): bigint | undefined => {
  const v = a.get(t);
  return v && v.byteLength === 8 ? v.getBigUint64(0, false) : undefined;
};
/** An NFTA_DATA_VALUE inside a nested nft_data attribute. */
const value = (v: DataView | undefined): Uint8Array | undefined => {
  const inner = v && attrs(v).get(DATA.VALUE);
  return inner && bytesOf(inner);
};

/** The NFT_MSG_NEWRULE messages of a dump (after struct nfgenmsg), their expressions decoded. */
export function decodeNftRules(buffers: readonly DataView[]): NftRuleDump {
  const rules: NftRule[] = [];
  let interrupted = false;
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.flags & DUMP_INTR) interrupted = true;
      if (m.type === NLMSG_ERROR) interrupted = true;
      if (m.type !== NEWRULE) continue;
      if (m.body.byteLength < 4) throw new NetlinkFormatError('nf_tables rule without its header');
      const a = attrs(m.body, 4);
      const table = str(a.get(RULE.TABLE));
      const chain = str(a.get(RULE.CHAIN));
      if (table === undefined || chain === undefined) throw new NetlinkFormatError('nf_tables rule without table or chain');
      const list = a.get(RULE.EXPRESSIONS);
      const exprs: NftExpr[] = [];
      if (list) for (const [, e] of orderedList(list)) exprs.push(decodeExpr(e));
      rules.push({ family: m.body.getUint8(0), table, chain, exprs, userdata: a.has(RULE.USERDATA) });
    }
  }
  return { rules, interrupted };
}

/** Every NFTA_LIST_ELEM of a list, in order (Attrs keeps only the last of a type). */
function orderedList(list: DataView): [number, DataView][] {
  const out: [number, DataView][] = [];
  let off = 0;
  while (off + 4 <= list.byteLength) {
    const len = list.getUint16(off, true);
    if (len < 4 || off + len > list.byteLength) throw new NetlinkFormatError(`expression of ${len} bytes at ${off}`);
    out.push([list.getUint16(off + 2, true) & 0x3fff, new DataView(list.buffer, list.byteOffset + off + 4, len - 4)]);
    off += (len + 3) & ~3;
  }
  return out;
}

function decodeExpr(e: DataView): NftExpr {
  const a = attrs(e);
  const name = str(a.get(EXPR.NAME)) ?? '';
  const dataAttr = a.get(EXPR.DATA);
  const d = dataAttr ? attrs(dataAttr) : attrs(new DataView(new ArrayBuffer(0)));
  const unknown = (what: string): NftExpr => ({ kind: 'unknown', what });
  switch (name) {
    case 'payload': {
      const [dreg, base, offset, len] = [1, 2, 3, 4].map((t) => be32(d, t));
      // A payload write (sreg set) is no match iptables-nft makes.
      if (dreg === undefined || base === undefined || offset === undefined || len === undefined || d.has(5))
        return unknown('payload write');
      return { kind: 'payload', dreg, base, offset, len };
    }
    case 'meta': {
      const dreg = be32(d, 1);
      const key = be32(d, 2);
      if (dreg === undefined || key === undefined) return unknown('meta set');
      return { kind: 'meta', dreg, key };
    }
    case 'bitwise': {
      const sreg = be32(d, 1);
      const dreg = be32(d, 2);
      const mask = value(d.get(4));
      const xor = value(d.get(5));
      const op = be32(d, 6);
      if (sreg === undefined || dreg === undefined || !mask || !xor || (op !== undefined && op !== 0))
        return unknown('bitwise shift');
      return { kind: 'bitwise', sreg, dreg, mask, xor };
    }
    case 'cmp': {
      const sreg = be32(d, 1);
      const op = be32(d, 2);
      const data = value(d.get(3));
      if (sreg === undefined || op === undefined || !data) return unknown('cmp');
      return { kind: 'cmp', sreg, op, data };
    }
    case 'range': {
      const sreg = be32(d, 1);
      const op = be32(d, 2);
      const from = value(d.get(3));
      const to = value(d.get(4));
      if (sreg === undefined || op === undefined || !from || !to) return unknown('range');
      return { kind: 'range', sreg, op, from, to };
    }
    case 'counter': {
      const bytes = be64(d, 1);
      const packets = be64(d, 2);
      if (bytes === undefined || packets === undefined) return unknown('counter');
      return { kind: 'counter', packets, bytes };
    }
    case 'immediate': {
      const dreg = be32(d, 1);
      const data = d.get(2);
      const verdict = dreg === 0 && data ? attrs(data).get(DATA.VERDICT) : undefined;
      if (!verdict) return unknown('immediate data');
      const v = attrs(verdict);
      const code = v.get(VERDICT.CODE);
      if (!code || code.byteLength !== 4) return unknown('verdict');
      const chain = str(v.get(VERDICT.CHAIN));
      return { kind: 'verdict', code: code.getInt32(0, false), ...(chain === undefined ? {} : { chain }) };
    }
    case 'match':
    case 'target': {
      const xtName = str(d.get(1));
      const rev = be32(d, 2);
      const info = d.get(3);
      if (xtName === undefined || rev === undefined || !info) return unknown(name);
      return { kind: 'xt', type: name, name: xtName, rev, info };
    }
    default:
      return unknown(name === '' ? 'an unnamed expression' : name);
  }
}

/** The generation ids of NFT_MSG_NEWGEN answers, in the order they came. */
export function decodeNftGens(buffers: readonly DataView[]): number[] {
  const out: number[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== NEWGEN || m.body.byteLength < 4) continue;
      const id = be32(attrs(m.body, 4), 1);
      if (id !== undefined) out.push(id);
    }
  }
  return out;
}

import { parseIp } from '../../net/ip.ts';
import type { JsonValue } from '../../schema/firewall.ts';
import { ICMP6_TYPES, ICMP_TYPES, PROTOCOLS } from '../matchers.ts';

/**
 * A value an nft expression yields: a number of `bits` bits with the bits the tracer knows
 * (`known`: a VXLAN source port has none), or a string (interface names), or a concatenation.
 */
export type NftVal =
  | {
      readonly kind: 'num';
      readonly bits: number;
      readonly value: bigint;
      readonly known: bigint;
      /** Where bits are unknown: the range the whole value lies in, where known (a port the kernel picks). */
      readonly within?: readonly [bigint, bigint];
    }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'concat'; readonly parts: readonly NftVal[] };

export const num = (bits: number, value: bigint | number): NftVal => ({
  kind: 'num',
  bits,
  value: BigInt(value),
  known: (1n << BigInt(bits)) - 1n,
});

/** The datatypes of nft's expressions that decide how a literal on the right is read. */
export type NftType =
  | 'ipv4_addr'
  | 'ipv6_addr'
  | 'inet_service'
  | 'inet_proto'
  | 'icmp_type'
  | 'icmpv6_type'
  | 'icmp_code'
  | 'ct_state'
  | 'ct_status'
  | 'mark'
  | 'integer'
  | 'ifname'
  | 'iface_index'
  | 'ether_addr'
  | 'ether_type'
  | 'fib_addrtype'
  | 'pkt_type'
  | 'nf_proto'
  | 'tcp_flag';

/** What a literal on the right matches: one value, a prefix, a range, or any of a set. */
export type Pattern =
  | { readonly kind: 'value'; readonly v: NftVal }
  | { readonly kind: 'prefix'; readonly v: NftVal; readonly mask: bigint }
  | { readonly kind: 'range'; readonly lo: bigint; readonly hi: bigint }
  | { readonly kind: 'wildcard'; readonly stem: string }
  | { readonly kind: 'concat'; readonly parts: readonly Pattern[] }
  | { readonly kind: 'any'; readonly of: readonly Pattern[] };

export const CT_STATE_BITS: Readonly<Record<string, number>> = {
  invalid: 1,
  established: 2,
  related: 4,
  new: 8,
  untracked: 64,
};
const TCP_FLAG_BITS: Readonly<Record<string, number>> = {
  fin: 1,
  syn: 2,
  rst: 4,
  psh: 8,
  ack: 16,
  urg: 32,
  ecn: 64,
  cwr: 128,
};
export const ADDR_TYPES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
];
export const PKT_TYPES = ['host', 'broadcast', 'multicast', 'other'];
const ETHER_TYPES: Readonly<Record<string, number>> = {
  ip: 0x0800,
  ip6: 0x86dd,
  arp: 0x0806,
  vlan: 0x8100,
  '8021ad': 0x88a8,
};
const BITS: Readonly<Record<NftType, number>> = {
  ipv4_addr: 32,
  ipv6_addr: 128,
  inet_service: 16,
  inet_proto: 8,
  icmp_type: 8,
  icmpv6_type: 8,
  icmp_code: 8,
  ct_state: 32,
  ct_status: 32,
  mark: 32,
  integer: 32,
  ifname: 0,
  iface_index: 0,
  ether_addr: 48,
  ether_type: 16,
  fib_addrtype: 32,
  pkt_type: 8,
  nf_proto: 8,
  tcp_flag: 8,
};

export const bitsOf = (t: NftType): number => BITS[t];

/** A literal of a type as a number, or undefined when it is not one. */
function scalar(t: NftType, v: JsonValue): bigint | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string') return undefined;
  if (/^0x[0-9a-f]+$/i.test(v) || /^\d+$/.test(v)) return BigInt(v);
  switch (t) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      const ip = parseIp(v);
      return ip && (ip.family === 4) === (t === 'ipv4_addr') ? ip.value : undefined;
    }
    case 'inet_proto':
      return PROTOCOLS[v] === undefined ? undefined : BigInt(PROTOCOLS[v]);
    case 'icmp_type': {
      const x = ICMP_TYPES[v];
      return x && x[0] >= 0 ? BigInt(x[0]) : undefined;
    }
    case 'icmpv6_type': {
      const x = ICMP6_TYPES[v];
      return x && x[0] >= 0 ? BigInt(x[0]) : undefined;
    }
    case 'ct_state':
      return CT_STATE_BITS[v] === undefined ? undefined : BigInt(CT_STATE_BITS[v]);
    case 'tcp_flag':
      return TCP_FLAG_BITS[v] === undefined ? undefined : BigInt(TCP_FLAG_BITS[v]);
    case 'ether_addr':
      return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v) ? BigInt(`0x${v.replaceAll(':', '')}`) : undefined;
    case 'ether_type':
      return ETHER_TYPES[v] === undefined ? undefined : BigInt(ETHER_TYPES[v]);
    case 'fib_addrtype':
      return ADDR_TYPES.includes(v) ? BigInt(ADDR_TYPES.indexOf(v)) : undefined;
    case 'pkt_type':
      return PKT_TYPES.includes(v) ? BigInt(PKT_TYPES.indexOf(v)) : undefined;
    case 'nf_proto':
      return v === 'ipv4' ? 2n : v === 'ipv6' ? 10n : undefined;
    default:
      return undefined;
  }
}

/**
 * Reads the right-hand side of a match (or a set element) as patterns of the left's type(s):
 * values, `{"prefix": …}`, `{"range": …}`, `{"set": […]}`, a list (flags), `{"concat": […]}`, and a
 * named set resolved by `named`. Undefined when it is not a form hoplens reads.
 */
export function scalarOf(t: NftType, v: JsonValue): bigint | undefined {
  return scalar(t, v);
}

export function toPattern(
  types: readonly NftType[],
  v: JsonValue,
  named: (name: string) => readonly JsonValue[] | undefined,
): Pattern | undefined {
  if (typeof v === 'string' && v.startsWith('@')) {
    const elems = named(v.slice(1));
    if (!elems) return undefined;
    return anyOf(elems.map((e) => toPattern(types, e, named)));
  }
  if (Array.isArray(v)) {
    // A concatenation element is a list of its parts; a flags list (ct state a,b) is any of them.
    if (types.length > 1) return concatOf(types, v, named);
    return anyOf(v.map((e) => toPattern(types, e, named)));
  }
  if (typeof v === 'object' && v !== null) {
    if ('set' in v && Array.isArray(v.set)) return anyOf(v.set.map((e) => toPattern(types, e, named)));
    if ('concat' in v && Array.isArray(v.concat)) return concatOf(types, v.concat, named);
    if ('elem' in v && typeof v.elem === 'object' && v.elem !== null && 'val' in v.elem)
      return toPattern(types, v.elem.val ?? null, named);
    const t = types[0];
    if (!t || types.length !== 1) return undefined;
    if ('prefix' in v && typeof v.prefix === 'object' && v.prefix !== null && !Array.isArray(v.prefix)) {
      const bits = BITS[t];
      const addr = scalar(t, v.prefix.addr ?? null);
      const len = v.prefix.len;
      if (addr === undefined || typeof len !== 'number' || len < 0 || len > bits) return undefined;
      const all = (1n << BigInt(bits)) - 1n;
      const mask = len === 0 ? 0n : (all << BigInt(bits - len)) & all;
      return { kind: 'prefix', v: num(bits, addr & mask), mask };
    }
    if ('range' in v && Array.isArray(v.range) && v.range.length === 2) {
      const lo = scalar(t, v.range[0]!);
      const hi = scalar(t, v.range[1]!);
      return lo === undefined || hi === undefined ? undefined : { kind: 'range', lo, hi };
    }
    return undefined;
  }
  const t = types[0];
  if (!t || types.length !== 1 || v === null || typeof v === 'boolean') return undefined;
  if (t === 'ifname' || t === 'iface_index') {
    const s = String(v);
    return s.endsWith('*')
      ? { kind: 'wildcard', stem: s.slice(0, -1) }
      : { kind: 'value', v: { kind: 'str', value: s } };
  }
  const x = scalar(t, v);
  return x === undefined ? undefined : { kind: 'value', v: num(BITS[t], x) };
}

function anyOf(parts: readonly (Pattern | undefined)[]): Pattern | undefined {
  return parts.some((p) => p === undefined) ? undefined : { kind: 'any', of: parts as Pattern[] };
}

function concatOf(
  types: readonly NftType[],
  v: readonly JsonValue[],
  named: (n: string) => readonly JsonValue[] | undefined,
): Pattern | undefined {
  if (v.length !== types.length) return undefined;
  const parts = v.map((x, i) => toPattern([types[i]!], x, named));
  return parts.some((p) => p === undefined) ? undefined : { kind: 'concat', parts: parts as Pattern[] };
}

/** Does a value match a pattern: true, false, or unknown (bits it needs are not known). */
export function matches(v: NftVal, p: Pattern): boolean | 'unknown' {
  switch (p.kind) {
    case 'any': {
      let unsure = false;
      for (const q of p.of) {
        const r = matches(v, q);
        if (r === true) return true;
        if (r === 'unknown') unsure = true;
      }
      return unsure ? 'unknown' : false;
    }
    case 'concat': {
      if (v.kind !== 'concat' || v.parts.length !== p.parts.length) return false;
      let unsure = false;
      for (let i = 0; i < p.parts.length; i++) {
        const r = matches(v.parts[i]!, p.parts[i]!);
        if (r === false) return false;
        if (r === 'unknown') unsure = true;
      }
      return unsure ? 'unknown' : true;
    }
    case 'wildcard':
      return v.kind === 'str' && v.value.startsWith(p.stem);
    case 'value':
      if (v.kind === 'str' || p.v.kind === 'str')
        return v.kind === 'str' && p.v.kind === 'str' && v.value === p.v.value;
      if (v.kind !== 'num' || p.v.kind !== 'num') return false;
      return withinOr(v, p.v.value, p.v.value) ?? maskedEqual(v, p.v.value, (1n << BigInt(v.bits)) - 1n);
    case 'prefix': {
      if (v.kind !== 'num' || p.v.kind !== 'num') return false;
      // The values it matches lie between lo and hi; with a mask of leading bits, they are all of them.
      const free = ((1n << BigInt(v.bits)) - 1n) & ~p.mask;
      const lo = p.v.value & p.mask;
      const inRange = withinOr(v, lo, lo | free);
      if (inRange === false || (inRange === true && (free & (free + 1n)) === 0n)) return inRange;
      return maskedEqual(v, p.v.value, p.mask);
    }
    case 'range': {
      if (v.kind !== 'num') return false;
      if (v.known !== (1n << BigInt(v.bits)) - 1n) return withinOr(v, p.lo, p.hi) ?? 'unknown';
      return v.value >= p.lo && v.value <= p.hi;
    }
  }
}

/**
 * A value not fully known but within a known range, against the interval lo–hi: false where the
 * two are apart, true where the range lies inside it, undefined where that cannot tell (or no range).
 */
function withinOr(v: Extract<NftVal, { kind: 'num' }>, lo: bigint, hi: bigint): boolean | undefined {
  const w = v.within;
  if (w === undefined || v.known === (1n << BigInt(v.bits)) - 1n) return undefined;
  if (w[1] < lo || w[0] > hi) return false;
  return w[0] >= lo && w[1] <= hi ? true : undefined;
}

function maskedEqual(v: Extract<NftVal, { kind: 'num' }>, want: bigint, mask: bigint): boolean | 'unknown' {
  const knownBits = v.known & mask;
  if ((v.value & knownBits) !== (want & knownBits)) return false;
  return knownBits === mask ? true : 'unknown';
}

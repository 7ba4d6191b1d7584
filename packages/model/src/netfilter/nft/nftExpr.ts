import type { JsonValue } from '../../schema/firewall.ts';
import type { PacketBytes } from '../../trace/packetBytes.ts';
import type { NfEnv, NfPacket, NfState } from '../nfPacket.ts';
import { txt } from './nftText.ts';
import { ADDR_TYPES, CT_STATE_BITS, num, PKT_TYPES, scalarOf, type NftType, type NftVal } from './nftValue.ts';

/**
 * What a left-hand expression reads from a packet: a value, `null` when the packet has no such
 * field (nft then breaks off the rule: no match), or what could not be read.
 */
export type Read = NftVal | null | { readonly unknown: string };

export interface Getter {
  readonly types: readonly NftType[];
  readonly read: (p: NfPacket, s: NfState, env: NfEnv) => Read;
}

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

type Base = 'll' | 'nh' | 'th';
/** Named payload fields: header, offset and length in bits, datatype (nftables src/proto.c). */
const FIELDS: Readonly<Record<string, Readonly<Record<string, readonly [Base, number, number, NftType]>>>> = {
  ether: {
    daddr: ['ll', 0, 48, 'ether_addr'],
    saddr: ['ll', 48, 48, 'ether_addr'],
    type: ['ll', 96, 16, 'ether_type'],
  },
  ip: {
    version: ['nh', 0, 4, 'integer'],
    hdrlength: ['nh', 4, 4, 'integer'],
    dscp: ['nh', 8, 6, 'integer'],
    length: ['nh', 16, 16, 'integer'],
    id: ['nh', 32, 16, 'integer'],
    ttl: ['nh', 64, 8, 'integer'],
    protocol: ['nh', 72, 8, 'inet_proto'],
    saddr: ['nh', 96, 32, 'ipv4_addr'],
    daddr: ['nh', 128, 32, 'ipv4_addr'],
  },
  ip6: {
    version: ['nh', 0, 4, 'integer'],
    flowlabel: ['nh', 12, 20, 'integer'],
    length: ['nh', 32, 16, 'integer'],
    nexthdr: ['nh', 48, 8, 'inet_proto'],
    hoplimit: ['nh', 56, 8, 'integer'],
    saddr: ['nh', 64, 128, 'ipv6_addr'],
    daddr: ['nh', 192, 128, 'ipv6_addr'],
  },
  tcp: {
    sport: ['th', 0, 16, 'inet_service'],
    dport: ['th', 16, 16, 'inet_service'],
    flags: ['th', 104, 8, 'tcp_flag'],
  },
  udp: {
    sport: ['th', 0, 16, 'inet_service'],
    dport: ['th', 16, 16, 'inet_service'],
    length: ['th', 32, 16, 'integer'],
  },
  udplite: { sport: ['th', 0, 16, 'inet_service'], dport: ['th', 16, 16, 'inet_service'] },
  sctp: { sport: ['th', 0, 16, 'inet_service'], dport: ['th', 16, 16, 'inet_service'] },
  th: { sport: ['th', 0, 16, 'inet_service'], dport: ['th', 16, 16, 'inet_service'] },
  icmp: {
    type: ['th', 0, 8, 'icmp_type'],
    code: ['th', 8, 8, 'icmp_code'],
    id: ['th', 32, 16, 'integer'],
    sequence: ['th', 48, 16, 'integer'],
  },
  icmpv6: {
    type: ['th', 0, 8, 'icmpv6_type'],
    code: ['th', 8, 8, 'icmp_code'],
    id: ['th', 32, 16, 'integer'],
    sequence: ['th', 48, 16, 'integer'],
  },
};

/** The implicit dependency a protocol's fields carry (`tcp dport` only on TCP). */
function present(proto: string, p: NfPacket): boolean {
  switch (proto) {
    case 'ip':
      return p.family === 'ipv4';
    case 'ip6':
      return p.family === 'ipv6';
    case 'tcp':
      return p.l4proto === 6;
    case 'udp':
      return p.l4proto === 17;
    case 'udplite':
      return p.l4proto === 136;
    case 'sctp':
      return p.l4proto === 132;
    case 'icmp':
      return p.family === 'ipv4' && p.l4proto === 1;
    case 'icmpv6':
      return p.family === 'ipv6' && p.l4proto === 58;
    case 'th':
      return p.l4proto !== undefined;
    default:
      return true;
  }
}

/** `len` bits at bit `offset` of a header: value and known bits, null past the packet's end. */
export function readBits(b: PacketBytes | undefined, base: Base, offset: number, len: number): Read {
  if (!b) return { unknown: 'the packet bytes are not known here' };
  const start = base === 'll' ? 0 : base === 'nh' ? b.l3 : b.l4;
  if (start === undefined) return null;
  let value = 0n;
  let known = 0n;
  const first = start * 8 + offset;
  for (let bit = first; bit < first + len; bit++) {
    const byte = bit >> 3;
    if (byte >= b.length) return null;
    const isKnown = byte < b.data.length && b.known[byte] === 1;
    const x = isKnown ? (b.data[byte]! >> (7 - (bit & 7))) & 1 : 0;
    value = (value << 1n) | BigInt(x);
    known = (known << 1n) | (isKnown ? 1n : 0n);
  }
  // A whole TCP/UDP port the kernel picks, from a range the tracer knows.
  const range =
    base === 'th' && len === 16 && known === 0n
      ? offset === 0
        ? b.portRanges?.sport
        : offset === 16
          ? b.portRanges?.dport
          : undefined
      : undefined;
  if (range) return { kind: 'num', bits: len, value, known, within: [BigInt(range.start), BigInt(range.end)] };
  return { kind: 'num', bits: len, value, known };
}

const META: Readonly<Record<string, [NftType, (p: NfPacket, s: NfState) => NftVal | null]>> = {
  l4proto: ['inet_proto', (p) => (p.l4proto === undefined ? null : num(8, p.l4proto))],
  nfproto: ['nf_proto', (p) => num(8, p.family === 'ipv4' ? 2 : p.family === 'ipv6' ? 10 : 3)],
  protocol: ['ether_type', (p) => num(16, p.family === 'ipv4' ? 0x0800 : p.family === 'ipv6' ? 0x86dd : 0x0806)],
  iifname: ['ifname', (p) => (p.iif === undefined ? null : { kind: 'str', value: p.iif })],
  oifname: ['ifname', (p) => (p.oif === undefined ? null : { kind: 'str', value: p.oif })],
  iif: ['iface_index', (p) => (p.iif === undefined ? null : { kind: 'str', value: p.iif })],
  oif: ['iface_index', (p) => (p.oif === undefined ? null : { kind: 'str', value: p.oif })],
  mark: ['mark', (_p, s) => num(32, s.mark)],
  pkttype: ['pkt_type', (p) => num(8, PKT_TYPES.indexOf(p.pktType === 'otherhost' ? 'other' : p.pktType))],
  length: ['integer', (p) => num(32, p.length)],
};

/** A left-hand expression compiled to its reader, or what hoplens does not read (named as nft spells it). */
export function compileLeft(e: JsonValue): Getter | { readonly unsupported: string } {
  if (!isObj(e)) return { unsupported: JSON.stringify(e) };
  const [key] = Object.keys(e);
  const body = e[key ?? ''];
  if (key === 'payload' && isObj(body)) {
    if (typeof body.protocol === 'string' && typeof body.field === 'string') {
      const proto = body.protocol;
      const f = FIELDS[proto]?.[body.field];
      if (!f) return { unsupported: `${proto} ${body.field}` };
      const [base, offset, len, type] = f;
      return { types: [type], read: (p) => (present(proto, p) ? readBits(p.bytes, base, offset, len) : null) };
    }
    const { base, offset, len } = body;
    if (
      (base === 'll' || base === 'nh' || base === 'th') &&
      typeof offset === 'number' &&
      typeof len === 'number' &&
      len > 0 &&
      len <= 128
    ) {
      return { types: ['integer'], read: (p) => readBits(p.bytes, base, offset, len) };
    }
    return { unsupported: `payload ${JSON.stringify(body)}` };
  }
  if (key === 'meta' && isObj(body) && typeof body.key === 'string') {
    const m = META[body.key];
    return m ? { types: [m[0]], read: (p, s) => m[1](p, s) } : { unsupported: `meta ${body.key}` };
  }
  if (key === 'ct' && isObj(body) && typeof body.key === 'string') return compileCt(body.key);
  if (key === 'fib' && isObj(body)) return compileFib(body);
  if (
    (key === '&' || key === '|' || key === '^' || key === '>>' || key === '<<') &&
    Array.isArray(body) &&
    body.length === 2
  ) {
    const inner = compileLeft(body[0]!);
    if ('unsupported' in inner) return inner;
    const t = inner.types[0] ?? 'integer';
    const operand = scalarOf(t, body[1]!) ?? scalarOf('integer', body[1]!);
    if (operand === undefined) return { unsupported: JSON.stringify(e) };
    return { types: inner.types, read: (p, s, env) => bitwise(key, inner.read(p, s, env), operand) };
  }
  if (key === 'concat' && Array.isArray(body)) {
    const parts = body.map(compileLeft);
    const bad = parts.find((x) => 'unsupported' in x);
    if (bad) return bad;
    const gs = parts as Getter[];
    return {
      types: gs.map((g) => g.types[0] ?? 'integer'),
      read: (p, s, env) => {
        const vals: NftVal[] = [];
        for (const g of gs) {
          const v = g.read(p, s, env);
          if (v === null || 'unknown' in v) return v;
          vals.push(v);
        }
        return { kind: 'concat', parts: vals };
      },
    };
  }
  return { unsupported: key === 'numgen' ? 'numgen (a random or round-robin choice)' : (key ?? JSON.stringify(e)) };
}

function compileCt(key: string): Getter | { unsupported: string } {
  if (key === 'state') return { types: ['ct_state'], read: (_p, s) => num(32, CT_STATE_BITS[s.ct] ?? 1) };
  if (key === 'status') {
    // Without NAT evaluated, the traced packets carry no NAT mapping: the SNAT and DNAT bits are known zero.
    return {
      types: ['ct_status'],
      read: (_p, s) =>
        s.ct === 'untracked' || s.ct === 'invalid' ? null : { kind: 'num', bits: 32, value: 0n, known: 0x30n },
    };
  }
  return { unsupported: `ct ${key}` };
}

function compileFib(body: Obj): Getter | { unsupported: string } {
  const flags = Array.isArray(body.flags) ? body.flags : [body.flags];
  if (body.result !== 'type' || flags.some((f) => f !== 'daddr' && f !== 'saddr') || flags.length !== 1) {
    return { unsupported: `fib ${flags.map(txt).join(' . ')} ${txt(body.result)}` };
  }
  const which = flags[0] === 'daddr' ? 'dst' : 'src';
  return {
    types: ['fib_addrtype'],
    read: (p, _s, env) => {
      const ip = p[which];
      if (!ip) return { unknown: 'the address is not known yet' };
      return num(32, ADDR_TYPES.indexOf(env.addrType(ip)));
    },
  };
}

function bitwise(op: string, v: Read, operand: bigint): Read {
  if (v === null || 'unknown' in v || v.kind !== 'num') return v;
  const all = (1n << BigInt(v.bits)) - 1n;
  switch (op) {
    case '&':
      // Bits masked off are known zero.
      return { ...v, value: v.value & operand, known: v.known | (~operand & all) };
    case '|':
      return { ...v, value: (v.value | operand) & all, known: v.known | operand };
    case '^':
      return { ...v, value: (v.value ^ operand) & all };
    case '>>':
      return { ...v, value: v.value >> operand, known: (v.known >> operand) | (all & ~(all >> operand)) };
    default:
      return { ...v, value: (v.value << operand) & all, known: ((v.known << operand) | ((1n << operand) - 1n)) & all };
  }
}

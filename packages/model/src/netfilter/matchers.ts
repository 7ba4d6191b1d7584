import { parseIp, type IpValue } from '../net/ip.ts';
import { rangeIn } from '../net/portRange.ts';
import type { IpSet } from '../schema/firewall.ts';
import type { Match, Tri } from './ir.ts';
import type { AddrType, NfCtState, NfPacket } from './nfPacket.ts';

/**
 * The tests both compilers (iptables words, nftables JSON) build rules from: addresses and
 * prefixes, interfaces, protocols, ports, ICMP types, conntrack state, marks, address types, sets.
 * Each reads the NfPacket and says true, false, or what it could not read.
 */

export const unknown = (why: string): Tri => ({ unknown: why });
export const not = (t: Tri): Tri => (typeof t === 'boolean' ? !t : t);
export const negated = (m: Match, neg: boolean): Match => (neg ? (p, s, e) => not(m(p, s, e)) : m);

/** An address with a mask: `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, or a bare address. */
export interface Masked {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly mask: bigint;
}

export function parseMasked(text: string): Masked | undefined {
  const [addr = '', m] = text.split('/');
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const all = (1n << BigInt(bits)) - 1n;
  let mask = all;
  if (m !== undefined) {
    if (/^\d+$/.test(m)) {
      const len = Number(m);
      if (len > bits) return undefined;
      mask = len === 0 ? 0n : (all << BigInt(bits - len)) & all;
    } else {
      const mm = parseIp(m);
      if (!mm || mm.family !== ip.family) return undefined;
      mask = mm.value;
    }
  }
  return { family: ip.family, value: ip.value & mask, mask };
}

export const inMasked = (ip: IpValue, m: Masked): boolean => ip.family === m.family && (ip.value & m.mask) === m.value;

/** The packet's source or destination address within a prefix. */
export function addressMatch(which: 'src' | 'dst', m: Masked): Match {
  return (p) => {
    const ip = p[which];
    if (p.family === 'arp') return false;
    if (!ip) return unknown(`the packet's ${which === 'src' ? 'source' : 'destination'} address is not known yet`);
    return inMasked(ip, m);
  };
}

/** An interface name, with iptables' trailing `+` (nft's `*`) as a prefix wildcard. */
export function interfaceMatch(which: 'iif' | 'oif' | 'physIn' | 'physOut', pattern: string): Match {
  const wild = pattern.endsWith('+') || pattern.endsWith('*');
  const stem = wild ? pattern.slice(0, -1) : pattern;
  return (p) => {
    const name = p[which];
    if (name === undefined) return false;
    return wild ? name.startsWith(stem) : name === stem;
  };
}

/** IP protocol numbers by the names iptables and nft print. */
export const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipv4: 4,
  ipencap: 4,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  icmpv6: 58,
  sctp: 132,
  udplite: 136,
};

export function protocolNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return PROTOCOLS[name.toLowerCase()];
}

export const protocolMatch =
  (proto: number): Match =>
  (p) =>
    p.l4proto === proto;

/** A port range (inclusive) on the transport's source or destination port. */
export function portMatch(which: 'sport' | 'dport', ranges: readonly (readonly [number, number])[]): Match {
  return (p) => {
    if (p.l4proto !== 6 && p.l4proto !== 17 && p.l4proto !== 132 && p.l4proto !== 136) return false;
    const port = p[which];
    if (port === undefined) {
      // A port the kernel picks from a known range: known where the whole range answers alike.
      const range = which === 'sport' ? p.sportRange : p.dportRange;
      const all = range && rangeIn(range, ranges);
      if (all !== undefined) return all;
      const end = which === 'sport' ? 'source' : 'destination';
      return unknown(
        range
          ? `the ${end} port is one the kernel picks from ${range.start}-${range.end}, of which only some match`
          : `the ${end} port is chosen by the kernel (a hash of the inner flow)`,
      );
    }
    return ranges.some(([a, b]) => port >= a && port <= b);
  };
}

/** `80`, `80:90`, `:90`, `80:`, as iptables writes a port range. */
export function parsePortRange(text: string): [number, number] | undefined {
  const m = /^(\d*)([:-](\d*))?$/.exec(text);
  if (!m) return undefined;
  const a = m[1] === '' ? 0 : Number(m[1]);
  const b = m[2] === undefined ? a : m[3] === '' ? 65535 : Number(m[3]);
  return a <= 65535 && b <= 65535 ? [a, b] : undefined;
}

/** ICMP (v4 and v6) type and, optionally, code. */
export function icmpMatch(family: 4 | 6, type: number | undefined, code: number | undefined): Match {
  const proto = family === 4 ? 1 : 58;
  return (p) => {
    if (p.l4proto !== proto) return false;
    if (p.icmpType === undefined) return unknown('the ICMP type is not known');
    if (type !== undefined && p.icmpType !== type) return false;
    return code === undefined || p.icmpCode === code;
  };
}

export const ICMP_TYPES: Readonly<Record<string, [number, number?]>> = {
  'echo-reply': [0],
  pong: [0],
  'destination-unreachable': [3],
  'port-unreachable': [3, 3],
  'host-unreachable': [3, 1],
  'network-unreachable': [3, 0],
  'fragmentation-needed': [3, 4],
  'source-quench': [4],
  redirect: [5],
  'echo-request': [8],
  ping: [8],
  'router-advertisement': [9],
  'router-solicitation': [10],
  'time-exceeded': [11],
  'parameter-problem': [12],
  'timestamp-request': [13],
  'timestamp-reply': [14],
  any: [-1],
};
export const ICMP6_TYPES: Readonly<Record<string, [number, number?]>> = {
  'destination-unreachable': [1],
  'packet-too-big': [2],
  'time-exceeded': [3],
  'parameter-problem': [4],
  'echo-request': [128],
  'echo-reply': [129],
  'mld-listener-query': [130],
  'mld-listener-report': [131],
  'nd-router-solicit': [133],
  'router-solicitation': [133],
  'nd-router-advert': [134],
  'router-advertisement': [134],
  'nd-neighbor-solicit': [135],
  'neighbour-solicitation': [135],
  'neighbor-solicitation': [135],
  'nd-neighbor-advert': [136],
  'neighbour-advertisement': [136],
  'neighbor-advertisement': [136],
  any: [-1],
};

/** Conntrack state, as `--ctstate NEW,ESTABLISHED` or `ct state { … }` lists it. */
export function ctStateMatch(states: ReadonlySet<string>): Match {
  return (_p, s) => states.has(s.ct);
}

export const CT_STATES = new Set<NfCtState | 'snat' | 'dnat'>([
  'new',
  'established',
  'related',
  'invalid',
  'untracked',
  'snat',
  'dnat',
]);

/** `mark & mask == value`. */
export const markMatch =
  (value: number, mask: number): Match =>
  (_p, s) =>
    (s.mark & mask) >>> 0 === (value & mask) >>> 0;

/** The source or destination address's type in this namespace (`addrtype`, `fib … type`). */
export function addrTypeMatch(which: 'src' | 'dst', types: ReadonlySet<AddrType>): Match {
  return (p, _s, env) => {
    const ip = p[which];
    if (!ip) return unknown(`the packet's ${which === 'src' ? 'source' : 'destination'} address is not known yet`);
    return types.has(env.addrType(ip));
  };
}

/** Membership of an ipset, by the packet's fields its flags name (`src`, `dst,dst`, …). */
export function ipsetMatch(name: string, flags: readonly ('src' | 'dst')[]): Match {
  return (p, _s, env) => {
    const set = env.ipsets.get(name);
    if (!set) return unknown(`ipset ${name} was not collected`);
    return inIpset(set, flags, p);
  };
}

function inIpset(set: IpSet, flags: readonly ('src' | 'dst')[], p: NfPacket): Tri {
  const [kind, dims = ''] = set.type.split(':');
  if (kind !== 'hash' && kind !== 'bitmap') return unknown(`ipset type ${set.type} is not evaluated`);
  const parts = dims.split(',');
  for (const [i, part] of parts.entries()) {
    const dir = flags[i] ?? flags[flags.length - 1] ?? 'src';
    if (part === 'ip' || part === 'net') {
      const ip = p[dir];
      if (!ip) return unknown('the packet has no address of that family');
    } else if (part === 'port') {
      const port = dir === 'src' ? p.sport : p.dport;
      if (port === undefined && (p.l4proto === 6 || p.l4proto === 17))
        return unknown('the port is chosen by the kernel');
    } else return unknown(`ipset type ${set.type} is not evaluated`);
  }
  return set.members.some((member) => memberMatches(member, parts, flags, p));
}

function memberMatches(
  member: string,
  parts: readonly string[],
  flags: readonly ('src' | 'dst')[],
  p: NfPacket,
): boolean {
  const fields = member.split(',');
  return parts.every((part, i) => {
    const dir = flags[i] ?? flags[flags.length - 1] ?? 'src';
    const f = fields[i] ?? '';
    if (part === 'ip' || part === 'net') {
      const ip = p[dir];
      const range = f.includes('-') ? f.split('-') : undefined;
      if (range) {
        const a = parseIp(range[0] ?? '');
        const b = parseIp(range[1] ?? '');
        return !!ip && !!a && !!b && ip.family === a.family && ip.value >= a.value && ip.value <= b.value;
      }
      const m = parseMasked(f);
      return !!ip && !!m && inMasked(ip, m);
    }
    // port: `tcp:80`, `udp:53`, or a bare number (tcp).
    const [proto, port] = f.includes(':') ? f.split(':') : ['tcp', f];
    const want = protocolNumber(proto ?? '');
    const value = dir === 'src' ? p.sport : p.dport;
    return want === p.l4proto && value === Number(port);
  });
}

/**
 * The x_tables extensions iptables-nft keeps as `match`/`target` expressions, printed as
 * iptables-nft-save 1.8.9 prints them (extensions/libxt_*.c `save`, struct layouts of
 * linux/netfilter/xt_*.h, host byte order). Only the revisions and fields below are printed; any
 * other revision, flag or field gives `undefined`, and the namespace is read by iptables-nft-save.
 * The revisions are the newest iptables 1.8.9 has for IPv4: it prints any revision of an extension
 * with its newest one's code (nft-shared.c: nft_parse_match), so an older one is not read here.
 */

import type { InternedText } from './internedText.ts';

/** An extension as `-m NAME words…` / `-j NAME words…`. */
export interface XtWords {
  readonly name: string;
  readonly words: string[];
}

type Printer = (info: DataView, names: InternedText) => XtWords | undefined;

const le16 = (v: DataView, at: number): number => v.getUint16(at, true);
const le32 = (v: DataView, at: number): number => v.getUint32(at, true);

/**
 * `%.11f` of probability / 2^31, rounded half to even as glibc's printf rounds the exact value:
 * long division in doubles (every step stays below 2^35, so exact), without a BigInt per rule.
 */
export function probability(p: number): string {
  const HALF = 0x40000000;
  const ONE = 0x80000000;
  const digits: number[] = [Math.floor(p / ONE)];
  let r = p % ONE;
  for (let i = 0; i < 11; i++) {
    r *= 10;
    digits.push(Math.floor(r / ONE));
    r %= ONE;
  }
  if (r > HALF || (r === HALF && digits[11]! % 2 === 1)) {
    let i = 11;
    while (i > 0 && digits[i] === 9) digits[i--] = 0;
    digits[i]!++;
  }
  return `${digits[0]}.${digits.slice(1).join('')}`;
}

/** print_state of libxt_conntrack.c: its order, not the bits'. */
const CT_STATES: readonly [number, string][] = [
  [1, 'INVALID'],
  [8, 'NEW'],
  [4, 'RELATED'],
  [2, 'ESTABLISHED'],
  [256, 'UNTRACKED'],
  [64, 'SNAT'],
  [128, 'DNAT'],
];
const CT_STATE_ALL = CT_STATES.reduce((m, [bit]) => m | bit, 0);

/** xt_conntrack_mtinfo3 with only a state (`-m conntrack --ctstate` / `-m state --state`). */
const conntrack3: Printer = (v) => {
  if (v.byteLength < 162) return undefined;
  const flags = le16(v, 146);
  const invert = le16(v, 148);
  const states = le16(v, 150);
  const STATE = 1;
  const ALIAS = 1 << 13;
  if ((flags & ~(STATE | ALIAS)) !== 0 || !(flags & STATE) || (invert & ~STATE) !== 0) return undefined;
  if (states === 0 || (states & ~CT_STATE_ALL) !== 0) return undefined;
  const alias = (flags & ALIAS) !== 0;
  const list = CT_STATES.filter(([bit]) => states & bit).map(([, name]) => name);
  return {
    name: alias ? 'state' : 'conntrack',
    words: [...(invert & STATE ? ['!'] : []), alias ? '--state' : '--ctstate', list.join(',')],
  };
};

/** xt_statistic_info: mode random or nth. */
const statistic: Printer = (v) => {
  if (v.byteLength < 16) return undefined;
  const mode = le16(v, 0);
  const flags = le16(v, 2);
  if ((flags & ~1) !== 0) return undefined;
  const not = flags & 1 ? ['!'] : [];
  if (mode === 0)
    return { name: 'statistic', words: ['--mode', 'random', ...not, '--probability', probability(le32(v, 4))] };
  if (mode === 1) {
    const every = le32(v, 4);
    if (every === 0xffffffff) return undefined;
    return {
      name: 'statistic',
      words: ['--mode', 'nth', ...not, '--every', String(every + 1), '--packet', String(le32(v, 8))],
    };
  }
  return undefined;
};

/** Ports of xt_tcp / xt_udp as tcp_save/udp_save print them. */
function ports(v: DataView, invflags: number, srcBit: number, dstBit: number): string[] {
  const out: string[] = [];
  portRange(out, v, 0, '--sport', (invflags & srcBit) !== 0);
  portRange(out, v, 4, '--dport', (invflags & dstBit) !== 0);
  return out;
}

/** One port range of `ports` (a function of its own: a closure per rule costs a kube-proxy node ~10,000). */
function portRange(out: string[], v: DataView, at: number, opt: string, inverted: boolean): void {
  const lo = le16(v, at);
  const hi = le16(v, at + 2);
  if (lo === 0 && hi === 0xffff) return;
  if (inverted) out.push('!');
  out.push(opt, lo === hi ? String(lo) : `${lo}:${hi}`);
}

/** xt_tcp without options or flags (those are read by iptables-nft-save). */
const tcp: Printer = (v) => {
  if (v.byteLength < 12) return undefined;
  const [option, flgMask, invflags] = [v.getUint8(8), v.getUint8(9), v.getUint8(11)];
  if (option !== 0 || flgMask !== 0 || (invflags & ~0x03) !== 0) return undefined;
  return { name: 'tcp', words: ports(v, invflags, 0x01, 0x02) };
};

const udp: Printer = (v) => {
  if (v.byteLength < 9) return undefined;
  const invflags = v.getUint8(8);
  if ((invflags & ~0x03) !== 0) return undefined;
  return { name: 'udp', words: ports(v, invflags, 0x01, 0x02) };
};

/** struct ipt_icmp { type; code[2]; invflags }. */
const icmp: Printer = (v) => {
  if (v.byteLength < 4) return undefined;
  const [type, lo, hi, inv] = [v.getUint8(0), v.getUint8(1), v.getUint8(2), v.getUint8(3)];
  if ((inv & ~1) !== 0) return undefined;
  const not = inv & 1 ? ['!'] : [];
  if (type === 0xff) return { name: 'icmp', words: [...not, '--icmp-type', 'any'] };
  return { name: 'icmp', words: [...not, '--icmp-type', lo !== 0 || hi !== 0xff ? `${type}/${lo}` : String(type)] };
};

const comment: Printer = (v, names) => {
  const text = v.byteLength >= 256 ? names.cString(v, 0, 256) : undefined;
  return text === undefined ? undefined : { name: 'comment', words: ['--comment', text] };
};

/** xt_mark_mtinfo1 (the kernel's; iptables-nft writes `-m mark` natively, read in ruleArgs.ts). */
export function markWords(mark: number, mask: number, invert: boolean): string[] {
  const value = mask === 0xffffffff ? `0x${mark.toString(16)}` : `0x${mark.toString(16)}/0x${mask.toString(16)}`;
  return [...(invert ? ['!'] : []), '--mark', value];
}

const mark1: Printer = (v) => {
  if (v.byteLength < 9) return undefined;
  const invert = v.getUint8(8);
  if (invert > 1) return undefined;
  return { name: 'mark', words: markWords(le32(v, 0), le32(v, 4), invert === 1) };
};

const RTN = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];
const types = (mask: number): string => RTN.filter((_, i) => mask & (1 << i)).join(',');

/** xt_addrtype_info_v1 { u16 source, dest; u32 flags }. */
const addrtype1: Printer = (v) => {
  if (v.byteLength < 8) return undefined;
  const [source, dest, flags] = [le16(v, 0), le16(v, 2), le32(v, 4)];
  if ((flags & ~0x0f) !== 0 || source >> RTN.length !== 0 || dest >> RTN.length !== 0) return undefined;
  const words: string[] = [];
  if (source) words.push(...(flags & 1 ? ['!'] : []), '--src-type', types(source));
  if (dest) words.push(...(flags & 2 ? ['!'] : []), '--dst-type', types(dest));
  if (flags & 4) words.push('--limit-iface-in');
  if (flags & 8) words.push('--limit-iface-out');
  return { name: 'addrtype', words };
};

/** xt_multiport_v1 { u8 flags, count; u16 ports[15]; u8 pflags[15]; u8 invert }: a pflag joins a port to the next as a range. */
const multiport1: Printer = (v) => {
  if (v.byteLength < 48) return undefined;
  const [flags, count, invert] = [v.getUint8(0), v.getUint8(1), v.getUint8(47)];
  const option = ['--sports', '--dports', '--ports'][flags];
  if (option === undefined || count > 15 || invert > 1) return undefined;
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    const port = String(le16(v, 2 + 2 * i));
    if (v.getUint8(32 + i) === 0) list.push(port);
    else if (++i < 15) list.push(`${port}:${le16(v, 2 + 2 * i)}`);
    else return undefined;
  }
  return { name: 'multiport', words: [...(invert ? ['!'] : []), option, list.join(',')] };
};

/** By name and revision (looked up without making a `name/rev` string per rule). */
const MATCHES: Readonly<Record<string, Readonly<Record<number, Printer>>>> = {
  multiport: { 1: multiport1 },
  comment: { 0: comment },
  conntrack: { 3: conntrack3 },
  statistic: { 0: statistic },
  tcp: { 0: tcp },
  udp: { 0: udp },
  icmp: { 0: icmp },
  mark: { 1: mark1 },
  addrtype: { 1: addrtype1 },
};

const ipv4 = (v: DataView, at: number): string =>
  `${v.getUint8(at)}.${v.getUint8(at + 1)}.${v.getUint8(at + 2)}.${v.getUint8(at + 3)}`;

const NAT = { MAP_IPS: 1, PROTO: 2, RANDOM: 4, PERSISTENT: 8, FULLY: 16 };
const NAT_KNOWN = NAT.MAP_IPS | NAT.PROTO | NAT.RANDOM | NAT.PERSISTENT | NAT.FULLY;

/** __NAT_print of libxt_NAT.c for an IPv4 range (no shifted port maps, no netmap). */
function natWords(
  r: { flags: number; minIp: string; maxIp: string; sameIp: boolean; minPort: number; maxPort: number },
  opt: string,
  skipColon: boolean,
): string[] | undefined {
  if ((r.flags & ~NAT_KNOWN) !== 0) return undefined;
  let range = '';
  if (r.flags & NAT.MAP_IPS) range += r.sameIp ? r.minIp : `${r.minIp}-${r.maxIp}`;
  if (r.flags & NAT.PROTO) range += `:${r.minPort}${r.maxPort !== r.minPort ? `-${r.maxPort}` : ''}`;
  if (range.startsWith(':') && skipColon) range = range.slice(1);
  const words = range === '' ? [] : [opt, range];
  if (r.flags & NAT.RANDOM) words.push('--random');
  if (r.flags & NAT.FULLY) words.push('--random-fully');
  if (r.flags & NAT.PERSISTENT) words.push('--persistent');
  return words;
}

/** nf_nat_ipv4_multi_range_compat (SNAT and MASQUERADE, revision 0): one range. */
function mrc(v: DataView, name: string, opt: string, skipColon: boolean): XtWords | undefined {
  if (v.byteLength < 20 || le32(v, 0) !== 1) return undefined;
  const words = natWords(
    {
      flags: le32(v, 4),
      minIp: ipv4(v, 8),
      maxIp: ipv4(v, 12),
      sameIp: le32(v, 8) === le32(v, 12),
      minPort: v.getUint16(16, false),
      maxPort: v.getUint16(18, false),
    },
    opt,
    skipColon,
  );
  return words && { name, words };
}

/** nf_nat_range2 (DNAT revision 2): flags, min/max address (16 bytes each), min/max/base port. */
const dnat2: Printer = (v) => {
  if (v.byteLength < 42) return undefined;
  // A loop, not a view and a closure per rule: kube-proxy writes a DNAT per endpoint.
  let same = true;
  for (let i = 0; i < 16 && same; i++) same = v.getUint8(4 + i) === v.getUint8(20 + i);
  const words = natWords(
    {
      flags: le32(v, 0),
      minIp: ipv4(v, 4),
      maxIp: ipv4(v, 20),
      sameIp: same,
      minPort: v.getUint16(36, false),
      maxPort: v.getUint16(38, false),
    },
    '--to-destination',
    false,
  );
  return words && { name: 'DNAT', words };
};

const REJECT_WITH = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-proto-unreachable',
  'icmp-port-unreachable',
  undefined,
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'tcp-reset',
  'icmp-admin-prohibited',
];

/** xt_ct_target_info_v1 that only untracks (`-j CT --notrack`, or `-j NOTRACK`, its alias). */
const ct1: Printer = (v) => {
  if (v.byteLength < 60) return undefined;
  const flags = le16(v, 0);
  const untouched =
    le16(v, 2) === 0 && le32(v, 4) === 0 && le32(v, 8) === 0 && v.getUint8(12) === 0 && v.getUint8(28) === 0;
  if (!untouched || (flags & ~0x03) !== 0 || !(flags & 1)) return undefined;
  return flags & 2 ? { name: 'NOTRACK', words: [] } : { name: 'CT', words: ['--notrack'] };
};

const TARGETS: Readonly<Record<string, Readonly<Record<number, Printer>>>> = {
  MARK: {
    2: (v) =>
      v.byteLength < 8
        ? undefined
        : { name: 'MARK', words: ['--set-xmark', `0x${le32(v, 0).toString(16)}/0x${le32(v, 4).toString(16)}`] },
  },
  MASQUERADE: { 0: (v) => mrc(v, 'MASQUERADE', '--to-ports', true) },
  SNAT: { 0: (v) => mrc(v, 'SNAT', '--to-source', false) },
  DNAT: { 2: dnat2 },
  REJECT: {
    0: (v) => {
      const name = v.byteLength < 4 ? undefined : REJECT_WITH[le32(v, 0)];
      return name === undefined ? undefined : { name: 'REJECT', words: ['--reject-with', name] };
    },
  },
  CT: { 2: ct1 },
};

/** A match expression's `-m` name and words, or undefined where this revision is not printed here. */
export const xtMatch = (name: string, rev: number, info: DataView, names: InternedText): XtWords | undefined =>
  (Object.hasOwn(MATCHES, name) ? MATCHES[name]![rev] : undefined)?.(info, names);

/** A target expression's `-j` name and words, or undefined where this revision is not printed here. */
export const xtTarget = (name: string, rev: number, info: DataView, names: InternedText): XtWords | undefined =>
  (Object.hasOwn(TARGETS, name) ? TARGETS[name]![rev] : undefined)?.(info, names);

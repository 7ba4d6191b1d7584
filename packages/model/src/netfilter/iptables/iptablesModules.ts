import type { Match } from '../ir.ts';
import {
  addrTypeMatch,
  CT_STATES,
  ctStateMatch,
  ICMP_TYPES,
  ICMP6_TYPES,
  icmpMatch,
  interfaceMatch,
  ipsetMatch,
  markMatch,
  negated,
  parsePortRange,
  portMatch,
  unknown,
} from '../matchers.ts';
import type { AddrType } from '../nfPacket.ts';

/** One option of a match module as iptables-save writes it: `[!] --name value…`. */
export interface ModuleOption {
  readonly name: string;
  readonly values: readonly string[];
  readonly negated: boolean;
}

/** How many words each option of a module takes (others take one). */
export const OPTION_ARITY: Readonly<Record<string, number>> = {
  '--tcp-flags': 2,
  '--syn': 0,
  '--match-set': 2,
  '--return-nomatch': 0,
  '--update-counters': 0,
  '--update-subcounters': 0,
  '--physdev-is-in': 0,
  '--physdev-is-out': 0,
  '--physdev-is-bridged': 0,
  '--limit-iface-in': 0,
  '--limit-iface-out': 0,
  '--rcheck': 0,
  '--update': 0,
  '--set': 0,
  '--remove': 0,
  '--rsource': 0,
  '--rdest': 0,
  '--strict': 0,
  '--invert': 0,
  '--validmark': 0,
  '--loose': 0,
  '--accept-local': 0,
};

/** A module's options compiled to matches, or the reason the tracer cannot evaluate it. */
export type ModuleResult = { readonly matches: Match[] } | { readonly unknown: string };

const ok = (...matches: Match[]): ModuleResult => ({ matches });
const no = (why: string): ModuleResult => ({ unknown: why });

/** Matches that always hold for a single packet the tracer sends: accounting and annotation. */
const ALWAYS = new Set(['comment', 'nfacct']);
/** Matches whose outcome depends on history the snapshot does not hold: both ways are tried. */
const EITHER = new Set(['limit', 'hashlimit', 'recent', 'statistic', 'connlimit', 'quota', 'connbytes']);

/** Compiles `-m MODULE options…` (the implicit `-p tcp` module too). */
export function compileModule(module: string, opts: readonly ModuleOption[]): ModuleResult {
  if (ALWAYS.has(module)) return ok();
  if (EITHER.has(module)) {
    const text =
      `-m ${module} ${opts.map((o) => `${o.negated ? '! ' : ''}${o.name} ${o.values.join(' ')}`).join(' ')}`.trim();
    return ok(() => unknown(`\`${text}\`, which depends on earlier packets or chance`));
  }
  const matches: Match[] = [];
  for (const o of opts) {
    const m = compileOption(module, o);
    if ('unknown' in m) return m;
    matches.push(...m.matches.map((x) => negated(x, o.negated)));
  }
  return { matches };
}

function compileOption(module: string, o: ModuleOption): ModuleResult {
  const [v = '', v2 = ''] = o.values;
  const bad = (): ModuleResult => no(`\`-m ${module} ${o.name} ${o.values.join(' ')}\` is not evaluated by hoplens`);
  switch (`${module} ${o.name}`) {
    case 'tcp --sport':
    case 'tcp --source-port':
    case 'udp --sport':
    case 'udp --source-port':
    case 'tcp --dport':
    case 'tcp --destination-port':
    case 'udp --dport':
    case 'udp --destination-port': {
      const r = parsePortRange(v);
      if (!r) return bad();
      const proto = module === 'tcp' ? 6 : 17;
      const port = portMatch(o.name.startsWith('--s') ? 'sport' : 'dport', [r]);
      return ok((p, s, e) => p.l4proto === proto && port(p, s, e));
    }
    case 'tcp --tcp-flags': {
      const mask = tcpFlags(v);
      const comp = tcpFlags(v2);
      if (mask === undefined || comp === undefined) return bad();
      return ok(
        (p) =>
          p.l4proto === 6 &&
          (p.tcpFlags === undefined ? unknown('the TCP flags are not known') : (p.tcpFlags & mask) === comp),
      );
    }
    case 'tcp --syn':
      return ok(
        (p) =>
          p.l4proto === 6 &&
          (p.tcpFlags === undefined ? unknown('the TCP flags are not known') : (p.tcpFlags & 0x17) === 0x02),
      );
    case 'multiport --dports':
    case 'multiport --destination-ports':
    case 'multiport --sports':
    case 'multiport --source-ports':
    case 'multiport --ports': {
      const ranges = v.split(',').map(parsePortRange);
      if (ranges.some((r) => r === undefined)) return bad();
      const rs = ranges as [number, number][];
      if (o.name === '--ports') {
        const d = portMatch('dport', rs);
        const s = portMatch('sport', rs);
        return ok((p, st, e) => {
          const a = d(p, st, e);
          return a === true ? true : s(p, st, e) === true ? true : a === false ? s(p, st, e) : a;
        });
      }
      return ok(portMatch(o.name.includes('source') || o.name === '--sports' ? 'sport' : 'dport', rs));
    }
    case 'icmp --icmp-type':
    case 'icmp6 --icmpv6-type': {
      const t = icmpType(v, module === 'icmp' ? 4 : 6);
      if (!t) return bad();
      return ok(icmpMatch(module === 'icmp' ? 4 : 6, t[0] < 0 ? undefined : t[0], t[1]));
    }
    case 'conntrack --ctstate':
    case 'state --state': {
      const states = new Set(v.toLowerCase().split(','));
      if ([...states].some((s) => !CT_STATES.has(s as never))) return bad();
      return ok(ctStateMatch(states));
    }
    case 'conntrack --ctstatus': {
      // The traced packets have no NAT mapping and no expectation.
      const statuses = v.toUpperCase().split(',');
      if (statuses.every((s) => s === 'EXPECTED' || s === 'NONE')) return ok(() => statuses.includes('NONE'));
      return bad();
    }
    case 'mark --mark': {
      const m = parseMark(v);
      return m ? ok(markMatch(m[0], m[1])) : bad();
    }
    case 'addrtype --src-type':
    case 'addrtype --dst-type': {
      const types = new Set(v.toLowerCase().split(',') as AddrType[]);
      return ok(addrTypeMatch(o.name === '--src-type' ? 'src' : 'dst', types));
    }
    case 'addrtype --limit-iface-in':
    case 'addrtype --limit-iface-out':
      return ok(() => unknown('`addrtype --limit-iface-…` asks the address type on one device'));
    case 'set --match-set': {
      const flags = v2.split(',');
      if (flags.some((f) => f !== 'src' && f !== 'dst')) return bad();
      return ok(ipsetMatch(v, flags as ('src' | 'dst')[]));
    }
    case 'set --return-nomatch':
    case 'set --update-counters':
    case 'set --update-subcounters':
      return ok();
    case 'physdev --physdev-in':
      return ok(interfaceMatch('physIn', v));
    case 'physdev --physdev-out':
      return ok(interfaceMatch('physOut', v));
    case 'physdev --physdev-is-in':
      return ok((p) => p.physIn !== undefined);
    case 'physdev --physdev-is-out':
      return ok((p) => p.physOut !== undefined);
    case 'physdev --physdev-is-bridged':
      return ok((p) => p.bridged && p.physOut !== undefined);
    case 'pkttype --pkt-type':
      return ok((p) => p.pktType === v.toLowerCase() || (v === 'unicast' && p.pktType === 'host'));
    case 'length --length': {
      const r = parsePortRange(v);
      return r ? ok((p) => p.length >= r[0] && p.length <= r[1]) : bad();
    }
    case 'policy --dir':
      return ok();
    case 'policy --pol':
      // hoplens collects no IPsec policy: the traced packets have none.
      return v === 'none' ? ok() : v === 'ipsec' ? ok(() => false) : bad();
    default:
      return bad();
  }
}

const TCP_FLAGS: Readonly<Record<string, number>> = {
  FIN: 1,
  SYN: 2,
  RST: 4,
  PSH: 8,
  ACK: 16,
  URG: 32,
  ALL: 63,
  NONE: 0,
};

function tcpFlags(text: string): number | undefined {
  let f = 0;
  for (const w of text.split(',')) {
    const v = TCP_FLAGS[w.toUpperCase()];
    if (v === undefined) return undefined;
    f |= v;
  }
  return f;
}

function icmpType(text: string, family: 4 | 6): [number, number?] | undefined {
  const named = (family === 4 ? ICMP_TYPES : ICMP6_TYPES)[text];
  if (named) return named;
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text);
  if (!m) return undefined;
  return m[2] === undefined ? [Number(m[1])] : [Number(m[1]), Number(m[2])];
}

/** `0x4000/0x4000`, `0x10`, `16` → [value, mask]. */
export function parseMark(text: string): [number, number] | undefined {
  const [a = '', b] = text.split('/');
  const num = (s: string): number | undefined => (/^(0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) >>> 0 : undefined);
  const value = num(a);
  const mask = b === undefined ? 0xffffffff : num(b);
  return value === undefined || mask === undefined ? undefined : [value, mask];
}

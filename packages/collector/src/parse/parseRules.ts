import { readFileSync } from 'node:fs';
import Type from 'typebox';
import type { PolicyRule } from '@hoplens/model';
import { checked, isDestination, parseJsonOutput } from './ipJson.ts';
import { ParseError } from './parseError.ts';

const IpRuleSchema = Type.Array(
  Type.Object({
    priority: Type.Integer({ minimum: 0 }),
    src: Type.Optional(Type.String()),
    srclen: Type.Optional(Type.Integer()),
    dst: Type.Optional(Type.String()),
    dstlen: Type.Optional(Type.Integer()),
    iif: Type.Optional(Type.String()),
    oif: Type.Optional(Type.String()),
    fwmark: Type.Optional(Type.String()),
    fwmask: Type.Optional(Type.String()),
    not: Type.Optional(Type.Null()),
    table: Type.Optional(Type.String()),
    goto: Type.Optional(Type.Integer()),
    nop: Type.Optional(Type.Null()),
    action: Type.Optional(Type.String()),
    suppress_prefixlen: Type.Optional(Type.Integer()),
    ipproto: Type.Optional(Type.String()),
    sport: Type.Optional(Type.Integer({ minimum: 0 })),
    sport_start: Type.Optional(Type.Integer({ minimum: 0 })),
    sport_end: Type.Optional(Type.Integer({ minimum: 0 })),
    dport: Type.Optional(Type.Integer({ minimum: 0 })),
    dport_start: Type.Optional(Type.Integer({ minimum: 0 })),
    dport_end: Type.Optional(Type.Integer({ minimum: 0 })),
    uid_start: Type.Optional(Type.Integer({ minimum: 0 })),
    uid_end: Type.Optional(Type.Integer({ minimum: 0 })),
    tos: Type.Optional(Type.String({ maxLength: 64 })),
    l3mdev: Type.Optional(Type.Null()),
    tun_id: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,20}$' })])),
    suppress_ifgroup: Type.Optional(Type.String({ maxLength: 64 })),
  }),
);

/** `ip` prints a rule's TOS by its name in rt_dsfield where it has one, else as hex. */
const DSFIELD_FILES = ['/etc/iproute2/rt_dsfield', '/usr/share/iproute2/rt_dsfield'];

function tosValue(text: string): number {
  let n = /^0x[0-9a-f]{1,2}$/i.test(text) ? parseInt(text, 16) : /^\d{1,3}$/.test(text) ? Number(text) : undefined;
  if (n === undefined) n = fromDsfieldFiles(text);
  if (n === undefined || n > 255) throw new ParseError(`ip -j rule: unknown tos ${JSON.stringify(text.slice(0, 40))}`);
  return n;
}

function fromDsfieldFiles(name: string): number | undefined {
  for (const file of DSFIELD_FILES) {
    for (const [value, alias] of tableFields(file)) {
      if (alias === name && value !== undefined && /^(0x[0-9a-f]{1,2}|\d{1,3})$/i.test(value)) return Number(value);
    }
  }
  return undefined;
}

/** The words of each line of a name table (/etc/protocols, rt_dsfield), comments cut; none if unreadable. */
function tableFields(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').map((line) => line.replace(/#.*/, '').trim().split(/\s+/));
}

/** `ip` names a protocol by getprotobynumber (/etc/protocols), or prints its number. */
const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  sctp: 132,
  udplite: 136,
};

function protocolNumber(name: string): number {
  const n = /^\d+$/.test(name) ? Number(name) : (PROTOCOLS[name] ?? fromEtcProtocols(name));
  if (n === undefined || n > 255)
    throw new ParseError(`ip -j rule: unknown ipproto ${JSON.stringify(name.slice(0, 40))}`);
  return n;
}

function fromEtcProtocols(name: string): number | undefined {
  for (const [proto, num, ...aliases] of tableFields('/etc/protocols')) {
    if (proto === name || aliases.includes(name)) return Number(num);
  }
  return undefined;
}

const span = (one: number | undefined, start: number | undefined, end: number | undefined) =>
  one !== undefined ? { start: one, end: one } : start !== undefined ? { start, end: end ?? start } : undefined;

const ACTIONS = ['blackhole', 'unreachable', 'prohibit'] as const;

/** `ip` prints "all" for no selector, and omits the length of a host prefix. */
function prefix(addr: string | undefined, len: number | undefined, hostLen: number): string | undefined {
  if (addr === undefined || addr === 'all') return undefined;
  return checked('ip -j rule', 'prefix', `${addr}/${len ?? hostLen}`, isDestination);
}

/** Parses `ip [-6] -j rule show`; the family is the one the command asked for. */
export function parseRules(text: string, family: 'inet' | 'inet6'): PolicyRule[] {
  const hostLen = family === 'inet' ? 32 : 128;
  return parseJsonOutput(IpRuleSchema, text, 'ip -j rule').map((r) => {
    const src = prefix(r.src, r.srclen, hostLen);
    const dst = prefix(r.dst, r.dstlen, hostLen);
    const named = ACTIONS.find((a) => a === r.action);
    if (r.action !== undefined && !named)
      throw new ParseError(`ip -j rule: unknown action ${JSON.stringify(r.action)}`);
    const action = named ?? (r.goto !== undefined ? 'goto' : r.nop !== undefined ? 'nop' : 'lookup');
    const sport = span(r.sport, r.sport_start, r.sport_end);
    const dport = span(r.dport, r.dport_start, r.dport_end);
    const uidRange = span(undefined, r.uid_start, r.uid_end);
    const tos = r.tos === undefined ? 0 : tosValue(r.tos);
    const tunId = r.tun_id === undefined ? '0' : String(r.tun_id);
    return {
      family,
      priority: r.priority,
      ...(src !== undefined ? { src } : {}),
      ...(dst !== undefined ? { dst } : {}),
      ...(r.iif !== undefined ? { iif: r.iif } : {}),
      ...(r.oif !== undefined ? { oif: r.oif } : {}),
      ...(r.fwmark !== undefined ? { fwmark: r.fwmask ? `${r.fwmark}/${r.fwmask}` : r.fwmark } : {}),
      invert: r.not !== undefined,
      action,
      // An l3mdev rule looks up the VRF's table: it has none of its own.
      ...(action === 'lookup' && r.l3mdev === undefined ? { table: r.table ?? 'main' } : {}),
      ...(r.goto !== undefined ? { goto: r.goto } : {}),
      ...(r.suppress_prefixlen !== undefined ? { suppressPrefixlen: r.suppress_prefixlen } : {}),
      ...(r.ipproto !== undefined ? { ipproto: protocolNumber(r.ipproto) } : {}),
      ...(sport ? { sport } : {}),
      ...(dport ? { dport } : {}),
      ...(uidRange ? { uidRange } : {}),
      ...(tos ? { tos } : {}),
      ...(r.l3mdev !== undefined ? { l3mdev: true as const } : {}),
      ...(tunId !== '0' ? { tunId } : {}),
      // What `ip` 6.1 prints of the selectors hoplens does not evaluate (newer ones it cannot print).
      ...(r.suppress_ifgroup !== undefined ? { unevaluated: ['suppress_ifgroup'] } : {}),
    };
  });
}

import type { NftExpr, NftRule } from './nftRules.ts';
import { markWords, xtMatch, xtTarget, type XtWords } from './xtExtensions.ts';

/** A rule's words after `-A CHAIN`, as iptables-nft-save -c prints them, and its counters. */
export interface RuleArgs {
  readonly args: string[];
  readonly packets: number;
  readonly bytes: number;
}

/** Why a rule is not decoded here: the namespace's rules are then read by iptables-nft-save. */
export class Undecoded extends Error {
  override readonly name = 'Undecoded';
}

const META = { MARK: 3, IIFNAME: 6, OIFNAME: 7, L4PROTO: 16 };
const CMP = { EQ: 0, NEQ: 1 };
const BASE = { NETWORK: 1, TRANSPORT: 2 };
const VERDICT = { DROP: 0, ACCEPT: 1, JUMP: -3, GOTO: -4, RETURN: -5 };
/** xtables_chain_protos: the names iptables prints without asking /etc/protocols. */
const PROTOS: Readonly<Record<number, string>> = {
  6: 'tcp',
  132: 'sctp',
  17: 'udp',
  136: 'udplite',
  1: 'icmp',
  58: 'ipv6-icmp',
  50: 'esp',
  51: 'ah',
  135: 'mobility-header',
};
const SRC = 0x01;
const DST = 0x02;

interface Reg {
  readonly type: 'payload' | 'meta';
  /** The meta key, or the payload base. */
  readonly key: number;
  readonly offset: number;
  readonly len: number;
  readonly mask?: Uint8Array;
}

/** The tcp/udp match native port compares build up (nft_parse_tcp/udp), printed once the rule is read. */
interface Ports {
  readonly proto: 'tcp' | 'udp';
  spts: [number, number];
  dpts: [number, number];
  inv: number;
}
interface Mark {
  readonly mark: number;
  readonly mask: number;
  readonly inv: boolean;
}
interface Addr {
  readonly addr: Uint8Array;
  readonly mask: Uint8Array;
  readonly inv: boolean;
}

/** What iptables' struct iptables_command_state holds while a rule is read. */
interface State {
  readonly regs: Map<number, Reg>;
  src?: Addr;
  dst?: Addr;
  iniface?: { name: string; inv: boolean };
  outiface?: { name: string; inv: boolean };
  proto?: { num: number; inv: boolean };
  readonly matches: (XtWords | Ports | Mark)[];
  ports?: Ports;
  target?: XtWords;
  jump?: { chain: string; goto: boolean };
  counters?: { packets: number; bytes: number };
}

function fail(why: string): never {
  throw new Undecoded(why);
}

const be16 = (b: Uint8Array, at = 0): number => (b[at]! << 8) | b[at + 1]!;
const le32 = (b: Uint8Array): number => (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
const dotted = (b: Uint8Array): string => `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;

/** mask_to_str of xshared.c: a prefix length, or the dotted mask where it is not contiguous. */
function maskText(mask: Uint8Array): string {
  const m = ((mask[0]! << 24) | (mask[1]! << 16) | (mask[2]! << 8) | mask[3]!) >>> 0;
  if (m === 0xffffffff) return '32';
  for (let i = 31; i >= 0; i--) if (m === (0xfffffffe << (31 - i)) >>> 0) return String(i);
  return dotted(mask);
}

/** parse_ifname + save_iface: the name, `+` where the compare covers only a prefix. */
function ifname(data: Uint8Array): string {
  if (data.length === 0 || data.length > 16) fail('an interface name of unusual length');
  const nul = data.indexOf(0);
  if (nul >= 0 && nul !== data.length - 1) fail('an interface name with an inner NUL');
  if (nul < 0 && data.length >= 16) fail('an interface wildcard of 16 bytes');
  let name = '';
  for (let i = 0; i < (nul < 0 ? data.length : nul); i++) {
    const c = data[i]!;
    if (c <= 0x20 || c >= 0x7f) fail('an unusual interface name');
    name += String.fromCharCode(c);
  }
  if (name === 'INVAL/D') fail('an unusual interface name');
  return nul < 0 ? `${name}+` : name;
}

const protoName = (s: State): string | undefined => (s.proto && !s.proto.inv ? PROTOS[s.proto.num] : undefined);

function portsOf(s: State): Ports {
  const p = protoName(s);
  if (p !== 'tcp' && p !== 'udp') fail('a port compare without -p tcp/udp');
  if (!s.ports) {
    s.ports = { proto: p, spts: [0, 0xffff], dpts: [0, 0xffff], inv: 0 };
    s.matches.push(s.ports);
  }
  return s.ports;
}

function read(s: State, sreg: number): Reg {
  return s.regs.get(sreg) ?? fail(`a compare of register ${sreg}, never loaded`);
}

function cmp(s: State, e: Extract<NftExpr, { kind: 'cmp' }>): void {
  const r = read(s, e.sreg);
  if (e.op !== CMP.EQ && e.op !== CMP.NEQ) fail(`compare op ${e.op}`);
  const inv = e.op === CMP.NEQ;
  if (r.type === 'meta') {
    if (r.key === META.L4PROTO && !r.mask && e.data.length === 1 && !s.proto) s.proto = { num: e.data[0]!, inv };
    else if (r.key === META.IIFNAME && !r.mask && !s.iniface) s.iniface = { name: ifname(e.data), inv };
    else if (r.key === META.OIFNAME && !r.mask && !s.outiface) s.outiface = { name: ifname(e.data), inv };
    else if (r.key === META.MARK && e.data.length === 4)
      s.matches.push({ mark: le32(e.data), mask: r.mask ? le32(r.mask) : 0xffffffff, inv });
    else fail(`meta key ${r.key}`);
    return;
  }
  if (r.key === BASE.NETWORK) {
    if ((r.offset !== 12 && r.offset !== 16) || r.len > 4 || e.data.length !== r.len) fail('a network header field');
    if (r.offset === 12 ? s.src : s.dst) fail('an address compared twice');
    const addr = new Uint8Array(4);
    addr.set(e.data);
    // Without a bitwise mask, the bytes loaded are the mask (add_addr loads only a prefix's whole bytes).
    const mask = new Uint8Array(4);
    if (r.mask) {
      if (r.mask.length !== r.len) fail('an address mask of another length');
      mask.set(r.mask);
    } else mask.fill(0xff, 0, r.len);
    if (r.offset === 12) s.src = { addr, mask, inv };
    else s.dst = { addr, mask, inv };
    return;
  }
  if (r.key !== BASE.TRANSPORT || r.mask) fail('a header field iptables-nft does not write');
  const ports = portsOf(s);
  if (r.offset === 0 && r.len === 4 && e.data.length === 4) {
    ports.spts = [be16(e.data), be16(e.data)];
    ports.dpts = [be16(e.data, 2), be16(e.data, 2)];
    if (inv) ports.inv |= SRC | DST;
  } else if ((r.offset === 0 || r.offset === 2) && r.len === 2 && e.data.length === 2) {
    const v = be16(e.data);
    if (r.offset === 0) ports.spts = [v, v];
    else ports.dpts = [v, v];
    if (inv) ports.inv |= r.offset === 0 ? SRC : DST;
  } else fail('a transport header field');
}

function range(s: State, e: Extract<NftExpr, { kind: 'range' }>): void {
  const r = read(s, e.sreg);
  if (r.type !== 'payload' || r.key !== BASE.TRANSPORT || r.mask || r.len !== 2)
    fail('a range iptables-nft does not write');
  if (e.from.length !== 2 || e.to.length !== 2 || (e.op !== CMP.EQ && e.op !== CMP.NEQ)) fail('a port range');
  if (r.offset !== 0 && r.offset !== 2) fail('a port range');
  const ports = portsOf(s);
  ports[r.offset === 0 ? 'spts' : 'dpts'] = [be16(e.from), be16(e.to)];
  if (e.op === CMP.NEQ) ports.inv |= r.offset === 0 ? SRC : DST;
}

function step(s: State, e: NftExpr): void {
  if (s.target || s.jump) fail('an expression after the verdict');
  switch (e.kind) {
    case 'payload':
      s.regs.set(e.dreg, { type: 'payload', key: e.base, offset: e.offset, len: e.len });
      return;
    case 'meta':
      s.regs.set(e.dreg, { type: 'meta', key: e.key, offset: 0, len: 0 });
      return;
    case 'bitwise': {
      const r = read(s, e.sreg);
      if (r.mask || e.xor.some((b) => b !== 0)) fail('a bitwise xor or a second mask');
      s.regs.set(e.dreg, { ...r, mask: e.mask });
      return;
    }
    case 'cmp':
      return cmp(s, e);
    case 'range':
      return range(s, e);
    case 'counter':
      if (s.counters) fail('two counters');
      s.counters = { packets: e.packets, bytes: e.bytes };
      return;
    case 'verdict':
      if (e.code === VERDICT.ACCEPT) s.target = { name: 'ACCEPT', words: [] };
      else if (e.code === VERDICT.DROP) s.target = { name: 'DROP', words: [] };
      else if (e.code === VERDICT.RETURN) s.target = { name: 'RETURN', words: [] };
      else if ((e.code === VERDICT.JUMP || e.code === VERDICT.GOTO) && e.chain !== undefined)
        s.jump = { chain: e.chain, goto: e.code === VERDICT.GOTO };
      else fail(`verdict ${e.code}`);
      return;
    case 'xt':
      // `-m tcp`/`-m udp` without ports stays an xt match; with ports it is native (above).
      if (e.type === 'match')
        s.matches.push(xtMatch(e.name, e.rev, e.info) ?? fail(`match ${e.name} revision ${e.rev}`));
      else s.target = xtTarget(e.name, e.rev, e.info) ?? fail(`target ${e.name} revision ${e.rev}`);
      return;
    default:
      fail(`expression ${e.what}`);
  }
}

/** save_ipv4_addr: nothing for an address that matches all. */
function pushAddr(args: string[], letter: string, a: Addr | undefined): void {
  if (!a || (!a.inv && a.mask.every((b) => b === 0) && a.addr.every((b) => b === 0))) return;
  if (a.inv) args.push('!');
  args.push(`-${letter}`, `${dotted(a.addr)}/${maskText(a.mask)}`);
}

/** tcp_save/udp_save: a port or range unless it is 0:65535. */
function pushPorts(args: string[], m: Ports): void {
  args.push('-m', m.proto);
  for (const [r, opt, bit] of [
    [m.spts, '--sport', SRC],
    [m.dpts, '--dport', DST],
  ] as const) {
    if (r[0] === 0 && r[1] === 0xffff) continue;
    if (m.inv & bit) args.push('!');
    args.push(opt, r[0] === r[1] ? String(r[0]) : `${r[0]}:${r[1]}`);
  }
}

/**
 * Reads one iptables-nft rule as nft_rule_to_iptables_command_state (iptables 1.8.9, nft-shared.c
 * and nft-ipv4.c) reads it, and prints it as nft_ipv4_save_rule does. Throws Undecoded for any
 * expression, key, offset or extension revision not handled here: never a half-read rule.
 */
export function ruleArgs(rule: NftRule): RuleArgs {
  const s: State = { regs: new Map(), matches: [] };
  try {
    if (rule.userdata) fail('rule user data');
    for (const e of rule.exprs) step(s, e);
    if (!s.counters) fail('no counter');
    if (s.proto && s.proto.num > 0 && PROTOS[s.proto.num] === undefined)
      fail(`protocol ${s.proto.num} (named by /etc/protocols)`);
  } catch (e) {
    if (e instanceof Undecoded) throw new Undecoded(`${rule.table} ${rule.chain}: ${e.message}`);
    throw e;
  }
  const args: string[] = [];
  pushAddr(args, 's', s.src);
  pushAddr(args, 'd', s.dst);
  if (s.iniface) args.push(...(s.iniface.inv ? ['!'] : []), '-i', s.iniface.name);
  if (s.outiface) args.push(...(s.outiface.inv ? ['!'] : []), '-o', s.outiface.name);
  if (s.proto && s.proto.num > 0) args.push(...(s.proto.inv ? ['!'] : []), '-p', PROTOS[s.proto.num]!);
  for (const m of s.matches) {
    if ('proto' in m) pushPorts(args, m);
    else if ('mark' in m) args.push('-m', 'mark', ...markWords(m.mark, m.mask, m.inv));
    else args.push('-m', m.name, ...m.words);
  }
  if (s.target) args.push('-j', s.target.name, ...s.target.words);
  else if (s.jump) args.push(s.jump.goto ? '-g' : '-j', s.jump.chain);
  return { args, packets: s.counters.packets, bytes: s.counters.bytes };
}

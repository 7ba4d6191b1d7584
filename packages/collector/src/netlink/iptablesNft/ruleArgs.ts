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
const PROTOS: Readonly<Record<number, string>> = { 6: 'tcp', 132: 'sctp', 17: 'udp', 136: 'udplite', 1: 'icmp', 58: 'ipv6-icmp', 50: 'esp', 51: 'ah', 135: 'mobility-header' };

type Reg =
  | { type: 'payload'; base: number; offset: number; len: number; mask?: Uint8Array }
  | { type: 'meta'; key: number; mask?: Uint8Array };

/** The tcp/udp match native port compares build up (nft_parse_tcp/udp), printed once the rule is read. */
interface Ports {
  readonly proto: 'tcp' | 'udp';
  spts: [number, number];
  dpts: [number, number];
  inv: number;
}

interface Addr {
  addr: Uint8Array;
  mask: Uint8Array;
  inv: boolean;
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

/**
 * Reads one iptables-nft rule as nft_rule_to_iptables_command_state (iptables 1.8.9, nft-shared.c
 * and nft-ipv4.c) reads it, and prints it as nft_ipv4_save_rule does. Throws Undecoded for any
 * expression, key, offset or extension revision not handled here: never a half-read rule.
 */
export function ruleArgs(rule: NftRule): RuleArgs {
  // Annotated so that TypeScript narrows after a call, as after a throw.
  const fail: (why: string) => never = (why) => {
    throw new Undecoded(`${rule.table} ${rule.chain}: ${why}`);
  };
  if (rule.userdata) fail('rule user data');
  const regs = new Map<number, Reg>();
  let src: Addr | undefined;
  let dst: Addr | undefined;
  let iniface: { name: string; inv: boolean } | undefined;
  let outiface: { name: string; inv: boolean } | undefined;
  let proto: { num: number; inv: boolean } | undefined;
  const matches: (XtWords | Ports | { mark: number; mask: number; inv: boolean })[] = [];
  let ports: Ports | undefined;
  let target: XtWords | undefined;
  let jump: { chain: string; goto: boolean } | undefined;
  let counters: { packets: bigint; bytes: bigint } | undefined;
  const read = (sreg: number): Reg => regs.get(sreg) ?? fail(`a compare of register ${sreg}, never loaded`);

  const ifname = (data: Uint8Array): string => {
    if (data.length === 0 || data.length > 16) fail('an interface name of unusual length');
    const nul = data.indexOf(0);
    if (nul >= 0 && nul !== data.length - 1) fail('an interface name with an inner NUL');
    const name = String.fromCharCode(...data.subarray(0, nul < 0 ? data.length : nul));
    if (nul < 0 && data.length >= 16) fail('an interface wildcard of 16 bytes');
    if (name === 'INVAL/D' || /[^\x21-\x7e]/.test(name)) fail('an unusual interface name');
    return nul < 0 ? `${name}+` : name;
  };

  const cmp = (e: Extract<NftExpr, { kind: 'cmp' }>): void => {
    const r = read(e.sreg);
    if (e.op !== CMP.EQ && e.op !== CMP.NEQ) fail(`compare op ${e.op}`);
    const inv = e.op === CMP.NEQ;
    if (r.type === 'meta') {
      if (r.key === META.L4PROTO && !r.mask && e.data.length === 1 && !proto) proto = { num: e.data[0]!, inv };
      else if (r.key === META.IIFNAME && !r.mask && !iniface) iniface = { name: ifname(e.data), inv };
      else if (r.key === META.OIFNAME && !r.mask && !outiface) outiface = { name: ifname(e.data), inv };
      else if (r.key === META.MARK && e.data.length === 4) {
        const mask = r.mask ? le32(r.mask) : 0xffffffff;
        matches.push({ mark: le32(e.data), mask, inv });
      } else fail(`meta key ${r.key}`);
      return;
    }
    if (r.base === BASE.NETWORK) {
      if ((r.offset !== 12 && r.offset !== 16) || r.len > 4 || e.data.length !== r.len) fail('a network header field');
      if (r.offset === 12 ? src : dst) fail('an address compared twice');
      const addr = new Uint8Array(4);
      addr.set(e.data);
      // Without a bitwise mask, the bytes loaded are the mask (add_addr loads only a prefix's whole bytes).
      const mask = new Uint8Array(4);
      if (r.mask) {
        if (r.mask.length !== r.len) fail('an address mask of another length');
        mask.set(r.mask);
      } else mask.fill(0xff, 0, r.len);
      if (r.offset === 12) src = { addr, mask, inv };
      else dst = { addr, mask, inv };
      return;
    }
    if (r.base !== BASE.TRANSPORT || r.mask) fail('a header field iptables-nft does not write');
    const p = proto && !proto.inv ? PROTOS[proto.num] : undefined;
    if (p !== 'tcp' && p !== 'udp') fail('a port compare without -p tcp/udp');
    ports ??= pushPorts(p as 'tcp' | 'udp');
    if (ports.proto !== p) fail('ports of two protocols');
    const bit = (dir: 'src' | 'dst'): number => (dir === 'src' ? 0x01 : 0x02);
    if (r.offset === 0 && r.len === 4 && e.data.length === 4) {
      ports.spts = [be16(e.data), be16(e.data)];
      ports.dpts = [be16(e.data, 2), be16(e.data, 2)];
      if (inv) ports.inv |= bit('src') | bit('dst');
    } else if ((r.offset === 0 || r.offset === 2) && r.len === 2 && e.data.length === 2) {
      const dir = r.offset === 0 ? 'src' : 'dst';
      const v = be16(e.data);
      ports[dir === 'src' ? 'spts' : 'dpts'] = [v, v];
      if (inv) ports.inv |= bit(dir);
    } else fail('a transport header field');
  };

  const pushPorts = (p: 'tcp' | 'udp'): Ports => {
    const created: Ports = { proto: p, spts: [0, 0xffff], dpts: [0, 0xffff], inv: 0 };
    matches.push(created);
    return created;
  };

  for (const e of rule.exprs) {
    if (target || jump) fail('an expression after the verdict');
    switch (e.kind) {
      case 'payload':
        regs.set(e.dreg, { type: 'payload', base: e.base, offset: e.offset, len: e.len });
        break;
      case 'meta':
        regs.set(e.dreg, { type: 'meta', key: e.key });
        break;
      case 'bitwise': {
        const r = read(e.sreg);
        if (r.mask || e.xor.some((b) => b !== 0)) fail('a bitwise xor or a second mask');
        regs.set(e.dreg, { ...r, mask: e.mask });
        break;
      }
      case 'cmp':
        cmp(e);
        break;
      case 'range': {
        const r = read(e.sreg);
        const p = proto && !proto.inv ? PROTOS[proto.num] : undefined;
        if (r.type !== 'payload' || r.base !== BASE.TRANSPORT || r.mask || r.len !== 2) fail('a range iptables-nft does not write');
        if ((p !== 'tcp' && p !== 'udp') || e.from.length !== 2 || e.to.length !== 2) fail('a port range without -p tcp/udp');
        if ((e.op !== CMP.EQ && e.op !== CMP.NEQ) || (r.offset !== 0 && r.offset !== 2)) fail('a port range');
        ports ??= pushPorts(p as 'tcp' | 'udp');
        ports[r.offset === 0 ? 'spts' : 'dpts'] = [be16(e.from), be16(e.to)];
        if (e.op === CMP.NEQ) ports.inv |= r.offset === 0 ? 0x01 : 0x02;
        break;
      }
      case 'counter':
        if (counters) fail('two counters');
        counters = { packets: e.packets, bytes: e.bytes };
        break;
      case 'verdict':
        if (e.code === VERDICT.ACCEPT) target = { name: 'ACCEPT', words: [] };
        else if (e.code === VERDICT.DROP) target = { name: 'DROP', words: [] };
        else if (e.code === VERDICT.RETURN) target = { name: 'RETURN', words: [] };
        else if ((e.code === VERDICT.JUMP || e.code === VERDICT.GOTO) && e.chain !== undefined)
          jump = { chain: e.chain, goto: e.code === VERDICT.GOTO };
        else fail(`verdict ${e.code}`);
        break;
      case 'xt':
        if (e.type === 'match') {
          // `-m tcp`/`-m udp` without ports stays an xt match; with ports it is native (above).
          const m = xtMatch(e.name, e.rev, e.info) ?? fail(`match ${e.name} revision ${e.rev}`);
          matches.push(m);
        } else {
          target = xtTarget(e.name, e.rev, e.info) ?? fail(`target ${e.name} revision ${e.rev}`);
        }
        break;
      default:
        fail(`expression ${e.what}`);
    }
  }
  if (!counters) fail('no counter');

  const args: string[] = [];
  const addr = (letter: 's' | 'd', a: Addr | undefined): void => {
    if (!a) return;
    if (!a.inv && a.mask.every((b) => b === 0) && a.addr.every((b) => b === 0)) return;
    args.push(...(a.inv ? ['!'] : []), `-${letter}`, `${dotted(a.addr)}/${maskText(a.mask)}`);
  };
  addr('s', src);
  addr('d', dst);
  for (const [letter, i] of [['i', iniface], ['o', outiface]] as const) if (i) args.push(...(i.inv ? ['!'] : []), `-${letter}`, i.name);
  if (proto && proto.num > 0) {
    const name = PROTOS[proto.num] ?? fail(`protocol ${proto.num} (named by /etc/protocols)`);
    args.push(...(proto.inv ? ['!'] : []), '-p', name);
  }
  for (const m of matches) {
    if ('proto' in m) {
      const words: string[] = [];
      const range = (r: [number, number], opt: string, bit: number): void => {
        if (r[0] === 0 && r[1] === 0xffff) return;
        words.push(...(m.inv & bit ? ['!'] : []), opt, r[0] === r[1] ? String(r[0]) : `${r[0]}:${r[1]}`);
      };
      range(m.spts, '--sport', 0x01);
      range(m.dpts, '--dport', 0x02);
      args.push('-m', m.proto, ...words);
    } else if ('mark' in m) args.push('-m', 'mark', ...markWords(m.mark, m.mask, m.inv));
    else args.push('-m', m.name, ...m.words);
  }
  if (target) args.push('-j', target.name, ...target.words);
  else if (jump) args.push(jump.goto ? '-g' : '-j', jump.chain);
  const { packets, bytes } = counters!;
  if (packets > BigInt(Number.MAX_SAFE_INTEGER) || bytes > BigInt(Number.MAX_SAFE_INTEGER)) fail('counters past 2^53');
  return { args, packets: Number(packets), bytes: Number(bytes) };
}

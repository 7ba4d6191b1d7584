import type { InternedText } from './internedText.ts';
import type { NftExpr } from './nftRules.ts';
import { markWords, xtMatch, xtTarget, type XtWords } from './xtExtensions.ts';
import { Words } from './words.ts';

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

/** What iptables' struct iptables_command_state holds while a rule is read, as numbers and offsets. */
class State {
  /** Registers 0..31 (the kernel's are 0..23): 0 unset, else the kind of value loaded. */
  readonly regType = new Uint8Array(32);
  /** The meta key, or the payload base. */
  readonly regKey = new Float64Array(32);
  readonly regOffset = new Float64Array(32);
  readonly regLen = new Float64Array(32);
  /** Where a bitwise mask applied to the register lies in the dump, -1 for none. */
  readonly regMaskAt = new Int32Array(32);
  readonly regMaskLen = new Int32Array(32);
  // src and dst: -1 absent, else 0/1 for inverted, with the 4 address bytes and mask as u32.
  srcInv = -1;
  srcAddr = 0;
  srcMask = 0;
  dstInv = -1;
  dstAddr = 0;
  dstMask = 0;
  iniface: string | undefined;
  iniInv = false;
  outiface: string | undefined;
  outInv = false;
  /** -1 absent. */
  proto = -1;
  protoInv = false;
  /** The words of `-m` matches in their order; the tcp/udp ports go at `portsAt` (-1: none). */
  readonly matches = new Words();
  portsAt = -1;
  portsProto: 'tcp' | 'udp' = 'tcp';
  spLo = 0;
  spHi = 0;
  dpLo = 0;
  dpHi = 0;
  portsInv = 0;
  target: XtWords | undefined;
  jump: string | undefined;
  goto = false;
  counters = false;
  packets = 0;
  bytes = 0;

  reset(): void {
    this.regType.fill(0);
    this.srcInv = this.dstInv = this.proto = this.portsAt = -1;
    this.iniface = this.outiface = this.target = this.jump = undefined;
    this.matches.n = 0;
    this.counters = false;
  }
}

function fail(why: string): never {
  throw new Undecoded(why);
}

const be16 = (v: DataView, at: number): number => v.getUint16(at, false);

/** A little-endian u32 of the first `n` bytes at `at` (the bytes past `n` as 0). */
function le32(v: DataView, at: number, n: number): number {
  let x = 0;
  for (let i = Math.min(n, 4) - 1; i >= 0; i--) x = (x << 8) | v.getUint8(at + i);
  return x >>> 0;
}
const dotted = (m: number): string => `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;

/** mask_to_str of xshared.c: a prefix length, or the dotted mask where it is not contiguous. */
function maskText(m: number): string {
  if (m === 0xffffffff) return '32';
  for (let i = 31; i >= 0; i--) if (m === (0xfffffffe << (31 - i)) >>> 0) return String(i);
  return dotted(m);
}

/** The first `n` (<= 4) bytes at `at` as the high bytes of a big-endian u32. */
function bytesU32(v: DataView, at: number, n: number): number {
  let x = 0;
  for (let i = 0; i < 4; i++) x = (x << 8) | (i < n ? v.getUint8(at + i) : 0);
  return x >>> 0;
}

/** parse_ifname + save_iface: the name, `+` where the compare covers only a prefix. */
function ifname(v: DataView, at: number, len: number): string {
  if (len === 0 || len > 16) fail('an interface name of unusual length');
  let nul = -1;
  for (let i = 0; i < len && nul < 0; i++) if (v.getUint8(at + i) === 0) nul = i;
  if (nul >= 0 && nul !== len - 1) fail('an interface name with an inner NUL');
  if (nul < 0 && len >= 16) fail('an interface wildcard of 16 bytes');
  let name = '';
  for (let i = 0; i < (nul < 0 ? len : nul); i++) {
    const c = v.getUint8(at + i);
    if (c <= 0x20 || c >= 0x7f) fail('an unusual interface name');
    name += String.fromCharCode(c);
  }
  if (name === 'INVAL/D') fail('an unusual interface name');
  return nul < 0 ? `${name}+` : name;
}

const protoName = (s: State): string | undefined => (s.proto >= 0 && !s.protoInv ? PROTOS[s.proto] : undefined);

/** The rule's tcp/udp port match, made where the first port compare is (nft_parse_tcp/udp). */
function ports(s: State): void {
  const p = protoName(s);
  if (p !== 'tcp' && p !== 'udp') fail('a port compare without -p tcp/udp');
  if (s.portsAt >= 0) return;
  s.portsAt = s.matches.n;
  s.portsProto = p;
  s.spLo = s.dpLo = 0;
  s.spHi = s.dpHi = 0xffff;
  s.portsInv = 0;
}

function read(s: State, sreg: number): number {
  if (sreg >= 32 || s.regType[sreg] === 0) fail(`a compare of register ${sreg}, never loaded`);
  return sreg;
}

function cmp(s: State, e: NftExpr): void {
  const r = read(s, e.sreg);
  const v = e.v;
  if (e.op !== CMP.EQ && e.op !== CMP.NEQ) fail(`compare op ${e.op}`);
  const inv = e.op === CMP.NEQ;
  const key = s.regKey[r]!;
  const masked = s.regMaskAt[r]! >= 0;
  if (s.regType[r] === META_REG) {
    if (key === META.L4PROTO && !masked && e.aLen === 1 && s.proto < 0) {
      s.proto = v.getUint8(e.aAt);
      s.protoInv = inv;
    } else if (key === META.IIFNAME && !masked && s.iniface === undefined) {
      s.iniface = ifname(v, e.aAt, e.aLen);
      s.iniInv = inv;
    } else if (key === META.OIFNAME && !masked && s.outiface === undefined) {
      s.outiface = ifname(v, e.aAt, e.aLen);
      s.outInv = inv;
    } else if (key === META.MARK && e.aLen === 4) {
      const mask = masked ? le32(v, s.regMaskAt[r]!, s.regMaskLen[r]!) : 0xffffffff;
      s.matches.push('-m');
      s.matches.push('mark');
      s.matches.pushAll(markWords(le32(v, e.aAt, 4), mask, inv));
    } else fail(`meta key ${key}`);
    return;
  }
  const offset = s.regOffset[r]!;
  const len = s.regLen[r]!;
  if (key === BASE.NETWORK) {
    if ((offset !== 12 && offset !== 16) || len > 4 || e.aLen !== len) fail('a network header field');
    if (offset === 12 ? s.srcInv >= 0 : s.dstInv >= 0) fail('an address compared twice');
    // Without a bitwise mask, the bytes loaded are the mask (add_addr loads only a prefix's whole bytes).
    let mask: number;
    if (masked) {
      if (s.regMaskLen[r] !== len) fail('an address mask of another length');
      mask = bytesU32(v, s.regMaskAt[r]!, len);
    } else mask = len === 0 ? 0 : (0xffffffff << (32 - 8 * len)) >>> 0;
    const addr = bytesU32(v, e.aAt, len);
    if (offset === 12) [s.srcInv, s.srcAddr, s.srcMask] = [inv ? 1 : 0, addr, mask];
    else [s.dstInv, s.dstAddr, s.dstMask] = [inv ? 1 : 0, addr, mask];
    return;
  }
  if (key !== BASE.TRANSPORT || masked) fail('a header field iptables-nft does not write');
  ports(s);
  if (offset === 0 && len === 4 && e.aLen === 4) {
    s.spLo = s.spHi = be16(v, e.aAt);
    s.dpLo = s.dpHi = be16(v, e.aAt + 2);
    if (inv) s.portsInv |= SRC | DST;
  } else if ((offset === 0 || offset === 2) && len === 2 && e.aLen === 2) {
    const p = be16(v, e.aAt);
    if (offset === 0) s.spLo = s.spHi = p;
    else s.dpLo = s.dpHi = p;
    if (inv) s.portsInv |= offset === 0 ? SRC : DST;
  } else fail('a transport header field');
}

function range(s: State, e: NftExpr): void {
  const r = read(s, e.sreg);
  const offset = s.regOffset[r]!;
  if (s.regType[r] !== PAYLOAD_REG || s.regKey[r] !== BASE.TRANSPORT || s.regMaskAt[r]! >= 0 || s.regLen[r] !== 2)
    fail('a range iptables-nft does not write');
  if (e.aLen !== 2 || e.bLen !== 2 || (e.op !== CMP.EQ && e.op !== CMP.NEQ)) fail('a port range');
  if (offset !== 0 && offset !== 2) fail('a port range');
  ports(s);
  const [lo, hi] = [be16(e.v, e.aAt), be16(e.v, e.bAt)];
  if (offset === 0) [s.spLo, s.spHi] = [lo, hi];
  else [s.dpLo, s.dpHi] = [lo, hi];
  if (e.op === CMP.NEQ) s.portsInv |= offset === 0 ? SRC : DST;
}

const PAYLOAD_REG = 1;
const META_REG = 2;

function load(s: State, dreg: number, type: number, key: number, offset: number, len: number): void {
  if (dreg >= 32) fail(`register ${dreg}`);
  s.regType[dreg] = type;
  s.regKey[dreg] = key;
  s.regOffset[dreg] = offset;
  s.regLen[dreg] = len;
  s.regMaskAt[dreg] = -1;
}

const ACCEPT: XtWords = { name: 'ACCEPT', words: [] };
const DROP: XtWords = { name: 'DROP', words: [] };
const RETURN: XtWords = { name: 'RETURN', words: [] };

function step(s: State, e: NftExpr, names: InternedText): void {
  if (s.target || s.jump !== undefined) fail('an expression after the verdict');
  switch (e.kind) {
    case 'payload':
      return load(s, e.dreg, PAYLOAD_REG, e.key, e.offset, e.len);
    case 'meta':
      return load(s, e.dreg, META_REG, e.key, 0, 0);
    case 'bitwise': {
      const r = read(s, e.sreg);
      if (s.regMaskAt[r]! >= 0) fail('a bitwise xor or a second mask');
      for (let i = 0; i < e.bLen; i++) if (e.v.getUint8(e.bAt + i) !== 0) fail('a bitwise xor or a second mask');
      load(s, e.dreg, s.regType[r]!, s.regKey[r]!, s.regOffset[r]!, s.regLen[r]!);
      s.regMaskAt[e.dreg] = e.aAt;
      s.regMaskLen[e.dreg] = e.aLen;
      return;
    }
    case 'cmp':
      return cmp(s, e);
    case 'range':
      return range(s, e);
    case 'counter':
      if (s.counters) fail('two counters');
      s.counters = true;
      s.packets = e.packets;
      s.bytes = e.bytes;
      return;
    case 'verdict':
      if (e.code === VERDICT.ACCEPT) s.target = ACCEPT;
      else if (e.code === VERDICT.DROP) s.target = DROP;
      else if (e.code === VERDICT.RETURN) s.target = RETURN;
      else if ((e.code === VERDICT.JUMP || e.code === VERDICT.GOTO) && e.chain !== undefined) {
        s.jump = e.chain;
        s.goto = e.code === VERDICT.GOTO;
      } else fail(`verdict ${e.code}`);
      return;
    case 'xt': {
      const info = new DataView(e.v.buffer, e.v.byteOffset + e.infoAt, e.infoLen);
      // `-m tcp`/`-m udp` without ports stays an xt match; with ports it is native (above).
      if (e.xtType === 'match') {
        const m = xtMatch(e.name, e.rev, info, names) ?? fail(`match ${e.name} revision ${e.rev}`);
        s.matches.push('-m');
        s.matches.push(m.name);
        s.matches.pushAll(m.words);
      } else s.target = xtTarget(e.name, e.rev, info, names) ?? fail(`target ${e.name} revision ${e.rev}`);
      return;
    }
    default:
      fail(`expression ${e.what}`);
  }
}

/** save_ipv4_addr: nothing for an address that matches all. */
function pushAddr(args: Words, option: '-s' | '-d', inv: number, addr: number, mask: number): void {
  if (inv < 0 || (inv === 0 && mask === 0 && addr === 0)) return;
  if (inv === 1) args.push('!');
  args.push(option);
  args.push(`${dotted(addr)}/${maskText(mask)}`);
}

/** tcp_save/udp_save: a port or range unless it is 0:65535. */
function pushPorts(args: Words, s: State): void {
  args.push('-m');
  args.push(s.portsProto);
  if (s.spLo !== 0 || s.spHi !== 0xffff) {
    if (s.portsInv & SRC) args.push('!');
    args.push('--sport');
    args.push(s.spLo === s.spHi ? String(s.spLo) : `${s.spLo}:${s.spHi}`);
  }
  if (s.dpLo !== 0 || s.dpHi !== 0xffff) {
    if (s.portsInv & DST) args.push('!');
    args.push('--dport');
    args.push(s.dpLo === s.dpHi ? String(s.dpLo) : `${s.dpLo}:${s.dpHi}`);
  }
}

/**
 * Reads iptables-nft rules as nft_rule_to_iptables_command_state (iptables 1.8.9, nft-shared.c and
 * nft-ipv4.c) reads them, and prints each as nft_ipv4_save_rule does: `begin`, `step` through its
 * expressions, `finish`. Any expression, key, offset or extension revision not handled here makes
 * the rule Undecoded (its first reason kept): never a half-read rule. One reader serves a whole
 * dump, its state reset per rule, so a rule costs only its words.
 */
export class RuleArgsReader {
  private readonly s = new State();
  private readonly words = new Words();
  private failed: string | undefined;

  constructor(private readonly names: InternedText) {}

  begin(): void {
    this.s.reset();
    this.failed = undefined;
  }

  step(e: NftExpr): void {
    if (this.failed !== undefined) return;
    try {
      step(this.s, e, this.names);
    } catch (err) {
      if (!(err instanceof Undecoded)) throw err;
      this.failed = err.message;
    }
  }

  /** The rule's words and counters; throws Undecoded (naming table and chain) where it was not read. */
  finish(table: string, chain: string, userdata: boolean): RuleArgs {
    const s = this.s;
    let why = userdata ? 'rule user data' : this.failed;
    if (why === undefined && !s.counters) why = 'no counter';
    if (why === undefined && s.proto > 0 && PROTOS[s.proto] === undefined)
      why = `protocol ${s.proto} (named by /etc/protocols)`;
    if (why !== undefined) throw new Undecoded(`${table} ${chain}: ${why}`);
    // Words are gathered in a reused array and copied once at their count, not grown push by push.
    const args = this.words;
    args.n = 0;
    pushAddr(args, '-s', s.srcInv, s.srcAddr, s.srcMask);
    pushAddr(args, '-d', s.dstInv, s.dstAddr, s.dstMask);
    if (s.iniface !== undefined) {
      if (s.iniInv) args.push('!');
      args.push('-i');
      args.push(s.iniface);
    }
    if (s.outiface !== undefined) {
      if (s.outInv) args.push('!');
      args.push('-o');
      args.push(s.outiface);
    }
    if (s.proto > 0) {
      if (s.protoInv) args.push('!');
      args.push('-p');
      args.push(PROTOS[s.proto]!);
    }
    for (let i = 0; i <= s.matches.n; i++) {
      if (i === s.portsAt) pushPorts(args, s);
      if (i < s.matches.n) args.push(s.matches.a[i]!);
    }
    if (s.target) {
      args.push('-j');
      args.push(s.target.name);
      args.pushAll(s.target.words);
    } else if (s.jump !== undefined) {
      args.push(s.goto ? '-g' : '-j');
      args.push(s.jump);
    }
    return { args: args.copy(), packets: s.packets, bytes: s.bytes };
  }
}

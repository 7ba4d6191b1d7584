import { setImmediate } from 'node:timers/promises';
import type { IptablesChain, IptablesRule, IptablesTable } from '@hoplens/model';
import type { IptablesSave } from '../../netfilter/parseIptablesSave.ts';
import { align4, NetlinkFormatError, NLMSG_DONE } from '../rtattr.ts';
import { InternedText } from './internedText.ts';
import { decodeNftGens, endsWithDone, readNftRules, type NftExpr, type NftRuleSink } from './nftRules.ts';
import { RuleArgsReader, Undecoded, type RuleArgs } from './ruleArgs.ts';

const NEWCHAIN = (10 << 8) | 3;
const NFPROTO_IPV4 = 2;
const CHAIN = { TABLE: 1, NAME: 3, HOOK: 4, POLICY: 5, TYPE: 7, COUNTERS: 8 };

interface Builtin {
  readonly hook: number;
  readonly name: string;
  readonly type: string;
  readonly prio: number;
}
const chain = (hook: number, name: string, type: string, prio: number): Builtin => ({ hook, name, type, prio });

/** iptables-nft's tables of the ip family in the order it saves them (nft.h: enum nft_table_type), with their base chains (nft.c: xtables_ipv4). */
const TABLES: readonly (readonly [string, readonly Builtin[]])[] = [
  [
    'mangle',
    [
      chain(0, 'PREROUTING', 'filter', -150),
      chain(1, 'INPUT', 'filter', -150),
      chain(2, 'FORWARD', 'filter', -150),
      chain(3, 'OUTPUT', 'route', -150),
      chain(4, 'POSTROUTING', 'filter', -150),
    ],
  ],
  [
    'security',
    [chain(1, 'INPUT', 'filter', 150), chain(2, 'FORWARD', 'filter', 150), chain(3, 'OUTPUT', 'filter', 150)],
  ],
  ['raw', [chain(0, 'PREROUTING', 'filter', -300), chain(3, 'OUTPUT', 'filter', -300)]],
  ['filter', [chain(1, 'INPUT', 'filter', 0), chain(2, 'FORWARD', 'filter', 0), chain(3, 'OUTPUT', 'filter', 0)]],
  [
    'nat',
    [
      chain(0, 'PREROUTING', 'nat', -100),
      chain(1, 'INPUT', 'nat', 100),
      chain(3, 'OUTPUT', 'nat', -100),
      chain(4, 'POSTROUTING', 'nat', 100),
    ],
  ],
];
const POLICIES: Readonly<Record<number, string>> = { 0: 'DROP', 1: 'ACCEPT' };

interface DumpedChain {
  readonly name: string;
  hook?: { num: number; prio: number; type: string };
  policy?: number;
  readonly packets: number;
  readonly bytes: number;
}

/** What the helper sent for one namespace's iptables-nft rules (frame kinds 12, 14, 15). */
export interface IptablesNftDumps {
  readonly tables: readonly string[];
  readonly chains: readonly DataView[];
  readonly rules: readonly DataView[];
  readonly gens: readonly DataView[];
}

/**
 * The ip family's iptables-nft tables from the kernel's own answers, equal to what
 * `parseIptablesSave(iptables-nft-save -c)` gives; or, where anything is not decoded with
 * certainty (an expression, extension or revision, a base chain iptables would not call its own,
 * a ruleset that changed while it was dumped, a malformed answer), the reason, and
 * iptables-nft-save is run instead.
 */
export function decodeIptablesNft(d: IptablesNftDumps): IptablesSave | { readonly fallback: string } {
  try {
    checkGens(d);
    const decoder = new Decoder(d.tables);
    for (const buf of d.rules) decoder.read(buf);
    return { tables: decoder.tables(d), incompatible: [] };
  } catch (e) {
    return fallbackOf(e);
  }
}

/**
 * decodeIptablesNft, giving the event loop a turn every `sliceMs` of decoding: meanwhile the
 * helper's pipe is read, so the helper goes on dumping the next namespaces (a kube-proxy node's
 * rules take tens of milliseconds, and the pipe holds 64 KiB) instead of waiting for the decoding.
 */
export async function decodeIptablesNftSliced(
  d: IptablesNftDumps,
  sliceMs = 2,
): Promise<IptablesSave | { readonly fallback: string }> {
  try {
    checkGens(d);
    const decoder = new Decoder(d.tables);
    let since = performance.now();
    for (const buf of d.rules) {
      decoder.read(buf);
      if (performance.now() - since < sliceMs) continue;
      await setImmediate();
      since = performance.now();
    }
    return { tables: decoder.tables(d), incompatible: [] };
  } catch (e) {
    return fallbackOf(e);
  }
}

/** Rules read across a change of the ruleset (two different generations around the dumps) are not trusted. */
export function checkGens(d: IptablesNftDumps): void {
  const gens = decodeNftGens(d.gens);
  if (gens.length !== 2 || gens[0] !== gens[1]) throw new Undecoded('the ruleset changed while it was read');
}

/** The fallback an Undecoded rule or a malformed dump leads to; anything else is a fault, thrown on. */
export function fallbackOf(e: unknown): { readonly fallback: string } {
  if (e instanceof Undecoded) return { fallback: e.message };
  // A malformed rule dump spoils only the decoding: iptables-nft-save reads the rules instead.
  if (e instanceof NetlinkFormatError) return { fallback: `malformed rule dump: ${e.message}` };
  throw e;
}

/**
 * The rule buffers of decodeIptablesNft read one by one (of iptables-nft's tables among `tables`),
 * then put in iptables-nft-save's order by `tables`, given the whole dumps (checkGens done).
 */
export class Decoder {
  private readonly names = new InternedText();
  private readonly sink: RulesByChain;
  private interrupted = false;

  constructor(tables: readonly string[]) {
    this.sink = new RulesByChain(tables, this.names);
  }

  read(buf: DataView): void {
    if (readNftRules(buf, this.sink, this.names)) this.interrupted = true;
  }

  /** The tables, once every buffer of `d.rules` was read, in order. */
  tables(d: IptablesNftDumps): IptablesTable[] {
    if (this.interrupted || !endsWithDone(d.rules.at(-1))) throw new Undecoded('the rule dump was interrupted');
    return tablesOf(d, this.sink, this.names);
  }
}

function tablesOf(d: IptablesNftDumps, sink: RulesByChain, names: InternedText): IptablesTable[] {
  const chains = chainsByTable(d.chains, names);
  // The first rule not decoded, said after what the dumps themselves hold wrong (as nft reads them).
  if (sink.undecoded !== undefined) throw new Undecoded(sink.undecoded);
  const out: IptablesTable[] = [];
  for (const [name, builtins] of TABLES) {
    if (!d.tables.includes(name)) continue;
    const dumped = chains.get(name) ?? [];
    const base: (IptablesChain | undefined)[] = [];
    const user: DumpedChain[] = [];
    for (const c of dumped) {
      if (!c.hook) {
        if (/[^\x21-\x7e]/.test(c.name)) throw new Undecoded(`${name}: a chain name iptables would sort by its bytes`);
        user.push(c);
        continue;
      }
      const b = builtins.find((x) => x.hook === c.hook!.num);
      if (!b || b.name !== c.name || b.type !== c.hook.type || b.prio !== c.hook.prio || base[b.hook])
        throw new Undecoded(`${name} ${c.name}: a base chain iptables-nft did not make`);
      const policy = c.policy === undefined ? 'ACCEPT' : POLICIES[c.policy];
      if (policy === undefined) throw new Undecoded(`${name} ${c.name}: policy ${c.policy}`);
      base[b.hook] = { name: c.name, policy, packets: c.packets, bytes: c.bytes };
    }
    // iptables-nft makes base chains only when a rule needs them; its save shows the others too
    // (xtables-save.c: nft_xt_fake_builtin_chains), ACCEPT and unused.
    for (const b of builtins) base[b.hook] ??= { name: b.name, policy: 'ACCEPT', packets: 0, bytes: 0 };
    user.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const ordered: IptablesChain[] = [
      ...base.filter((c): c is IptablesChain => c !== undefined),
      ...user.map((c) => ({
        name: c.name,
        policy: c.policy === undefined ? '-' : (POLICIES[c.policy] ?? '-'),
        packets: c.packets,
        bytes: c.bytes,
      })),
    ];
    const known = new Set(ordered.map((c) => c.name));
    const byChain = sink.byTable.get(name);
    for (const chain of byChain?.keys() ?? [])
      if (!known.has(chain)) throw new Undecoded(`${name} ${chain}: rules of a chain the chain dump did not show`);
    out.push({
      family: 'ipv4',
      backend: 'nft',
      name,
      chains: ordered,
      rules: byChain ? ordered.flatMap((c) => byChain.get(c.name) ?? []) : [],
    });
  }
  return out;
}

/**
 * The rules of iptables-nft's tables of the ip family, by table and chain, each read as soon as the
 * dump has it (nothing of a rule's expressions outlives it); other families' and tables' rules are
 * only checked. After a rule that is not decoded, the rest are only checked too: the namespace's
 * rules are then read by iptables-nft-save, and `undecoded` says why.
 */
class RulesByChain implements NftRuleSink {
  /** Rules by table, then chain, in the order the dump first had them. */
  readonly byTable = new Map<string, Map<string, IptablesRule[]>>();
  undecoded: string | undefined;
  private readonly reader: RuleArgsReader;
  private wanted = false;
  /** Whether the previous rule's table was one of iptables-nft's (the rules of a table come together). */
  private lastTable = '';
  private lastTableWanted = false;
  private table = '';
  private chain = '';
  /** The list of the previous rule's chain: a chain's rules come one after the other. */
  private list: IptablesRule[] | undefined;
  private listTable = '';
  private listChain = '';

  constructor(
    private readonly tables: readonly string[],
    names: InternedText,
  ) {
    this.reader = new RuleArgsReader(names);
  }

  rule(family: number, table: string, chain: string): boolean {
    if (table !== this.lastTable) {
      this.lastTable = table;
      this.lastTableWanted = this.tables.includes(table) && TABLES.some(([t]) => t === table);
    }
    this.wanted = this.undecoded === undefined && family === NFPROTO_IPV4 && this.lastTableWanted;
    this.table = table;
    this.chain = chain;
    if (this.wanted) this.reader.begin();
    return this.wanted;
  }

  expr(e: NftExpr): void {
    this.reader.step(e);
  }

  end(userdata: boolean): void {
    if (!this.wanted) return;
    const { table, chain } = this;
    let args: RuleArgs;
    try {
      args = this.reader.finish(table, chain, userdata);
    } catch (e) {
      if (!(e instanceof Undecoded)) throw e;
      this.undecoded = e.message;
      return;
    }
    if (this.list === undefined || this.listTable !== table || this.listChain !== chain) {
      let byChain = this.byTable.get(table);
      if (byChain === undefined) this.byTable.set(table, (byChain = new Map<string, IptablesRule[]>()));
      this.list = byChain.get(chain);
      if (this.list === undefined) byChain.set(chain, (this.list = []));
      this.listTable = table;
      this.listChain = chain;
    }
    this.list.push({ chain, args: args.args, packets: args.packets, bytes: args.bytes });
  }
}

/** The NFT_MSG_NEWCHAIN answers of the ip family by table, read by offsets (a kube-proxy node has ~3,800 chains). */
function chainsByTable(buffers: readonly DataView[], names: InternedText): Map<string, DumpedChain[]> {
  const out = new Map<string, DumpedChain[]>();
  for (const buf of buffers) {
    for (let off = 0; off + 16 <= buf.byteLength;) {
      const len = buf.getUint32(off, true);
      if (len < 16 || off + len > buf.byteLength)
        throw new NetlinkFormatError(`netlink message of ${len} bytes at ${off}`);
      const type = buf.getUint16(off + 4, true);
      if (type === NLMSG_DONE) break;
      if (type === NEWCHAIN && len >= 20 && buf.getUint8(off + 16) === NFPROTO_IPV4)
        readChain(buf, off + 16, off + len, out, names);
      off += align4(len);
    }
  }
  return out;
}

/** Where the last attribute of each type 0..8 lies in the message being read (-1 where absent), and its length. */
const at = new Int32Array(9);
const len = new Int32Array(9);
/** The same for a nested attribute (the hook's, the counters'). */
const nestedAt = new Int32Array(3);
const nestedLen = new Int32Array(3);

/** Finds attributes from `start` to `end` (offsets said from `base`, as Attrs says them); the last of a type wins. */
function scan(v: DataView, start: number, end: number, base: number, offs: Int32Array, lens: Int32Array): void {
  offs.fill(-1);
  for (let off = start; off + 4 <= end;) {
    const l = v.getUint16(off, true);
    if (l < 4 || off + l > end) throw new NetlinkFormatError(`attribute of ${l} bytes at ${off - base}`);
    const t = v.getUint16(off + 2, true) & 0x3fff;
    if (t < offs.length) {
      offs[t] = off + 4;
      lens[t] = l - 4;
    }
    off += align4(l);
  }
}

function readChain(v: DataView, body: number, end: number, out: Map<string, DumpedChain[]>, names: InternedText): void {
  scan(v, body + 4, end, body, at, len);
  const table = chainText(v, CHAIN.TABLE, names);
  const name = chainText(v, CHAIN.NAME, names);
  if (table === undefined || name === undefined) throw new Undecoded('a chain without table or name');
  let hook: DumpedChain['hook'];
  if (at[CHAIN.HOOK]! >= 0) {
    const hookAt = at[CHAIN.HOOK]!;
    scan(v, hookAt, hookAt + len[CHAIN.HOOK]!, hookAt, nestedAt, nestedLen);
    const type = chainText(v, CHAIN.TYPE, names);
    if (nestedAt[1]! < 0 || nestedLen[1] !== 4 || nestedAt[2]! < 0 || nestedLen[2] !== 4 || type === undefined)
      throw new Undecoded(`${table} ${name}: a base chain without hook, priority or type`);
    hook = { num: v.getUint32(nestedAt[1]!, false), prio: v.getInt32(nestedAt[2]!, false), type };
  }
  const policy = at[CHAIN.POLICY]! >= 0 && len[CHAIN.POLICY] === 4 ? v.getUint32(at[CHAIN.POLICY]!, false) : undefined;
  let packets = 0;
  let bytes = 0;
  if (at[CHAIN.COUNTERS]! >= 0) {
    const countersAt = at[CHAIN.COUNTERS]!;
    scan(v, countersAt, countersAt + len[CHAIN.COUNTERS]!, countersAt, nestedAt, nestedLen);
    packets = counter(v, 2, table, name);
    bytes = counter(v, 1, table, name);
  }
  const chain: DumpedChain = { name, packets, bytes };
  if (hook) chain.hook = hook;
  if (policy !== undefined) chain.policy = policy;
  let list = out.get(table);
  if (list === undefined) out.set(table, (list = []));
  list.push(chain);
}

/** The text of the chain's attribute of type t, if it has one (no closure per chain: ~3,800 on a kube-proxy node). */
function chainText(v: DataView, t: number, names: InternedText): string | undefined {
  return at[t]! < 0 ? undefined : names.text(v, at[t]!, len[t]!);
}

/** The chain counter of nested type t (0 where absent). */
function counter(v: DataView, t: number, table: string, name: string): number {
  if (nestedAt[t]! < 0) return 0;
  if (nestedLen[t] !== 8) throw new Undecoded(`${table} ${name}: a chain counter of ${nestedLen[t]} bytes`);
  const hi = v.getUint32(nestedAt[t]!, false);
  if (hi >= 2 ** 21) throw new Undecoded(`${table} ${name}: counters past 2^53`);
  return hi * 2 ** 32 + v.getUint32(nestedAt[t]! + 4, false);
}

import { setImmediate } from 'node:timers/promises';
import type { IptablesChain, IptablesRule, IptablesTable } from '@hoplens/model';
import type { IptablesSave } from '../../netfilter/parseIptablesSave.ts';
import { attrs, messages, NetlinkFormatError, str } from '../rtattr.ts';
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
  readonly hook?: { num: number; prio: number; type: string };
  readonly policy?: number;
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
    const decoder = new Decoder(d);
    for (const buf of d.rules) decoder.read(buf);
    return { tables: decoder.tables(), incompatible: [] };
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
    const decoder = new Decoder(d);
    let since = performance.now();
    for (const buf of d.rules) {
      decoder.read(buf);
      if (performance.now() - since < sliceMs) continue;
      await setImmediate();
      since = performance.now();
    }
    return { tables: decoder.tables(), incompatible: [] };
  } catch (e) {
    return fallbackOf(e);
  }
}

function fallbackOf(e: unknown): { readonly fallback: string } {
  if (e instanceof Undecoded) return { fallback: e.message };
  // A malformed rule dump spoils only the decoding: iptables-nft-save reads the rules instead.
  if (e instanceof NetlinkFormatError) return { fallback: `malformed rule dump: ${e.message}` };
  throw e;
}

/** The dumps of decodeIptablesNft read buffer by buffer, then put in iptables-nft-save's order. */
class Decoder {
  private readonly names = new InternedText();
  private readonly sink: RulesByChain;
  private interrupted = false;

  constructor(private readonly d: IptablesNftDumps) {
    const gens = decodeNftGens(d.gens);
    if (gens.length !== 2 || gens[0] !== gens[1]) throw new Undecoded('the ruleset changed while it was read');
    this.sink = new RulesByChain(d.tables, this.names);
  }

  read(buf: DataView): void {
    if (readNftRules(buf, this.sink, this.names)) this.interrupted = true;
  }

  tables(): IptablesTable[] {
    if (this.interrupted || !endsWithDone(this.d.rules.at(-1))) throw new Undecoded('the rule dump was interrupted');
    return tablesOf(this.d, this.sink);
  }
}

function tablesOf(d: IptablesNftDumps, sink: RulesByChain): IptablesTable[] {
  const chains = chainsByTable(d.chains);
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

function chainsByTable(buffers: readonly DataView[]): Map<string, DumpedChain[]> {
  const out = new Map<string, DumpedChain[]>();
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== NEWCHAIN || m.body.byteLength < 4 || m.body.getUint8(0) !== NFPROTO_IPV4) continue;
      const a = attrs(m.body, 4);
      const table = str(a.get(CHAIN.TABLE));
      const name = str(a.get(CHAIN.NAME));
      if (table === undefined || name === undefined) throw new Undecoded('a chain without table or name');
      const hookAttr = a.get(CHAIN.HOOK);
      let hook: DumpedChain['hook'];
      if (hookAttr) {
        const h = attrs(hookAttr);
        const num = h.get(1);
        const prio = h.get(2);
        const type = str(a.get(CHAIN.TYPE));
        if (!num || num.byteLength !== 4 || !prio || prio.byteLength !== 4 || type === undefined)
          throw new Undecoded(`${table} ${name}: a base chain without hook, priority or type`);
        hook = { num: num.getUint32(0, false), prio: prio.getInt32(0, false), type };
      }
      const policyAttr = a.get(CHAIN.POLICY);
      const counters = a.get(CHAIN.COUNTERS);
      const c = counters ? attrs(counters) : undefined;
      const count = (t: number): number => {
        const v = c?.get(t);
        if (!v) return 0;
        if (v.byteLength !== 8) throw new Undecoded(`${table} ${name}: a chain counter of ${v.byteLength} bytes`);
        const n = v.getBigUint64(0, false);
        if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Undecoded(`${table} ${name}: counters past 2^53`);
        return Number(n);
      };
      const list = out.get(table) ?? [];
      out.set(table, list);
      list.push({
        name,
        ...(hook ? { hook } : {}),
        ...(policyAttr && policyAttr.byteLength === 4 ? { policy: policyAttr.getUint32(0, false) } : {}),
        packets: count(2),
        bytes: count(1),
      });
    }
  }
  return out;
}

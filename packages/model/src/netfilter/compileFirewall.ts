import type { Firewall, FirewallGap, IpSet } from '../schema/firewall.ts';
import type { NetnsInventory } from '../schema/inventory.ts';
import { compileIptables, type HookedChain } from './iptables/compileIptables.ts';
import type { BaseChain } from './ir.ts';
import { compileNft } from './nft/compileNft.ts';
import type { NfFamily, NfHook } from './nfPacket.ts';

/**
 * A namespace's packet filters compiled once per snapshot: the base chains each hook runs, in
 * priority order across nftables and both iptables backends, the ipsets rules name, and what the
 * collector could not read (the hooks it would cover are unknown).
 */
export interface CompiledFirewall {
  /** No chain at any hook: packets pass untouched. */
  readonly empty: boolean;
  readonly gaps: readonly FirewallGap[];
  readonly ipsets: ReadonlyMap<string, IpSet>;
  /** The base chains of a hook; for netdev hooks, those bound to `dev`. */
  chainsAt(family: NfFamily, hook: NfHook, dev?: string): readonly BaseChain[];
  /** How many tables, chains and rules: the firewall at a glance. */
  readonly counts: { readonly tables: number; readonly chains: number; readonly rules: number };
}

const EMPTY: readonly BaseChain[] = [];

export function compileFirewall(host: string, ns: NetnsInventory, firewall: Firewall): CompiledFirewall {
  // Most namespaces (every pod's, often) have no rule at all: one shared answer, nothing compiled.
  if (isBare(firewall)) return NO_RULES;
  const target = { host, name: ns.name, ...(ns.path === undefined ? {} : { path: ns.path }) };
  const hooked: HookedChain[] = [
    ...compileIptables(firewall.iptables, target),
    ...firewall.nftables.flatMap((t) => compileNft(t, target)),
  ];
  const byHook = new Map<string, HookedChain[]>();
  for (const h of hooked) {
    const key = `${h.family} ${h.hook}`;
    const list = byHook.get(key);
    if (list) list.push(h);
    else byHook.set(key, [h]);
  }
  const sorted = new Map<string, readonly HookedChain[]>();
  for (const [key, list] of byHook)
    sorted.set(
      key,
      [...list].sort((a, b) => a.base.priority - b.base.priority),
    );
  // By family, then hook: asked at every hook of every walk, where a `family hook` key would be a
  // string built per question.
  const plain = new Map<NfFamily, Map<NfHook, readonly BaseChain[]>>();
  for (const list of sorted.values()) {
    const { family, hook } = list[0]!;
    let hooks = plain.get(family);
    if (!hooks) plain.set(family, (hooks = new Map<NfHook, readonly BaseChain[]>()));
    hooks.set(
      hook,
      list.map((h) => h.base),
    );
  }
  return {
    empty: hooked.length === 0,
    gaps: firewall.gaps,
    ipsets: new Map(firewall.ipsets.map((s) => [s.name, s])),
    counts: countsOf(firewall),
    chainsAt(family, hook, dev) {
      if (family !== 'netdev') return plain.get(family)?.get(hook) ?? EMPTY;
      const list = sorted.get(`${family} ${hook}`);
      if (!list) return EMPTY;
      return list.filter((h) => dev !== undefined && (h.devices ?? []).includes(dev)).map((h) => h.base);
    },
  };
}

/** No table, no set, nothing unread. */
const isBare = (f: Firewall): boolean =>
  f.nftables.length === 0 && f.iptables.length === 0 && f.ipsets.length === 0 && f.gaps.length === 0;

/** The compiled firewall of a namespace without any (read-only, shared). */
const NO_RULES: CompiledFirewall = {
  empty: true,
  gaps: [],
  ipsets: new Map(),
  counts: { tables: 0, chains: 0, rules: 0 },
  chainsAt: () => EMPTY,
};

/** Tables, chains and rules of a firewall, without compiling it. */
export function countsOf(f: Firewall): { tables: number; chains: number; rules: number } {
  return {
    tables: f.nftables.length + f.iptables.length,
    chains: f.nftables.reduce((n, t) => n + t.chains.length, 0) + f.iptables.reduce((n, t) => n + t.chains.length, 0),
    rules: f.nftables.reduce((n, t) => n + t.rules.length, 0) + f.iptables.reduce((n, t) => n + t.rules.length, 0),
  };
}

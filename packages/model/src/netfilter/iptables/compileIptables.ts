import { commandIn } from '../../fix/commands.ts';
import type { IptablesTable } from '../../schema/firewall.ts';
import type { BaseChain, Chain, Rule, RuleRef, RulesetPlace } from '../ir.ts';
import { findLoops } from '../loops.ts';
import type { NfHook } from '../nfPacket.ts';
import { compileIptablesRule } from './compileIptablesRule.ts';

/** A base chain with the hook and family it runs at. */
export interface HookedChain {
  readonly family: 'ipv4' | 'ipv6' | 'arp' | 'bridge' | 'netdev';
  readonly hook: NfHook;
  /** For netdev chains: the devices they are bound to. */
  readonly devices?: readonly string[];
  readonly base: BaseChain;
}

const HOOKS: Readonly<Record<string, NfHook>> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
};

/** The priorities the kernel registers each table's hooks at (NF_IP_PRI_*). */
function priority(table: string, hook: NfHook): number {
  switch (table) {
    case 'raw':
      return -300;
    case 'mangle':
      return -150;
    case 'nat':
      return hook === 'prerouting' || hook === 'output' ? -100 : 100;
    case 'security':
      return 50;
    default:
      return 0;
  }
}

/** A word as iptables-save writes it: quoted where it holds spaces or quotes. */
const word = (w: string): string => (w === '' || /[\s"'\\]/.test(w) ? `"${w.replace(/(["\\'])/g, '\\$1')}"` : w);

/** The rule as `iptables-save` prints it: `-A CHAIN …`. */
export const iptablesRuleText = (chain: string, args: readonly string[]): string =>
  ['-A', chain, ...args].map(word).join(' ');

/**
 * Compiles the iptables tables of one namespace (both families and backends) into the base chains
 * their hooks run: the built-in chains a table has, at its priority, with the table's chains for
 * jumps. Each rule keeps where it came from: table, chain, its number in the chain, its text and
 * counters, and the command that lists it.
 */
export function compileIptables(tables: readonly IptablesTable[], ns: RulesetPlace): HookedChain[] {
  const out: HookedChain[] = [];
  for (const t of tables) {
    const family = t.family === 'ipv4' ? 4 : 6;
    const backend = t.backend === 'nft' ? 'iptables-nft' : 'iptables-legacy';
    const tool = `${t.family === 'ipv4' ? 'iptables' : 'ip6tables'}-${t.backend}`;
    const names = new Set(t.chains.map((c) => c.name));
    const command = (chain: string): string =>
      commandIn(ns, [tool, '-t', t.name, '-L', chain, '-v', '-n', '--line-numbers']);
    const byChain = new Map<string, Rule[]>();
    for (const c of t.chains) byChain.set(c.name, []);
    for (const r of t.rules) {
      const list = byChain.get(r.chain) ?? [];
      byChain.set(r.chain, list);
      const compiled = compileIptablesRule(r.args, family, names);
      const ref: RuleRef = {
        backend,
        host: ns.host,
        netns: ns.name,
        family: t.family,
        table: t.name,
        chain: r.chain,
        handle: list.length + 1,
        text: iptablesRuleText(r.chain, r.args),
        ...(compiled.comment === undefined ? {} : { comment: compiled.comment }),
        packets: r.packets,
        bytes: r.bytes,
        command: command(r.chain),
      };
      list.push({ ref, steps: compiled.steps, ...(compiled.onlyTo === undefined ? {} : { onlyTo: compiled.onlyTo }) });
    }
    const chains = new Map<string, Chain>([...byChain].map(([name, rules]) => [name, { name, rules }]));
    const loops = findLoops(chains);
    for (const c of t.chains) {
      const hook = HOOKS[c.name];
      if (!hook || c.policy === '-') continue;
      const policy = c.policy === 'DROP' ? 'drop' : 'accept';
      out.push({
        family: t.family,
        hook,
        base: {
          chain: chains.get(c.name)!,
          chains,
          priority: priority(t.name, hook),
          type: t.name === 'nat' ? 'nat' : t.name === 'mangle' && hook === 'output' ? 'route' : 'filter',
          policy: {
            verdict: policy,
            ref: {
              backend,
              host: ns.host,
              netns: ns.name,
              family: t.family,
              table: t.name,
              chain: c.name,
              text: `-P ${c.name} ${c.policy}`,
              packets: c.packets,
              bytes: c.bytes,
              command: command(c.name),
            },
          },
          loops,
        },
      });
    }
  }
  return out;
}

import { commandIn } from '../../fix/commands.ts';
import type { JsonValue, NftTable } from '../../schema/firewall.ts';
import type { HookedChain } from '../iptables/compileIptables.ts';
import type { Chain, Rule, RulesetPlace } from '../ir.ts';
import { findLoops } from '../loops.ts';
import type { NfHook } from '../nfPacket.ts';
import { compileNftRule } from './compileNftRule.ts';
import { nftRuleText } from './nftText.ts';

const HOOKS = new Set<NfHook>(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress']);
/** Which packets a table's family sees: `inet` both IP families. */
const FAMILIES: Readonly<Record<NftTable['family'], HookedChain['family'][]>> = {
  ip: ['ipv4'],
  ip6: ['ipv6'],
  inet: ['ipv4', 'ipv6'],
  arp: ['arp'],
  bridge: ['bridge'],
  netdev: ['netdev'],
};

/**
 * Compiles a native nftables table into the base chains its hooks run (an `inet` chain at both
 * IP families' hooks, a `netdev` chain at its devices'), each rule with its handle, comment,
 * counter, text, and the command that lists its chain.
 */
export function compileNft(table: NftTable, ns: RulesetPlace): HookedChain[] {
  const sets = new Map(table.sets.map((s) => [s.name, s.elem]));
  const named = (name: string): readonly JsonValue[] | undefined => sets.get(name);
  const byChain = new Map<string, Rule[]>(table.chains.map((c) => [c.name, []]));
  const command = (chain: string): string =>
    commandIn(ns, ['nft', '-a', 'list', 'chain', table.family, table.name, chain]);
  for (const r of table.rules) {
    const list = byChain.get(r.chain) ?? [];
    byChain.set(r.chain, list);
    list.push({
      ref: {
        backend: 'nftables',
        host: ns.host,
        netns: ns.name,
        family: table.family,
        table: table.name,
        chain: r.chain,
        handle: r.handle,
        text: nftRuleText(r.expr),
        ...(r.comment === undefined ? {} : { comment: r.comment }),
        ...(r.packets === undefined ? {} : { packets: r.packets }),
        ...(r.bytes === undefined ? {} : { bytes: r.bytes }),
        command: command(r.chain),
      },
      steps: compileNftRule(r.expr, named),
    });
  }
  const chains = new Map<string, Chain>([...byChain].map(([name, rules]) => [name, { name, rules }]));
  const loops = findLoops(chains);
  const out: HookedChain[] = [];
  for (const c of table.chains) {
    const hook = c.hook as NfHook | undefined;
    if (!hook || !HOOKS.has(hook)) continue;
    const policy = c.policy === 'drop' ? 'drop' : 'accept';
    const type = c.type === 'nat' ? 'nat' : c.type === 'route' ? 'route' : 'filter';
    for (const family of FAMILIES[table.family]) {
      out.push({
        family,
        hook,
        ...(c.devices ? { devices: c.devices } : {}),
        base: {
          chain: chains.get(c.name)!,
          chains,
          priority: c.prio ?? 0,
          type,
          policy: {
            verdict: policy,
            ref: {
              backend: 'nftables',
              host: ns.host,
              netns: ns.name,
              family: table.family,
              table: table.name,
              chain: c.name,
              text: `policy ${policy}`,
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

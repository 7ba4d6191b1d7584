import type { JsonValue, NftTable } from '../schema/firewall.ts';

/**
 * An `inet` nftables table with one base filter chain at `hook` (named after it, priority 0) and a
 * rule for each expression list given, in order (handles from 2), as `nft -j` prints them.
 */
export function hookTable(name: string, hook: string, policy: 'accept' | 'drop', rules: JsonValue[][] = []): NftTable {
  return {
    family: 'inet',
    name,
    handle: 1,
    chains: [{ name: hook, handle: 1, type: 'filter', hook, prio: 0, policy }],
    sets: [],
    rules: rules.map((expr, i) => ({ chain: hook, handle: i + 2, expr })),
  };
}

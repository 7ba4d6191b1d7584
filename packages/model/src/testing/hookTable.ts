import type { JsonValue, NftTable } from '../schema/firewall.ts';

/**
 * An nftables table (`inet` unless `chain.family` says) with one base chain at `hook` (named after
 * it; a filter chain at priority 0 unless `chain` says) and a rule for each expression list given,
 * in order (handles from 2), as `nft -j` prints them.
 */
export function hookTable(
  name: string,
  hook: string,
  policy: 'accept' | 'drop',
  rules: JsonValue[][] = [],
  chain: { family?: NftTable['family']; type?: 'filter' | 'nat'; prio?: number } = {},
): NftTable {
  return {
    family: chain.family ?? 'inet',
    name,
    handle: 1,
    chains: [{ name: hook, handle: 1, type: chain.type ?? 'filter', hook, prio: chain.prio ?? 0, policy }],
    sets: [],
    rules: rules.map((expr, i) => ({ chain: hook, handle: i + 2, expr })),
  };
}

import Type from 'typebox';
import type { NatChain } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';

const NftChainsSchema = Type.Object({
  nftables: Type.Array(
    Type.Union([
      Type.Object({
        chain: Type.Object({
          family: Type.String(),
          table: Type.String(),
          name: Type.String(),
          type: Type.Optional(Type.String()),
          hook: Type.Optional(Type.String()),
          prio: Type.Optional(Type.Integer()),
        }),
      }),
      Type.Object({}),
    ]),
  ),
});

/** The NAT base chains in `nft -j list chains`. */
export function parseNatChains(text: string): NatChain[] {
  if (text.trim() === '') return [];
  const parsed = parseJsonOutput(NftChainsSchema, text, 'nft -j list chains');
  return parsed.nftables.flatMap((e) => {
    if (!('chain' in e)) return [];
    const c = e.chain;
    return c.type === 'nat' && c.hook !== undefined
      ? [{ family: c.family, table: c.table, chain: c.name, hook: c.hook, priority: c.prio ?? 0 }]
      : [];
  });
}

import Type from 'typebox';
import { validate, type NftFamily } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';
import type { NetfilterPresence } from './presence.ts';

const NFT_FAMILIES = new Set<string>(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

const NftTablesSchema = Type.Object({
  nftables: Type.Array(
    Type.Object({ table: Type.Optional(Type.Object({ family: Type.String(), name: Type.String() })) }),
  ),
});

/** `nft -j list tables`: each table's family and name. */
export function parseNftTableList(text: string): NetfilterPresence['nft'] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`nft -j list tables: output is not JSON (${(e as Error).message})`);
  }
  let parsed;
  try {
    parsed = validate(NftTablesSchema, json, 'nft -j list tables output');
  } catch (e) {
    throw new ParseError((e as Error).message);
  }
  return parsed.nftables.flatMap((o) =>
    o.table && NFT_FAMILIES.has(o.table.family) ? [{ family: o.table.family as NftFamily, name: o.table.name }] : [],
  );
}

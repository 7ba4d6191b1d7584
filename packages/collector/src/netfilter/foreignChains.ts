import type { IptablesTable, JsonValue, NftTable } from '@hoplens/model';

/**
 * The part of an iptables-nft table that iptables-nft-save leaves out: base chains nft (not
 * iptables) added to it — "contains incompatible base-chains" — and every chain they jump or go to
 * that iptables did not print. Their rules run at their hooks like any other, so they are kept as
 * an nftables table (read from `nft -j list table`) holding only those chains; a chain iptables
 * printed is already in `printed`, and is not read twice.
 */
export function foreignChains(table: NftTable, printed: IptablesTable | undefined): NftTable | undefined {
  const listed = new Set(printed?.chains.map((c) => c.name) ?? []);
  const keep = new Set(table.chains.filter((c) => !listed.has(c.name)).map((c) => c.name));
  const byChain = new Map<string, NftTable['rules'][number][]>();
  for (const r of table.rules) {
    const list = byChain.get(r.chain);
    if (list) list.push(r);
    else byChain.set(r.chain, [r]);
  }
  const todo = [...keep];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    for (const r of byChain.get(name) ?? [])
      for (const target of jumpTargets(r.expr))
        if (!keep.has(target)) {
          keep.add(target);
          todo.push(target);
        }
  }
  if (keep.size === 0) return undefined;
  return {
    ...table,
    chains: table.chains.filter((c) => keep.has(c.name)),
    rules: table.rules.filter((r) => keep.has(r.chain)),
  };
}

/** The chains a rule's expressions jump or go to, wherever they sit (a verdict map's values too). */
function jumpTargets(value: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) jumpTargets(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'jump' || key === 'goto') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const target = v.target;
        if (typeof target === 'string') out.push(target);
      } else jumpTargets(v, out);
    }
  }
  return out;
}

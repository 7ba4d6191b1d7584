import type { NftFamily } from '@hoplens/model';
import { LEGACY_TABLES_DIR } from '../sysctlFiles.ts';

/**
 * Which packet filters a namespace has, known without listing a single rule: its nf_tables tables
 * (native ones and those iptables-nft made) and its legacy x_tables tables by family. A namespace
 * with none costs no process at all.
 */
export interface NetfilterPresence {
  readonly nft: readonly { readonly family: NftFamily; readonly name: string }[];
  readonly legacy: {
    readonly ipv4: readonly string[];
    readonly ipv6: readonly string[];
    readonly arp: readonly string[];
  };
}

export const hasNetfilter = (p: NetfilterPresence): boolean =>
  p.nft.length > 0 || p.legacy.ipv4.length > 0 || p.legacy.ipv6.length > 0 || p.legacy.arp.length > 0;

const LEGACY_FILES: Readonly<Record<string, keyof NetfilterPresence['legacy']>> = {
  ip_tables_names: 'ipv4',
  ip6_tables_names: 'ipv6',
  arp_tables_names: 'arp',
};

/** The legacy table names among `path:name` lines (the sysctl grep's, or the helper's copy). */
export function parseLegacyTables(text: string): NetfilterPresence['legacy'] {
  const out = { ipv4: [] as string[], ipv6: [] as string[], arp: [] as string[] };
  const lines = text.split('\n');
  // Indexed, as parseSysctls reads the same text.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(LEGACY_TABLES_DIR)) continue;
    const colon = line.indexOf(':');
    const family = LEGACY_FILES[line.slice(LEGACY_TABLES_DIR.length, colon)];
    const name = line.slice(colon + 1).trim();
    if (family && /^[a-z0-9_]{1,32}$/.test(name)) out[family].push(name);
  }
  return out;
}

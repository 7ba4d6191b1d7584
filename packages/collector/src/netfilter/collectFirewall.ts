import type { CollectError, Firewall, FirewallGap, IptablesTable, NftTable, RawOutput } from '@hoplens/model';
import { foreignChains } from './foreignChains.ts';
import { parseIpsetSave } from './parseIpsetSave.ts';
import { parseIptablesSave, type IptablesSave } from './parseIptablesSave.ts';
import { parseNftRuleset } from './parseNftRuleset.ts';
import { hasNetfilter, type NetfilterPresence } from './presence.ts';

/** The tables iptables-nft makes; a native nft table of another name is read with nft. */
const IPTABLES_TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);
/** A table name nft's command line takes as one identifier; any other is read from the whole ruleset. */
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const TIMEOUT_MS = 60_000;

export const NO_FIREWALL: Firewall = { nftables: [], iptables: [], ipsets: [], gaps: [] };

/** Runs one argv inside the namespace: the command as run, and its stdout (rejecting on failure). */
export type RunInside = (
  argv: readonly string[],
  timeoutMs: number,
) => Promise<{ readonly command: string[]; readonly output: string }>;

export interface CollectedFirewall {
  readonly firewall: Firewall;
  readonly raw: RawOutput[];
  readonly errors: CollectError[];
}

/**
 * Reads a namespace's packet filters, asking only for what its presence says is there: iptables-nft
 * and iptables-legacy tables from `ip(6)tables-*-save -c` (a ruleset iptables-nft made also shows in
 * nft's JSON as opaque `xt` expressions: it is read once, from iptables-nft-save), native nftables
 * tables from `nft -j`, and ipsets where a rule names one. Both collector backends call this with
 * the same presence, so they collect the same; the netlink backend passes the iptables-nft tables
 * it already read from the kernel (`known`), and iptables-nft-save runs only where it could not.
 * A command that fails leaves a gap: the hooks it
 * would cover are unknown to the tracer, and the namespace's other filters still stand.
 */
export async function collectFirewall(
  netns: string | null,
  presence: NetfilterPresence,
  run: RunInside,
  known: { readonly ipv4Nft?: IptablesSave } = {},
): Promise<CollectedFirewall> {
  if (!hasNetfilter(presence)) return { firewall: NO_FIREWALL, raw: [], errors: [] };
  const raw: RawOutput[] = [];
  const errors: CollectError[] = [];
  const gaps: FirewallGap[] = [];
  const step = async <T>(
    argv: string[],
    family: FirewallGap['family'],
    what: string,
    parse: (t: string) => T,
  ): Promise<T | undefined> => {
    try {
      const { command, output } = await run(argv, TIMEOUT_MS);
      raw.push({ command, output });
      return parse(output);
    } catch (e) {
      const message = (e as Error).message;
      errors.push({ netns, command: (e as { argv?: string[] }).argv ?? argv, message });
      gaps.push({ family, what, reason: message });
      return undefined;
    }
  };
  const iptablesNft = (family: 'ip' | 'ip6'): boolean =>
    presence.nft.some((t) => t.family === family && IPTABLES_TABLES.has(t.name));
  const saves = await Promise.all([
    iptablesNft('ip')
      ? (known.ipv4Nft ??
        step(['iptables-nft-save', '-c'], 'ipv4', 'iptables-nft', (t) => parseIptablesSave(t, 'ipv4', 'nft')))
      : undefined,
    iptablesNft('ip6')
      ? step(['ip6tables-nft-save', '-c'], 'ipv6', 'ip6tables-nft', (t) => parseIptablesSave(t, 'ipv6', 'nft'))
      : undefined,
    presence.legacy.ipv4.length > 0
      ? step(['iptables-legacy-save', '-c'], 'ipv4', 'iptables-legacy', (t) => parseIptablesSave(t, 'ipv4', 'legacy'))
      : undefined,
    presence.legacy.ipv6.length > 0
      ? step(['ip6tables-legacy-save', '-c'], 'ipv6', 'ip6tables-legacy', (t) => parseIptablesSave(t, 'ipv6', 'legacy'))
      : undefined,
  ]);
  const [nft4, nft6] = saves;
  const covered = new Set<string>();
  const claim = (family: 'ip' | 'ip6', save: IptablesSave | undefined): void => {
    for (const t of save?.tables ?? []) if (!save?.incompatible.includes(t.name)) covered.add(`${family} ${t.name}`);
  };
  claim('ip', nft4);
  claim('ip6', nft6);
  // A failed iptables-nft-save already left a gap for its family; its tables are not read twice.
  const unreadable = (family: string, name: string): boolean =>
    (family === 'ip' && nft4 === undefined && iptablesNft('ip') && IPTABLES_TABLES.has(name)) ||
    (family === 'ip6' && nft6 === undefined && iptablesNft('ip6') && IPTABLES_TABLES.has(name));
  const native = presence.nft.filter((t) => !covered.has(`${t.family} ${t.name}`) && !unreadable(t.family, t.name));
  const skip = (family: string, name: string): boolean => covered.has(`${family} ${name}`) || unreadable(family, name);
  const safe = native.filter((t) => SAFE_NAME.test(t.name));
  const nftables: NftTable[] = [];
  const lists = await Promise.all([
    ...safe.map((t) =>
      step(
        ['nft', '-j', 'list', 'table', t.family, t.name],
        nftGapFamily(t.family),
        `nftables table ${t.family} ${t.name}`,
        (out) => parseNftRuleset(out, skip),
      ),
    ),
    // A name nft's command line would not take as one word is read from the whole ruleset.
    ...(safe.length < native.length
      ? [
          step(['nft', '-j', 'list', 'ruleset'], 'all', 'nftables ruleset', (out) =>
            parseNftRuleset(out, skip).filter((t) => !SAFE_NAME.test(t.name)),
          ),
        ]
      : []),
  ]);
  for (const l of lists) nftables.push(...(l ?? []));
  // Base chains nft added to an iptables-nft table: iptables-nft-save printed the table without them.
  const partial = (['ip', 'ip6'] as const).flatMap((family) => {
    const save = family === 'ip' ? nft4 : nft6;
    return (save?.foreignChains ?? []).filter((n) => SAFE_NAME.test(n)).map((name) => ({ family, name, save }));
  });
  const foreign = await Promise.all(
    partial.map(({ family, name, save }) =>
      step(
        ['nft', '-j', 'list', 'table', family, name],
        nftGapFamily(family),
        `nftables base chains in the iptables-nft table ${family} ${name}`,
        (out) =>
          parseNftRuleset(out)
            .filter((t) => t.family === family && t.name === name)
            .map((t) =>
              foreignChains(
                t,
                save?.tables.find((p) => p.name === name),
              ),
            )
            .filter((t) => t !== undefined),
      ),
    ),
  );
  for (const f of foreign) nftables.push(...(f ?? []));
  if (presence.legacy.arp.length > 0) {
    gaps.push({
      family: 'arp',
      what: 'arptables-legacy',
      reason: `tables ${presence.legacy.arp.join(', ')} exist and hoplens does not read arptables`,
    });
  }
  const iptables: IptablesTable[] = saves.flatMap((s) => s?.tables ?? []);
  const usesSets = iptables.some((t) => t.rules.some((r) => r.args.includes('--match-set')));
  const ipsets = usesSets ? ((await step(['ipset', 'save'], 'all', 'ipsets', parseIpsetSave)) ?? []) : [];
  return { firewall: { nftables, iptables, ipsets, gaps }, raw, errors };
}

const nftGapFamily = (family: string): FirewallGap['family'] =>
  family === 'ip' ? 'ipv4' : family === 'ip6' ? 'ipv6' : family === 'arp' ? 'arp' : 'all';

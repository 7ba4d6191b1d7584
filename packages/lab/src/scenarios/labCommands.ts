/** argv builders for the lab's packet filters: every command runs inside one namespace, never a shell. */

/** `ip -n NS …`: one iproute2 command inside a namespace. */
export const ip = (ns: string, ...args: string[]): string[] => ['ip', '-n', ns, ...args];

/** A veth `name` (MAC `mac`) in `ns` whose peer, `eth0` with MAC `podMac`, is moved into `pod`. */
export const podVeth = (ns: string, name: string, mac: string, pod: string, podMac: string): string[] =>
  ip(ns, 'link', 'add', name, 'address', mac, 'type', 'veth', 'peer', 'name', 'eth0', 'address', podMac, 'netns', pod);

/** `ip netns exec NS iptables …` with the nft backend (what `iptables` is on Debian). */
export const iptables = (ns: string, ...args: string[]): string[] => [
  'ip',
  'netns',
  'exec',
  ns,
  'iptables-nft',
  ...args,
];

/** The same rules with the legacy (x_tables) backend. */
export const iptablesLegacy = (ns: string, ...args: string[]): string[] => [
  'ip',
  'netns',
  'exec',
  ns,
  'iptables-legacy',
  ...args,
];

export const ip6tables = (ns: string, ...args: string[]): string[] => [
  'ip',
  'netns',
  'exec',
  ns,
  'ip6tables-nft',
  ...args,
];

/** One nft command (`nft add rule …`), its words as nft reads them. */
export const nft = (ns: string, ...words: string[]): string[] => ['ip', 'netns', 'exec', ns, 'nft', ...words];

/** An nftables base chain: `nft add chain FAMILY TABLE NAME { type filter hook HOOK priority P ; policy POLICY ; }`. */
export function nftBaseChain(
  ns: string,
  family: string,
  table: string,
  chain: string,
  hook: string,
  priority = 0,
  policy: 'accept' | 'drop' = 'accept',
): string[][] {
  return [
    nft(ns, 'add', 'table', family, table),
    nft(
      ns,
      'add',
      'chain',
      family,
      table,
      chain,
      '{',
      'type',
      'filter',
      'hook',
      hook,
      'priority',
      String(priority),
      ';',
      'policy',
      policy,
      ';',
      '}',
    ),
  ];
}

/** `sysctl -w` inside a namespace. */
export const sysctl = (ns: string, setting: string): string[] => [
  'ip',
  'netns',
  'exec',
  ns,
  'sysctl',
  '-q',
  '-w',
  setting,
];

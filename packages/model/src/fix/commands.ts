import { shellQuote } from './shellQuote.ts';

/** `ip` run inside a named netns, or directly for the collector's own namespace. */
export function ipIn(netns: string | null, args: readonly string[]): string {
  const ip = ['ip', ...args.map(shellQuote)].join(' ');
  return netns === null ? ip : `ip netns exec ${shellQuote(netns)} ${ip}`;
}

/** The three commands that give a device a new MAC (it must be down while the address changes). */
export function setMacCommand(netns: string | null, dev: string, mac: string): string {
  return [
    ipIn(netns, ['link', 'set', dev, 'down']),
    ipIn(netns, ['link', 'set', 'dev', dev, 'address', mac]),
    ipIn(netns, ['link', 'set', dev, 'up']),
  ].join('\n');
}

/** Replaces a neighbor entry with a permanent one pointing at the right MAC. */
export function replaceNeighborCommand(netns: string | null, ip: string, mac: string, dev: string): string {
  return ipIn(netns, ['neigh', 'replace', ip, 'lladdr', mac, 'dev', dev, 'nud', 'permanent']);
}

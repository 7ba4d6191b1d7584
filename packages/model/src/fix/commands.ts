import { shellQuote } from './shellQuote.ts';

/** A command run inside a named netns, or directly for the collector's own namespace. */
export function commandIn(netns: string | null, argv: readonly string[]): string {
  const cmd = argv.map(shellQuote).join(' ');
  return netns === null ? cmd : `ip netns exec ${shellQuote(netns)} ${cmd}`;
}

/** `ip` run inside a named netns, or directly for the collector's own namespace. */
export function ipIn(netns: string | null, args: readonly string[]): string {
  return commandIn(netns, ['ip', ...args]);
}

/** Brings a device up. */
export function linkUpCommand(netns: string | null, dev: string): string {
  return ipIn(netns, ['link', 'set', 'dev', dev, 'up']);
}

/** Sets a device's MTU. */
export function setMtuCommand(netns: string | null, dev: string, mtu: number): string {
  return ipIn(netns, ['link', 'set', 'dev', dev, 'mtu', String(mtu)]);
}

/**
 * Redirects every frame arriving at `from` out of `to`, as cloud-api-adaptor joins a peer pod's
 * eth0 and its tunnel (`u32 match u32 0 0`: `matchall` is missing on some kernels).
 */
export function tcRedirectCommand(netns: string | null, from: string, to: string): string {
  return [
    commandIn(netns, ['tc', 'qdisc', 'replace', 'dev', from, 'ingress']),
    commandIn(netns, [
      'tc',
      'filter',
      'add',
      'dev',
      from,
      'ingress',
      'protocol',
      'all',
      'prio',
      '1',
      'u32',
      'match',
      'u32',
      '0',
      '0',
      'action',
      'mirred',
      'egress',
      'redirect',
      'dev',
      to,
    ]),
  ].join('\n');
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

import { shellQuote } from './shellQuote.ts';

/**
 * Where a command runs: a named netns, the collector's own (null), or a namespace's inventory,
 * whose `path` (a process's /proc/PID/ns/net) is entered with nsenter when it has no name of its own.
 */
export type NetnsTarget = string | null | { readonly name: string | null; readonly path?: string | undefined };

/** A command run inside a namespace (see NetnsTarget). */
export function commandIn(target: NetnsTarget, argv: readonly string[]): string {
  const cmd = argv.map(shellQuote).join(' ');
  const ns = typeof target === 'object' && target !== null ? target : { name: target };
  if ('path' in ns && ns.path !== undefined) return `nsenter --net=${shellQuote(ns.path)} ${cmd}`;
  return ns.name === null ? cmd : `ip netns exec ${shellQuote(ns.name)} ${cmd}`;
}

/** `ip` run inside a named netns, or directly for the collector's own namespace. */
export function ipIn(netns: NetnsTarget, args: readonly string[]): string {
  return commandIn(netns, ['ip', ...args]);
}

/** Brings a device up. */
export function linkUpCommand(netns: NetnsTarget, dev: string): string {
  return ipIn(netns, ['link', 'set', 'dev', dev, 'up']);
}

/** Sets a device's MTU. */
export function setMtuCommand(netns: NetnsTarget, dev: string, mtu: number): string {
  return ipIn(netns, ['link', 'set', 'dev', dev, 'mtu', String(mtu)]);
}

/**
 * Redirects every frame arriving at `from` out of `to`, as cloud-api-adaptor joins a peer pod's
 * eth0 and its tunnel (`u32 match u32 0 0`: `matchall` is missing on some kernels).
 */
export function tcRedirectCommand(netns: NetnsTarget, from: string, to: string): string {
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

/**
 * Gives a device a new MAC, while it is up. The kernel changes the MAC of a live veth, VXLAN,
 * bridge, macvlan or tap device in place (IFF_LIVE_ADDR_CHANGE, checked in the lab); taking the
 * device down first would also delete every route through it, the pod's default route among them.
 * A driver that cannot change it live refuses with EBUSY and changes nothing.
 */
export function setMacCommand(netns: NetnsTarget, dev: string, mac: string): string {
  return ipIn(netns, ['link', 'set', 'dev', dev, 'address', mac]);
}

/** Deletes a neighbor entry: the kernel resolves the address afresh at its next use. */
export function deleteNeighborCommand(netns: NetnsTarget, ip: string, dev: string): string {
  return ipIn(netns, ['neigh', 'del', ip, 'dev', dev]);
}

/** Replaces a neighbor entry with a permanent one pointing at the right MAC. */
export function replaceNeighborCommand(netns: NetnsTarget, ip: string, mac: string, dev: string): string {
  return ipIn(netns, ['neigh', 'replace', ip, 'lladdr', mac, 'dev', dev, 'nud', 'permanent']);
}

/** Lets a bridge port (or, with `self`, the bridge's own port) carry a VLAN; as its PVID, untagged, for untagged frames. */
export function bridgeVlanAddCommand(
  netns: NetnsTarget,
  dev: string,
  vid: number,
  opts: { readonly pvid: boolean; readonly self: boolean },
): string {
  const args = ['bridge', 'vlan', 'add', 'dev', dev, 'vid', String(vid)];
  return commandIn(netns, [...args, ...(opts.pvid ? ['pvid', 'untagged'] : []), ...(opts.self ? ['self'] : [])]);
}

import { isNetnsName, isNetnsPath } from '@hoplens/model/netnsPatterns';

/**
 * argv that runs a program inside a namespace: `ip netns exec NAME`, `nsenter --net=PATH` for one
 * only a process holds, or the program itself for the collector's own namespace. For what has no
 * `-n` option of its own (`/proc/sys/net`, nft, iptables-save are per namespace). Names and paths
 * are checked as the host map's schema checks them, with its patterns but not its library, which the
 * netlink backend (whose firewall listing runs here) never loads.
 */
export function insideNetns(netns: string | null, path: string | undefined, argv: readonly string[]): string[] {
  if (path !== undefined) {
    if (!isNetnsPath(path)) throw new Error(`invalid netns path: ${JSON.stringify(path)}`);
    return ['nsenter', `--net=${path}`, ...argv];
  }
  if (netns === null) return [...argv];
  if (!isNetnsName(netns) || netns === '.' || netns === '..')
    throw new Error(`invalid netns name: ${JSON.stringify(netns)}`);
  return ['ip', 'netns', 'exec', netns, ...argv];
}

import { netnsNameArg, netnsPathArg } from './netnsArg.ts';

/**
 * argv that runs a program inside a namespace: `ip netns exec NAME`, `nsenter --net=PATH` for one
 * only a process holds, or the program itself for the collector's own namespace. For what has no
 * `-n` option of its own (`/proc/sys/net`, nft, iptables-save are per namespace).
 */
export function insideNetns(netns: string | null, path: string | undefined, argv: readonly string[]): string[] {
  if (path !== undefined) return ['nsenter', `--net=${netnsPathArg(path)}`, ...argv];
  if (netns === null) return [...argv];
  return ['ip', 'netns', 'exec', netnsNameArg(netns), ...argv];
}

import { DeviceNameSchema, HeldNetnsSchema, NetnsNameSchema, validate } from '@hoplens/model';

/**
 * `ip`/`tc` argv prefix selecting a namespace. Names are checked before they reach argv; with no
 * shell involved, `;`, `$`, quotes and newlines are harmless, but '/' and '..' would escape /run/netns.
 */
export function netnsArgs(tool: 'ip' | 'tc' | 'bridge', netns: string | null, path?: string): string[] {
  // A namespace only a process holds has no name to give `-n`: enter it by its file.
  if (path !== undefined)
    return ['nsenter', `--net=${validate(HeldNetnsSchema.properties.path, path, 'netns path')}`, tool];
  if (netns === null) return [tool];
  validate(NetnsNameSchema, netns, 'netns name');
  if (netns === '.' || netns === '..') throw new Error(`invalid netns name: ${netns}`);
  // `bridge` knows only the long form of the option.
  return [tool, tool === 'bridge' ? '-netns' : '-n', netns];
}

/** A device name from a tool's output, checked before it goes back into argv. */
export function deviceArg(name: string): string {
  validate(DeviceNameSchema, name, 'device name');
  return name;
}

/**
 * argv that runs a program inside a namespace: `ip netns exec NAME`, `nsenter --net=PATH` for one
 * only a process holds, or the program itself for the collector's own namespace. For what has no
 * `-n` option of its own (`/proc/sys/net`, nft, iptables-save are per namespace).
 */
export function insideNetns(netns: string | null, path: string | undefined, argv: readonly string[]): string[] {
  if (path !== undefined)
    return ['nsenter', `--net=${validate(HeldNetnsSchema.properties.path, path, 'netns path')}`, ...argv];
  if (netns === null) return [...argv];
  validate(NetnsNameSchema, netns, 'netns name');
  if (netns === '.' || netns === '..') throw new Error(`invalid netns name: ${netns}`);
  return ['ip', 'netns', 'exec', netns, ...argv];
}

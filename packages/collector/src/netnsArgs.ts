import { DeviceNameSchema, validate } from '@hoplens/model';
import { netnsNameArg, netnsPathArg } from './netnsArg.ts';

/**
 * `ip`/`tc` argv prefix selecting a namespace. Names are checked before they reach argv; with no
 * shell involved, `;`, `$`, quotes and newlines are harmless, but '/' and '..' would escape /run/netns.
 */
export function netnsArgs(tool: 'ip' | 'tc' | 'bridge', netns: string | null, path?: string): string[] {
  // A namespace only a process holds has no name to give `-n`: enter it by its file.
  if (path !== undefined) return ['nsenter', `--net=${netnsPathArg(path)}`, tool];
  if (netns === null) return [tool];
  // `bridge` knows only the long form of the option.
  return [tool, tool === 'bridge' ? '-netns' : '-n', netnsNameArg(netns)];
}

/** A device name from a tool's output, checked before it goes back into argv. */
export function deviceArg(name: string): string {
  validate(DeviceNameSchema, name, 'device name');
  return name;
}

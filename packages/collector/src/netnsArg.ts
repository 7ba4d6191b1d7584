import { isNetnsName, isNetnsPath } from '@hoplens/model/netnsPatterns';

// A namespace's name or file, checked before it goes into argv (`ip -n`, `ip netns exec`,
// `nsenter --net=`): as the host map's schema checks them, with its patterns but not its library,
// which the netlink backend never loads. With no shell involved, `;`, `$`, quotes and newlines are
// harmless; '/' and '..' would escape /run/netns.

/** A netns name for argv, or an error naming it. */
export function netnsNameArg(netns: string): string {
  if (!isNetnsName(netns) || netns === '.' || netns === '..')
    throw new Error(`invalid netns name: ${JSON.stringify(netns)}`);
  return netns;
}

/** A namespace file's path for argv (one only a process holds), or an error naming it. */
export function netnsPathArg(path: string): string {
  if (!isNetnsPath(path)) throw new Error(`invalid netns path: ${JSON.stringify(path)}`);
  return path;
}

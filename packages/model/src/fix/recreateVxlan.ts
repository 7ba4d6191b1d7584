import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { ipIn } from './commands.ts';

/** What to change when a VXLAN device is made anew. */
export interface VxlanChange {
  readonly vni?: number;
  readonly port?: number;
  readonly remote?: string;
}

/**
 * The commands that make a VXLAN device anew with other tunnel parameters (the kernel does not
 * change a VNI or port in place): delete it, create it in its socket's namespace so the UDP socket
 * stays there, move it back, and restore its MAC, addresses, routes and permanent neighbors.
 */
export function recreateVxlanCommand(index: SnapshotIndex, le: LinkEntry, change: VxlanChange): string | undefined {
  const vx = le.link.vxlan;
  if (!vx) return undefined;
  const ns = le.netns.ns;
  const name = le.link.name;
  const socket = vx.socketNetns ? index.netns(vx.socketNetns) : undefined;
  const home = socket?.ns ?? ns;
  // `ip link set … netns` takes a namespace's name, or the pid of a process holding it.
  const moveTo = ns.name ?? /^\/proc\/(\d+)\/ns\/net$/.exec(ns.path ?? '')?.[1] ?? null;
  const underlay = vx.underlay ? index.link(vx.underlay)?.link.name : undefined;
  const remote = change.remote ?? vx.remote;
  const add = ['link', 'add', name];
  if (le.link.mac) add.push('address', le.link.mac);
  add.push('mtu', String(le.link.mtu), 'type', 'vxlan', 'id', String(change.vni ?? vx.vni));
  if (remote) add.push('remote', remote);
  if (vx.local) add.push('local', vx.local);
  add.push('dstport', String(change.port ?? vx.port));
  if (underlay) add.push('dev', underlay);
  const lines = [ipIn(ns, ['link', 'del', name]), ipIn(home, add)];
  if (home !== ns && moveTo !== null) lines.push(ipIn(home, ['link', 'set', name, 'netns', moveTo]));
  for (const a of ns.addresses) {
    if (a.ifindex === le.link.ifindex && a.scope === 'global')
      lines.push(ipIn(ns, ['addr', 'add', `${a.address}/${a.prefixlen}`, 'dev', name]));
  }
  lines.push(ipIn(ns, ['link', 'set', name, 'up']));
  for (const r of ns.routes) {
    if (r.dev !== name || r.protocol === 'kernel' || r.type !== 'unicast' || r.family === 'inet6') continue;
    const args = ['route', 'add', r.dst];
    if (r.gateway) args.push('via', r.gateway);
    args.push('dev', name);
    if (r.table !== 'main') args.push('table', r.table);
    lines.push(ipIn(ns, args));
  }
  for (const n of ns.neighbors) {
    if (n.dev === name && n.mac && n.state.includes('PERMANENT'))
      lines.push(ipIn(ns, ['neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', name, 'nud', 'permanent']));
  }
  return lines.join('\n');
}

import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';
import { upperDevices } from './upperDevices.ts';

/**
 * The MACs a bridge's flood finds behind one of its ports, in this order: the port's own, its veth
 * peer's, and those of the macvlans stacked on that peer (they answer for their own MACs too).
 * Where the bridge would learn each of them from its owner's first frame.
 */
export function macsBehindPort(index: SnapshotIndex, port: LinkEntry): string[] {
  const peer = port.link.peer && index.link(port.link.peer);
  const uppers = peer ? upperDevices(index, peer).map((u) => u.link.mac) : [];
  return [port.link.mac, peer?.link.mac, ...uppers].filter((m): m is string => !!m).map((m) => m.toLowerCase());
}

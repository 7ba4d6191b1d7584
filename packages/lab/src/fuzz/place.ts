import type { HostMap, NetnsInventory, Snapshot } from '@hoplens/model';

/** A namespace of the collected lab with the name `ip netns` knows it by. */
export interface Place {
  readonly netns: string;
  readonly ns: NetnsInventory;
}

export type Rand = () => number;

export const pick = <T>(rand: Rand, list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)];

/** Where each namespace of the snapshot is, by the name `ip netns exec` takes. */
export function placesOf(snapshot: Snapshot, hostMap: HostMap): Place[] {
  const places: Place[] = [];
  for (const host of snapshot.hosts) {
    const mapped = hostMap.hosts.find((h) => h.name === host.name);
    for (const ns of host.namespaces) {
      const netns = ns.root ? mapped?.root : ns.name;
      if (netns) places.push({ netns, ns });
    }
  }
  return places;
}

export const ipn = (netns: string, ...args: string[]): string[] => ['ip', '-n', netns, ...args];
export const inNetns = (netns: string, ...args: string[]): string[] => ['ip', 'netns', 'exec', netns, ...args];

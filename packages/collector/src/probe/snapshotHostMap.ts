import type { HostMap, Snapshot } from '@hoplens/model';

/**
 * The host map a snapshot was collected with, as far as it tells: each host's root namespace and
 * its others (by name, or by file for one a process holds). Valid only on the machine that
 * collected it; a namespace that is gone shows as a capture that could not open.
 */
export function snapshotHostMap(snapshot: Snapshot): HostMap {
  return {
    hosts: snapshot.hosts.map((h) => ({
      name: h.name,
      kind: h.kind,
      root: h.namespaces.find((n) => n.root)?.name ?? null,
      netns: h.namespaces
        .filter((n) => !n.root && n.name !== null)
        .map((n) => (n.path !== undefined ? { name: n.name!, path: n.path } : n.name!)),
    })),
  };
}

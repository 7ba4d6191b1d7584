import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';

/** A tc mirred redirect from one device's ingress or egress to another device in the same namespace. */
export interface TcRedirect {
  readonly from: LinkEntry;
  readonly to: LinkEntry | undefined;
  readonly targetDev: string;
  readonly hook: 'ingress' | 'egress';
}

/** Every match-all mirred redirect in the snapshot, with its target resolved by name; computed once per index. */
export function tcRedirects(index: SnapshotIndex): readonly TcRedirect[] {
  return index.derive(collectRedirects);
}

function collectRedirects(index: SnapshotIndex): TcRedirect[] {
  const out: TcRedirect[] = [];
  for (const ns of index.namespaces) {
    for (const f of ns.ns.tcFilters) {
      if (!f.matchesAll) continue;
      const from = index.link({ ...ns.ref, ifindex: f.ifindex });
      if (!from) continue;
      for (const a of f.actions) {
        if (a.kind !== 'mirred' || !('targetDev' in a) || a.action !== 'redirect') continue;
        out.push({ from, to: index.linkByName(ns.ref, a.targetDev), targetDev: a.targetDev, hook: f.direction });
      }
    }
  }
  return out;
}

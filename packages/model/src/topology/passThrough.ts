import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';
import { tcRedirects } from './tcRedirects.ts';

/**
 * Interfaces whose every incoming frame a tc ingress filter redirects elsewhere: they never take a
 * frame for themselves, so their MAC and addresses are not where traffic ends (a peer pod's eth0
 * and vxlan1 on the worker, whose pod really lives on the pod VM).
 */
export function passThrough(index: SnapshotIndex): ReadonlySet<LinkEntry> {
  return index.derive(collectPassThrough);
}

function collectPassThrough(index: SnapshotIndex): Set<LinkEntry> {
  return new Set(tcRedirects(index).flatMap((r) => (r.hook === 'ingress' && r.to ? [r.from] : [])));
}

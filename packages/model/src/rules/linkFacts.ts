import { linkPath } from '../ids.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';

/** `host/netns/interface`, as findings name an interface. */
export const where = (le: LinkEntry): string => linkPath(le.ref, le.link.name);

/** Both ends of every tc redirect: few, and asked about for every device. */
export function redirectEnds(index: SnapshotIndex): ReadonlySet<LinkEntry> {
  return index.derive(collectRedirectEnds);
}

function collectRedirectEnds(index: SnapshotIndex): Set<LinkEntry> {
  const ends = new Set<LinkEntry>();
  for (const r of tcRedirects(index)) {
    ends.add(r.from);
    if (r.to) ends.add(r.to);
  }
  return ends;
}

/** Underlay devices of VXLAN tunnels. */
function underlays(index: SnapshotIndex): ReadonlySet<LinkEntry> {
  return index.derive(collectUnderlays);
}

function collectUnderlays(index: SnapshotIndex): Set<LinkEntry> {
  const out = new Set<LinkEntry>();
  for (const le of index.vxlans) {
    const u = le.link.vxlan?.underlay && index.link(le.link.vxlan.underlay);
    if (u) out.add(u);
  }
  return out;
}

/** Does the interface hold an address beyond the link-local one every IPv6 device gets? */
export const hasGlobalAddress = (le: LinkEntry): boolean =>
  le.netns.ns.addresses.some((a) => a.ifindex === le.link.ifindex && a.scope === 'global');

function carriesItself(index: SnapshotIndex, le: LinkEntry): boolean {
  if (le.link.masterIfindex !== undefined || redirectEnds(index).has(le) || hasGlobalAddress(le)) return true;
  return le.netns.ns.routes.some((r) => r.dev === le.link.name && r.protocol !== 'kernel');
}

/**
 * Does an interface carry traffic for something? It holds an address, is a bridge port, a tc
 * redirect's end or a configured route's device, or is the veth peer of such an interface.
 */
export function carriesTraffic(index: SnapshotIndex, le: LinkEntry): boolean {
  if (carriesItself(index, le)) return true;
  const peer = le.link.kind === 'veth' && le.link.peer ? index.link(le.link.peer) : undefined;
  return peer !== undefined && carriesItself(index, peer);
}

/**
 * Does something depend on an interface? It carries traffic, or is a bridge, a VXLAN device or a
 * tunnel's underlay. A down device that nothing uses is worth a note, not an alarm.
 */
export function isUsed(index: SnapshotIndex, le: LinkEntry): boolean {
  if (le.link.kind === 'loopback') return false;
  if (le.link.kind === 'bridge' || le.link.vxlan || underlays(index).has(le)) return true;
  return carriesTraffic(index, le);
}

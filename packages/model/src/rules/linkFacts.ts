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

/**
 * Devices a tc filter's mirred action sends frames into (redirect or mirror, whatever the filter
 * matches), each with the filters that do, as `dev hook pref N`: a filter that takes only some
 * frames still depends on its target, which matchesAll redirects (redirectEnds) do not tell.
 */
export function mirredTargets(index: SnapshotIndex): ReadonlyMap<LinkEntry, readonly string[]> {
  return index.derive(collectMirredTargets);
}

function collectMirredTargets(index: SnapshotIndex): Map<LinkEntry, string[]> {
  const out = new Map<LinkEntry, string[]>();
  for (const ns of index.filtered) {
    const devices = index.netns(ns.ref);
    if (!devices) continue;
    for (const f of ns.ns.tcFilters)
      for (const a of f.actions) {
        if (a.kind !== 'mirred' || !('targetDev' in a)) continue;
        const to = devices.linksByName.get(a.targetDev);
        if (!to) continue;
        const by = `${f.dev} ${f.direction} pref ${f.pref}`;
        const list = out.get(to);
        if (!list) out.set(to, [by]);
        else if (!list.includes(by)) list.push(by);
      }
  }
  return out;
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

import type { LinkEntry, SnapshotIndex } from './snapshotIndex.ts';
import { tcRedirects } from './tcRedirects.ts';
import { tunnelPeer } from './tunnelPeer.ts';

/**
 * Layer-2 domains: interfaces a frame can reach without routing, joined through veth pairs,
 * bridges and their ports, tc redirects and matched VXLAN tunnel ends. Two interfaces in one
 * domain must not share an IP or a MAC. Maps each interface to its domain's number.
 */
export function l2Domains(index: SnapshotIndex): ReadonlyMap<LinkEntry, number> {
  return index.derive(buildDomains);
}

function buildDomains(index: SnapshotIndex): Map<LinkEntry, number> {
  const parent = new Map<LinkEntry, LinkEntry>();
  const find = (x: LinkEntry): LinkEntry => {
    let root = x;
    for (let p = parent.get(root); p && p !== root; p = parent.get(root)) root = p;
    for (let y = x; y !== root;) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  const union = (a: LinkEntry, b: LinkEntry | undefined): void => {
    if (!b) return;
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const le of index.links) parent.set(le, le);
  for (const le of index.links) {
    if (le.link.kind === 'veth' && le.link.peer) union(le, index.link(le.link.peer));
    if (le.link.masterIfindex !== undefined) union(le, le.netns.linksByIndex.get(le.link.masterIfindex));
    if (le.link.vxlan) {
      const m = tunnelPeer(index, le);
      if (m.status === 'ok') union(le, m.partner);
    }
  }
  for (const r of tcRedirects(index)) union(r.from, r.to);
  const ids = new Map<LinkEntry, number>();
  const out = new Map<LinkEntry, number>();
  for (const le of index.links) {
    const root = find(le);
    let id = ids.get(root);
    if (id === undefined) ids.set(root, (id = ids.size));
    out.set(le, id);
  }
  return out;
}

/** The groups of two or more distinct interfaces that share a layer-2 domain. */
export function sameDomain(index: SnapshotIndex, list: readonly LinkEntry[]): LinkEntry[][] {
  const unique = [...new Set(list)];
  if (unique.length < 2) return [];
  const domains = l2Domains(index);
  const groups = new Map<number | undefined, LinkEntry[]>();
  for (const le of unique) {
    const d = domains.get(le);
    const g = groups.get(d);
    if (g) g.push(le);
    else groups.set(d, [le]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

import type { TopologyEdgeKind } from './schema/graph.ts';
import type { LinkRef, NetnsRef } from './schema/refs.ts';

/*
 * Graph ids, made and read only here. Host names are DNS-like and netns and interface names cannot
 * contain '/', so '/'-joined ids are unique; the unnamed (process's own) netns is the empty segment.
 * Each kind has its own prefix, and edge ids start with their kind, which no node prefix equals.
 *
 * Ids are joined (`flat`), not written as template literals: V8 makes a template of long pieces a
 * rope, a tree of one object per `+` that the heap keeps until something reads the string and then
 * copies flat anyway. A 5,000-node graph has 1.5·10⁶ ids, most of them holding two others: as ropes
 * they were the largest thing in the heap the analysis built, and every minor collection copied them.
 */
const flat = (...parts: readonly (string | number)[]): string => parts.join('');

export const hostId = (host: string): string => flat('host:', host);
export const netnsId = (ref: NetnsRef): string => flat('ns:', ref.host, '/', ref.netns ?? '');
export const interfaceId = (ref: LinkRef): string => flat('if:', ref.host, '/', ref.netns ?? '', '/', ref.ifindex);
export const podId = (namespace: string, name: string): string => flat('pod:', namespace, '/', name);
/** The id of the pod a `namespace/name` key names (URLs and the pod trace name pods so). */
export const podIdOfKey = (key: string): string => flat('pod:', key);
/** The placeholder for a VXLAN remote that no collected host owns. */
export const remoteId = (address: string): string => flat('remote:', address);

/** An edge of the built graph: its kind and the two elements it joins. */
export const edgeId = (kind: TopologyEdgeKind, source: string, target: string): string =>
  flat(kind, ':', source, '>', target);
/** A neighbor entry: one interface may have several for one MAC owner, one per IP. */
export const neighborEdgeId = (from: string, ip: string, to: string): string =>
  flat('neighbor:', from, '>', ip, '>', to);
/** The one broken tunnel edge a VXLAN end without a working partner has. */
export const brokenTunnelId = (from: string): string => flat('vxlan-tunnel:', from, '>broken');
/** The edges of one kind between two drawn elements of an overview, summed up. */
export const summedEdgeId = (of: TopologyEdgeKind, source: string, target: string): string =>
  flat('sum:', of, ':', source, '\u2192', target);

/**
 * What an id names. Summed and other edges say only their kind: their ends are in the edge itself
 * (and a netns name may hold any character but '/', so an id joining two others cannot be split).
 */
export type ParsedId =
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'netns'; readonly host: string; readonly netns: string | null }
  | { readonly kind: 'interface'; readonly host: string; readonly netns: string | null; readonly ifindex: number }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string; readonly key: string }
  | { readonly kind: 'remote'; readonly address: string }
  | { readonly kind: 'summed'; readonly of: TopologyEdgeKind }
  | { readonly kind: 'edge'; readonly of: TopologyEdgeKind };

const EDGE_KINDS: ReadonlySet<string> = new Set<TopologyEdgeKind>([
  'contains',
  'veth',
  'bridge-port',
  'tc-redirect',
  'vxlan-tunnel',
  'underlay',
  'neighbor',
]);
const isEdgeKind = (s: string): s is TopologyEdgeKind => EDGE_KINDS.has(s);
const netnsOf = (segment: string): string | null => (segment === '' ? null : segment);

/** Reads an id made by the functions above; undefined for anything else. */
export function parseElementId(id: string): ParsedId | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  const parts = rest.split('/');
  switch (prefix) {
    case 'host':
      return rest.includes('/') ? undefined : { kind: 'host', host: rest };
    case 'ns':
      return parts.length === 2 ? { kind: 'netns', host: parts[0] ?? '', netns: netnsOf(parts[1] ?? '') } : undefined;
    case 'if': {
      const ifindex = Number(parts[2]);
      if (parts.length !== 3 || !/^\d+$/.test(parts[2] ?? '')) return undefined;
      return { kind: 'interface', host: parts[0] ?? '', netns: netnsOf(parts[1] ?? ''), ifindex };
    }
    case 'pod': {
      const slash = rest.indexOf('/');
      if (slash < 0) return undefined;
      return { kind: 'pod', namespace: rest.slice(0, slash), name: rest.slice(slash + 1), key: rest };
    }
    case 'remote':
      return { kind: 'remote', address: rest };
    case 'sum': {
      const of = rest.slice(0, rest.indexOf(':'));
      return isEdgeKind(of) ? { kind: 'summed', of } : undefined;
    }
    default:
      return isEdgeKind(prefix) ? { kind: 'edge', of: prefix } : undefined;
  }
}

/** The id of the host an element id names (host, netns, interface); pods, remotes and edges name none. */
export function hostIdOfElement(elementId: string): string | undefined {
  const p = parseElementId(elementId);
  return p?.kind === 'host' || p?.kind === 'netns' || p?.kind === 'interface' ? hostId(p.host) : undefined;
}

/** Human label of a netns: its name, or "(root)" for the collector's own namespace. */
export const netnsLabel = (netns: string | null): string => netns ?? '(root)';

export const sameNetns = (a: NetnsRef, b: NetnsRef): boolean => a.host === b.host && a.netns === b.netns;

/** `host/netns` as people read it in messages. */
export const netnsPath = (ref: NetnsRef): string => `${ref.host}/${netnsLabel(ref.netns)}`;

/** `host/netns/interface` as people read it in messages. */
export const linkPath = (ref: NetnsRef, name: string): string => `${netnsPath(ref)}/${name}`;

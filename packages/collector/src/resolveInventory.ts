import type {
  CollectError,
  HostInventory,
  HostMapEntry,
  Link,
  LinkRef,
  NetnsInventory,
  NetnsRef,
} from '@hoplens/model';
import type { RawNetns } from './collectNetns.ts';
import { relevantSysctls } from './relevantSysctls.ts';

/** What was collected for one host of the host map, before cross-namespace resolution. */
export interface CollectedHost {
  readonly entry: HostMapEntry;
  readonly namespaces: RawNetns[];
  readonly errors: CollectError[];
  readonly collectedAt: string;
}

/**
 * Turns per-namespace data into host inventories, resolving what crosses namespaces: a veth's
 * peer (link_index in the namespace that link_netnsid names), a VXLAN device's socket namespace
 * and underlay. Every reference becomes (host, netns, ifindex), since ifindexes repeat everywhere.
 */
export function resolveInventory(hosts: readonly CollectedHost[]): HostInventory[] {
  const byName = new Map<string, { ref: NetnsRef; ns: RawNetns }>();
  const unnamed: { ref: NetnsRef; ns: RawNetns }[] = [];
  for (const h of hosts) {
    for (const ns of h.namespaces) {
      const item = { ref: { host: h.entry.name, netns: ns.name }, ns };
      if (ns.name === null) unnamed.push(item);
      else byName.set(ns.name, item);
    }
  }
  return hosts.map((h) => ({
    name: h.entry.name,
    kind: h.entry.kind,
    collectedAt: h.collectedAt,
    errors: [...h.errors, ...h.namespaces.flatMap((ns) => ns.errors)],
    namespaces: h.namespaces.map((ns) => resolveNetns(h.entry.name, ns, byName, unnamed)),
  }));
}

function resolveNetns(
  host: string,
  ns: RawNetns,
  byName: ReadonlyMap<string, { ref: NetnsRef; ns: RawNetns }>,
  unnamed: readonly { ref: NetnsRef; ns: RawNetns }[],
): NetnsInventory {
  const self = { ref: { host, netns: ns.name }, ns };
  const ifindexByName = new Map(ns.links.map((l) => [l.link.name, l.link.ifindex]));
  /** The namespace an nsid names, as seen from this one. An unnamed id can only be the collector's own. */
  const other = (nsid: number | undefined): { ref: NetnsRef; ns: RawNetns } | undefined => {
    if (nsid === undefined) return self;
    if (!ns.nsids.has(nsid)) return undefined;
    const name = ns.nsids.get(nsid);
    if (name !== undefined) return byName.get(name);
    return unnamed.length === 1 && unnamed[0] !== self ? unnamed[0] : undefined;
  };
  const linkIn = (
    target: { ref: NetnsRef; ns: RawNetns } | undefined,
    ifindex: number | undefined,
  ): LinkRef | undefined =>
    target && ifindex !== undefined && target.ns.links.some((l) => l.link.ifindex === ifindex)
      ? { ...target.ref, ifindex }
      : undefined;

  const links: Link[] = ns.links.map((p) => {
    const link: Link = { ...p.link };
    if (p.master !== undefined) {
      const m = ifindexByName.get(p.master);
      if (m !== undefined) link.masterIfindex = m;
    }
    if (p.peer) {
      const peer = linkIn(other(p.peer.nsid), p.peer.ifindex);
      if (peer) link.peer = peer;
      else link.peerIfindex = p.peer.ifindex;
    }
    if (p.parent) {
      const parent = linkIn(other(p.parent.nsid), p.parent.ifindex);
      if (parent) link.parent = parent;
    }
    if (p.vxlan) {
      const { underlayName, socketNsid, ...rest } = p.vxlan;
      const socket = other(socketNsid);
      // `ip` resolved the underlay ifindex to a name in this namespace; map it back to the number.
      const underlayIfindex =
        underlayName === undefined ? undefined : (ifindexByName.get(underlayName) ?? ifNumber(underlayName));
      const underlay = linkIn(socket, underlayIfindex);
      link.vxlan = { ...rest, ...(socket ? { socketNetns: socket.ref } : {}), ...(underlay ? { underlay } : {}) };
    }
    return link;
  });
  return {
    name: ns.name,
    root: ns.root,
    ...(ns.path !== undefined ? { path: ns.path } : {}),
    ...(ns.holder !== undefined ? { holder: ns.holder } : {}),
    links,
    addresses: ns.addresses,
    routes: ns.routes,
    neighbors: ns.neighbors,
    ...(ns.proxyNeighbors !== undefined ? { proxyNeighbors: ns.proxyNeighbors } : {}),
    ...(ns.fdb !== undefined ? { fdb: ns.fdb } : {}),
    ...(ns.rules !== undefined ? { rules: ns.rules } : {}),
    ...(ns.ipForward !== undefined ? { ipForward: ns.ipForward } : {}),
    ...(ns.sysctls !== undefined
      ? {
          sysctls: relevantSysctls(
            ns.sysctls,
            ns.links.some((l) => l.link.kind === 'bridge'),
          ),
        }
      : {}),
    ...(ns.firewall !== undefined ? { firewall: ns.firewall } : {}),
    ...(ns.natChains !== undefined ? { natChains: ns.natChains } : {}),
    ...(ns.conntrackUnreplied !== undefined ? { conntrackUnreplied: ns.conntrackUnreplied } : {}),
    ...(ns.listening !== undefined ? { listening: ns.listening } : {}),
    qdiscs: ns.qdiscs.flatMap((q) => {
      const ifindex = ifindexByName.get(q.dev);
      return ifindex === undefined ? [] : [{ ifindex, ...q }];
    }),
    tcFilters: ns.tcFilters.map((f) => ({
      ...f,
      actions: f.actions.map((a) => {
        if (!('targetDev' in a)) return a;
        const target = ifindexByName.get(a.targetDev);
        return target === undefined ? a : { ...a, targetIfindex: target };
      }),
    })),
    raw: ns.raw,
  };
}

/** `ip` prints `ifN` for an ifindex it cannot name. */
function ifNumber(name: string): number | undefined {
  const m = /^if(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

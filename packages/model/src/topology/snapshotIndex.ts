import type { HostInventory, Link, NetnsInventory } from '../schema/inventory.ts';
import type { LinkRef, NetnsRef } from '../schema/refs.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { interfaceId, netnsId } from '../ids.ts';
import type { Neighbor } from '../schema/inventory.ts';
import { RouteTable } from '../trace/routeTable.ts';

/** A namespace with the host it belongs to. */
export interface NetnsEntry {
  readonly ref: NetnsRef;
  readonly host: HostInventory;
  readonly ns: NetnsInventory;
  readonly linksByIndex: ReadonlyMap<number, Link>;
  readonly linksByName: ReadonlyMap<string, Link>;
}

/** An interface with where it lives. */
export interface LinkEntry {
  readonly ref: LinkRef;
  readonly id: string;
  readonly link: Link;
  readonly netns: NetnsEntry;
}

/**
 * Lookups over a snapshot by (host, netns, ifindex), MAC and IP, built once in O(n) so that
 * rules and the tracer never scan the whole snapshot per question.
 */
export class SnapshotIndex {
  readonly namespaces: NetnsEntry[] = [];
  readonly links: LinkEntry[] = [];
  private readonly nsById = new Map<string, NetnsEntry>();
  private readonly linkById = new Map<string, LinkEntry>();
  private readonly byMac = new Map<string, LinkEntry[]>();
  private readonly byIp = new Map<string, LinkEntry[]>();
  private readonly rootByHost = new Map<string, NetnsEntry>();
  private readonly bySocket = new Map<string, LinkEntry[]>();
  private readonly routeTables = new WeakMap<NetnsEntry, RouteTable>();
  private readonly neighborMaps = new WeakMap<NetnsEntry, Map<string, Neighbor>>();
  private readonly localAddrs = new WeakMap<NetnsEntry, Set<string>>();
  private readonly bridgePorts = new Map<string, LinkEntry[]>();

  constructor(readonly snapshot: Snapshot) {
    for (const host of snapshot.hosts) {
      for (const ns of host.namespaces) {
        const ref: NetnsRef = { host: host.name, netns: ns.name };
        const entry: NetnsEntry = {
          ref,
          host,
          ns,
          linksByIndex: new Map(ns.links.map((l) => [l.ifindex, l])),
          linksByName: new Map(ns.links.map((l) => [l.name, l])),
        };
        this.namespaces.push(entry);
        this.nsById.set(netnsId(ref), entry);
        if (ns.root) this.rootByHost.set(host.name, entry);
        for (const link of ns.links) {
          const linkRef: LinkRef = { ...ref, ifindex: link.ifindex };
          const le: LinkEntry = { ref: linkRef, id: interfaceId(linkRef), link, netns: entry };
          this.links.push(le);
          this.linkById.set(le.id, le);
          if (link.mac && link.kind !== 'loopback') push(this.byMac, link.mac.toLowerCase(), le);
          if (link.vxlan?.socketNetns) push(this.bySocket, netnsId(link.vxlan.socketNetns), le);
          if (link.masterIfindex !== undefined)
            push(this.bridgePorts, interfaceId({ ...ref, ifindex: link.masterIfindex }), le);
        }
        for (const addr of ns.addresses) {
          const le = this.linkById.get(interfaceId({ ...ref, ifindex: addr.ifindex }));
          if (le) push(this.byIp, addr.address, le);
        }
      }
    }
  }

  netns(ref: NetnsRef): NetnsEntry | undefined {
    return this.nsById.get(netnsId(ref));
  }

  rootOf(host: string): NetnsEntry | undefined {
    return this.rootByHost.get(host);
  }

  link(ref: LinkRef): LinkEntry | undefined {
    return this.linkById.get(interfaceId(ref));
  }

  linkByName(ns: NetnsRef, name: string): LinkEntry | undefined {
    const entry = this.netns(ns);
    const link = entry?.linksByName.get(name);
    return link ? this.link({ ...ns, ifindex: link.ifindex }) : undefined;
  }

  /** Interfaces with this MAC anywhere in the snapshot (MACs repeat across hosts). */
  withMac(mac: string): readonly LinkEntry[] {
    return this.byMac.get(mac.toLowerCase()) ?? [];
  }

  /** Interfaces that hold this IP address anywhere in the snapshot. */
  withIp(ip: string): readonly LinkEntry[] {
    return this.byIp.get(ip) ?? [];
  }

  /** VXLAN devices whose UDP socket lives in this namespace (wherever the device itself sits). */
  vxlanBySocket(ns: NetnsRef): readonly LinkEntry[] {
    return this.bySocket.get(netnsId(ns)) ?? [];
  }

  /** The namespace's routes, indexed for longest-prefix match; built on first use. */
  routes(ns: NetnsEntry): RouteTable {
    return memo(this.routeTables, ns, () => new RouteTable(ns.ns));
  }

  /** The neighbor entry for an IP on a device. */
  neighbor(ns: NetnsEntry, dev: string, ip: string): Neighbor | undefined {
    return memo(this.neighborMaps, ns, () => new Map(ns.ns.neighbors.map((n) => [`${n.dev}|${n.ip}`, n]))).get(
      `${dev}|${ip}`,
    );
  }

  /** Is this one of the namespace's own addresses? */
  isLocal(ns: NetnsEntry, ip: string): boolean {
    return memo(this.localAddrs, ns, () => new Set(ns.ns.addresses.map((a) => a.address))).has(ip);
  }

  /** The ports enslaved to a bridge device. */
  portsOf(bridge: LinkEntry): readonly LinkEntry[] {
    return this.bridgePorts.get(bridge.id) ?? [];
  }

  /** Addresses of one interface. */
  addressesOf(le: LinkEntry): string[] {
    return le.netns.ns.addresses.filter((a) => a.ifindex === le.link.ifindex).map((a) => a.address);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function memo<K extends object, V>(cache: WeakMap<K, V>, key: K, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    cache.set(key, v);
  }
  return v;
}

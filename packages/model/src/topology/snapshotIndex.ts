import type { HostInventory, Link, NetnsInventory } from '../schema/inventory.ts';
import { usableAddress } from '../net/usableAddress.ts';
import type { LinkRef, NetnsRef } from '../schema/refs.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { interfaceId, netnsId } from '../ids.ts';
import type { Neighbor, TcFilter } from '../schema/inventory.ts';
import { RouteTable } from '../trace/routeTable.ts';
import { memo } from '../util/memo.ts';
import { MultiTable } from '../util/multiTable.ts';
import { macsBehindPort } from './macsBehindPort.ts';
import { LinksByIndex, LinksByName } from './linkLookup.ts';

/** A namespace with the host it belongs to. */
export interface NetnsEntry {
  readonly ref: NetnsRef;
  /** Its graph id (`netnsId`), made once: the graph, the walks and the rules all name it. */
  readonly id: string;
  readonly host: HostInventory;
  readonly ns: NetnsInventory;
  readonly linksByIndex: ReadonlyMap<number, LinkEntry>;
  readonly linksByName: ReadonlyMap<string, LinkEntry>;
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
 * rules and the tracer never scan the whole snapshot per question. Lookups by reference walk
 * nested maps and build no strings: the tracer and the rules make millions of them.
 */
export class SnapshotIndex {
  readonly namespaces: NetnsEntry[] = [];
  readonly links: LinkEntry[] = [];
  /** veth devices, VXLAN devices, and non-loopback devices that are down or without carrier. */
  readonly veths: LinkEntry[] = [];
  readonly vxlans: LinkEntry[] = [];
  readonly downLinks: LinkEntry[] = [];
  /** Devices stacked on a lower one (macvlan, ipvlan, vlan: `link.parent` set). */
  readonly stacked: LinkEntry[] = [];
  /** Namespaces with tc filters: a few in a cluster's 10⁵, which a pass over every namespace would visit for nothing. */
  readonly filtered: NetnsEntry[] = [];
  private readonly nsByHost = new Map<string, Map<string | null, NetnsEntry>>();
  // Tables sized once, not Maps grown by doubling: see MultiTable.
  private readonly byMac: MultiTable<LinkEntry>;
  private readonly byIp: MultiTable<LinkEntry>;
  /** Keys of byMac and byIp held by more than one interface, noted as they fill. */
  private readonly macsShared: string[] = [];
  private readonly ipsShared: string[] = [];
  private readonly rootByHost = new Map<string, NetnsEntry>();
  private readonly bySocket = new Map<string, LinkEntry[]>();
  // Caches are plain maps filled on first use, and only for namespaces big enough to need one: a
  // cluster has ~10⁵ pod namespaces with a handful of entries each, where a scan beats a hash.
  private readonly routeTables = new Map<NetnsEntry, RouteTable>();
  private readonly neighborMaps = new Map<NetnsEntry, Map<string, Map<string, Neighbor>>>();
  private readonly localAddrs = new Map<NetnsEntry, Set<string>>();
  private readonly bridgePorts = new Map<LinkEntry, LinkEntry[]>();
  private readonly bridgeMacs = new Map<LinkEntry, Map<string, LinkEntry>>();
  private readonly derived = new Map<(index: SnapshotIndex) => unknown, unknown>();

  constructor(readonly snapshot: Snapshot) {
    // Sized once: at most one MAC per link and one IP per address (a pass over the namespaces is ~1 ms).
    let links = 0;
    let addresses = 0;
    for (const host of snapshot.hosts) {
      for (const ns of host.namespaces) {
        links += ns.links.length;
        addresses += ns.addresses.length;
      }
    }
    this.byMac = new MultiTable(links);
    this.byIp = new MultiTable(addresses);
    for (const host of snapshot.hosts) {
      let byName = this.nsByHost.get(host.name);
      if (!byName) this.nsByHost.set(host.name, (byName = new Map<string | null, NetnsEntry>()));
      for (const ns of host.namespaces) {
        const ref: NetnsRef = { host: host.name, netns: ns.name };
        const start = this.links.length;
        const end = start + ns.links.length;
        const linksByIndex = new LinksByIndex(this.links, start, end);
        const linksByName = new LinksByName(this.links, start, end);
        const entry: NetnsEntry = { ref, id: netnsId(ref), host, ns, linksByIndex, linksByName };
        this.namespaces.push(entry);
        byName.set(ns.name, entry);
        if (ns.root) this.rootByHost.set(host.name, entry);
        if (ns.tcFilters.length > 0) this.filtered.push(entry);
        for (const link of ns.links) {
          const le = new IndexedLink(
            interfaceId({ host: host.name, netns: ns.name, ifindex: link.ifindex }),
            link,
            entry,
          );
          this.links.push(le);
          // Sorted out here, while each link is at hand: a later pass over 10⁶ links costs more.
          if (link.kind === 'veth') this.veths.push(le);
          else if (link.vxlan !== undefined) this.vxlans.push(le);
          if ((!link.adminUp || !link.carrier) && link.kind !== 'loopback') this.downLinks.push(le);
          if (link.parent) this.stacked.push(le);
          if (link.mac && link.kind !== 'loopback') {
            const mac = link.mac.toLowerCase();
            if (this.byMac.add(mac, le) === 2) this.macsShared.push(mac);
          }
          if (link.vxlan?.socketNetns) push(this.bySocket, netnsId(link.vxlan.socketNetns), le);
        }
        for (const link of ns.links) {
          if (link.masterIfindex === undefined) continue;
          const master = linksByIndex.get(link.masterIfindex);
          if (master) push(this.bridgePorts, master, linksByIndex.get(link.ifindex)!);
        }
        for (const addr of ns.addresses) {
          const le = linksByIndex.get(addr.ifindex);
          if (le && this.byIp.add(addr.address, le) === 2) this.ipsShared.push(addr.address);
        }
      }
    }
  }

  netns(ref: NetnsRef): NetnsEntry | undefined {
    return this.nsByHost.get(ref.host)?.get(ref.netns);
  }

  rootOf(host: string): NetnsEntry | undefined {
    return this.rootByHost.get(host);
  }

  link(ref: LinkRef): LinkEntry | undefined {
    return this.netns(ref)?.linksByIndex.get(ref.ifindex);
  }

  linkByName(ns: NetnsRef, name: string): LinkEntry | undefined {
    return this.netns(ns)?.linksByName.get(name);
  }

  /** Interfaces with this MAC anywhere in the snapshot (MACs repeat across hosts). */
  withMac(mac: string): readonly LinkEntry[] {
    return all(this.byMac.get(mac) ?? this.byMac.get(mac.toLowerCase()));
  }

  /** Every address that more than one interface holds, with those interfaces. */
  *sharedIps(): Generator<[string, readonly LinkEntry[]]> {
    for (const ip of this.ipsShared) yield [ip, all(this.byIp.get(ip))];
  }

  /** Every MAC that more than one interface has (lower case), with those interfaces. */
  *sharedMacs(): Generator<[string, readonly LinkEntry[]]> {
    for (const mac of this.macsShared) yield [mac, all(this.byMac.get(mac))];
  }

  /** Interfaces that hold this IP address anywhere in the snapshot. */
  withIp(ip: string): readonly LinkEntry[] {
    return all(this.byIp.get(ip));
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
    const all = ns.ns.neighbors;
    if (all.length <= SMALL) return all.find((n) => n.ip === ip && n.dev === dev);
    return memo(this.neighborMaps, ns, () => neighborsByDevice(all))
      .get(dev)
      ?.get(ip);
  }

  /** Is this one of the namespace's own addresses (not one still tentative, or whose DAD failed)? */
  isLocal(ns: NetnsEntry, ip: string): boolean {
    const all = ns.ns.addresses;
    if (all.length <= SMALL) return all.some((a) => a.address === ip && usableAddress(a));
    return memo(this.localAddrs, ns, () => new Set(all.filter(usableAddress).map((a) => a.address))).has(ip);
  }

  /** The ports enslaved to a bridge device. */
  portsOf(bridge: LinkEntry): readonly LinkEntry[] {
    return this.bridgePorts.get(bridge) ?? [];
  }

  /**
   * The bridge port that leads to a MAC: the one the collected forwarding database names (learnt or
   * static entries, right or stale, are what the kernel uses), else the port whose own or veth
   * peer's MAC it is, or a macvlan's stacked on that peer: where flooding would find its owner.
   */
  bridgePortFor(bridge: LinkEntry, mac: string): LinkEntry | undefined {
    return memo(this.bridgeMacs, bridge, () => {
      const byMac = new Map<string, LinkEntry>();
      for (const e of bridge.netns.ns.fdb ?? []) {
        if (e.master !== bridge.link.name || (e.state !== 'dynamic' && e.state !== 'static')) continue;
        const port = bridge.netns.linksByName.get(e.dev);
        if (port && port.link.masterIfindex === bridge.link.ifindex) byMac.set(e.mac.toLowerCase(), port);
      }
      for (const p of this.portsOf(bridge)) {
        for (const m of macsBehindPort(this, p)) if (!byMac.has(m)) byMac.set(m, p);
      }
      return byMac;
    }).get(mac.toLowerCase());
  }

  /** The tc filters attached to a device, in one direction, lowest preference first. */
  tcFiltersOf(le: LinkEntry, direction: 'ingress' | 'egress'): readonly TcFilter[] {
    const all = le.netns.ns.tcFilters;
    // One shared empty list: the tracer asks at every device a frame crosses, nearly all without filters.
    if (all.length === 0) return NO_FILTERS;
    return all
      .filter((f) => f.ifindex === le.link.ifindex && f.direction === direction)
      .sort((a, b) => a.pref - b.pref);
  }

  /**
   * A value derived from the whole snapshot (tc redirects, tunnel matches), computed once and shared
   * by the graph builder, every rule and the tracer.
   */
  derive<T>(make: (index: SnapshotIndex) => T): T {
    if (!this.derived.has(make)) this.derived.set(make, make(this));
    return this.derived.get(make) as T;
  }

  /** Addresses of one interface. */
  addressesOf(le: LinkEntry): string[] {
    // One array, not a filtered copy mapped again: the graph asks this of every one of 10⁶ interfaces
    // and keeps each. Most have one address: a literal of one, as `push` on `[]` would reserve 17 slots
    // (152 bytes the graph then holds, and every collection copies, for each interface).
    const { ifindex } = le.link;
    let first: string | undefined;
    let more: string[] | undefined;
    for (const a of le.netns.ns.addresses) {
      if (a.ifindex !== ifindex) continue;
      if (first === undefined) first = a.address;
      else (more ??= [first]).push(a.address);
    }
    return more ?? (first === undefined ? [] : [first]);
  }
}

/**
 * A LinkEntry whose `ref` is made on first use: a cluster has 10⁶ devices, and the analysis asks few
 * of them for one (an object each is 48 bytes the index would keep, and every scavenge copy, for nothing).
 */
class IndexedLink implements LinkEntry {
  private ref_: LinkRef | undefined;

  constructor(
    readonly id: string,
    readonly link: Link,
    readonly netns: NetnsEntry,
  ) {}

  get ref(): LinkRef {
    return (this.ref_ ??= { host: this.netns.ref.host, netns: this.netns.ref.netns, ifindex: this.link.ifindex });
  }
}

/**
 * A namespace's neighbour entries by device, then IP (of a repeated pair, the last). Nested maps,
 * not one keyed by a joined string: no key is built per entry nor per question, which halves the
 * cost over a node's entries for its pods, and no device name can run into an address.
 */
function neighborsByDevice(all: readonly Neighbor[]): Map<string, Map<string, Neighbor>> {
  const byDev = new Map<string, Map<string, Neighbor>>();
  for (const n of all) {
    let byIp = byDev.get(n.dev);
    if (!byIp) byDev.set(n.dev, (byIp = new Map<string, Neighbor>()));
    // The first entry listed, as the scan of a small table finds it (a hand-made dump may repeat one).
    if (!byIp.has(n.ip)) byIp.set(n.ip, n);
  }
  return byDev;
}

/** Appends to the key's list; returns the list's new length. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): number {
  const list = map.get(key);
  if (list) return list.push(value);
  map.set(key, [value]);
  return 1;
}

const NONE: readonly LinkEntry[] = [];
const NO_FILTERS: readonly TcFilter[] = [];
const all = (v: LinkEntry | LinkEntry[] | undefined): readonly LinkEntry[] =>
  v === undefined ? NONE : Array.isArray(v) ? v : [v];

/** Up to this many entries, a namespace's neighbors and addresses are scanned instead of indexed. */
const SMALL = 16;

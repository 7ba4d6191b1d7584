import type { HostInventory, KindData, Link, NetnsInventory, Route } from '../schema/inventory.ts';
import type { LinkRef, NetnsRef } from '../schema/refs.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { NetConf } from '../schema/sysctls.ts';
import { DEFAULT_RULES } from '../net/defaultRules.ts';
import { parseIp } from '../net/ip.ts';

/** A namespace being built, with the host it belongs to. */
export interface BuiltNetns {
  readonly ref: NetnsRef;
  readonly ns: NetnsInventory;
}

let macSeq = 0;
const nextMac = (): string =>
  `02:00:00:00:${((macSeq >> 8) & 0xff).toString(16).padStart(2, '0')}:${(++macSeq & 0xff).toString(16).padStart(2, '0')}`;

/**
 * Hand-built inventories for unit tests of what this kernel cannot build (ipvlan, vlan, bond) and of
 * single checks: namespaces, devices, addresses with their connected and local routes, routes,
 * neighbours and sysctls, in the shapes the collector produces.
 */
export class NetBuilder {
  private readonly hosts = new Map<string, HostInventory>();

  netns(host: string, name: string, opts: { root?: boolean; forward?: boolean } = {}): BuiltNetns {
    let h = this.hosts.get(host);
    if (!h)
      this.hosts.set(
        host,
        (h = { name: host, kind: 'node', collectedAt: '2026-11-26T00:00:00Z', namespaces: [], errors: [] }),
      );
    const ns: NetnsInventory = {
      name,
      root: opts.root ?? false,
      links: [
        {
          ifindex: 1,
          name: 'lo',
          kind: 'loopback',
          mac: '00:00:00:00:00:00',
          mtu: 65536,
          adminUp: true,
          carrier: true,
          operstate: 'UNKNOWN',
          promiscuous: false,
        },
      ],
      addresses: [{ ifindex: 1, family: 'inet', address: '127.0.0.1', prefixlen: 8, scope: 'host' }],
      routes: [{ family: 'inet', table: 'local', type: 'local', dst: '127.0.0.0/8', dev: 'lo', scope: 'host' }],
      // The kernel's own, as collected from a namespace nobody added rules to (absent: not collected).
      rules: DEFAULT_RULES.map((r) => ({ ...r })),
      neighbors: [],
      // Collected and empty, as `ip neigh show proxy` answers on a namespace without any.
      proxyNeighbors: [],
      tcFilters: [],
      fdb: [],
      // Read and empty, as the collector gives a namespace without rules (absent: not collected).
      firewall: { nftables: [], iptables: [], ipsets: [], gaps: [] },
      ipForward: opts.forward ?? false,
      sysctls: {
        all: {
          ipv4: {
            forwarding: opts.forward ? 1 : 0,
            rpFilter: 0,
            acceptLocal: 0,
            routeLocalnet: 0,
            arpIgnore: 0,
            arpAnnounce: 0,
            arpFilter: 0,
            proxyArp: 0,
          },
          ipv6: { forwarding: 0, disableIpv6: 0, forceForwarding: 0 },
        },
        devices: [{ name: 'lo', conf: devDefaults(opts.forward ?? false) }],
        icmpEchoIgnoreAll: 0,
        icmp6EchoIgnoreAll: 0,
      },
      raw: [],
    };
    h.namespaces.push(ns);
    return { ref: { host, netns: name }, ns };
  }

  /** A device in a namespace; returns it for further changes. */
  link(at: BuiltNetns, name: string, kind: string, extra: Partial<Link> & { kindData?: KindData } = {}): Link {
    const link: Link = {
      ifindex: Math.max(...at.ns.links.map((l) => l.ifindex)) + 1,
      name,
      kind,
      mac: nextMac(),
      mtu: 1500,
      adminUp: true,
      carrier: true,
      operstate: 'UP',
      promiscuous: false,
      ...extra,
    };
    at.ns.links.push(link);
    at.ns.sysctls?.devices.push({ name, conf: devDefaults(at.ns.ipForward ?? false) });
    return link;
  }

  /** A veth pair between two namespaces (or within one). */
  veth(a: BuiltNetns, aName: string, b: BuiltNetns, bName: string): [Link, Link] {
    const la = this.link(a, aName, 'veth');
    const lb = this.link(b, bName, 'veth');
    la.peer = this.ref(b, lb);
    lb.peer = this.ref(a, la);
    return [la, lb];
  }

  /** A device stacked on a lower one (macvlan, ipvlan, vlan), possibly in another namespace. */
  stacked(at: BuiltNetns, name: string, lower: { at: BuiltNetns; link: Link }, kindData: KindData): Link {
    return this.link(at, name, kindData.kind, { kindData, parent: this.ref(lower.at, lower.link) });
  }

  /** An address with the local route and, unless /32 or /128, the connected route the kernel adds. */
  addr(at: BuiltNetns, dev: string, cidr: string, opts: { scope?: string } = {}): void {
    const link = this.dev(at, dev);
    const [address = '', len] = cidr.split('/');
    const family = parseIp(address)?.family === 6 ? 'inet6' : 'inet';
    const prefixlen = Number(len ?? (family === 'inet' ? 32 : 128));
    at.ns.addresses.push({ ifindex: link.ifindex, family, address, prefixlen, scope: opts.scope ?? 'global' });
    at.ns.routes.push({ family, table: 'local', type: 'local', dst: address, dev, scope: 'host', prefsrc: address });
    if (prefixlen < (family === 'inet' ? 32 : 128)) {
      at.ns.routes.push({
        family,
        table: 'main',
        type: 'unicast',
        dst: network(address, prefixlen, family),
        dev,
        scope: 'link',
        protocol: 'kernel',
        prefsrc: address,
      });
    }
  }

  route(at: BuiltNetns, dst: string, opts: Partial<Route> = {}): void {
    const family =
      dst === 'default'
        ? opts.gateway?.includes(':')
          ? 'inet6'
          : 'inet'
        : parseIp(dst.split('/')[0] ?? '')?.family === 6
          ? 'inet6'
          : 'inet';
    at.ns.routes.push({ family, table: 'main', type: 'unicast', dst, ...opts });
  }

  neighbor(at: BuiltNetns, dev: string, ip: string, mac: string, state = 'PERMANENT'): void {
    at.ns.neighbors.push({ ip, dev, mac, state: [state] });
  }

  /** Sets sysctls of `all` (dev `all`) or of a device, merged into what is there. */
  conf(at: BuiltNetns, dev: string, conf: NetConf): void {
    const s = at.ns.sysctls!;
    const target = dev === 'all' ? s.all : s.devices.find((d) => d.name === dev)?.conf;
    if (!target) throw new Error(`no device ${dev}`);
    if (conf.ipv4) target.ipv4 = { ...target.ipv4, ...conf.ipv4 };
    if (conf.ipv6) target.ipv6 = { ...target.ipv6, ...conf.ipv6 };
  }

  dev(at: BuiltNetns, name: string): Link {
    const l = at.ns.links.find((x) => x.name === name);
    if (!l) throw new Error(`no device ${name} in ${at.ref.netns}`);
    return l;
  }

  ref(at: BuiltNetns, link: Link): LinkRef {
    return { ...at.ref, ifindex: link.ifindex };
  }

  snapshot(): Snapshot {
    return {
      format: 1,
      id: 'built-snapshot-0000000000',
      createdAt: '2026-11-26T00:00:00Z',
      source: 'test',
      hosts: [...this.hosts.values()],
      pods: [],
    };
  }
}

function devDefaults(forward: boolean): NetConf {
  return {
    ipv4: {
      forwarding: forward ? 1 : 0,
      rpFilter: 0,
      acceptLocal: 0,
      routeLocalnet: 0,
      arpIgnore: 0,
      arpAnnounce: 0,
      arpFilter: 0,
      proxyArp: 0,
    },
    ipv6: { forwarding: 0, disableIpv6: 0, forceForwarding: 0 },
  };
}

function network(address: string, prefixlen: number, family: 'inet' | 'inet6'): string {
  const ip = parseIp(address)!;
  const bits = family === 'inet' ? 32 : 128;
  const v = (ip.value >> BigInt(bits - prefixlen)) << BigInt(bits - prefixlen);
  if (family === 'inet') return `${[24, 16, 8, 0].map((s) => Number((v >> BigInt(s)) & 255n)).join('.')}/${prefixlen}`;
  const groups = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':')}/${prefixlen}`;
}

import type { HostMap, Link, Neighbor, Snapshot } from '@hoplens/model';
import { L4_KINDS } from './l4Mutations.ts';
import type { FuzzLab, Mutation, MutationKind } from './mutation.ts';
import { inNetns, ipn, pick, placesOf, type Place, type Rand } from './place.ts';

/** A filter matching every frame that redirects it out of a device (its name follows). */
const REDIRECT_ALL = 'protocol all u32 match u32 0 0 action mirred egress redirect dev';

/** A locally administered unicast MAC no interface of the lab has (02:f0:…). */
const freshMac = (rand: Rand): string =>
  ['02', 'f0', ...Array.from({ length: 4 }, () => Math.floor(rand() * 256))]
    .map((b) => (typeof b === 'string' ? b : b.toString(16).padStart(2, '0')))
    .join(':');

const usable = (l: Link): boolean => l.kind !== 'loopback';

/** Every interface's MAC in the lab but `except`. */
const otherMacs = (places: readonly Place[], except: string | null | undefined): string[] =>
  places.flatMap((q) => q.ns.links.flatMap((k) => (usable(k) && k.mac && k.mac !== except ? [k.mac] : [])));

/** A neighbour entry with a MAC, on a device of its namespace, picked by the dice. */
function pickEntry(places: readonly Place[], rand: Rand): { p: Place; n: Neighbor & { mac: string } } | undefined {
  const has = (q: Place, n: Neighbor): boolean => !!n.mac && q.ns.links.some((l) => l.name === n.dev);
  const p = pick(
    rand,
    places.filter((q) => q.ns.neighbors.some((n) => has(q, n))),
  );
  const n =
    p &&
    pick(
      rand,
      p.ns.neighbors.filter((e) => has(p, e)),
    );
  return p && n?.mac ? { p, n: { ...n, mac: n.mac } } : undefined;
}

/** An interface other than a loopback, and its namespace, picked by the dice. */
function pickLink(places: readonly Place[], rand: Rand): { p: Place; l: Link } | undefined {
  const p = pick(
    rand,
    places.filter((q) => q.ns.links.some(usable)),
  );
  const l = p && pick(rand, p.ns.links.filter(usable));
  return p && l ? { p, l } : undefined;
}

/** Do two IPv4 addresses share their first `bits` bits? */
function sameSubnet(a: string, b: string, bits: number): boolean {
  const n = (ip: string): number => ip.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  const size = 2 ** (32 - bits);
  return Math.floor(n(a) / size) === Math.floor(n(b) / size);
}

/** The ports of every bridge of the lab, with their namespace. */
const bridgePorts = (places: readonly Place[]): { p: Place; l: Link }[] =>
  places.flatMap((p) =>
    p.ns.links
      .filter((l) => p.ns.links.some((m) => m.ifindex === l.masterIfindex && m.kind === 'bridge'))
      .map((l) => ({ p, l })),
  );

/**
 * Each kind of change, as a function of the lab and the dice: undefined where the lab has nothing
 * it applies to (no bridge port to detach, no tc filter to remove).
 */
const KINDS: readonly MutationKind[] = [
  // An interface set down.
  (places, rand) => {
    const c = pickLink(places, rand);
    if (!c) return undefined;
    const { p, l } = c;
    return l && { label: `${p.netns}: ${l.name} down`, commands: [ipn(p.netns, 'link', 'set', l.name, 'down')] };
  },
  // An interface's MAC changed: to a fresh one, or to another interface's.
  (places, rand) => {
    const p = pick(
      rand,
      places.filter((q) => q.ns.links.some((l) => usable(l) && l.mac)),
    );
    const l =
      p &&
      pick(
        rand,
        p.ns.links.filter((k) => usable(k) && k.mac),
      );
    if (!l) return undefined;
    const mac = (rand() < 0.4 ? pick(rand, otherMacs(places, l.mac)) : undefined) ?? freshMac(rand);
    return {
      label: `${p.netns}: ${l.name} address ${mac}`,
      commands: [ipn(p.netns, 'link', 'set', l.name, 'address', mac)],
    };
  },
  // A neighbour entry pinned to a wrong MAC (a fresh one, or another interface's).
  (places, rand) => {
    const c = pickEntry(places, rand);
    if (!c) return undefined;
    const { p, n } = c;
    const mac = (rand() < 0.5 ? pick(rand, otherMacs(places, n.mac)) : undefined) ?? freshMac(rand);
    return {
      label: `${p.netns}: neighbour ${n.ip} on ${n.dev} → ${mac} (permanent)`,
      commands: [ipn(p.netns, 'neigh', 'replace', n.ip, 'lladdr', mac, 'dev', n.dev, 'nud', 'permanent')],
    };
  },
  // A route deleted from the main table.
  (places, rand) => {
    const routes = places.flatMap((p) =>
      p.ns.routes.filter((r) => r.table === 'main' && r.type === 'unicast' && r.dev).map((r) => ({ p, r })),
    );
    const c = pick(rand, routes);
    if (!c) return undefined;
    const { p, r } = c;
    const family = r.family === 'inet6' ? ['-6'] : ['-4'];
    const via = r.gateway ? ['via', r.gateway] : [];
    return {
      label: `${p.netns}: route ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev} deleted`,
      commands: [['ip', ...family, '-n', p.netns, 'route', 'del', r.dst, ...via, 'dev', r.dev!]],
    };
  },
  // An address removed from its interface.
  (places, rand) => {
    const addrs = places.flatMap((p) =>
      p.ns.addresses
        .filter((a) => a.scope !== 'host' && a.scope !== 'link')
        .flatMap((a) => {
          const l = p.ns.links.find((k) => k.ifindex === a.ifindex);
          return l && usable(l) ? [{ p, a, dev: l.name }] : [];
        }),
    );
    const c = pick(rand, addrs);
    return (
      c && {
        label: `${c.p.netns}: ${c.a.address}/${c.a.prefixlen} removed from ${c.dev}`,
        commands: [ipn(c.p.netns, 'addr', 'del', `${c.a.address}/${c.a.prefixlen}`, 'dev', c.dev)],
      }
    );
  },
  // Forwarding turned off where it was on (the namespace, or one interface).
  (places, rand) => {
    const p = pick(
      rand,
      places.filter((q) => q.ns.ipForward === true),
    );
    if (!p) return undefined;
    const l = rand() < 0.5 ? pick(rand, p.ns.links.filter(usable)) : undefined;
    const key = l ? `net.ipv4.conf.${l.name}.forwarding` : 'net.ipv4.ip_forward';
    return { label: `${p.netns}: ${key}=0`, commands: [inNetns(p.netns, 'sysctl', '-q', '-w', `${key}=0`)] };
  },
  // Strict reverse-path filtering.
  (places, rand) => {
    const p = pick(rand, places);
    if (!p) return undefined;
    const l = rand() < 0.5 ? pick(rand, p.ns.links.filter(usable)) : undefined;
    const key = `net.ipv4.conf.${l ? l.name : 'all'}.rp_filter`;
    return { label: `${p.netns}: ${key}=1`, commands: [inNetns(p.netns, 'sysctl', '-q', '-w', `${key}=1`)] };
  },
  // An iptables DROP for one address, in one chain.
  (places, rand) => {
    const p = pick(rand, places);
    const all = places.flatMap((q) => q.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global'));
    const a = pick(rand, all);
    if (!p || !a) return undefined;
    const chain = pick(rand, ['INPUT', 'FORWARD', 'OUTPUT'] as const)!;
    const side = rand() < 0.5 ? '-d' : '-s';
    const proto = rand() < 0.5 ? ['-p', 'icmp'] : [];
    return {
      label: `${p.netns}: iptables -A ${chain} ${side} ${a.address}${proto.length ? ' -p icmp' : ''} -j DROP`,
      commands: [inNetns(p.netns, 'iptables-nft', '-A', chain, side, `${a.address}/32`, ...proto, '-j', 'DROP')],
    };
  },
  // An nftables chain of its own that drops one address, at a random hook.
  (places, rand) => {
    const p = pick(rand, places);
    const all = places.flatMap((q) => q.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global'));
    const a = pick(rand, all);
    if (!p || !a) return undefined;
    const hook = pick(rand, ['prerouting', 'input', 'forward', 'output', 'postrouting'] as const)!;
    const side = rand() < 0.5 ? 'daddr' : 'saddr';
    const chain = `{ type filter hook ${hook} priority 0 ; policy accept ; }`;
    return {
      label: `${p.netns}: nft ${hook} ip ${side} ${a.address} drop`,
      commands: [
        inNetns(p.netns, 'nft', 'add', 'table', 'inet', 'fuzz'),
        inNetns(p.netns, 'nft', 'add', 'chain', 'inet', 'fuzz', hook, chain),
        inNetns(p.netns, 'nft', 'add', 'rule', 'inet', 'fuzz', hook, 'ip', side, a.address, 'drop'),
      ],
    };
  },
  // An MTU lowered.
  (places, rand) => {
    const c = pickLink(places, rand);
    if (!c) return undefined;
    const { p, l } = c;
    const mtu = pick(rand, ['1000', '1400', '1450'])!;
    return (
      l && { label: `${p.netns}: ${l.name} mtu ${mtu}`, commands: [ipn(p.netns, 'link', 'set', l.name, 'mtu', mtu)] }
    );
  },
  // A bridge port detached from its bridge.
  (places, rand) => {
    const ports = places.flatMap((p) => p.ns.links.filter((l) => l.masterIfindex !== undefined).map((l) => ({ p, l })));
    const c = pick(rand, ports);
    return (
      c && {
        label: `${c.p.netns}: ${c.l.name} nomaster`,
        commands: [ipn(c.p.netns, 'link', 'set', c.l.name, 'nomaster')],
      }
    );
  },
  // A tc hook's filters removed (a redirect lost, say).
  (places, rand) => {
    const hooks = places.flatMap((p) => p.ns.tcFilters.map((f) => ({ p, dev: f.dev, direction: f.direction })));
    const c = pick(rand, hooks);
    return (
      c && {
        label: `${c.p.netns}: tc filters of ${c.dev} ${c.direction} removed`,
        commands: [['tc', '-n', c.p.netns, 'filter', 'del', 'dev', c.dev, c.direction]],
      }
    );
  },
  // ARP answered by nobody in a namespace (arp_ignore 8: no reply for any local address).
  (places, rand) => {
    const p = pick(
      rand,
      places.filter((q) => q.ns.addresses.some((a) => a.family === 'inet' && a.scope === 'global')),
    );
    return (
      p && {
        label: `${p.netns}: net.ipv4.conf.all.arp_ignore=8`,
        commands: [inNetns(p.netns, 'sysctl', '-q', '-w', 'net.ipv4.conf.all.arp_ignore=8')],
      }
    );
  },
  // A route's gateway replaced by an address on its subnet that nobody holds.
  (places, rand) => {
    const routes = places.flatMap((p) =>
      p.ns.routes
        .filter((r) => r.table === 'main' && r.gateway && r.family !== 'inet6' && r.dev)
        .map((r) => ({ p, r })),
    );
    const c = pick(rand, routes);
    if (!c) return undefined;
    const parts = c.r.gateway!.split('.').map(Number);
    if (parts.length !== 4) return undefined;
    parts[3] = parts[3] === 250 ? 251 : 250;
    const gw = parts.join('.');
    return {
      label: `${c.p.netns}: route ${c.r.dst} via ${gw} (nobody's) dev ${c.r.dev}`,
      commands: [ipn(c.p.netns, 'route', 'replace', c.r.dst, 'via', gw, 'dev', c.r.dev!, 'onlink')],
    };
  },
  // A route of another type for one address: blackhole, unreachable or prohibit.
  (places, rand) => {
    const p = pick(rand, places);
    const a = pick(
      rand,
      places.flatMap((q) => q.ns.addresses.filter((x) => x.scope === 'global')),
    );
    if (!p || !a) return undefined;
    const type = pick(rand, ['blackhole', 'unreachable', 'prohibit'] as const)!;
    const len = a.family === 'inet6' ? '128' : '32';
    return {
      label: `${p.netns}: route ${type} ${a.address}/${len}`,
      commands: [ipn(p.netns, 'route', 'add', type, `${a.address}/${len}`)],
    };
  },
  // A bridge port's flags: isolated, no learning, no unicast or broadcast flooding, hairpin.
  (places, rand) => {
    const ports = bridgePorts(places);
    const c = pick(rand, ports);
    const flag = pick(rand, ['isolated on', 'learning off', 'flood off', 'bcast_flood off', 'hairpin on', 'state 0'])!;
    return (
      c && {
        label: `${c.p.netns}: bridge link set dev ${c.l.name} ${flag}`,
        commands: [['bridge', '-n', c.p.netns, 'link', 'set', 'dev', c.l.name, ...flag.split(' ')]],
      }
    );
  },
  // A static forwarding entry sending another interface's MAC to the wrong bridge port.
  (places, rand) => {
    const ports = bridgePorts(places);
    const c = pick(rand, ports);
    const mac = pick(rand, otherMacs(places, c?.l.mac));
    if (!c || !mac) return undefined;
    return {
      label: `${c.p.netns}: bridge fdb replace ${mac} dev ${c.l.name} master static`,
      commands: [['bridge', '-n', c.p.netns, 'fdb', 'replace', mac, 'dev', c.l.name, 'master', 'static']],
    };
  },
  // ARP off on an interface (IFF_NOARP).
  (places, rand) => {
    const c = pickLink(places, rand);
    if (!c) return undefined;
    const { p, l } = c;
    return (
      l && { label: `${p.netns}: ${l.name} arp off`, commands: [ipn(p.netns, 'link', 'set', l.name, 'arp', 'off')] }
    );
  },
  // A policy rule sending one address's traffic to a table that drops it, or holds nothing.
  (places, rand) => {
    const p = pick(rand, places);
    const a = pick(
      rand,
      places.flatMap((q) => q.ns.addresses.filter((x) => x.family === 'inet' && x.scope === 'global')),
    );
    if (!p || !a) return undefined;
    const blackholed = rand() < 0.5;
    return {
      label: `${p.netns}: ip rule to ${a.address} table 77${blackholed ? ' (a blackhole default)' : ' (empty)'}`,
      commands: [
        ...(blackholed ? [ipn(p.netns, 'route', 'add', 'blackhole', 'default', 'table', '77')] : []),
        ipn(p.netns, 'rule', 'add', 'to', `${a.address}/32`, 'table', '77', 'pref', '77'),
      ],
    };
  },
  // An iptables REJECT, or an ip6tables DROP, for one address.
  (places, rand) => {
    const p = pick(rand, places);
    const v6 = rand() < 0.4;
    const a = pick(
      rand,
      places.flatMap((q) => q.ns.addresses.filter((x) => x.family === (v6 ? 'inet6' : 'inet') && x.scope === 'global')),
    );
    if (!p || !a) return undefined;
    const chain = pick(rand, ['INPUT', 'FORWARD', 'OUTPUT'] as const)!;
    const tool = v6 ? 'ip6tables-nft' : 'iptables-nft';
    const target = v6 ? 'DROP' : 'REJECT';
    return {
      label: `${p.netns}: ${tool} -A ${chain} -d ${a.address} -j ${target}`,
      commands: [inNetns(p.netns, tool, '-A', chain, '-d', a.address, '-j', target)],
    };
  },
  // Proxy ARP on an interface.
  (places, rand) => {
    const c = pickLink(places, rand);
    if (!c) return undefined;
    const { p, l } = c;
    return (
      l && {
        label: `${p.netns}: net.ipv4.conf.${l.name}.proxy_arp=1`,
        commands: [inNetns(p.netns, 'sysctl', '-q', '-w', `net.ipv4.conf.${l.name}.proxy_arp=1`)],
      }
    );
  },
  // A neighbour entry re-stated in another state (stale, reachable, noarp), its MAC kept.
  (places, rand) => {
    const c = pickEntry(places, rand);
    if (!c) return undefined;
    const { p, n } = c;
    const state = pick(rand, ['stale', 'reachable', 'noarp'])!;
    return {
      label: `${p.netns}: neighbour ${n.ip} on ${n.dev} → ${n.mac} (${state})`,
      commands: [ipn(p.netns, 'neigh', 'replace', n.ip, 'lladdr', n.mac, 'dev', n.dev, 'nud', state)],
    };
  },
  // A VXLAN device's remote moved: to another address of the lab, or to one nobody holds.
  (places, rand) => {
    const tunnels = places.flatMap((p) =>
      p.ns.links.filter((l) => l.kind === 'vxlan' && l.vxlan?.remote).map((l) => ({ p, l })),
    );
    const c = pick(rand, tunnels);
    if (!c) return undefined;
    const v4 = !c.l.vxlan!.remote!.includes(':');
    const others = places.flatMap((q) =>
      q.ns.addresses
        .filter((a) => (a.family === 'inet') === v4 && a.scope === 'global' && a.address !== c.l.vxlan!.remote)
        .map((a) => a.address),
    );
    const remote = (rand() < 0.6 ? pick(rand, others) : undefined) ?? (v4 ? '192.0.2.77' : '2001:db8::77');
    return {
      label: `${c.p.netns}: ${c.l.name} remote ${remote}`,
      commands: [ipn(c.p.netns, 'link', 'set', c.l.name, 'type', 'vxlan', 'remote', remote)],
    };
  },
  // A VXLAN forwarding entry removed (`bridge fdb del … self`).
  (places, rand) => {
    const entries = places.flatMap((p) =>
      (p.ns.fdb ?? []).filter((e) => e.flags.includes('self') && e.dst !== undefined).map((e) => ({ p, e })),
    );
    const c = pick(rand, entries);
    return (
      c && {
        label: `${c.p.netns}: bridge fdb del ${c.e.mac} dev ${c.e.dev} dst ${c.e.dst} self`,
        commands: [['bridge', '-n', c.p.netns, 'fdb', 'del', c.e.mac, 'dev', c.e.dev, 'dst', c.e.dst!, 'self']],
      }
    );
  },
  // A tc redirect sent to another device of its namespace.
  (places, rand) => {
    const hooks = places.flatMap((p) =>
      p.ns.tcFilters
        .filter((f) => f.actions.some((a) => a.kind === 'mirred' && 'action' in a && a.action === 'redirect'))
        .map((f) => ({ p, f })),
    );
    const c = pick(rand, hooks);
    const to =
      c &&
      pick(
        rand,
        c.p.ns.links.filter((l) => usable(l) && l.name !== c.f.dev),
      );
    if (!c || !to) return undefined;
    const tc = (...args: string[]): string[] => ['tc', '-n', c.p.netns, ...args];
    return {
      label: `${c.p.netns}: ${c.f.dev} ${c.f.direction} redirects everything to ${to.name}`,
      commands: [
        tc('filter', 'del', 'dev', c.f.dev, c.f.direction),
        tc('filter', 'add', 'dev', c.f.dev, c.f.direction, ...REDIRECT_ALL.split(' '), to.name),
      ],
    };
  },
  // A NAT rule: a DNAT of one address to another, or a MASQUERADE of what leaves for it.
  (places, rand) => {
    const p = pick(rand, places);
    const all = places.flatMap((q) => q.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global'));
    const a = pick(rand, all);
    const b = pick(
      rand,
      all.filter((x) => x !== a),
    );
    if (!p || !a || !b) return undefined;
    const dnat = rand() < 0.5;
    const rule = dnat
      ? [
          '-t',
          'nat',
          '-A',
          pick(rand, ['PREROUTING', 'OUTPUT'] as const)!,
          '-d',
          a.address,
          '-j',
          'DNAT',
          '--to-destination',
          b.address,
        ]
      : ['-t', 'nat', '-A', 'POSTROUTING', '-d', a.address, '-j', 'MASQUERADE'];
    return { label: `${p.netns}: iptables ${rule.join(' ')}`, commands: [inNetns(p.netns, 'iptables-nft', ...rule)] };
  },
  // A namespace-wide switch: pings ignored, IPv6 forwarding off, loose reverse-path filtering.
  (places, rand) => {
    const p = pick(rand, places);
    const key = pick(rand, [
      'net.ipv4.icmp_echo_ignore_all=1',
      'net.ipv6.conf.all.forwarding=0',
      'net.ipv4.conf.all.rp_filter=2',
    ])!;
    return p && { label: `${p.netns}: ${key}`, commands: [inNetns(p.netns, 'sysctl', '-q', '-w', key)] };
  },
  // An interface made promiscuous.
  (places, rand) => {
    const c = pickLink(places, rand);
    if (!c) return undefined;
    return {
      label: `${c.p.netns}: ${c.l.name} promisc on`,
      commands: [ipn(c.p.netns, 'link', 'set', c.l.name, 'promisc', 'on')],
    };
  },
  // A host route to one address via another host of a connected subnet (a misroute, maybe a loop).
  (places, rand) => {
    const p = pick(rand, places);
    const onLink = p?.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global') ?? [];
    const a = pick(
      rand,
      places.flatMap((q) => q.ns.addresses.filter((x) => x.family === 'inet' && x.scope === 'global')),
    );
    const mine = pick(rand, onLink);
    if (!p || !a || !mine) return undefined;
    const dev = p.ns.links.find((l) => l.ifindex === mine.ifindex);
    const neighbours = places.flatMap((q) =>
      q === p
        ? []
        : q.ns.addresses.filter(
            (x) =>
              x.family === 'inet' &&
              x.prefixlen === mine.prefixlen &&
              sameSubnet(x.address, mine.address, mine.prefixlen),
          ),
    );
    const via = pick(rand, neighbours);
    if (!dev || !via) return undefined;
    return {
      label: `${p.netns}: route ${a.address}/32 via ${via.address} dev ${dev.name}`,
      commands: [ipn(p.netns, 'route', 'replace', `${a.address}/32`, 'via', via.address, 'dev', dev.name)],
    };
  },
];

/**
 * `count` changes picked by the dice from what the collected lab has. A lab with servers (TCP and
 * UDP connections among its flows) draws half of its changes from the kinds that concern them.
 */
export function pickMutations(
  snapshot: Snapshot,
  hostMap: HostMap,
  rand: Rand,
  count: number,
  lab: FuzzLab,
): Mutation[] {
  const places = placesOf(snapshot, hostMap);
  const out: Mutation[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const kinds = lab.servers.length > 0 && rand() < 0.5 ? L4_KINDS : KINDS;
    const m = pick(rand, kinds)!(places, rand, lab);
    if (m && !out.some((o) => o.label === m.label)) out.push(m);
  }
  return out;
}

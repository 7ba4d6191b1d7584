import { netnsId, netnsPath } from '../ids.ts';
import { isBroadcastMac, isMulticastMac, parseIp, sameMac } from '../net/ip.ts';
import { setMacCommand } from '../fix/commands.ts';
import type { FdbEntry } from '../schema/inventory.ts';
import type { Component, Hop } from '../schema/trace.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BROADCAST_MAC, sizeOf, type Frame, type Packet } from './packet.ts';
import type { RouteMatch } from './routeTable.ts';

/** Where a walk ended. `receiver` is the interface whose L2 check the frame passed or failed last. */
export type Outcome =
  | { verdict: 'delivered'; ns: NetnsEntry; src: string | undefined; receiver: LinkEntry | undefined; mac?: string }
  | { verdict: 'dropped' | 'unknown'; receiver: LinkEntry | undefined };

const MAX_STEPS = 64;
/** Bytes VXLAN adds to the inner frame: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const VXLAN_OVERHEAD = 50;
/** The slack `is_skb_forwardable` allows over the MTU for a VLAN tag. */
const VLAN_HLEN = 4;

const tableText = (m: Extract<RouteMatch, { kind: 'route' }>): string =>
  m.route.table === 'main' && m.rule.priority === 32766 ? '' : ` in table ${m.route.table} (${ruleText(m)})`;

function ruleText(m: RouteMatch): string {
  const r = m.rule;
  const sel = [
    r.invert ? 'not' : '',
    r.src ? `from ${r.src}` : '',
    r.dst ? `to ${r.dst}` : '',
    r.iif ? `iif ${r.iif}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `rule ${r.priority}${sel ? ` ${sel}` : ''}`;
}

/**
 * Walks a packet through the snapshot the way the kernel would: route lookup, neighbor resolution,
 * veth, tc mirred, VXLAN encapsulation over the underlay and decapsulation, the receive check and
 * local delivery. Each step is recorded as a hop unless the walker is silent (used to resolve ARP
 * and by rules that only need where a frame ends up).
 */
export class Walker {
  readonly hops: Hop[] = [];
  private steps = 0;
  private lastReceiver: LinkEntry | undefined;
  /** Why neighbor resolution failed, for the walk's end verdict. */
  private verdictHint: 'dropped' | 'unknown' = 'dropped';

  constructor(
    private readonly index: SnapshotIndex,
    private readonly direction: Hop['direction'],
    private readonly silent = false,
  ) {}

  /**
   * Sends an IP packet from a namespace's stack: its own, or one it forwards (then `iif` is the
   * device it came in on, which policy rules may select on).
   */
  ipOutput(ns: NetnsEntry, pkt: Packet, iif?: LinkEntry): Outcome {
    if (this.index.isLocal(ns, pkt.dst)) {
      this.hop(ns, undefined, 'local-delivery', 'delivered', 'ok', `${pkt.dst} is local to this namespace`);
      return this.delivered(ns, pkt.src ?? pkt.dst);
    }
    const match = this.index.routes(ns).lookup(pkt.dst, { src: pkt.src, iif: iif?.link.name });
    if (!match) return this.stop(ns, undefined, 'routing', 'dropped', `no route to ${pkt.dst}`);
    if (match.kind === 'rule') {
      return this.stop(
        ns,
        undefined,
        'routing',
        'dropped',
        `policy ${ruleText(match)} ends the lookup: ${match.rule.action}`,
      );
    }
    const { route } = match;
    if (route.type !== 'unicast') {
      return this.stop(
        ns,
        undefined,
        'routing',
        'dropped',
        `route ${route.dst}${tableText(match)} is of type ${route.type}`,
      );
    }
    const out = route.dev === undefined ? undefined : ns.linksByName.get(route.dev);
    if (!out) {
      return this.stop(
        ns,
        undefined,
        'routing',
        'unknown',
        `route ${route.dst} names device ${route.dev ?? '?'}, which was not collected`,
      );
    }
    const src = pkt.src ?? route.prefsrc ?? this.sourceFor(ns, out, pkt.dst);
    const nexthop = route.gateway ?? pkt.dst;
    const via = route.gateway ? ` via ${route.gateway}` : '';
    this.hop(
      ns,
      out,
      'routing',
      'forwarded',
      'ok',
      `${pkt.dst} matches ${route.dst}${via} dev ${out.link.name}${tableText(match)}`,
    );
    const size = sizeOf(pkt);
    let sent: Packet = { ...pkt, src };
    if (size > out.link.mtu) {
      if (pkt.df) {
        return this.stop(
          ns,
          out,
          'routing',
          'dropped',
          `a ${size}-byte packet with Don't Fragment set exceeds the MTU ${out.link.mtu} of ${out.link.name}: the kernel refuses it (fragmentation needed)`,
        );
      }
      // Fragmented: the largest fragment is what the rest of the path must carry.
      sent = { ...sent, size: out.link.mtu };
    }
    const mac = this.resolveNeighbor(out, nexthop);
    if (!mac) return this.end(this.verdictHint);
    return this.transmit(out, { srcMac: out.link.mac, dstMac: mac, packet: sent });
  }

  /** A frame leaves through an interface. */
  transmit(le: LinkEntry, frame: Frame): Outcome {
    if (++this.steps > MAX_STEPS) return this.loop(le);
    if (!le.link.adminUp) {
      return this.stop(le.netns, le, 'l2-receive', 'dropped', `${le.link.name} is administratively down`);
    }
    const redirect = this.mirred(le, 'egress');
    if (redirect) return redirect(frame);
    switch (le.link.kind) {
      case 'veth':
        return this.throughVeth(le, frame);
      case 'vxlan':
        return this.encapsulate(le, frame);
      case 'loopback':
        return this.receive(le, frame);
      case 'bridge':
        return this.bridgeForward(le, undefined, frame);
      case 'device':
        return this.switchUnderlay(le, frame);
      default:
        this.hop(
          le.netns,
          le,
          'underlay',
          'forwarded',
          'unknown',
          `${le.link.name} (${le.link.kind}) leads outside the collected hosts`,
        );
        return this.end('unknown');
    }
  }

  /** A frame arrives at an interface. */
  receive(le: LinkEntry, frame: Frame): Outcome {
    if (++this.steps > MAX_STEPS) return this.loop(le);
    this.lastReceiver = le;
    if (!le.link.adminUp) {
      return this.stop(le.netns, le, 'l2-receive', 'dropped', `${le.link.name} is administratively down`);
    }
    // tc ingress runs before any receive check: a redirected frame never meets the MAC filter.
    const redirect = this.mirred(le, 'ingress');
    if (redirect) return redirect(frame);
    // A bridge port hands every frame to its bridge (rx_handler) before any receive check.
    const bridge = le.link.masterIfindex === undefined ? undefined : le.netns.linksByIndex.get(le.link.masterIfindex);
    if (bridge?.link.kind === 'bridge') return this.bridgeIn(bridge, le, frame);
    const dst = frame.dstMac;
    const forMe = sameMac(dst, le.link.mac) || isBroadcastMac(dst) || isMulticastMac(dst) || le.link.promiscuous;
    if (!forMe) {
      const fix = le.link.mac ? setMacCommand(le.netns.ns, le.link.name, dst) : undefined;
      return this.stop(
        le.netns,
        le,
        'l2-receive',
        'dropped',
        `frame for ${dst} arrives at ${le.link.name}, whose MAC is ${le.link.mac ?? 'none'}: the kernel marks it PACKET_OTHERHOST and drops it`,
        fix,
      );
    }
    this.hop(le.netns, le, 'l2-receive', 'forwarded', 'ok', `${le.link.name} accepts the frame for ${dst}`);
    return this.ipReceive(le, frame.packet);
  }

  private ipReceive(le: LinkEntry, pkt: Packet): Outcome {
    const ns = le.netns;
    if (pkt.proto === 'arp') {
      if (this.index.isLocal(ns, pkt.dst) && le.link.mac) return this.delivered(ns, pkt.src, le.link.mac);
      return this.end('dropped');
    }
    if (!this.index.isLocal(ns, pkt.dst)) {
      if (ns.ns.ipForward === undefined) {
        return this.stop(
          ns,
          le,
          'routing',
          'unknown',
          `${pkt.dst} is not local here, and whether this namespace forwards was not collected`,
        );
      }
      if (!ns.ns.ipForward) {
        return this.stop(ns, le, 'routing', 'dropped', `${pkt.dst} is not local here and ip_forward is off`);
      }
      return this.ipOutput(ns, pkt, le);
    }
    if (pkt.proto === 'udp' && pkt.inner) return this.decapsulate(le, pkt);
    this.hop(ns, le, 'local-delivery', 'delivered', 'ok', `${pkt.dst} is local: delivered`);
    return this.delivered(ns, pkt.src);
  }

  private throughVeth(le: LinkEntry, frame: Frame): Outcome {
    const peer = le.link.peer && this.index.link(le.link.peer);
    if (!peer) {
      return this.stop(le.netns, le, 'veth', 'dropped', `the veth peer of ${le.link.name} is missing`);
    }
    const size = sizeOf(frame.packet);
    // __dev_forward_skb → is_skb_forwardable: the peer takes frames up to its MTU + a VLAN header.
    if (size > peer.link.mtu + VLAN_HLEN) {
      return this.stop(
        peer.netns,
        peer,
        'veth',
        'dropped',
        `a ${size}-byte packet from ${le.link.name} (MTU ${le.link.mtu}) exceeds the MTU ${peer.link.mtu} of its peer ${peer.link.name}: dropped on receive`,
      );
    }
    const crossesHosts = peer.ref.host !== le.ref.host;
    const component: Component = crossesHosts ? 'underlay' : 'veth';
    this.hop(
      le.netns,
      le,
      component,
      'forwarded',
      'ok',
      `${le.link.name} → ${peer.link.name} (${netnsPath(peer.ref)})`,
    );
    return this.receive(peer, frame);
  }

  private encapsulate(le: LinkEntry, frame: Frame): Outcome {
    const vx = le.link.vxlan;
    // The device's forwarding database first (learnt or static per-MAC remotes), then its default remote.
    const fdb = this.vxlanFdb(le, frame.dstMac);
    const remote = fdb?.dst ?? vx?.remote;
    if (!vx || !remote) {
      return this.stop(
        le.netns,
        le,
        'vxlan-encap',
        'unknown',
        `${le.link.name} has no remote and no forwarding entry for ${frame.dstMac}`,
      );
    }
    const vni = fdb?.vni ?? vx.vni;
    const socketNs = vx.socketNetns && this.index.netns(vx.socketNetns);
    if (!socketNs) {
      return this.stop(
        le.netns,
        le,
        'vxlan-encap',
        'unknown',
        `the socket namespace of ${le.link.name} was not collected`,
      );
    }
    const learnt = fdb && fdb.dst !== vx.remote ? ` (forwarding entry for ${fdb.mac}, ${fdb.state})` : '';
    this.hop(
      le.netns,
      le,
      'vxlan-encap',
      'forwarded',
      'ok',
      `VNI ${vni} to ${remote}:${vx.port}${learnt}, sent from the socket in ${netnsPath(socketNs.ref)}`,
    );
    return this.ipOutput(socketNs, {
      src: vx.local,
      dst: remote,
      proto: 'udp',
      dport: vx.port,
      vni,
      inner: frame,
      // The outer packet never has DF set (vxlan's default `df unset`): it is fragmented, not dropped.
      size: sizeOf(frame.packet) + VXLAN_OVERHEAD,
    });
  }

  /** The VXLAN fdb entry for a destination MAC, else the all-zeros (default) entry. */
  private vxlanFdb(le: LinkEntry, mac: string): FdbEntry | undefined {
    const entries = (le.netns.ns.fdb ?? []).filter((e) => e.dev === le.link.name && e.dst !== undefined);
    if (entries.length === 0) return undefined;
    return entries.find((e) => sameMac(e.mac, mac)) ?? entries.find((e) => e.mac === '00:00:00:00:00:00');
  }

  private decapsulate(le: LinkEntry, pkt: Packet): Outcome {
    const ns = le.netns;
    const sockets = this.index.vxlanBySocket(ns.ref).filter((c) => c.link.vxlan?.port === pkt.dport);
    if (sockets.length === 0) {
      return this.stop(ns, le, 'vxlan-decap', 'dropped', `no VXLAN socket listens on UDP ${pkt.dport} here`);
    }
    const dev = sockets.find((c) => c.link.vxlan?.vni === pkt.vni);
    if (!dev) {
      const vnis = sockets.map((c) => `${c.link.name}=${c.link.vxlan?.vni}`).join(', ');
      return this.stop(
        ns,
        le,
        'vxlan-decap',
        'dropped',
        `VNI ${pkt.vni} matches no device on UDP ${pkt.dport} (${vnis})`,
      );
    }
    const inner = pkt.inner;
    if (!inner) return this.end('unknown');
    if (!dev.link.adminUp) {
      return this.stop(dev.netns, dev, 'vxlan-decap', 'dropped', `${dev.link.name} is administratively down`);
    }
    if (sameMac(inner.srcMac, dev.link.mac)) {
      return this.stop(
        dev.netns,
        dev,
        'vxlan-decap',
        'dropped',
        `inner source MAC ${inner.srcMac} is ${dev.link.name}'s own: dropped as a loop`,
      );
    }
    this.hop(
      dev.netns,
      dev,
      'vxlan-decap',
      'forwarded',
      'ok',
      `VNI ${pkt.vni} on UDP ${pkt.dport} belongs to ${dev.link.name} (${netnsPath(dev.ref)})`,
    );
    return this.receive(dev, inner);
  }

  /** A frame arrives on a bridge port: for the bridge itself, or switched to another port. */
  private bridgeIn(bridge: LinkEntry, port: LinkEntry, frame: Frame): Outcome {
    this.hop(port.netns, port, 'bridge', 'forwarded', 'ok', `${port.link.name} is a port of ${bridge.link.name}`);
    if (!bridge.link.adminUp)
      return this.stop(bridge.netns, bridge, 'bridge', 'dropped', `${bridge.link.name} is administratively down`);
    const dst = frame.dstMac;
    if (sameMac(dst, bridge.link.mac)) {
      this.lastReceiver = bridge;
      this.hop(
        bridge.netns,
        bridge,
        'l2-receive',
        'forwarded',
        'ok',
        `${bridge.link.name} accepts the frame for ${dst}`,
      );
      return this.ipReceive(bridge, frame.packet);
    }
    if (isBroadcastMac(dst) && frame.packet.proto === 'arp') {
      const before = this.lastReceiver;
      this.lastReceiver = bridge;
      const self = this.ipReceive(bridge, frame.packet);
      this.lastReceiver = before;
      if (self.verdict === 'delivered') return self;
    }
    return this.bridgeForward(bridge, port, frame);
  }

  /**
   * Switches a frame out of the bridge's port that leads to its destination MAC: the port itself or
   * the veth behind it (what the fdb would have learnt). Broadcasts flood every other port.
   */
  private bridgeForward(bridge: LinkEntry, ingress: LinkEntry | undefined, frame: Frame): Outcome {
    const dst = frame.dstMac;
    if (isBroadcastMac(dst) || isMulticastMac(dst)) {
      for (const p of this.index.portsOf(bridge)) {
        if (p === ingress) continue;
        const r = this.transmit(p, frame);
        if (r.verdict === 'delivered') return r;
      }
      return this.end('dropped');
    }
    const port = this.index.bridgePortFor(bridge, dst);
    const out = port === ingress ? undefined : port;
    if (!out) {
      return this.stop(
        bridge.netns,
        bridge,
        'bridge',
        'dropped',
        `no port of ${bridge.link.name} leads to ${dst}: the frame is flooded and nobody takes it`,
      );
    }
    const size = sizeOf(frame.packet);
    if (size > out.link.mtu + VLAN_HLEN) {
      return this.stop(
        bridge.netns,
        out,
        'bridge',
        'dropped',
        `a ${size}-byte packet exceeds the MTU ${out.link.mtu} of port ${out.link.name}: ${bridge.link.name} drops it`,
      );
    }
    this.hop(
      bridge.netns,
      bridge,
      'bridge',
      'forwarded',
      'ok',
      `${bridge.link.name} switches ${dst} to ${out.link.name}`,
    );
    return this.transmit(out, frame);
  }

  /**
   * A physical NIC: the frame goes to the device on another collected host with the destination
   * MAC (for ARP, the one that owns the address), as if one L2 segment joined them.
   */
  private switchUnderlay(le: LinkEntry, frame: Frame): Outcome {
    const target =
      isBroadcastMac(frame.dstMac) && frame.packet.proto === 'arp'
        ? this.index.withIp(frame.packet.dst).find((o) => o.link.kind === 'device' && o.ref.host !== le.ref.host)
        : this.index.withMac(frame.dstMac).find((o) => o.link.kind === 'device' && o.id !== le.id);
    if (!target) {
      return this.stop(le.netns, le, 'underlay', 'unknown', `${le.link.name} leads outside the collected hosts`);
    }
    if (!le.link.carrier) return this.stop(le.netns, le, 'underlay', 'dropped', `${le.link.name} has no carrier`);
    this.hop(
      le.netns,
      le,
      'underlay',
      'forwarded',
      'ok',
      `${le.link.name} → ${target.link.name} (${netnsPath(target.ref)}) over the physical network`,
    );
    return this.receive(target, frame);
  }

  /** The first tc filter in this direction that matches everything and redirects or mirrors. */
  private mirred(le: LinkEntry, direction: 'ingress' | 'egress'): ((frame: Frame) => Outcome) | undefined {
    for (const f of this.index.tcFiltersOf(le, direction)) {
      if (!f.matchesAll) continue;
      for (const action of f.actions) {
        if (action.kind !== 'mirred' || !('action' in action) || action.action !== 'redirect') continue;
        const target = this.index.linkByName(le.netns.ref, action.targetDev);
        return (frame: Frame) => {
          if (!target) {
            return this.stop(
              le.netns,
              le,
              'tc',
              'dropped',
              `${direction} filter on ${le.link.name} redirects to ${action.targetDev}, which does not exist`,
            );
          }
          this.hop(
            le.netns,
            le,
            'tc',
            'forwarded',
            'ok',
            `${direction} filter on ${le.link.name} redirects to ${target.link.name} (${action.direction})`,
          );
          return action.direction === 'egress' ? this.transmit(target, frame) : this.receive(target, frame);
        };
      }
    }
    return undefined;
  }

  /** A neighbor entry, or what ARP would answer when there is none. Records the hop. */
  private resolveNeighbor(out: LinkEntry, ip: string): string | undefined {
    const ns = out.netns;
    if (out.link.kind === 'loopback') return out.link.mac ?? '00:00:00:00:00:00';
    const entry = this.index.neighbor(ns, out.link.name, ip);
    const state = entry?.state.join(',') ?? '';
    if (entry?.mac && !/FAILED|INCOMPLETE/.test(state)) {
      this.hop(ns, out, 'neighbor', 'forwarded', 'ok', `${ip} is at ${entry.mac} (${state})`);
      return entry.mac;
    }
    if (parseIp(ip)?.family === 6) {
      this.verdictHint = 'unknown';
      this.hop(
        ns,
        out,
        'neighbor',
        'dropped',
        'unknown',
        `no neighbor entry for ${ip}; IPv6 neighbor discovery is not traced`,
      );
      return undefined;
    }
    const probe = new Walker(this.index, this.direction, true);
    const reply = probe.transmit(out, {
      srcMac: out.link.mac,
      dstMac: BROADCAST_MAC,
      packet: { src: undefined, dst: ip, proto: 'arp' },
    });
    if (reply.verdict === 'delivered' && reply.mac) {
      const was = entry ? `entry is ${state}` : 'no entry';
      this.hop(ns, out, 'neighbor', 'forwarded', 'ok', `${was} for ${ip}; ARP would resolve it to ${reply.mac}`);
      return reply.mac;
    }
    const why = entry ? `neighbor entry for ${ip} is ${state}` : `no neighbor entry for ${ip}`;
    this.verdictHint = reply.verdict === 'unknown' ? 'unknown' : 'dropped';
    this.hop(ns, out, 'neighbor', 'dropped', this.verdictHint, `${why} and ARP gets no answer`);
    return undefined;
  }

  private sourceFor(ns: NetnsEntry, out: LinkEntry, dst: string): string | undefined {
    const family = parseIp(dst)?.family === 6 ? 'inet6' : 'inet';
    const onDev = ns.ns.addresses.find(
      (a) => a.ifindex === out.link.ifindex && a.family === family && a.scope === 'global',
    );
    return (onDev ?? ns.ns.addresses.find((a) => a.family === family && a.scope === 'global'))?.address;
  }

  private delivered(ns: NetnsEntry, src: string | undefined, mac?: string): Outcome {
    return { verdict: 'delivered', ns, src, receiver: this.lastReceiver, ...(mac ? { mac } : {}) };
  }

  /** Records the hop where the walk stops, and stops. */
  private stop(
    ns: NetnsEntry,
    le: LinkEntry | undefined,
    component: Component,
    verdict: 'dropped' | 'unknown',
    reason: string,
    fix?: string,
  ): Outcome {
    this.hop(ns, le, component, 'dropped', verdict, reason, fix);
    return this.end(verdict);
  }

  private end(verdict: 'dropped' | 'unknown'): Outcome {
    return { verdict, receiver: this.lastReceiver };
  }

  private loop(le: LinkEntry): Outcome {
    return this.stop(le.netns, le, 'routing', 'unknown', `gave up after ${MAX_STEPS} steps: the path loops`);
  }

  private hop(
    ns: NetnsEntry,
    le: LinkEntry | undefined,
    component: Component,
    action: Hop['action'],
    verdict: Hop['verdict'],
    reason: string,
    fix?: string,
  ): void {
    if (this.silent) return;
    this.hops.push({
      direction: this.direction,
      host: ns.ref.host,
      netns: ns.ns.name,
      interface: le?.link.name ?? null,
      element: le?.id ?? netnsId(ns.ref),
      component,
      action,
      verdict,
      reason,
      ...(fix ? { fix } : {}),
    });
  }
}

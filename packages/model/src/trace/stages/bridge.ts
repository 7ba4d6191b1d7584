import { isBroadcastMac, isMulticastMac, sameMac } from '../../net/ip.ts';
import type { FdbEntry } from '../../schema/inventory.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { sizeOf, VLAN_HLEN, type Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { arpUnanswered } from './arpUnanswered.ts';
import { bridgeHook, callsIpHooks, frameStopped } from './brNetfilter.ts';
import { egressRefusal, vlanEgress, vlanEgressAllowed, vlanFdbPort, vlanFiltering, vlanIngress } from './bridgeVlan.ts';
import { deliverUp } from './deliverUp.ts';
import { vlanRx } from './vlan.ts';
import { bridgedNat } from './nat.ts';

/**
 * A frame arrives on a bridge port (`br_handle_frame`): the bridge's PREROUTING hook (with
 * br_netfilter, the IP one too), then for the bridge itself (its or a port's MAC) past its INPUT
 * hook up the bridge's stack, a broadcast or multicast both up (an ARP request or a neighbour
 * solicitation the bridge's namespace answers) and out of every other port, anything else switched.
 */
export function bridgeIn(w: Walk, bridge: LinkEntry, port: LinkEntry, arrived: Frame): Outcome {
  if (!w.silent)
    w.hop({
      ns: port.netns,
      link: port,
      component: 'bridge',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${port.link.name} is a port of ${bridge.link.name}`,
    });
  if (!bridge.link.adminUp) {
    return w.stop({
      ns: bridge.netns,
      link: bridge,
      component: 'bridge',
      verdict: 'dropped',
      reason: `${bridge.link.name} is administratively down`,
    });
  }
  const state = portState(port);
  if (state !== 'forwarding') {
    return w.stop({
      ns: port.netns,
      link: port,
      component: 'bridge',
      verdict: 'dropped',
      reason: `${port.link.name} is in STP state ${state}: ${bridge.link.name} takes no frames from it`,
      dropReason: 'BRIDGE_INGRESS_STP_STATE',
    });
  }
  const pre = bridgeHook(w, bridge, 'prerouting', arrived, { in: port }, true);
  if (frameStopped(pre)) return pre;
  // br_handle_frame_finish: a VLAN-filtering bridge puts the frame in its VLAN, or drops it.
  const frame = vlanIngress(w, bridge, port, pre);
  if (frameStopped(frame)) return frame;
  learn(w, bridge, port, frame);
  // br_netfilter ran the IP PREROUTING hook: the bridge's own stack must not run it again.
  const prerouted = frame.packet.kind === 'ip' && callsIpHooks(bridge, frame.packet);
  const dst = frame.dstMac;
  const local = localTo(w, bridge, dst);
  const rerouted = !local && dnatedInBridge(w, bridge, arrived, frame);
  if (rerouted) return rerouted;
  if (local) {
    if (!vlanEgressAllowed(bridge, bridge, frame)) return selfRefuses(w, bridge, frame);
    w.lastReceiver = bridge;
    if (!w.silent)
      w.hop({
        ns: bridge.netns,
        link: bridge,
        component: 'l2-receive',
        action: 'forwarded',
        verdict: 'ok',
        reason: `${bridge.link.name} accepts the frame for ${dst}${local === 'bridge' ? '' : `, the address of its port ${local}: local to the bridge`}`,
      });
    const input = bridgeHook(w, bridge, 'input', frame, { in: port }, false);
    if (frameStopped(input)) return input;
    return passUp(w, bridge, input, prerouted);
  }
  const flooded =
    isBroadcastMac(dst) || (isMulticastMac(dst) && frame.packet.kind === 'ip' && frame.packet.l4.proto === 'nd');
  if (flooded && vlanEgressAllowed(bridge, bridge, frame)) {
    const before = w.lastReceiver;
    w.lastReceiver = bridge;
    const input = bridgeHook(w.probe(), bridge, 'input', frame, { in: port }, false);
    const self = frameStopped(input) ? input : passUp(w, bridge, input, prerouted);
    w.lastReceiver = before;
    if (self.verdict === 'delivered') return self;
  }
  return bridgeForward(w, bridge, port, frame, prerouted);
}

/**
 * `br_pass_frame_up`: the frame goes up the bridge's own stack, its tag taken off where the bridge's
 * own port has its VLAN untagged; still tagged, only a vlan device on the bridge takes it.
 */
function passUp(w: Walk, bridge: LinkEntry, frame: Frame, prerouted: boolean): Outcome {
  const up = vlanEgress(bridge, bridge, frame);
  return (vlanFiltering(bridge) ? vlanRx(w, bridge, up) : undefined) ?? deliverUp(w, bridge, up, prerouted);
}

/** A frame for the bridge's own stack in a VLAN its own port lacks (`br_pass_frame_up` frees it). */
function selfRefuses(w: Walk, bridge: LinkEntry, frame: Frame): Outcome {
  const { reason, fix } = egressRefusal(bridge, bridge, frame);
  return w.stop({
    ns: bridge.netns,
    link: bridge,
    component: 'bridge',
    verdict: 'dropped',
    reason: `the frame for ${frame.dstMac} is in VLAN ${frame.vlan}, and ${reason}: it never reaches the bridge's stack`,
    fix,
    dropReason: 'NOT_SPECIFIED',
  });
}

/**
 * Is a MAC the bridge's own? The bridge keeps a permanent local fdb entry for its own address and
 * for every port's (`br_fdb_add_local`), and passes frames for any of them up to its stack. It
 * matters: a bridge whose address was not set takes its lowest port's, so it changes as ports come
 * and go, and neighbours that learnt the old one still reach it. Returns 'bridge', the port whose
 * address it is, or undefined.
 */
function localTo(w: Walk, bridge: LinkEntry, mac: string): string | undefined {
  const fdb = bridge.netns.ns.fdb ?? [];
  const mine = (e: FdbEntry): boolean => e.master === bridge.link.name && sameMac(e.mac, mac);
  // `bridge fdb replace MAC dev PORT master static` turns the bridge's own entry into a port's: the
  // local flag is cleared (fdb_add_entry) and frames for it are forwarded to PORT. Seen only where
  // the fdb was collected and the bridge keeps one table (VLAN filtering keeps an entry per VLAN).
  if (!vlanFiltering(bridge) && fdb.some((e) => mine(e) && e.state !== 'permanent' && e.vlan === undefined)) {
    if (!fdb.some((e) => mine(e) && e.state === 'permanent' && e.vlan === undefined)) return undefined;
  }
  if (sameMac(mac, bridge.link.mac)) return 'bridge';
  for (const p of w.index.portsOf(bridge)) if (sameMac(mac, p.link.mac)) return p.link.name;
  return localEntry(bridge, mac)?.dev;
}

/** The bridge's permanent (local) fdb entry for a MAC, where the fdb was collected and has one. */
const localEntry = (bridge: LinkEntry, mac: string): FdbEntry | undefined =>
  (bridge.netns.ns.fdb ?? []).find(
    (e) => e.master === bridge.link.name && e.state === 'permanent' && sameMac(e.mac, mac),
  );

/**
 * The port a local address of the bridge belongs to: its local fdb entry points there, so what the
 * bridge's own stack sends to it leaves by that port. A bridge that took a port's address shares
 * that port's entry. Undefined for the bridge device's own entry, which leads to no port.
 */
function ownPortOf(w: Walk, bridge: LinkEntry, mac: string): LinkEntry | undefined {
  const entry = localEntry(bridge, mac);
  if (entry) {
    const port = bridge.netns.linksByName.get(entry.dev);
    return port && port !== bridge && port.link.masterIfindex === bridge.link.ifindex ? port : undefined;
  }
  return w.index.portsOf(bridge).find((p) => sameMac(mac, p.link.mac));
}

/** The VLAN a bridge keeps a frame's fdb entry in: its VLAN where the bridge filters, else 0. */
const fdbVlan = (bridge: LinkEntry, frame: Frame): number | undefined =>
  vlanFiltering(bridge) ? frame.vlan : undefined;

/**
 * `br_fdb_update`: a frame in by a learning port teaches the bridge its source MAC (moving an entry
 * that had it elsewhere; see LearntFdb). The bridge's own addresses are never learnt.
 */
function learn(w: Walk, bridge: LinkEntry, port: LinkEntry, frame: Frame): void {
  const fdb = w.run.fdb;
  const mac = frame.srcMac;
  if (!fdb || !mac || !flagsOf(port).learning || isMulticastMac(mac) || localTo(w, bridge, mac)) return;
  fdb.learn({ bridge, vlan: fdbVlan(bridge, frame), mac, port });
}

/** Why a frame follows what this trace taught the bridge, where the collected fdb says otherwise. */
function learntNote(w: Walk, bridge: LinkEntry, mac: string, port: LinkEntry): string {
  const collected = w.index.bridgePortFor(bridge, mac);
  if (collected === port) return '';
  const was = collected ? `; the collected fdb had it behind ${collected.link.name}` : '';
  return ` (learnt from a frame of this trace that came in by ${port.link.name}${was})`;
}

type PortFlags = NonNullable<Extract<NonNullable<LinkEntry['link']['slave']>, { kind: 'bridge' }>['flags']>;
/** The kernel's defaults for a new port. */
const DEFAULT_FLAGS: PortFlags = { learning: true, flood: true, mcastFlood: true, bcastFlood: true, isolated: false };
/** A port's flags: the kernel's defaults where they were not collected (snapshots before they were). */
const flagsOf = (port: LinkEntry): PortFlags =>
  (port.link.slave?.kind === 'bridge' ? port.link.slave.flags : undefined) ?? DEFAULT_FLAGS;
/** `br_skb_isolated`: a frame that came in by an isolated port never leaves by another one. */
const isolated = (ingress: LinkEntry | undefined, out: LinkEntry): boolean =>
  ingress !== undefined && flagsOf(ingress).isolated && flagsOf(out).isolated;

/**
 * A MAC the tracer places behind a port by who is there, not by an fdb entry: the bridge learns it
 * from the owner's first frame (the ARP answer) unless the port learns nothing, and then only a
 * flood reaches the port — which a port with flood off does not take.
 */
function unreachedByFlood(bridge: LinkEntry, port: LinkEntry, mac: string): boolean | 'untold' {
  const f = flagsOf(port);
  if (f.learning || f.flood) return false;
  // Only an fdb entry leads there: without the fdb (not collected), whether one does is not known.
  const fdb = bridge.netns.ns.fdb;
  if (fdb === undefined) return 'untold';
  return !fdb.some((e) => e.master === bridge.link.name && e.dev === port.link.name && sameMac(e.mac, mac));
}

/** A port's STP state: forwarding unless collected otherwise (snapshots before it was collected). */
const portState = (port: LinkEntry): string =>
  port.link.slave?.kind === 'bridge' ? port.link.slave.state : 'forwarding';
/** Hairpin mode: the bridge may send a frame back out of the port it came in by (not collected: see bridgeForward). */
const hairpin = (port: LinkEntry): boolean => port.link.slave?.kind === 'bridge' && port.link.slave.hairpin;

/**
 * Switches a frame out of the bridge's port that leads to its destination MAC (`br_forward`): the
 * port the fdb names, or the one behind which flooding finds the owner. Broadcasts flood every other
 * port. Only a forwarding port sends, and the port a frame came in by only in hairpin mode
 * (`should_deliver`); a port takes frames up to its MTU plus a VLAN header. A bridged frame meets
 * the FORWARD and POSTROUTING hooks (with br_netfilter, the IP ones too); one the bridge's own stack
 * sends, OUTPUT and POSTROUTING.
 */
export function bridgeForward(
  w: Walk,
  bridge: LinkEntry,
  ingress: LinkEntry | undefined,
  sent: Frame,
  prerouted = false,
): Outcome {
  // br_dev_xmit: what the bridge's own stack sends enters by its own port, VLAN filter and all.
  const frame = ingress ? sent : vlanIngress(w, bridge, bridge, sent);
  if (frameStopped(frame)) return frame;
  const dst = frame.dstMac;
  const delivers = (p: LinkEntry): boolean =>
    (p !== ingress || hairpin(p)) &&
    portState(p) === 'forwarding' &&
    !isolated(ingress, p) &&
    vlanEgressAllowed(bridge, p, frame);
  if (isBroadcastMac(dst) || isMulticastMac(dst)) {
    const floods = isBroadcastMac(dst) ? 'bcastFlood' : 'mcastFlood';
    let unknown = false;
    for (const p of floodOrder(w, bridge, frame)) {
      // A port with bcast_flood/mcast_flood off takes no such flood, but what the bridge itself sends.
      if (!delivers(p) || (ingress !== undefined && !flagsOf(p)[floods])) continue;
      const r = w.copy(() => toPort(w, bridge, ingress, p, frame, prerouted));
      if (r.verdict === 'delivered') return r;
      unknown ||= r.verdict === 'unknown';
    }
    // Nobody took the flood; if a copy met what hoplens cannot evaluate, that one might have.
    return w.end(unknown ? 'unknown' : 'dropped');
  }
  const nat = bridgedNat(w, bridge, frame);
  if (nat) return nat;
  if (!ingress && localTo(w, bridge, dst) && !ownPortOf(w, bridge, dst))
    return w.stop({
      ns: bridge.netns,
      link: bridge,
      component: 'bridge',
      verdict: 'dropped',
      reason: `${bridge.link.name}'s own stack sends a frame for ${dst}, the bridge's own address: its local fdb entry leads to no port (br_dev_xmit), so the frame is dropped — a device behind the bridge that took this MAC as its own never gets it`,
    });
  const learnt = w.run.fdb?.portFor(bridge, dst, fdbVlan(bridge, frame));
  const behind =
    learnt ??
    ((frame.vlan !== undefined && vlanFdbPort(bridge, dst, frame.vlan)) || w.index.bridgePortFor(bridge, dst));
  // A port that learns nothing and takes no unicast flood is reached by an fdb entry only.
  const reach = behind ? unreachedByFlood(bridge, behind, dst) : false;
  if (behind && reach === 'untold')
    return w.stop({
      ns: bridge.netns,
      link: behind,
      component: 'bridge',
      verdict: 'unknown',
      reason: `${dst} is behind ${behind.link.name}, which neither learns nor takes unicast floods: only an fdb entry leads there, and the fdb of ${bridge.link.name} was not collected`,
    });
  const unreached = reach === true ? behind : undefined;
  // The fdb is per VLAN: a MAC behind a port without the frame's VLAN is not found in it.
  const otherVlan = behind && !vlanEgressAllowed(bridge, behind, frame) ? behind : undefined;
  const port = unreached || otherVlan ? undefined : behind;
  const stop = (reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: bridge.netns, link: port ?? bridge, component: 'bridge', verdict: 'dropped', reason, dropReason });
  if (!port) {
    const reached = floodUnknown(w, bridge, ingress, frame, prerouted, delivers);
    if (reached) return reached;
    // Flooded: every other port's device refuses a frame for another MAC; with none, the bridge drops it.
    const flooded = w.index.portsOf(bridge).some((p) => delivers(p) && flagsOf(p).flood);
    const note = otherVlan
      ? ` in VLAN ${frame.vlan} (it is behind ${otherVlan.link.name}, and ${egressRefusal(bridge, otherVlan, frame).reason})`
      : unreached
        ? ` (it is behind ${unreached.link.name}, which neither learns nor takes unicast floods, and no fdb entry leads there)`
        : '';
    const why = `no port of ${bridge.link.name} leads to ${dst}${note}: the frame is flooded and nobody takes it`;
    // Without the fdb, a local entry (the bridge's own stack takes a frame that came in by a port)
    // or a static one (to a port that takes no flood) may name this MAC: the drop cannot be told.
    if (bridge.netns.ns.fdb === undefined) {
      return w.stop({
        ns: bridge.netns,
        link: bridge,
        component: 'bridge',
        verdict: 'unknown',
        // What the bridge's own stack sends (no ingress) is freed at a local entry (br_forward of no port).
        reason: `no port of ${bridge.link.name} is known to lead to ${dst}${note}, and the fdb of ${bridge.link.name} was not collected: ${ingress ? `an entry for ${dst} (local, or static on a port) would take the frame` : `a static entry for ${dst} on a port would send the frame there`}; none: it would be flooded and dropped`,
      });
    }
    if (otherVlan) {
      return w.stop({
        ns: bridge.netns,
        link: otherVlan,
        component: 'bridge',
        verdict: 'dropped',
        reason: why,
        fix: egressRefusal(bridge, otherVlan, frame).fix,
        dropReason: flooded ? 'OTHERHOST' : 'NO_TX_TARGET',
      });
    }
    return stop(why, flooded ? 'OTHERHOST' : 'NO_TX_TARGET');
  }
  if (port === ingress && !hairpin(port)) {
    // Kubelet and bridge CNIs turn hairpin on: where the port's settings were not collected, its
    // mode decides and is not known.
    if (port.link.slave?.kind !== 'bridge')
      return w.stop({
        ns: bridge.netns,
        link: port,
        component: 'bridge',
        verdict: 'unknown',
        reason: `${dst} is behind ${port.link.name}, the port the frame came in by, whose hairpin mode was not collected: on, the frame goes back out by it; off, ${bridge.link.name} would drop it`,
      });
    return stop(`${dst} is behind ${port.link.name}, the port the frame came in by, and hairpin is off on it`);
  }
  if (isolated(ingress, port)) {
    const why = `${dst} is behind ${port.link.name}, and it and ${ingress!.link.name}, where the frame came in, are both isolated ports: ${bridge.link.name} never passes frames between them`;
    return stop(why, 'NO_TX_TARGET');
  }
  if (portState(port) !== 'forwarding') {
    return stop(`${dst} is behind ${port.link.name}, which is in STP state ${portState(port)}: nothing leaves by it`);
  }
  const out = port;
  const size = sizeOf(frame.packet);
  if (size > out.link.mtu + VLAN_HLEN) {
    return w.stop({
      ns: bridge.netns,
      link: out,
      component: 'bridge',
      verdict: 'dropped',
      reason: `a ${size}-byte packet exceeds the MTU ${out.link.mtu} of port ${out.link.name}: ${bridge.link.name} drops it`,
    });
  }
  if (!w.silent)
    w.hop({
      ns: bridge.netns,
      link: bridge,
      component: 'bridge',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${bridge.link.name} switches ${dst} to ${out.link.name}${learnt ? learntNote(w, bridge, dst, learnt) : ''}`,
    });
  return toPort(w, bridge, ingress, out, frame, prerouted);
}

/**
 * A unicast frame for a MAC no fdb entry or port holds is flooded (`br_flood`, BR_PKT_UNICAST) out
 * of every port that may send it: a VXLAN port carries it to its remote, an uplink to the next
 * switch, where its owner may take it (a bridge stretched by a tunnel, before the fdb learnt the MAC
 * or after it aged out). Each copy is walked silently until one is delivered, and that copy is
 * then walked for its hops; where a copy cannot be told, neither can the flood. Undefined where
 * every copy is refused (the caller says why).
 */
function floodUnknown(
  w: Walk,
  bridge: LinkEntry,
  ingress: LinkEntry | undefined,
  frame: Frame,
  prerouted: boolean,
  delivers: (p: LinkEntry) => boolean,
): Outcome | undefined {
  let unknown = false;
  for (const p of w.index.portsOf(bridge)) {
    if (!delivers(p) || !flagsOf(p).flood) continue;
    const probe = w.silent ? w : w.probe();
    const r = probe.copy(() => toPort(probe, bridge, ingress, p, frame, prerouted));
    if (r.verdict === 'delivered') {
      if (w.silent) return r;
      w.hop({
        ns: bridge.netns,
        link: bridge,
        component: 'bridge',
        action: 'forwarded',
        verdict: 'ok',
        reason: `${bridge.link.name} has no fdb entry for ${frame.dstMac}: it floods the frame, and the copy out of ${p.link.name} reaches its owner`,
      });
      return w.copy(() => toPort(w, bridge, ingress, p, frame, prerouted));
    }
    unknown ||= r.verdict === 'unknown';
  }
  if (!unknown) return undefined;
  return w.stop({
    ns: bridge.netns,
    link: bridge,
    component: 'bridge',
    verdict: 'unknown',
    reason: `${bridge.link.name} has no fdb entry for ${frame.dstMac} and floods the frame: no copy is seen delivered, and where one goes cannot be told`,
  });
}

/**
 * The ports a flood goes out of, those whose veth peer's namespace holds the address an ARP
 * request or neighbour solicitation asks for first: every copy leaves at once in the kernel, and
 * following the one that can be answered first spares walking hundreds that cannot.
 */
function floodOrder(w: Walk, bridge: LinkEntry, frame: Frame): readonly LinkEntry[] {
  const ports = w.index.portsOf(bridge);
  const pkt = frame.packet;
  const target =
    pkt.kind === 'arp' ? pkt.dst : pkt.l4.proto === 'nd' && pkt.l4.type === 'solicit' ? pkt.l4.target : undefined;
  if (target === undefined || ports.length < 2) return ports;
  const holders = new Set(w.index.withIp(target).map((l) => l.netns));
  if (holders.size === 0) return ports;
  const holds = (p: LinkEntry): boolean => {
    const peer = p.link.peer && w.index.link(p.link.peer);
    return !!peer && holders.has(peer.netns);
  };
  return [...ports.filter(holds), ...ports.filter((p) => !holds(p))];
}

function toPort(
  w: Walk,
  bridge: LinkEntry,
  ingress: LinkEntry | undefined,
  out: LinkEntry,
  frame: Frame,
  prerouted: boolean,
): Outcome {
  // __br_forward: br_handle_vlan takes the tag off before the FORWARD hook, where the VLAN is untagged on `out`.
  const leaving = vlanEgress(bridge, out, frame);
  const first = bridgeHook(w, bridge, ingress ? 'forward' : 'output', leaving, { in: ingress, out }, prerouted);
  if (frameStopped(first)) return first;
  const post = bridgeHook(w, bridge, 'postrouting', first, { in: ingress, out }, prerouted);
  if (frameStopped(post)) return post;
  // A silent ARP flood's copy that nobody behind this port can answer ends here, unwalked.
  if (w.silent && arpUnanswered(w, out, post)) return w.end('dropped');
  return w.transmit(out, ingress ? { ...post, switched: true } : post);
}

/**
 * A frame bridged past the bridge's own MAC whose destination address br_netfilter's PREROUTING
 * hook rewrote (a DNAT): the kernel re-routes it (`br_nf_pre_routing_finish`): back out of the same
 * bridge, to the MAC the bridge's own neighbour entry for the new destination gives (resolving it
 * from the bridge if need be); elsewhere, up the bridge's stack. Not modelled: unknown, where
 * switching it by its old MAC would be a confident guess (a NOARP pod's own MAC, a static entry).
 */
function dnatedInBridge(w: Walk, bridge: LinkEntry, arrived: Frame, frame: Frame): Outcome | undefined {
  const before = arrived.packet;
  const after = frame.packet;
  if (before.kind !== 'ip' || after.kind !== 'ip' || before.dst === after.dst) return undefined;
  return w.stop({
    ns: bridge.netns,
    link: bridge,
    component: 'bridge',
    verdict: 'unknown',
    reason:
      `a NAT rule sent the frame for ${frame.dstMac} (not ${bridge.link.name}'s own) on to ${after.dst}: br_netfilter then ` +
      `re-routes it (br_nf_pre_routing_finish), out of ${bridge.link.name} again to the MAC its own neighbour entry for ` +
      `${after.dst} gives, or up its stack: hoplens does not trace that, so where it goes cannot be told`,
  });
}

import { isBroadcastMac, isMulticastMac, sameMac } from '../../net/ip.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { sizeOf, VLAN_HLEN, type Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { deliverUp } from './deliverUp.ts';

/**
 * A frame arrives on a bridge port (`br_handle_frame`): for the bridge itself (its MAC, or an ARP
 * request the bridge's namespace answers), or switched to another port.
 */
export function bridgeIn(w: Walk, bridge: LinkEntry, port: LinkEntry, frame: Frame): Outcome {
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
  const dst = frame.dstMac;
  const local = localTo(w, bridge, dst);
  if (local) {
    w.lastReceiver = bridge;
    w.hop({
      ns: bridge.netns,
      link: bridge,
      component: 'l2-receive',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${bridge.link.name} accepts the frame for ${dst}${local === 'bridge' ? '' : `, the address of its port ${local}: local to the bridge`}`,
    });
    return deliverUp(w, bridge, frame.packet);
  }
  if (isBroadcastMac(dst) && frame.packet.kind === 'arp') {
    const before = w.lastReceiver;
    w.lastReceiver = bridge;
    const self = deliverUp(w, bridge, frame.packet);
    w.lastReceiver = before;
    if (self.verdict === 'delivered') return self;
  }
  return bridgeForward(w, bridge, port, frame);
}

/**
 * Is a MAC the bridge's own? The bridge keeps a permanent local fdb entry for its own address and
 * for every port's (`br_fdb_add_local`), and passes frames for any of them up to its stack. It
 * matters: a bridge whose address was not set takes its lowest port's, so it changes as ports come
 * and go, and neighbours that learnt the old one still reach it. Returns 'bridge', the port whose
 * address it is, or undefined.
 */
function localTo(w: Walk, bridge: LinkEntry, mac: string): string | undefined {
  if (sameMac(mac, bridge.link.mac)) return 'bridge';
  for (const p of w.index.portsOf(bridge)) if (sameMac(mac, p.link.mac)) return p.link.name;
  const entry = (bridge.netns.ns.fdb ?? []).find(
    (e) => e.master === bridge.link.name && e.state === 'permanent' && sameMac(e.mac, mac),
  );
  return entry ? entry.dev : undefined;
}

/**
 * Switches a frame out of the bridge's port that leads to its destination MAC (`br_forward`): the
 * port the fdb names, or the one behind which flooding finds the owner. Broadcasts flood every other
 * port; a port takes frames up to its MTU plus a VLAN header.
 */
export function bridgeForward(w: Walk, bridge: LinkEntry, ingress: LinkEntry | undefined, frame: Frame): Outcome {
  const dst = frame.dstMac;
  if (isBroadcastMac(dst) || isMulticastMac(dst)) {
    for (const p of w.index.portsOf(bridge)) {
      if (p === ingress) continue;
      const r = w.transmit(p, frame);
      if (r.verdict === 'delivered') return r;
    }
    return w.end('dropped');
  }
  const port = w.index.bridgePortFor(bridge, dst);
  const out = port === ingress ? undefined : port;
  if (!out) {
    return w.stop({
      ns: bridge.netns,
      link: bridge,
      component: 'bridge',
      verdict: 'dropped',
      reason: `no port of ${bridge.link.name} leads to ${dst}: the frame is flooded and nobody takes it`,
    });
  }
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
  w.hop({
    ns: bridge.netns,
    link: bridge,
    component: 'bridge',
    action: 'forwarded',
    verdict: 'ok',
    reason: `${bridge.link.name} switches ${dst} to ${out.link.name}`,
  });
  return w.transmit(out, frame);
}

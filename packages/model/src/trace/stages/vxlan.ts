import { netnsPath } from '../../ids.ts';
import { usableRange } from '../../net/portRange.ts';
import { sameMac } from '../../net/ip.ts';
import type { FdbEntry } from '../../schema/inventory.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { unseenHosts, unseenWords } from '../../topology/unseenParts.ts';
import type { Outcome } from '../outcome.ts';
import { scrubbed, vxlanPacket, type Frame, type Udp } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { tunnelPmtu } from './tunnelPmtu.ts';

/**
 * A VXLAN device sends a frame (`vxlan_xmit`): to the remote of its forwarding entry for the
 * destination MAC (learnt or static), else its default remote, as UDP from the socket's namespace —
 * where the device was created, not where it sits now — unless, as a bridge port, it refuses a
 * switched frame too big for the path (see tunnelPmtu).
 */
export function encapsulate(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const vx = le.link.vxlan;
  const fdb = vxlanFdb(le, frame.dstMac);
  const remote = fdb?.dst ?? vx?.remote;
  const stop = (reason: string): Outcome =>
    w.stop({ ns: le.netns, link: le, component: 'vxlan-encap', verdict: 'unknown', reason });
  if (!vx)
    return stop(`the VXLAN settings of ${le.link.name} were not collected: where it sends the frame cannot be told`);
  if (!remote)
    return stop(
      `${le.link.name} has no remote and no forwarding entry for ${frame.dstMac} in this snapshot — with none, the kernel would drop the frame (VXLAN_NO_REMOTE); an entry made since would send it on`,
    );
  const vni = fdb?.vni ?? vx.vni;
  const socketNs = vx.socketNetns && w.index.netns(vx.socketNetns);
  if (!socketNs)
    return stop(
      `the socket namespace of ${le.link.name} was not collected: where the encapsulated packet goes cannot be told`,
    );
  const tooBig = tunnelPmtu(w, le, frame, socketNs, remote);
  if (tooBig) return tooBig;
  const learnt = fdb && fdb.dst !== vx.remote ? ` (forwarding entry for ${fdb.mac}, ${fdb.state})` : '';
  if (!w.silent)
    w.hop({
      ns: le.netns,
      link: le,
      component: 'vxlan-encap',
      action: 'forwarded',
      verdict: 'ok',
      reason: `VNI ${vni} to ${remote}:${vx.port}${learnt}, sent from the socket in ${netnsPath(socketNs.ref)}`,
    });
  // udp_flow_src_port: a hash of the inner flow picks a port of the device's `srcport` range, or
  // where it has none (low ≥ high), of the ip_local_port_range of the namespace it sits in.
  const own = vx.srcPorts && vx.srcPorts.low < vx.srcPorts.high ? vx.srcPorts : undefined;
  const srcPorts = usableRange(own ? { start: own.low, end: own.high } : le.netns.ns.sysctls?.localPortRange);
  return w.ipOutput(socketNs, vxlanPacket({ src: vx.local, dst: remote, port: vx.port, vni, inner: frame, srcPorts }));
}

/** The VXLAN fdb entry for a destination MAC, else the all-zeros (default) entry. */
function vxlanFdb(le: LinkEntry, mac: string): FdbEntry | undefined {
  const entries = (le.netns.ns.fdb ?? []).filter((e) => e.dev === le.link.name && e.dst !== undefined);
  if (entries.length === 0) return undefined;
  return entries.find((e) => sameMac(e.mac, mac)) ?? entries.find((e) => e.mac === '00:00:00:00:00:00');
}

/**
 * A UDP packet reaches a namespace's VXLAN socket (`vxlan_rcv`): the device listening on that port
 * with the packet's VNI takes the inner frame, which then arrives at it like any received frame.
 */
export function decapsulate(w: Walk, le: LinkEntry, port: number, payload: NonNullable<Udp['vxlan']>): Outcome {
  const ns = le.netns;
  const stop = (at: LinkEntry, reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: at.netns, link: at, component: 'vxlan-decap', verdict: 'dropped', reason, dropReason });
  // A VXLAN device in a namespace of this host that could not be read may own a socket here: what
  // is not found among the rest is unknown, not dropped.
  const absent = (reason: string, dropReason: string): Outcome => {
    const unseen = unseenHosts(w.index).get(ns.ref.host);
    if (!unseen) return stop(le, reason, dropReason);
    return w.stop({
      ns,
      link: le,
      component: 'vxlan-decap',
      verdict: 'unknown',
      reason: `${reason} among what was collected of ${unseenWords(unseen)}: a device in what is missing may take it`,
    });
  };
  const sockets = w.index.vxlanBySocket(ns.ref).filter((c) => c.link.vxlan?.port === port);
  if (sockets.length === 0) return absent(`no VXLAN socket listens on UDP ${port} here`, 'NO_SOCKET');
  const dev = sockets.find((c) => c.link.vxlan?.vni === payload.vni);
  if (!dev) {
    const vnis = sockets.map((c) => `${c.link.name}=${c.link.vxlan?.vni}`).join(', ');
    return absent(`VNI ${payload.vni} matches no device on UDP ${port} (${vnis})`, 'VXLAN_VNI_NOT_FOUND');
  }
  const inner = payload.inner;
  if (!dev.link.adminUp) return stop(dev, `${dev.link.name} is administratively down`);
  if (sameMac(inner.srcMac, dev.link.mac)) {
    return stop(dev, `inner source MAC ${inner.srcMac} is ${dev.link.name}'s own: dropped as a loop`, 'LOCAL_MAC');
  }
  if (!w.silent)
    w.hop({
      ns: dev.netns,
      link: dev,
      component: 'vxlan-decap',
      action: 'forwarded',
      verdict: 'ok',
      reason: `VNI ${payload.vni} on UDP ${port} belongs to ${dev.link.name} (${netnsPath(dev.ref)})`,
    });
  return w.receive(dev, scrubbed(inner));
}

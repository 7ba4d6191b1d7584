import { netnsPath } from '../../ids.ts';
import { isBroadcastMac, isMulticastMac, sameMac } from '../../net/ip.ts';
import { upperDevices } from '../../topology/upperDevices.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { scrubbed, type Frame } from '../packet.ts';
import { unseenHosts, unseenWords } from '../../topology/unseenParts.ts';
import type { Walk } from '../walk.ts';
import { localLoop } from './ipLocal.ts';
import { localOut } from './ipOutput.ts';
import { routeMtu, unknownText } from './route.ts';
import { UNTOLD_COPY } from './untoldCopy.ts';

const conf = (le: LinkEntry): { mode: string; flags: string } =>
  le.link.kindData?.kind === 'ipvlan'
    ? { mode: le.link.kindData.mode, flags: le.link.kindData.flags ?? 'bridge' }
    : { mode: 'l3', flags: 'bridge' };

/** Whether an ipvlan device sends without ARP (l3 and l3s: IFF_NOARP, its master resolves). */
export const ipvlanNoArp = (le: LinkEntry): boolean => le.link.kind === 'ipvlan' && conf(le).mode !== 'l2';

/** The address an ipvlan frame is for: an IP packet's destination, an ARP request's target. */
const target = (frame: Frame): string => frame.packet.dst;

/** A frame handed from one device to another, scrubbed where they are in different namespaces. */
const crossing = (from: LinkEntry, to: LinkEntry, frame: Frame): Frame =>
  from.netns === to.netns ? frame : scrubbed(frame);

/** An ipvlan device's mode: l2, l3 or l3s. */
export const ipvlanMode = (le: LinkEntry): string => conf(le).mode;

/**
 * The slave of `master` that holds `ip`, the way the port's address hash finds it: a slave that is
 * down has none there (`ipvlan_stop` takes them out), so the packet goes on as for nobody's.
 */
export function slaveWith(w: Walk, master: LinkEntry, ip: string): LinkEntry | undefined {
  return upperDevices(w.index, master).find(
    (u) => u.link.kind === 'ipvlan' && u.link.adminUp && w.index.addressesOf(u).includes(ip),
  );
}

/**
 * An ipvlan slave sends (`ipvlan_queue_xmit`, drivers/net/ipvlan): to a sibling's address it goes
 * straight to that sibling — or nowhere in private mode — unless in vepa mode; otherwise in l3/l3s
 * it is routed in the master's namespace out of the master (`ipvlan_process_outbound`), and in l2
 * it leaves by the master as a frame (a frame for the shared MAC that no slave holds goes up the
 * master's own stack). All slaves share the master's MAC. Modelled from the kernel source: the
 * lab's kernel has no ipvlan module.
 */
export function ipvlanXmit(w: Walk, le: LinkEntry, frame: Frame): Outcome {
  const master = le.link.parent && w.index.link(le.link.parent);
  const stop = (verdict: 'dropped' | 'unknown', reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: le.netns, link: le, component: 'ipvlan', verdict, reason, dropReason });
  if (!master)
    return stop(
      'unknown',
      `the master of ipvlan ${le.link.name} was not collected: where the packet goes cannot be told`,
    );
  const { mode, flags } = conf(le);
  const hop = (reason: string): void =>
    w.hop({
      ns: le.netns,
      link: le,
      component: 'ipvlan',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${mode} ${flags}: ${reason}`,
    });
  const multicast = isBroadcastMac(frame.dstMac) || isMulticastMac(frame.dstMac);
  const local = mode !== 'l2' || (!multicast && sameMac(frame.dstMac, frame.srcMac));
  if (local && flags !== 'vepa') {
    const sibling = slaveWith(w, master, target(frame));
    if (sibling && sibling !== le) {
      // private: ipvlan consumes it (no drop reason); else it is received by the sibling.
      if (flags === 'private')
        return stop(
          'dropped',
          `${target(frame)} is ipvlan ${sibling.link.name}'s, and private mode keeps slaves apart`,
        );
      hop(`${target(frame)} is ipvlan ${sibling.link.name} (${netnsPath(sibling.ref)})`);
      return w.receive(sibling, crossing(le, sibling, frame), true);
    }
  }
  if (mode === 'l2') {
    if (multicast) {
      hop(
        `a broadcast reaches the other slaves${flags === 'private' ? ' (not in private mode)' : ''}, then leaves by ${master.link.name}`,
      );
      // A copy to a slave that hoplens cannot follow might be the one answered: then no drop is certain.
      // ipvlan_skb_crossing_ns(skb, NULL): a multicast is scrubbed whoever receives it.
      const copy = scrubbed(frame);
      const others = upperDevices(w.index, master).filter((s) => s !== le && s.link.kind === 'ipvlan');
      const copies = flags === 'private' ? undefined : toSlaves(w, others, copy);
      if (copies !== undefined && copies !== UNTOLD_COPY) return copies;
      const out = w.transmit(master, copy);
      return copies === UNTOLD_COPY && out.verdict === 'dropped' ? w.end('unknown') : out;
    }
    if (local) {
      hop(`no slave holds ${target(frame)}: up the master's stack (${master.link.name})`);
      // dev_forward_skb into the master: scrubbed where the master is in another namespace.
      return w.receive(master, crossing(le, master, frame), true);
    }
    hop(`leaves by ${master.link.name}`);
    // skb->dev = phy_dev; dev_queue_xmit: nothing scrubbed.
    return w.transmit(master, frame);
  }
  // ipvlan_skb_crossing_ns: into the master's namespace without the mark or the conntrack entry.
  const pkt = crossing(le, master, frame).packet;
  if (pkt.kind !== 'ip') return w.end('dropped');
  const ns = master.netns;
  // The kernel routes it in the master's namespace and sends it with ip_local_out there: that
  // namespace's OUTPUT and POSTROUTING hooks (and, for its own address, the loop back in) apply.
  if (w.index.isLocal(ns, pkt.dst)) {
    hop(`${pkt.dst} is the master's namespace's own: sent there as its own packet`);
    return localLoop(w, ns, pkt);
  }
  const m = w.index.routes(ns).lookup(pkt.dst, { src: pkt.src });
  if (m?.kind === 'unknown')
    return stop('unknown', `l3 mode routes ${pkt.dst} in ${netnsPath(ns.ref)}: ${unknownText(m)}`);
  const r = m?.kind === 'route' ? m.route : undefined;
  if (!r || r.type !== 'unicast' || r.dev !== master.link.name) {
    return stop(
      'unknown',
      `l3 mode routes ${pkt.dst} in ${netnsPath(ns.ref)} out of ${master.link.name}, where its route ${r ? `leaves by ${r.dev ?? '?'}` : 'is missing'}`,
    );
  }
  hop(`routed in ${netnsPath(ns.ref)}: ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${master.link.name}`);
  return localOut(w, ns, pkt, {
    out: master,
    nexthop: r.gateway ?? pkt.dst,
    src: pkt.src,
    ...routeMtu(r),
  });
}

/**
 * A frame arrives at an ipvlan master (`ipvlan_handle_frame`): a unicast IP packet or ARP for a
 * slave's address goes to that slave (l2 and l3); l2 broadcasts from outside reach every slave and
 * the master. l3s passes every frame up the master's own stack (RX_HANDLER_PASS): ARP is the
 * master's to answer, and IP finds its slave after PREROUTING (ipvlanL3s.ts). Undefined where the
 * master keeps the frame, UNTOLD_COPY where it keeps a broadcast a slave's copy of which could not
 * be told.
 */
export function ipvlanRx(w: Walk, master: LinkEntry, frame: Frame): Outcome | typeof UNTOLD_COPY | undefined {
  const slaves = upperDevices(w.index, master).filter((u) => u.link.kind === 'ipvlan');
  if (slaves.length === 0) return undefined;
  const { mode } = conf(slaves[0]!);
  if (isBroadcastMac(frame.dstMac) || isMulticastMac(frame.dstMac)) {
    if (mode !== 'l2') return undefined;
    // ipvlan_multicast_enqueue's copies: ipvlan_skb_crossing_ns(nskb, NULL) scrubs each.
    return toSlaves(w, slaves, scrubbed(frame));
  }
  if (mode === 'l3s') return undefined;
  const dest = slaveWith(w, master, target(frame));
  if (!dest) return slaveUnseen(w, master, target(frame));
  masterHop(w, master, `${target(frame)} belongs to ipvlan ${dest.link.name} (${netnsPath(dest.ref)})`);
  // ipvlan_rcv_frame from the wire only sets skb->dev (RX_HANDLER_ANOTHER): nothing is scrubbed.
  return w.receive(dest, frame, true);
}

/**
 * Where no collected slave of `master` holds `address` but a namespace of its host could not be
 * read: a slave there may, so the walk stops unknown (`lead` names the mode where it matters).
 * Undefined where the host was read whole: then nobody holds it.
 */
export function slaveUnseen(w: Walk, master: LinkEntry, address: string, lead = ''): Outcome | undefined {
  const unseen = unseenHosts(w.index).get(master.netns.ref.host);
  if (!unseen) return undefined;
  return w.stop({
    ns: master.netns,
    link: master,
    component: 'ipvlan',
    verdict: 'unknown',
    reason: `${lead}no ipvlan slave of ${master.link.name} holds ${address} among what was collected of ${unseenWords(unseen)}: one in what is missing may`,
  });
}

/** The master hands a packet to one of its slaves: the hop that says so. */
export function masterHop(w: Walk, master: LinkEntry, reason: string): void {
  if (!w.silent)
    w.hop({ ns: master.netns, link: master, component: 'ipvlan', action: 'forwarded', verdict: 'ok', reason });
}

/**
 * A broadcast's copies to `slaves`: the delivery where one is delivered, UNTOLD_COPY where none is
 * but one cannot be told (it might be the one answered), else undefined (none took it).
 */
function toSlaves(w: Walk, slaves: readonly LinkEntry[], copy: Frame): Outcome | typeof UNTOLD_COPY | undefined {
  let unknown = false;
  for (const s of slaves) {
    const r = w.receive(s, copy, true);
    if (r.verdict === 'delivered') return r;
    unknown ||= r.verdict === 'unknown';
  }
  return unknown ? UNTOLD_COPY : undefined;
}

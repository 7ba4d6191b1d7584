import { parseIp } from '../../net/ip.ts';
import { ofprotoTraceCommand, ovsFlow, ovsQueryKey, type OvsQuery } from '../../ovs/ovsFlow.ts';
import { ovsVerdict } from '../../ovs/ovsOutcome.ts';
import type { TracedRule } from '../../ovs/parseOfprotoTrace.ts';
import type { HopOpenFlow } from '../../schema/trace.ts';
import { ovsTopology, type OvsPortEntry } from '../../topology/ovsPorts.ts';
import type { LinkEntry, SnapshotIndex } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { onLinkAddress } from '../deviceSubnets.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/** The OVS port a device is, where the snapshot has the host's switch. */
export const ovsPortOf = (index: SnapshotIndex, le: LinkEntry): OvsPortEntry | undefined =>
  ovsTopology(index).byLink.get(le);

/**
 * A device beside an ovs-netdev (the userspace datapath, whose ports show no master) of a host whose
 * Open vSwitch was not read whole (not at all, or some OVSDB rows not): it may be a port of it.
 */
export const mayBeUnreadOvsPort = (le: LinkEntry): boolean =>
  (le.netns.host.ovs === undefined || le.netns.host.ovs.unreadRows !== undefined) &&
  le.link.kind !== 'loopback' &&
  le.link.name !== OVS_NETDEV &&
  le.netns.linksByName.has(OVS_NETDEV);

/** What of the Open vSwitch of `le`'s host was not read, in words (see mayBeUnreadOvsPort). */
export function ovsUnreadWords(le: LinkEntry): string {
  const host = le.netns.ref.host;
  const unread = le.netns.host.ovs?.unreadRows;
  if (unread === undefined) return `this snapshot has no Open vSwitch of ${host} (not collected)`;
  const one = unread === 1;
  return `${unread} OVSDB row${one ? '' : 's'} of ${host} could not be read (the host's errors name ${one ? 'it' : 'them'})`;
}

/** The tap device Open vSwitch's userspace datapath (dpif-netdev) makes in its namespace. */
const OVS_NETDEV = 'ovs-netdev';

/**
 * A frame enters an Open vSwitch bridge at one of its ports: received by a system port (the
 * datapath's rx_handler, or its packet socket on the userspace datapath) or sent by the host out of
 * an internal one. What the switch does is never guessed: it is OVS's own `ofproto/trace` answer
 * for this exact packet, recorded at collection or asked live of the node's agent; without one the
 * hop is `unknown` and names the command that asks it. Datapath outputs continue the walk: out of
 * a system port's device, or into the host's stack at an internal one.
 */
export function ovsIn(w: Walk, at: LinkEntry, port: OvsPortEntry, frame: Frame): Outcome {
  const { sw, iface } = port;
  const name = sw.bridge.name;
  const stop = (verdict: 'dropped' | 'unknown', reason: string, openflow?: HopOpenFlow): Outcome =>
    w.stop({ ns: at.netns, link: sw.device ?? at, component: 'ovs', verdict, reason, openflow });
  if (iface.ofport === undefined) {
    const why = iface.error === undefined ? '' : ` (${iface.error})`;
    return stop('unknown', `${name} has no OpenFlow port for ${iface.name}${why}: what the switch does is not known`);
  }
  const pkt = frame.packet;
  const offloaded = unfilledChecksum(sw.bridge.datapathType, at, port, frame);
  if (offloaded) return stop('unknown', `${name}: ${offloaded}`);
  const arpSpa = pkt.kind === 'arp' && pkt.src === undefined ? senderAddress(w.index, frame) : undefined;
  const written = ovsFlow(iface.ofport, frame, arpSpa);
  if ('unknown' in written) return stop('unknown', `${name} cannot be asked about this packet: ${written.unknown}`);
  const { standIns = [], ...flow } = written;
  const q: OvsQuery = { host: sw.host.name, bridge: name, ...flow };
  const command = ofprotoTraceCommand(q, sw.ovs.control);
  const recorded = ovsTopology(w.index).answers.get(ovsQueryKey(q));
  const answer = recorded ?? w.ovsAnswers?.get(q);
  const asked = { bridge: name, flow: q.flow, ...(q.ctNext === undefined ? {} : { ctNext: q.ctNext }), command };
  w.hop({
    ns: at.netns,
    link: at,
    component: 'ovs',
    action: 'forwarded',
    verdict: 'ok',
    reason: `${iface.name} is OpenFlow port ${iface.ofport} of ${name}`,
  });
  if (!answer) {
    w.ovsAnswers?.miss(q);
    const failed = w.ovsAnswers?.failure(q);
    const why = failed === undefined ? 'no agent was asked' : `asking its agent failed: ${failed}`;
    return stop(
      'unknown',
      `no ofproto/trace answer for this packet on ${sw.host.name} (the snapshot recorded none; ${why}): run there ${command.join(' ')}`,
      { ...asked, answer: 'none', rules: [] },
    );
  }
  const v = ovsVerdict(answer.output, frame, standIns);
  const openflow: HopOpenFlow = {
    ...asked,
    answer: recorded ? 'recorded' : 'live',
    answeredAt: answer.answeredAt,
    rules: v.rules.map((r) => ({ ...r, actions: [...r.actions] })),
    datapathActions: v.datapathActions,
  };
  const o = v.outcome;
  switch (o.kind) {
    case 'unknown':
      return stop('unknown', `${name}: ${o.reason}`, openflow);
    case 'drop':
      return stop('dropped', `${name} drops it: ${o.by ? describeRule(o.by) : 'no rule forwards it'}`, openflow);
    case 'arp-reply': {
      if (sw.byDpPort.get(o.dpPort) !== port)
        return stop('unknown', `${name} answers ARP out of another port`, openflow);
      w.hop({
        ns: at.netns,
        link: sw.device ?? at,
        component: 'ovs',
        action: 'forwarded',
        verdict: 'ok',
        reason: `${name} answers the ARP request itself: ${pkt.kind === 'arp' ? pkt.dst : ''} is at ${o.mac}`,
        openflow,
      });
      return w.answeredInPlace(at.netns, pkt.src, o.mac);
    }
    case 'outputs':
      return outputs(w, at, port, o.outputs, openflow);
  }
}

/** Continues the walk out of each datapath port the switch sends the frame to; the first delivery wins. */
function outputs(
  w: Walk,
  at: LinkEntry,
  ingress: OvsPortEntry,
  outs: readonly { readonly dpPort: number; readonly frame: Frame }[],
  openflow: HopOpenFlow,
): Outcome {
  const { sw } = ingress;
  let unknown = false;
  for (const out of outs) {
    const port = sw.byDpPort.get(out.dpPort);
    const hop = (verdict: 'ok' | 'unknown', reason: string): void =>
      w.hop({
        ns: at.netns,
        link: sw.device ?? at,
        component: 'ovs',
        action: 'forwarded',
        verdict,
        reason,
        openflow,
      });
    if (!port?.link) {
      hop(
        'unknown',
        `${sw.bridge.name} sends it out of datapath port ${out.dpPort}, which leads to no collected device`,
      );
      unknown = true;
      continue;
    }
    const dev = port.link;
    hop('ok', `${sw.bridge.name} sends it out of ${dev.link.name}${rewrites(out.frame, openflow)}`);
    const r = port.internal ? w.receive(dev, out.frame) : w.transmit(dev, out.frame);
    if (r.verdict === 'delivered') return r;
    if (r.verdict === 'unknown') unknown = true;
  }
  return w.end(unknown ? 'unknown' : 'dropped');
}

function rewrites(frame: Frame, openflow: HopOpenFlow): string {
  return openflow.datapathActions?.includes('set(eth(') ? ` (now ${frame.srcMac ?? '?'} → ${frame.dstMac})` : '';
}

/** `table 0 priority 0 cookie 0x5ec0dead (in_port=…) → drop`, or the table without a rule. */
export function describeRule(r: TracedRule): string {
  if (r.miss) return `no rule of table ${r.table} matches it (the table's miss drops it)`;
  const cookie = r.cookie === undefined ? '' : ` cookie ${r.cookie}`;
  const match = r.match === '' ? 'any packet' : r.match;
  return `table ${r.table} priority ${r.priority ?? '?'}${cookie} (${match}) → ${r.actions.join(', ') || 'drop'}`;
}

/**
 * The address an ARP request is sent from, where the packet does not say (the tracer's neighbour
 * resolution): the sending interface's IPv4 address on the target's subnet — the one the kernel's
 * `inet_select_addr` takes.
 */
function senderAddress(index: SnapshotIndex, frame: Frame): string | undefined {
  const pkt = frame.packet;
  if (!frame.srcMac || !parseIp(pkt.dst)) return undefined;
  for (const owner of index.withMac(frame.srcMac)) {
    const onLink = onLinkAddress(owner, pkt.dst);
    if (onLink) return onLink.address;
  }
  return undefined;
}

/**
 * Why OVS's answer cannot be taken for a TCP or UDP packet entering a bridge of the userspace
 * datapath (`datapath_type=netdev`) from a veth, a tap or an internal port: the host's stack hands
 * such a device its segments with the checksum left to offload (CHECKSUM_PARTIAL), and ovs-vswitchd
 * reads them raw — unless it fills them in (its version, the port's offloads: neither collected),
 * the receiver drops them (TcpInCsumErrors, as the lab's ovn-seed shows), while ofproto/trace
 * answers for a good packet. Undefined where the answer stands: another datapath, another packet,
 * a port on a wire.
 */
function unfilledChecksum(datapath: string, at: LinkEntry, port: OvsPortEntry, frame: Frame): string | undefined {
  const pkt = frame.packet;
  if (datapath !== 'netdev' || pkt.kind !== 'ip' || (pkt.l4.proto !== 'tcp' && pkt.l4.proto !== 'udp'))
    return undefined;
  const kind = at.link.kind;
  if (kind !== 'veth' && kind !== 'tun' && !port.internal) return undefined;
  return (
    `on the userspace datapath a ${pkt.l4.proto.toUpperCase()} packet from ${at.link.name} (${port.internal ? 'an internal port' : kind}) ` +
    'may carry a checksum left to offload, which ovs-vswitchd passes on unfilled unless it fills it in (its version and ' +
    "the sending device's offload settings are not collected): whether the receiver takes it cannot be told"
  );
}

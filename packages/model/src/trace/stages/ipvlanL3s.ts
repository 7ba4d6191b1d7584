import { netnsPath } from '../../ids.ts';
import { firewallOf } from '../../netfilter/firewallOf.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { upperDevices } from '../../topology/upperDevices.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipFamily } from './ipLocal.ts';
import { ipvlanMode, masterHop, slaveWith } from './ipvlan.ts';
import { nfHook, stopped } from './netfilter.ts';

/**
 * The ipvlan slave in l3s mode that `le` (its master) hands this packet to, if any: in l3s the
 * master's rx_handler passes every frame up the master's own stack, and after the master
 * namespace's PREROUTING hook `l3mdev_ip_rcv` (`ipvlan_l3_rcv`) looks the slave up by the
 * destination PREROUTING left — so a reply whose masquerade conntrack undid there reaches its pod,
 * and a DNAT there sends a packet on to another address. Neighbour discovery is left to the master.
 */
export function l3sSlave(w: Walk, le: LinkEntry, pkt: IpPacket): LinkEntry | undefined {
  const uppers = upperDevices(w.index, le);
  if (uppers.length === 0 || pkt.l4.proto === 'nd') return undefined;
  const first = uppers.find((u) => u.link.kind === 'ipvlan');
  return first && ipvlanMode(first) === 'l3s' ? slaveWith(w, le, pkt.dst) : undefined;
}

/**
 * The rest of an l3s packet's way in, from the routing decision `ipvlan_l3_rcv` makes by the slave:
 * the master namespace's INPUT hook sees it with the master as its device, and `ipvlan_nf_input`
 * (INPUT, last priority) hands it to the slave, which delivers it (nothing is scrubbed: only
 * skb->dev changes). The slave's own tc ingress, netdev and IP hooks never run; the walk goes on
 * through the slave's whole receive, so where any of them holds something (or its conntrack would
 * rewrite the packet) what happens cannot be told.
 */
export function l3sReceive(w: Walk, master: LinkEntry, slave: LinkEntry, pkt: IpPacket, frame?: Frame): Outcome {
  const family = ipFamily(pkt);
  const input = nfHook(w, master.netns, family, 'input', pkt, { iif: master, frame });
  if (stopped(input)) return input;
  const where = `ipvlan ${slave.link.name} (${netnsPath(slave.ref)})`;
  const why = slaveSide(w, slave, input, family);
  if (why !== undefined)
    return w.stop({
      ns: master.netns,
      link: master,
      component: 'ipvlan',
      verdict: 'unknown',
      reason:
        `l3s mode: ${input.dst} is handed to ${where} after ${netnsPath(master.netns.ref)}'s INPUT hook ` +
        `(ipvlan_nf_input), and the slave's own hooks and filters never run; hoplens walks the slave's ` +
        `whole receive instead, and that differs here: ${why}`,
    });
  masterHop(
    w,
    master,
    `l3s mode: ${input.dst} belongs to ${where}: routed by it after PREROUTING (ipvlan_l3_rcv), handed to it after INPUT (ipvlan_nf_input)`,
  );
  const handed: Frame = frame
    ? { ...frame, packet: input }
    : { srcMac: null, dstMac: slave.link.mac ?? '', packet: input };
  return w.receive(slave, handed, true);
}

/** What on the slave's side could tell its skipped hooks from the walk of its whole receive. */
function slaveSide(w: Walk, slave: LinkEntry, pkt: IpPacket, family: 'ipv4' | 'ipv6'): string | undefined {
  const fw = firewallOf(w.index, slave.netns);
  if (!fw) return 'its firewall was not collected';
  const gap = fw.gaps[0];
  if (gap) return `its firewall could not all be read (${gap.what}: ${gap.reason})`;
  const hook = (['prerouting', 'input'] as const).find((h) => fw.chainsAt(family, h).length > 0);
  if (hook) return `it has chains at ${hook.toUpperCase()}`;
  if (fw.chainsAt('netdev', 'ingress', slave.link.name).length > 0)
    return `${slave.link.name} has netdev ingress chains`;
  if (w.index.tcFiltersOf(slave, 'ingress').length > 0) return `${slave.link.name} has tc ingress filters`;
  if (w.conntrack.rewritesReply(slave.netns, pkt))
    return "its conntrack would rewrite the packet (a NAT of the pod's own)";
  return undefined;
}

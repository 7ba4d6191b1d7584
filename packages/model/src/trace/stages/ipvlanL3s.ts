import { netnsPath } from '../../ids.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { upperDevices } from '../../topology/upperDevices.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { ipFamily } from './ipLocal.ts';
import { deliverLocal } from './ipReceive.ts';
import { ipvlanMode, masterHop, slaveUnseen, slaveWith } from './ipvlan.ts';
import { martian } from './martian.ts';
import { nfHook, stopped } from './netfilter.ts';
import { validateSource } from './validateSource.ts';

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
 * Where an l3s master has no collected slave for the packet's address, but its host lacks
 * namespaces that failed: a slave there may hold it, so how the packet goes on cannot be told.
 */
export function l3sSlaveUnseen(w: Walk, le: LinkEntry, pkt: IpPacket): Outcome | undefined {
  if (pkt.l4.proto === 'nd' || w.index.isLocal(le.netns, pkt.dst)) return undefined;
  const first = upperDevices(w.index, le).find((u) => u.link.kind === 'ipvlan');
  if (!first || ipvlanMode(first) !== 'l3s') return undefined;
  return slaveUnseen(w, le, pkt.dst, 'l3s mode: ');
}

/**
 * The rest of an l3s packet's way in (ipvlan_l3s.c). `ipvlan_l3_rcv` routes it by the slave, in
 * the slave's namespace (martians, the reverse-path check); the master namespace's INPUT hook sees
 * it with the master as its device; `ipvlan_nf_input` (INPUT, last priority) hands it to the
 * slave, and the slave's namespace's stack delivers it. The slave's tc ingress, netdev and IP hooks
 * and its conntrack never see it: its own reply is the first packet of that connection there.
 */
export function l3sReceive(w: Walk, master: LinkEntry, slave: LinkEntry, pkt: IpPacket, frame?: Frame): Outcome {
  const where = `ipvlan ${slave.link.name} (${netnsPath(slave.ref)})`;
  // Where the slave's routing refuses it, ipvlan_l3_rcv leaves it unrouted and the master's
  // namespace routes it as any other packet: a way the walk does not take. Asked silently.
  const asked = w.probe();
  const refused = martian(asked, slave, pkt) ?? validateSource(asked, slave, pkt);
  if (refused) {
    const why = asked.lastStop?.reason ?? 'refused';
    return w.stop({
      ns: master.netns,
      link: master,
      component: 'ipvlan',
      verdict: 'unknown',
      reason:
        `l3s mode: ${pkt.dst} is ${where}'s, and ` +
        (refused.verdict === 'unknown'
          ? `whether the slave's routing takes the packet cannot be told (${why})`
          : `the slave's routing would not take the packet (${why})`) +
        `; where it does not, the kernel routes it in ${netnsPath(master.netns.ref)} as its own, which hoplens does not follow`,
    });
  }
  const input = nfHook(w, master.netns, ipFamily(pkt), 'input', pkt, { iif: master, frame });
  if (stopped(input)) return input;
  masterHop(
    w,
    master,
    `l3s mode: ${input.dst} belongs to ${where}: routed by it after PREROUTING (ipvlan_l3_rcv), ` +
      `handed to it after INPUT (ipvlan_nf_input); its own hooks never see it`,
  );
  w.lastReceiver = slave;
  return deliverLocal(w, slave, input);
}

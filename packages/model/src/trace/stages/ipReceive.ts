import { unusableWhy } from '../../net/usableAddress.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { conntrackFull } from './conntrack.ts';
import { ipForward } from './ipForward.ts';
import { deliverToStack, ipFamily } from './ipLocal.ts';
import { ipv6Receive } from './ipv6Receive.ts';
import { l3sReceive, l3sSlave, l3sSlaveUnseen } from './ipvlanL3s.ts';
import { martian } from './martian.ts';
import { ndReceive } from './ndReceive.ts';
import { nfHook, stopped } from './netfilter.ts';
import { validateSource } from './validateSource.ts';
import { decapsulate } from './vxlan.ts';

/**
 * An IP packet received by a namespace (`ip_rcv` / `ipv6_rcv` and the input routing decision): a
 * device with IPv6 disabled drops IPv6; a full conntrack table may drop a new connection at
 * PREROUTING (unknown: see conntrack.ts); then the PREROUTING hook; a packet an l3s ipvlan master
 * holds for a slave goes to it (ipvlanL3s.ts); IPv4 martians are dropped;
 * neighbour discovery goes to ndisc; a packet for another address is forwarded; one for a local
 * address passes the source check (reverse-path filter, local source) and the INPUT hook, and is
 * delivered to its socket — a VXLAN device's for a tunnel packet, else the local stack, where an
 * ICMP echo request may be ignored and a TCP SYN or UDP datagram finds its listener or is refused.
 */
export function ipReceive(
  w: Walk,
  le: LinkEntry,
  pkt: IpPacket,
  opts: { frame?: Frame; prerouted?: boolean } = {},
): Outcome {
  const ns = le.netns;
  const early = (pkt.dst.includes(':') ? ipv6Receive(w, le) : undefined) ?? conntrackFull(w, ns, pkt);
  if (early) return early;
  const family = ipFamily(pkt);
  let p = pkt;
  // br_netfilter ran PREROUTING on the bridge already; ip_sabotage_in keeps it from running twice.
  if (!opts.prerouted) {
    const pre = nfHook(w, ns, family, 'prerouting', pkt, { iif: le, frame: opts.frame });
    if (stopped(pre)) return pre;
    p = pre;
  }
  // (A namespace without firewall data stopped at its PREROUTING hook, or at the bridge's before
  // br_netfilter ran it: nat.ts's coarse stop has nothing left to say here, nor at INPUT.)
  // ip_rcv_finish: an l3s ipvlan master's packet for a slave is routed by the slave (l3mdev_ip_rcv).
  const slave = l3sSlave(w, le, p);
  if (slave) return l3sReceive(w, le, slave, p, opts.frame);
  const unseenSlave = l3sSlaveUnseen(w, le, p);
  if (unseenSlave) return unseenSlave;
  const routed = martian(w, le, p);
  if (routed) return routed;
  if (p.l4.proto === 'nd') return ndReceive(w, le, p, opts.frame);
  if (!w.index.isLocal(ns, p.dst)) {
    if (!w.silent) notYetLocal(w, ns, p.dst);
    return ipForward(w, le, p);
  }
  const refused = validateSource(w, le, p);
  if (refused) return refused;
  const input = nfHook(w, ns, family, 'input', p, { iif: le, frame: opts.frame });
  if (stopped(input)) return input;
  return deliverLocal(w, le, input);
}

/** Past INPUT: a VXLAN device's socket takes a tunnel packet, the local stack the rest. */
export function deliverLocal(w: Walk, le: LinkEntry, input: IpPacket): Outcome {
  if (input.l4.proto === 'udp' && input.l4.vxlan && input.l4.dport !== undefined)
    return decapsulate(w, le, input.l4.dport, input.l4.vxlan);
  return deliverToStack(w, le.netns, le, input, `${input.dst} is local: delivered`);
}

/**
 * Says so where the destination is an address of this namespace the kernel does not count as its
 * own yet (tentative) or at all (DAD failed): it has no local route, and the packet is forwarded or
 * dropped as for any other host.
 */
function notYetLocal(w: Walk, ns: NetnsEntry, dst: string): void {
  const held = ns.ns.addresses.find((a) => a.address === dst);
  const why = held && unusableWhy(held);
  if (!why) return;
  const dev = ns.ns.links.find((l) => l.ifindex === held.ifindex)?.name ?? `ifindex ${held.ifindex}`;
  w.hop({
    ns,
    component: 'routing',
    action: 'forwarded',
    verdict: 'ok',
    reason: `${dst} is on ${dev} but ${why}: it is not yet an address of this namespace, and the packet is not for it`,
  });
}

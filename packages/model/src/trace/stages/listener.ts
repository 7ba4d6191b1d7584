import { netnsPath } from '../../ids.ts';
import type { ListeningSocket } from '../../schema/sockets.ts';
import { parseIp } from '../../net/ip.ts';
import { socketLabel } from '../../net/socketLabel.ts';
import { takes } from '../../net/socketTakes.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

const TOLD_NOTHING: Listening = { words: '', untold: false };

/** A packet that opens a connection to a socket: a TCP SYN or a UDP datagram, of a trace's request. */
function opening(w: Walk, pkt: IpPacket): { proto: 'tcp' | 'udp'; port: number } | undefined {
  if (w.direction !== 'request') return undefined;
  const l4 = pkt.l4;
  if (l4.proto === 'tcp' && l4.flags.includes('syn') && !l4.flags.includes('ack') && l4.dport !== undefined)
    return { proto: 'tcp', port: l4.dport };
  if (l4.proto === 'udp' && l4.vxlan === undefined && l4.dport !== undefined) return { proto: 'udp', port: l4.dport };
  return undefined;
}

/**
 * What the delivery hop says of the socket: its words, and whether it could be told at all. An
 * untold socket makes the hop `unknown` and the trace with it (its reply is still walked: what the
 * network does to an answer is known either way).
 */
export interface Listening {
  readonly words: string;
  readonly untold: boolean;
  /** The socket that takes it, where one was found. */
  readonly socket?: ListeningSocket;
}

/**
 * The socket a TCP SYN or UDP datagram delivered to its namespace goes to, where the namespace's
 * listening sockets were collected. With one: the words that name it, for the delivery hop. With
 * none, the kernel answers for the socket that is not there (a RST to the SYN, ICMP port
 * unreachable to the datagram) and frees the packet as NO_SOCKET: the walk stops, dropped — the
 * vocabulary of a REJECT, which answers the same way. Where the sockets were not collected (or the
 * list was cut short before a match, or a VRF's l3mdev_accept decides) the packet reaches the
 * namespace, but whether a socket takes it is not known: untold, never a silent delivery. Other
 * packets: no words.
 */
export function listener(w: Walk, ns: NetnsEntry, pkt: IpPacket, iif: LinkEntry | undefined): Listening | Outcome {
  const open = opening(w, pkt);
  if (!open) return TOLD_NOTHING;
  const dst = parseIp(pkt.dst);
  if (!dst) return TOLD_NOTHING;
  const listening = ns.ns.listening;
  const what = `${dst.family === 6 ? `[${pkt.dst}]` : pkt.dst}:${open.port}/${open.proto}`;
  const unknown = (why: string): Listening => ({
    words: ` (${why}: whether anything listens on ${what} is not known)`,
    untold: true,
  });
  if (listening === undefined) return unknown('listening sockets not collected');
  const dev = iif?.link.name ?? 'lo';
  const vrf = vrfOf(ns, iif);
  const found = listening.sockets.find(
    (s) =>
      s.proto === open.proto &&
      s.port === open.port &&
      (takes(s, dst, dev) || (vrf !== undefined && takes(s, dst, vrf))),
  );
  if (found) return { words: ` to the socket listening on ${socketLabel(found)}`, untold: false, socket: found };
  if (listening.truncated)
    return unknown(`only the first ${listening.sockets.length} listening sockets were collected`);
  // An unbound socket takes what arrives in a VRF only with net.ipv4.{tcp,udp}_l3mdev_accept, not collected.
  if (vrf !== undefined) return unknown(`${dev} is in VRF ${vrf} and the l3mdev_accept sysctls were not collected`);
  const [refusal, answer] =
    open.proto === 'tcp'
      ? ['connection refused', 'the kernel answers the SYN with a TCP RST']
      : ['port unreachable', `the kernel answers ICMP${dst.family === 6 ? 'v6' : ''} port unreachable`];
  return w.stop({
    ns,
    link: iif,
    component: 'local-delivery',
    verdict: 'dropped',
    reason: `${refusal}: nothing listens on ${what} in ${netnsPath(ns.ref)} (${answer})`,
    dropReason: 'NO_SOCKET',
  });
}

/** The VRF (l3mdev) a receiving device is enslaved to: the kernel also matches sockets bound to it. */
function vrfOf(ns: NetnsEntry, iif: LinkEntry | undefined): string | undefined {
  const master = iif?.link.masterIfindex === undefined ? undefined : ns.linksByIndex.get(iif.link.masterIfindex);
  return master?.link.kind === 'vrf' ? master.link.name : undefined;
}

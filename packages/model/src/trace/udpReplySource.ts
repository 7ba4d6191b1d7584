import { netnsPath } from '../ids.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { Outcome } from './outcome.ts';
import type { IpPacket } from './packet.ts';
import { isOutcome, route } from './stages/route.ts';
import { Walk } from './walk.ts';

const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * Why a UDP request's answer may not come from the address it was sent to: a socket bound to every
 * address (`0.0.0.0`, `::`) answers from that one only where the server asks for it (IP_PKTINFO,
 * as DNS servers do); otherwise its reply takes the source its route picks, and where that is
 * another address, the client's connected socket does not take it (nor does conntrack un-NAT it).
 * Which the server does is not collected. Undefined where there is no doubt: TCP (a connection
 * answers from its own address), a socket bound to the address, a route that picks it anyway.
 */
export function udpReplySource(
  there: Extract<Outcome, { verdict: 'delivered' }>,
  reply: IpPacket,
  index: Walk['index'],
): string | undefined {
  const got = there.packet;
  const socket = there.socket;
  if (!got || got.l4.proto !== 'udp' || !socket || socket.proto !== 'udp' || !WILDCARD.has(socket.address))
    return undefined;
  const picked = routeSource(index, there.ns, reply);
  if (picked === got.dst) return undefined;
  const other = picked === undefined ? 'no source its route gives it' : `${picked}, its route's source`;
  return (
    `the socket listening on ${socket.address}:${socket.port}/udp in ${netnsPath(there.ns.ref)} answers from ${got.dst} only ` +
    `if the server replies from the address it was asked at (IP_PKTINFO, as DNS servers do); otherwise from ${other}, ` +
    "which the client's socket does not take: which the server does is not known"
  );
}

/** The source the kernel's route lookup gives the reply when the server names none. */
function routeSource(index: Walk['index'], ns: NetnsEntry, reply: IpPacket): string | undefined {
  const decided = route(new Walk(index, 'reply', true), ns, { ...reply, src: undefined });
  return isOutcome(decided) ? undefined : decided.src;
}

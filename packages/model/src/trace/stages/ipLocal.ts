import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { netnsPath } from '../../ids.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import { echoIgnored, echoUntold } from './icmpEcho.ts';
import { listener } from './listener.ts';
import { nfHook, stopped } from './netfilter.ts';

/** Which IP hooks a packet meets. */
export const ipFamily = (pkt: IpPacket): 'ipv4' | 'ipv6' => (pkt.dst.includes(':') ? 'ipv6' : 'ipv4');

/**
 * A packet a namespace sends to one of its own addresses: out through OUTPUT and POSTROUTING on
 * `lo`, and back in through PREROUTING and INPUT, then delivered (where an ICMP echo request may
 * still be ignored). `natted`: the OUTPUT hook already ran and rewrote the destination to a local
 * one (ip_route_me_harder then routes it to `lo`); the words say so.
 */
export function localLoop(w: Walk, ns: NetnsEntry, pkt: IpPacket, natted?: string): Outcome {
  const lo = ns.linksByName.get('lo');
  const family = ipFamily(pkt);
  let p: IpPacket = { ...pkt, src: pkt.src ?? pkt.dst };
  const hooks = [
    ['output', { oif: lo }],
    ['postrouting', { oif: lo }],
    ['prerouting', { iif: lo }],
    ['input', { iif: lo }],
  ] as const;
  // A packet the OUTPUT hook made local (a DNAT to an address of its own) has met that hook.
  for (const [hook, at] of natted === undefined ? hooks : hooks.slice(1)) {
    const r = nfHook(w, ns, family, hook, p, at);
    if (stopped(r)) return r;
    p = r;
  }
  const said =
    natted === undefined
      ? `${pkt.dst} is local to this namespace`
      : `${natted}, and ${pkt.dst} is local to this namespace`;
  return deliverToStack(w, ns, lo, p, said, false);
}

/**
 * A packet past the INPUT hook, handed to the namespace's stack (`ip_local_deliver_finish`): an
 * ICMP echo request may be ignored, a TCP SYN or UDP datagram finds its listener or is refused,
 * the rest is delivered. `said` opens the hop's words; `atLink`: the hop names the device.
 */
export function deliverToStack(
  w: Walk,
  ns: NetnsEntry,
  link: LinkEntry | undefined,
  pkt: IpPacket,
  said: string,
  atLink = true,
): Outcome {
  const origin = w.run.origin;
  if (w.direction === 'reply' && origin && origin !== ns) {
    return w.stop({
      ns,
      link: atLink ? link : undefined,
      component: 'local-delivery',
      verdict: 'dropped',
      reason:
        `${said}, but the request was sent from ${netnsPath(origin.ref)}: ${pkt.dst} is held here too, and no ` +
        'socket in this namespace waits for the reply, so the kernel drops it (the sender never hears back)',
      dropReason: 'NO_SOCKET',
    });
  }
  const ignored = echoIgnored(w, ns, pkt);
  if (ignored) return ignored;
  const socket = listener(w, ns, pkt, link);
  if ('verdict' in socket) return socket;
  const echo = echoUntold(ns, pkt);
  const untold = socket.untold || echo !== undefined;
  if (!w.silent)
    w.hop({
      ns,
      link: atLink ? link : undefined,
      component: 'local-delivery',
      action: 'delivered',
      verdict: untold ? 'unknown' : 'ok',
      reason: `${said}${echo ?? ''}${socket.words}`,
    });
  return w.delivered(ns, pkt.src, undefined, pkt, untold, socket.socket);
}

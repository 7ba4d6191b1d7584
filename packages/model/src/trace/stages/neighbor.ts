import { netnsPath } from '../../ids.ts';
import { parseIp } from '../../net/ip.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { BROADCAST_MAC } from '../packet.ts';
import { arpSender } from './arp.ts';
import { ipvlanNoArp } from './ipvlan.ts';
import type { Walk } from '../walk.ts';

/**
 * The next hop's MAC (`neigh_output`): a usable neighbor entry, or what ARP would answer when there
 * is none — found by a silent walk of the broadcast request, sent from the address `arp_announce`
 * picks for a packet from `src`. Records the hop (saying who refused to answer, if one did); on
 * failure sets how the walk ends (dropped, or unknown where the answer cannot be told).
 */
export function resolveNeighbor(w: Walk, out: LinkEntry, ip: string, src?: string): string | undefined {
  const ns = out.netns;
  if (out.link.kind === 'loopback') return out.link.mac ?? '00:00:00:00:00:00';
  if (ipvlanNoArp(out)) {
    // IFF_NOARP: the neighbour takes the device's own address; the master resolves the next hop.
    w.hop({
      ns,
      link: out,
      component: 'neighbor',
      action: 'forwarded',
      verdict: 'ok',
      reason: `ipvlan ${out.link.name} in l3 mode does no ARP: its master resolves`,
    });
    return out.link.mac ?? undefined;
  }
  const entry = w.index.neighbor(ns, out.link.name, ip);
  const state = entry?.state.join(',') ?? '';
  const hop = (verdict: 'ok' | 'dropped' | 'unknown', reason: string): void =>
    w.hop({
      ns,
      link: out,
      component: 'neighbor',
      action: verdict === 'ok' ? 'forwarded' : 'dropped',
      verdict,
      reason,
      ...(verdict === 'dropped' ? { dropReason: 'NEIGH_FAILED' } : {}),
    });
  if (entry?.mac && !/FAILED|INCOMPLETE/.test(state)) {
    hop('ok', `${ip} is at ${entry.mac} (${state})`);
    return entry.mac;
  }
  if (parseIp(ip)?.family === 6) {
    w.neighborFailure = 'unknown';
    hop('unknown', `no neighbor entry for ${ip}; IPv6 neighbor discovery is not traced`);
    return undefined;
  }
  const probe = w.probe();
  const reply = probe.transmit(out, {
    srcMac: out.link.mac,
    dstMac: BROADCAST_MAC,
    packet: { kind: 'arp', src: arpSender(w, out, ip, src), dst: ip },
  });
  if (reply.verdict === 'delivered' && reply.mac) {
    const was = entry ? `entry is ${state}` : 'no entry';
    hop('ok', `${was} for ${ip}; ARP would resolve it to ${reply.mac}`);
    return reply.mac;
  }
  const why = entry ? `neighbor entry for ${ip} is ${state}` : `no neighbor entry for ${ip}`;
  w.neighborFailure = reply.verdict === 'unknown' ? 'unknown' : 'dropped';
  const r = probe.arpRefusal;
  const refusal = r ? `: ${netnsPath(r.at.netns.ref)}/${r.at.link.name} ${r.reason}` : '';
  hop(w.neighborFailure, `${why} and ARP gets no answer${refusal}`);
  return undefined;
}

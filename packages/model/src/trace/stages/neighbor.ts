import { ipIn } from '../../fix/commands.ts';
import { netnsPath } from '../../ids.ts';
import { parseIp } from '../../net/ip.ts';
import { usableAddress } from '../../net/usableAddress.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { LearntNeighbor } from '../learntNeighbors.ts';
import type { Outcome } from '../outcome.ts';
import { multicastMac6, neighborSolicitation, solicitedNode } from '../packet.ts';
import { askArp, type ArpAsked } from './arpProbe.ts';
import { arpSender } from './arp.ts';
import { ipvlanNoArp } from './ipvlan.ts';
import type { HopSpec, Walk } from '../walk.ts';
import { nfHook, stopped } from './netfilter.ts';

/**
 * The next hop's MAC (`neigh_output`): a usable neighbor entry, or what ARP (IPv4) or neighbour
 * discovery (IPv6) would answer when there is none — found by a silent walk of the broadcast
 * request (sent from the address `arp_announce` picks for a packet from `src`), or of the
 * solicitation to the target's solicited-node group and the advertisement back, each through the
 * same hooks, tc filters, bridges and tunnels as any packet. Records the hop (saying who refused to
 * answer, or which rule stopped the question); on failure sets how the walk ends (dropped, or
 * unknown where the answer cannot be told).
 */
export function resolveNeighbor(w: Walk, out: LinkEntry, ip: string, src?: string): string | undefined {
  const ns = out.netns;
  if (out.link.kind === 'loopback') return out.link.mac ?? '00:00:00:00:00:00';
  const v6 = parseIp(ip)?.family === 6;
  // What skb:kfree_skb says of the queued packet: ARP frees it as NEIGH_FAILED, neighbour discovery
  // (ndisc_error_report) with a plain kfree_skb, NOT_SPECIFIED. Both from neigh_invalidate.
  const dropReason = v6 ? 'NOT_SPECIFIED' : 'NEIGH_FAILED';
  const hop = (
    verdict: 'ok' | 'dropped' | 'unknown',
    reason: string,
    more: Pick<HopSpec, 'rule' | 'openflow' | 'fix'> = {},
  ): void =>
    w.hop({
      ns,
      link: out,
      component: 'neighbor',
      action: verdict === 'ok' ? 'forwarded' : 'dropped',
      verdict,
      reason,
      ...more,
      ...(verdict === 'dropped' ? { dropReason } : {}),
    });
  if (ipvlanNoArp(out)) {
    // IFF_NOARP: the neighbour takes the device's own address; the master resolves the next hop.
    hop('ok', `ipvlan ${out.link.name} in l3 mode does no ARP: its master resolves`);
    return out.link.mac ?? undefined;
  }
  const entry = w.index.neighbor(ns, out.link.name, ip);
  const state = entry?.state.join(',') ?? '';
  const learnt = learntEntry(w, out, ip, entry?.state);
  if (learnt) {
    const was = entry ? `, replacing the collected ${state} entry` : '';
    const by = learnt.protocol === 'ARP' ? 'the ARP request' : 'the neighbour solicitation';
    hop(
      'ok',
      `${ip} is at ${learnt.mac} (STALE${was}): made by ${by} from ${ip} for ${learnt.asked} earlier in this trace`,
    );
    return learnt.mac;
  }
  if (entry?.mac && !/FAILED|INCOMPLETE/.test(state)) {
    hop('ok', `${ip} is at ${entry.mac} (${state})`);
    return entry.mac;
  }
  if (out.link.noarp && out.link.mac) {
    // arp_constructor (ndisc_constructor alike): on a NOARP device a new entry is NOARP and holds
    // the device's own address; nothing is asked. The frame leaves for the sender's own MAC, which
    // only a receiver with that MAC takes (promiscuous or not). Turning ARP off flushed the
    // device's entries, permanent ones too (neigh_changeaddr): those collected were made since.
    hop(
      'ok',
      `${out.link.name} has ARP off (NOARP): nothing is asked (no ARP, no neighbour discovery), and the kernel sends frames for ${ip} to ` +
        `${out.link.name}'s own MAC ${out.link.mac}`,
      { fix: ipIn(ns.ns, ['link', 'set', out.link.name, 'arp', 'on']) },
    );
    return out.link.mac;
  }
  let asked: ArpAsked;
  if (v6) {
    const probe = w.probe();
    const reply = solicit(probe, out, ip, src);
    asked = {
      reply,
      refusal: probe.arpRefusal,
      stop: probe.lastStop,
      learnt: probe.learnt ?? [],
      fdb: probe.run.fdb?.own() ?? [],
    };
  } else asked = askArp(w, out, arpSender(w, out, ip, src), ip);
  // The request went out and any answer came back, whatever came of them: bridges learnt from both.
  w.run.fdb?.learnAll(asked.fdb);
  const reply = asked.reply;
  const protocol = v6 ? 'neighbour discovery' : 'ARP';
  // An ARP answer ends where it is answered; an advertisement where it comes back to the solicitor.
  if (reply.verdict === 'delivered' && reply.mac && (!v6 || reply.ns === ns)) {
    w.run.neighbors?.learn(asked.learnt);
    const was = entry ? `entry is ${state}` : 'no entry';
    hop('ok', `${was} for ${ip}; ${protocol} would resolve it to ${reply.mac}`);
    return reply.mac;
  }
  const why = entry ? `neighbor entry for ${ip} is ${state}` : `no neighbor entry for ${ip}`;
  const taught = redirectTaught(w, ns, ip);
  w.neighborFailure = reply.verdict === 'unknown' || taught ? 'unknown' : 'dropped';
  // Who refused to answer, or else where the request died (an Open vSwitch rule, a missing answer
  // and the command to ask it).
  const r = asked.refusal;
  const stop = asked.stop;
  const where = taught
    ? `: ${taught}`
    : r
      ? `: ${netnsPath(r.at.netns.ref)}/${r.at.link.name} ${r.reason}`
      : stop
        ? ` (at ${stop.link?.link.name ?? netnsPath(stop.ns.ref)}: ${stop.reason})`
        : '';
  // Unknown: whether an answer comes cannot be told, so that none comes is only a condition.
  const text =
    w.neighborFailure === 'dropped'
      ? `${why} and ${protocol} gets no answer${where}`
      : `${why}, and whether ${protocol} gets an answer cannot be told${where} — with none, the packet would be dropped (${dropReason})`;
  hop(w.neighborFailure, text, { rule: r ? undefined : stop?.rule, openflow: stop?.openflow });
  return undefined;
}

/** A solicitation from `src` when the device holds it, else from the device's link-local address. */
function solicit(probe: Walk, out: LinkEntry, ip: string, src: string | undefined): Outcome {
  const own = out.netns.ns.addresses
    .filter((a) => a.ifindex === out.link.ifindex && a.family === 'inet6' && usableAddress(a))
    .map((a) => a.address);
  const from = src !== undefined && own.includes(src) ? src : (own.find((a) => a.startsWith('fe80:')) ?? own[0]);
  if (from === undefined) return probe.end('dropped');
  const ns = out.netns;
  const solicitation = neighborSolicitation({ src: from, target: ip, lladdr: out.link.mac });
  const sent = nfHook(probe, ns, 'ipv6', 'output', solicitation, { oif: out });
  if (stopped(sent)) return sent;
  const post = nfHook(probe, ns, 'ipv6', 'postrouting', sent, { oif: out });
  if (stopped(post)) return post;
  return probe.transmit(out, { srcMac: out.link.mac, dstMac: multicastMac6(solicitedNode(ip)), packet: post });
}

/**
 * The entry an earlier request of this trace left for `ip` on `out` (see LearntNeighbors): the
 * kernel overrides any entry with it but a PERMANENT or NOARP one, which no packet changes.
 */
function learntEntry(
  w: Walk,
  out: LinkEntry,
  ip: string,
  state: readonly string[] | undefined,
): LearntNeighbor | undefined {
  if (state?.some((s) => s === 'PERMANENT' || s === 'NOARP')) return undefined;
  return w.run.neighbors?.get(out, ip);
}

/**
 * Where this run's request was forwarded back out of the device it came in on (see ipForward,
 * redirected) to an address of `ns`: its sender may have been redirected to that address and have
 * asked ARP for it directly, which teaches `ns` the sender's MAC — so that `ns` cannot resolve the
 * sender itself does not mean its answer is lost. Undefined where no such redirect was possible.
 */
function redirectTaught(w: Walk, ns: NetnsEntry, ip: string): string | undefined {
  const gw = w.run.redirects?.get(ip);
  if (gw === undefined || !ns.ns.addresses.some((a) => a.address === gw)) return undefined;
  return (
    `the request from ${ip} was forwarded back out of the device it came in on, so its router may have ` +
    `sent ${ip} an ICMP redirect to ${gw} (send_redirects and accept_redirects, on by default, are not ` +
    `collected): ${ip} then asks ARP for ${gw} itself, which teaches this namespace its MAC`
  );
}

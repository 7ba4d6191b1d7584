import { netnsPath } from '../../ids.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { BROADCAST_MAC } from '../packet.ts';
import type { FdbLearning } from '../learntFdb.ts';
import type { LearntNeighbor } from '../learntNeighbors.ts';
import type { ArpRefusal } from './arp.ts';
import type { HopSpec, Walk } from '../walk.ts';
import { nfHook, stopped } from './netfilter.ts';

/** What an ARP request out of a device came to: the answer (or not), who refused, where it stopped. */
export interface ArpAsked {
  readonly reply: Outcome;
  readonly refusal: ArpRefusal | undefined;
  readonly stop: HopSpec | undefined;
  /** The entries for the sender that the namespaces answering made. */
  readonly learnt: readonly LearntNeighbor[];
  /** Where bridges learnt the request's and the answer's source MACs, answered or not. */
  readonly fdb: readonly FdbLearning[];
}

const memos = (): Map<string, ArpAsked> => new Map();

/**
 * A broadcast ARP request for `ip` out of `out` from `sender`, walked silently through the same
 * hooks, tc filters, bridges and tunnels as any frame. The answer depends on the snapshot alone
 * unless the walk met connection tracking (a request carried through a tunnel is an outer UDP
 * packet) or asked Open vSwitch beyond the snapshot: otherwise it is kept for the snapshot, as a
 * node's tunnels ask the same underlay neighbours on every trace — and unless the trace's earlier
 * frames taught a bridge something the request might meet.
 */
export function askArp(w: Walk, out: LinkEntry, sender: string | undefined, ip: string): ArpAsked {
  const memo = w.ovsAnswers === undefined && (w.run.fdb?.empty ?? true) ? w.index.derive(memos) : undefined;
  const key = `${out.id}|${sender ?? ''}|${ip}`;
  const known = memo?.get(key);
  if (known) return known;
  const uses = w.conntrack.uses;
  const probe = w.probe();
  const reply = arpRequest(probe, out, sender, ip);
  const astray = reply.verdict === 'delivered' && !reply.answeredInPlace && reply.receiver !== out;
  const asked = {
    reply: astray ? probe.end('dropped') : reply,
    refusal: probe.arpRefusal,
    stop: astray ? elsewhere(reply, out, ip) : probe.lastStop,
    learnt: probe.learnt ?? [],
    fdb: probe.run.fdb?.own() ?? [],
  };
  if (memo && w.conntrack.uses === uses) memo.set(key, asked);
  return asked;
}

/**
 * The answer came back to another device than the one that asked (a tc filter or a bridge took it
 * elsewhere): `arp_process` there finds no pending entry for it, and the asking device's neighbour
 * fails.
 */
function elsewhere(reply: Outcome & { verdict: 'delivered' }, out: LinkEntry, ip: string): HopSpec {
  const at = reply.receiver;
  const where = at ? `${netnsPath(at.netns.ref)}/${at.link.name}` : netnsPath(reply.ns.ref);
  return {
    ns: reply.ns,
    link: at,
    component: 'neighbor',
    action: 'dropped',
    verdict: 'dropped',
    reason: `the answer (${ip} is at ${reply.mac ?? '?'}) arrived at ${where}, not at ${out.link.name}, which asked`,
  };
}

function arpRequest(probe: Walk, out: LinkEntry, sender: string | undefined, ip: string): Outcome {
  const request = { kind: 'arp' as const, src: sender, dst: ip, ...(out.link.mac ? { sha: out.link.mac } : {}) };
  const sent = nfHook(probe, out.netns, 'arp', 'output', request, { oif: out });
  if (stopped(sent)) return sent;
  return probe.transmit(out, { srcMac: out.link.mac, dstMac: BROADCAST_MAC, packet: sent });
}

import { netnsLabel } from '../ids.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { TraceResult } from '../schema/trace.ts';
import { parseIp } from '../net/ip.ts';
import type { OvsAnswers } from '../ovs/ovsAnswers.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { icmpEcho } from './packet.ts';
import { Conntrack } from './conntrack.ts';
import { Walk } from './walk.ts';

/** Thrown for a trace request that names something the snapshot does not have. */
export class TraceInputError extends Error {
  override readonly name = 'TraceInputError';
}

/**
 * What `ping -s SIZE [-M do]` sends: `size` bytes of ICMP payload (default 56), DF set or not; and
 * ofproto/trace answers beyond the snapshot's, where the questions no answer met are noted.
 */
export interface TraceOptions {
  readonly size?: number | undefined;
  readonly df?: boolean | undefined;
  readonly ovsAnswers?: OvsAnswers | undefined;
}

/** The largest ICMP payload ping can send in one IP packet (65535 − 8 − 20). */
export const MAX_PING_PAYLOAD = 65507;

/**
 * Traces an ICMP echo from a namespace to an IP and, if it arrives, the reply back: the verdict is
 * `delivered` only when both directions are, which is what `ping` needs. The reply is as large as
 * the request and never has DF set (the kernel's ICMP socket does not ask for it).
 */
export function trace(index: SnapshotIndex, from: NetnsRef, to: string, opts: TraceOptions = {}): TraceResult {
  const origin = index.netns(from);
  if (!origin)
    throw new TraceInputError(`no namespace ${netnsLabel(from.netns)} on host ${from.host} in this snapshot`);
  const dst = parseIp(to);
  if (!dst) throw new TraceInputError(`not an IP address: ${to}`);
  const payload = opts.size ?? 56;
  if (!Number.isInteger(payload) || payload < 0 || payload > MAX_PING_PAYLOAD) {
    throw new TraceInputError(`size must be an ICMP payload of 0 to ${MAX_PING_PAYLOAD} bytes, got ${payload}`);
  }
  const size = payload + 8 + (dst.family === 4 ? 20 : 40);
  // One conntrack per trace: the reply finds the entries its request made.
  const conntrack = new Conntrack();
  const request = new Walk(index, 'request', false, conntrack, opts.ovsAnswers);
  const there = request.ipOutput(
    origin,
    icmpEcho({ src: undefined, dst: to, type: 'echo-request', size, df: opts.df ?? false }),
  );
  const result = { from: { host: from.host, netns: from.netns }, to };
  if (there.verdict !== 'delivered') return { ...result, verdict: there.verdict, hops: request.hops };
  const source = there.src;
  if (!source) {
    return { ...result, verdict: 'unknown', hops: request.hops };
  }
  const reply = new Walk(index, 'reply', false, conntrack, opts.ovsAnswers);
  const back = reply.ipOutput(there.ns, icmpEcho({ src: to, dst: source, type: 'echo-reply', size }));
  return { ...result, verdict: back.verdict, hops: [...request.hops, ...reply.hops] };
}

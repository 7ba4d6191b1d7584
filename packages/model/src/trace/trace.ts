import { netnsLabel } from '../ids.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { TraceResult } from '../schema/trace.ts';
import { parseIp } from '../net/ip.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { Walker } from './walker.ts';

/** Thrown for a trace request that names something the snapshot does not have. */
export class TraceInputError extends Error {
  override readonly name = 'TraceInputError';
}

/**
 * Traces an ICMP echo from a namespace to an IP and, if it arrives, the reply back: the verdict is
 * `delivered` only when both directions are, which is what `ping` needs.
 */
export function trace(index: SnapshotIndex, from: NetnsRef, to: string): TraceResult {
  const origin = index.netns(from);
  if (!origin)
    throw new TraceInputError(`no namespace ${netnsLabel(from.netns)} on host ${from.host} in this snapshot`);
  if (!parseIp(to)) throw new TraceInputError(`not an IP address: ${to}`);
  const request = new Walker(index, 'request');
  const there = request.ipOutput(origin, { src: undefined, dst: to, proto: 'icmp' });
  const result = { from: { host: from.host, netns: from.netns }, to };
  if (there.verdict !== 'delivered') return { ...result, verdict: there.verdict, hops: request.hops };
  const source = there.src;
  if (!source) {
    return { ...result, verdict: 'unknown', hops: request.hops };
  }
  const reply = new Walker(index, 'reply');
  const back = reply.ipOutput(there.ns, { src: to, dst: source, proto: 'icmp' });
  return { ...result, verdict: back.verdict, hops: [...request.hops, ...reply.hops] };
}

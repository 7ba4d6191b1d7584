import type { Hop, Verdict } from '../schema/trace.ts';

/** What tells a stop from a step: a hop, or one as the CLI prints it. */
type Stepped = Pick<Hop, 'action' | 'verdict'>;

/**
 * Whether the kernel drops the packet at this hop: the walk stopped there (action `dropped`) and
 * knows it is a drop (verdict `dropped`). A walk also stops, with the same action, where it cannot
 * tell what the kernel does (verdict `unknown`): that hop is a question, never to be worded or
 * drawn as a drop.
 */
export const isDropHop = (h: Stepped): boolean => h.action === 'dropped' && h.verdict === 'dropped';

/** Where a walk stopped not knowing what the kernel does there (see isDropHop). */
export const isUnknownStopHop = (h: Stepped): boolean => h.action === 'dropped' && h.verdict === 'unknown';

/** The hop a trace (or one branch of it) stops at, with its number as the hop list counts them (1-based). */
export interface TraceStop<H extends Stepped = Hop> {
  readonly hop: H;
  readonly n: number;
}

/**
 * Where a trace or branch that was not delivered stopped: for a drop, its first dropping hop; for
 * unknown, its first hop that could not be told (a stop, or a step into what was not collected).
 * Undefined for a delivered one — a flooded copy that died on the way did not stop the packet.
 */
export function traceStop<H extends Stepped>(t: {
  readonly verdict: Verdict;
  readonly hops: readonly H[];
}): TraceStop<H> | undefined {
  if (t.verdict === 'delivered') return undefined;
  const at = (i: number): TraceStop<H> | undefined => (i < 0 ? undefined : { hop: t.hops[i]!, n: i + 1 });
  const own = t.verdict === 'dropped' ? t.hops.findIndex(isDropHop) : t.hops.findIndex((h) => h.verdict === 'unknown');
  return at(own) ?? at(t.hops.findIndex((h) => h.action === 'dropped'));
}

import { OvsAnswers } from '../ovs/ovsAnswers.ts';
import type { OvsQuery } from '../ovs/ovsFlow.ts';
import type { NetnsRef } from '../schema/refs.ts';
import type { OvsTraceAnswer } from '../schema/ovs.ts';
import type { TraceResult } from '../schema/trace.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace, type TraceOptions } from './trace.ts';

/** Asks a node's switch about one packet: its answer, or why there is none. */
export type AskOvs = (q: OvsQuery) => Promise<{ readonly answer: OvsTraceAnswer } | { readonly error: string }>;

/** Rounds of asking: each answer may lead the packet to another switch with a new question. */
const MAX_ROUNDS = 4;
/** Questions asked per round, at most. */
const MAX_QUESTIONS = 16;

/**
 * Traces like `trace`, and where a packet meets an Open vSwitch bridge the snapshot has no
 * ofproto/trace answer for, asks `ask` (a live server asks the node's agent), then traces again
 * with the answers: until every switch on the path has answered, asking failed, or the rounds run out.
 */
export async function traceAsking(
  index: SnapshotIndex,
  from: NetnsRef,
  to: string,
  opts: TraceOptions,
  ask: AskOvs,
): Promise<TraceResult> {
  const answers = opts.ovsAnswers ?? new OvsAnswers();
  let result = trace(index, from, to, { ...opts, ovsAnswers: answers });
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = answers.missing.slice(0, MAX_QUESTIONS);
    if (missing.length === 0) break;
    await Promise.all(
      missing.map(async (q) => {
        const r = await ask(q).catch((e: unknown) => ({ error: (e as Error).message }));
        if ('answer' in r) answers.add(q.host, r.answer);
        else answers.fail(q, r.error);
      }),
    );
    result = trace(index, from, to, { ...opts, ovsAnswers: answers });
  }
  return result;
}

import type { OvsTraceAnswer } from '../schema/ovs.ts';
import { ovsQueryKey, type OvsQuery } from './ovsFlow.ts';

/**
 * ofproto/trace answers from outside the snapshot (asked live of a node's agent), and the
 * questions a trace met that neither they nor the snapshot answered: what a live server asks next.
 */
export class OvsAnswers {
  private readonly answers = new Map<string, OvsTraceAnswer>();
  private readonly asked = new Map<string, OvsQuery>();
  private readonly failures = new Map<string, string>();

  /** Files an answer for a query on a host. */
  add(host: string, answer: OvsTraceAnswer): void {
    this.answers.set(ovsQueryKey({ host, ...answer }), answer);
    this.asked.delete(ovsQueryKey({ host, ...answer }));
  }

  get(q: OvsQuery): OvsTraceAnswer | undefined {
    return this.answers.get(ovsQueryKey(q));
  }

  /** Notes a question without an answer (unless asking already failed). */
  miss(q: OvsQuery): void {
    const key = ovsQueryKey(q);
    if (!this.failures.has(key)) this.asked.set(key, q);
  }

  /** Notes why a question could not be answered: it is not asked again. */
  fail(q: OvsQuery, why: string): void {
    const key = ovsQueryKey(q);
    this.failures.set(key, why);
    this.asked.delete(key);
  }

  /** Why asking failed, where it did. */
  failure(q: OvsQuery): string | undefined {
    return this.failures.get(ovsQueryKey(q));
  }

  /** The questions still without an answer. */
  get missing(): OvsQuery[] {
    return [...this.asked.values()];
  }
}

import { expect } from 'vitest';
import type { Hop, TraceResult } from '../schema/trace.ts';
import { traceStop } from '../trace/traceStop.ts';

/** Words that say a packet met its end, as a fact. */
const ENDS = /\b(drops|dropped|dropping|blocks|blocked|rejects|rejected|refuses|refused|discards|discarded)\b/g;
/** Said as a condition: what would (or may) happen, or whether it does. */
const CONDITION = /\b(would|could|may|might|whether)\b/;

/**
 * Where a text says as a fact that a packet is dropped, blocked or rejected: each such word with
 * what leads to it. A word counts as a condition when its clause says so before it (`it would be
 * dropped`, `whether it passes or is dropped`); rule texts quoted in backticks (`-j DROP`, `drop`)
 * are the rule's, not a claim.
 */
export function dropClaims(text: string): string[] {
  const plain = text.replace(/`[^`]*`/g, '`…`');
  const out: string[] = [];
  for (const m of plain.matchAll(ENDS)) {
    const before = plain.slice(0, m.index);
    // The clause the word is in: after the last ';', '—' or sentence end before it.
    const clause = before.slice(
      Math.max(before.lastIndexOf(';'), before.lastIndexOf('—'), before.lastIndexOf('. ')) + 1,
    );
    if (!CONDITION.test(clause)) out.push(`${clause.slice(-40)}${m[0]}`);
  }
  return out;
}

/** What a text of an unknown verdict must say: that something could not be evaluated, and why. */
const UNTOLD =
  /not collected|not evaluated|cannot be evaluated|cannot be told|cannot tell|not known|could not be read|cannot be asked|hoplens models|gave up|leads outside the collected hosts|no ofproto\/trace answer|no firewall rules to tell how|cannot be read|does not trace|the verdict depends on/;

/**
 * Holds a trace to the words of an unknown verdict: it is `unknown`, its stop is not a drop, every
 * hop that could not be told (the stop and any step into what was not collected) says what could
 * not be evaluated — each of `names` — and none says the packet is dropped as a fact. Returns the
 * stop hop.
 */
export function expectUnknownStop(result: Pick<TraceResult, 'verdict' | 'hops'>, names: readonly string[]): Hop {
  expect(result.verdict).toBe('unknown');
  const stop = traceStop(result);
  expect(stop, 'the trace names where it could not tell').toBeDefined();
  const hop = stop!.hop;
  expect(hop.verdict).toBe('unknown');
  expect(hop.dropReason, 'an unknown stop predicts no drop reason').toBeUndefined();
  for (const name of names) expect(hop.reason).toContain(name);
  expect(hop.reason).toMatch(UNTOLD);
  for (const h of result.hops.filter((x) => x.verdict === 'unknown'))
    expect(dropClaims(h.reason), `drop said as a fact in: ${h.reason}`).toEqual([]);
  return hop;
}

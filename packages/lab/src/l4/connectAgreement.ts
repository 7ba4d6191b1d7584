import type { TraceResult } from '@hoplens/model';
import type { Connect } from '../scenario.ts';
import { connectMany } from './connect.ts';

/** What a set of connections met: the endpoints that answered, and whether any connection failed. */
export interface Fates {
  readonly reached: ReadonlySet<string>;
  readonly failing: boolean;
}

/** Connections made at once, per round. */
const ROUND = 10;
/** At least this many connections: a third-probability endpoint then goes unseen once in ~3,000 runs. */
const MIN_TRIES = 20;
/** At most this many, when the kernel does not show what the trace predicts. */
const MAX_TRIES = 60;

/**
 * The endpoints the trace says answer (each delivered branch's endpoint, from its `ip:port` label;
 * without a random choice, what answers in the namespace the request ends in — a Service's only
 * endpoint, once DNATed — else the destination itself) and whether any branch fails.
 */
export function tracedFates(
  traced: TraceResult,
  answerIn: (netns: string) => string | undefined = () => undefined,
): Fates {
  const branches = traced.branches;
  if (branches === undefined) {
    const end = traced.hops.filter((h) => h.direction === 'request').at(-1)?.netns;
    const answer = (end === undefined || end === null ? undefined : answerIn(end)) ?? traced.to;
    return {
      reached: new Set(traced.verdict === 'delivered' ? [answer] : []),
      failing: traced.verdict !== 'delivered',
    };
  }
  const endpoint = (label: string): string => label.replace(/:\d+$/, '');
  return {
    reached: new Set(branches.filter((b) => b.verdict === 'delivered').map((b) => endpoint(b.label))),
    failing: branches.some((b) => b.verdict !== 'delivered'),
  };
}

/**
 * What the kernel does with real connections from `netns`, each answered by the lab's server with
 * its pod IP: rounds of connections until every fate the trace predicts was seen at least once
 * (and at least MIN_TRIES were made), or MAX_TRIES is reached.
 */
export async function observeFates(
  netns: string,
  to: string,
  c: Connect,
  predicted: Fates,
): Promise<Fates & { readonly tries: number; readonly answers: readonly (string | undefined)[] }> {
  const answers: (string | undefined)[] = [];
  const reached = new Set<string>();
  let failing = false;
  const seenAll = (): boolean => [...predicted.reached].every((e) => reached.has(e)) && (!predicted.failing || failing);
  while (answers.length < MAX_TRIES && (answers.length < MIN_TRIES || !seenAll())) {
    for (const a of await connectMany(netns, to, c, ROUND)) {
      answers.push(a);
      if (a === undefined) failing = true;
      else reached.add(a);
    }
  }
  return { reached, failing, tries: answers.length, answers };
}

/** Whether the kernel's fates are the trace's: the same endpoints answer, and failures on both or neither. */
export function sameFates(a: Fates, b: Fates): boolean {
  return a.failing === b.failing && a.reached.size === b.reached.size && [...a.reached].every((e) => b.reached.has(e));
}

/** `10.244.1.3, 10.244.2.2; some fail` — for the suite's table. */
export function describeFates(f: Fates): string {
  const reached = [...f.reached].sort().join(', ') || 'none answers';
  return `${reached}${f.failing ? '; some fail' : ''}`;
}

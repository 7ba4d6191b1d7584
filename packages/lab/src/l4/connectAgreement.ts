import type { Hop, TraceResult } from '@hoplens/model';
import type { Connect } from '../scenario.ts';
import { connectMany } from './connect.ts';

/** What a set of connections met: the endpoints that answered, and whether any connection failed. */
export interface Fates {
  readonly reached: ReadonlySet<string>;
  readonly failing: boolean;
  /** Per endpoint reached, the source addresses its connections arrived from (where compared). */
  readonly sources?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A request's source NAT hop: `source A[:port] → B[:port] (MASQUERADE)`. */
const SNAT = /^source (\S+?)(?::\d+)? → (\S+?)(?::\d+)? /;

/** The source address a request arrives with: the last source NAT's, else the client's own. */
function sourceSeen(hops: readonly Hop[], client: string): string {
  let seen = client;
  for (const h of hops) {
    const m = h.direction === 'request' && h.component === 'nat' ? SNAT.exec(h.reason) : null;
    if (m) seen = m[2]!;
  }
  return seen;
}

const addTo = (map: Map<string, Set<string>>, key: string, value: string): void => {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
};

/**
 * At least this many connections, all made at once in the first round (a connection the kernel
 * drops waits out the whole timeout, so one round costs that once): a third-probability endpoint
 * then goes unseen once in ~3,000 runs.
 */
const MIN_TRIES = 20;
/** Connections made at once in each further round. */
const ROUND = 10;
/** At most this many, when the kernel does not show what the trace predicts. */
const MAX_TRIES = 60;

/**
 * The endpoints the trace says answer (each delivered branch's endpoint, from its `ip:port` label;
 * without a random choice, what answers in the namespace the request ends in — a Service's only
 * endpoint, once DNATed — else the destination itself) and whether any branch fails. Given the
 * client's address, also the source each endpoint sees: the last source NAT's, else the client's.
 */
export function tracedFates(
  traced: TraceResult,
  answerIn: (netns: string) => string | undefined = () => undefined,
  client?: string,
): Fates {
  const sources = new Map<string, Set<string>>();
  const withSources = (f: Fates): Fates => (client === undefined ? f : { ...f, sources });
  const branches = traced.branches;
  if (branches === undefined) {
    const end = traced.hops.filter((h) => h.direction === 'request').at(-1)?.netns;
    const answer = (end === undefined || end === null ? undefined : answerIn(end)) ?? traced.to;
    const delivered = traced.verdict === 'delivered';
    if (delivered && client !== undefined) addTo(sources, answer, sourceSeen(traced.hops, client));
    return withSources({ reached: new Set(delivered ? [answer] : []), failing: !delivered });
  }
  const endpoint = (label: string): string => label.replace(/:\d+$/, '');
  const delivered = branches.filter((b) => b.verdict === 'delivered');
  if (client !== undefined) for (const b of delivered) addTo(sources, endpoint(b.label), sourceSeen(b.hops, client));
  return withSources({
    reached: new Set(delivered.map((b) => endpoint(b.label))),
    failing: branches.some((b) => b.verdict !== 'delivered'),
  });
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
  const sources = new Map<string, Set<string>>();
  let failing = false;
  const seenAll = (): boolean => [...predicted.reached].every((e) => reached.has(e)) && (!predicted.failing || failing);
  while (answers.length < MAX_TRIES && (answers.length < MIN_TRIES || !seenAll())) {
    for (const a of await connectMany(netns, to, c, answers.length < MIN_TRIES ? MIN_TRIES - answers.length : ROUND)) {
      answers.push(a);
      if (a === undefined) {
        failing = true;
        continue;
      }
      // The lab's server answers `ENDPOINT from SOURCE`.
      const [endpoint = a, source] = a.split(' from ');
      reached.add(endpoint);
      if (source !== undefined) addTo(sources, endpoint, source);
    }
  }
  return { reached, failing, sources, tries: answers.length, answers };
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean =>
  b !== undefined && a.size === b.size && [...a].every((e) => b.has(e));

/**
 * Whether the kernel's fates are the trace's: the same endpoints answer, and failures on both or
 * neither; where both say which source each endpoint saw, the same sources.
 */
export function sameFates(a: Fates, b: Fates): boolean {
  const sources =
    a.sources === undefined ||
    b.sources === undefined ||
    (a.sources.size === b.sources.size && [...a.sources].every(([e, s]) => sameSet(s, b.sources!.get(e))));
  return a.failing === b.failing && sameSet(a.reached, b.reached) && sources;
}

/** `10.244.1.3, 10.244.2.2; some fail` — for the suite's table. */
export function describeFates(f: Fates): string {
  const from = (e: string): string => {
    const s = f.sources?.get(e);
    return s === undefined ? '' : ` (from ${[...s].sort().join(', ')})`;
  };
  const reached =
    [...f.reached]
      .sort()
      .map((e) => `${e}${from(e)}`)
      .join(', ') || 'none answers';
  return `${reached}${f.failing ? '; some fail' : ''}`;
}

import type { ChanceOutcome, Ended, HookResult, UnknownWay } from './evaluate.ts';

type Single = Exclude<HookResult, { verdict: 'chance' }>;

/**
 * The hook's answer from every way the evaluation ended. Ways that differ only by a match hoplens
 * could not evaluate must agree, else the answer is unknown naming that match; ways that differ by a
 * random choice are all real, so each set of choices keeps its own answer (one per endpoint).
 */
export function combine(ends: readonly Ended[]): HookResult {
  const groups = new Map<number, Ended[]>();
  for (const e of ends) {
    const g = groups.get(e.branch.way.id);
    if (g) g.push(e);
    else groups.set(e.branch.way.id, [e]);
  }
  if (groups.size <= 1) return combineSure(ends);
  const outcomes: ChanceOutcome[] = [...groups.values()].map((g) => {
    const { probability, first } = g[0]!.branch.way;
    return { probability, first, result: combineSure(g) };
  });
  const first = outcomes[0]!.result;
  if (outcomes.every((o) => resultKey(o.result) === resultKey(first))) return first;
  return { verdict: 'chance', outcomes };
}

/** One answer from ways that must agree, or unknown when they differ. */
function combineSure(ends: readonly Ended[]): Single {
  const first = ends[0];
  if (!first) return { verdict: 'unknown', ref: undefined, why: 'no branch of the evaluation ended' };
  const unknown = ends.find((e) => e.flow.kind === 'unknown');
  if (unknown && unknown.flow.kind === 'unknown')
    return { verdict: 'unknown', ref: unknown.flow.ref, why: unknown.flow.why };
  const differs = ends.find((e) => endKey(e) !== endKey(first));
  if (differs) {
    const a = differs.branch.assumed[0] ?? first.branch.assumed[0];
    return {
      verdict: 'unknown',
      ref: a?.ref,
      why: a ? `the verdict depends on ${a.why}` : 'the verdict depends on a match hoplens cannot evaluate',
      ways: waysOf(ends),
    };
  }
  const f = first.flow;
  if (f.kind === 'verdict' && f.verdict !== 'accept') {
    return { verdict: f.verdict, ref: f.ref, ...(f.with ? { reject: f.with } : {}), events: first.branch.events };
  }
  return { verdict: 'accept', state: first.branch.state, events: first.branch.events };
}

/** The different ends the ways came to, each once, in the order met. */
function waysOf(ends: readonly Ended[]): UnknownWay[] {
  const out = new Map<string, UnknownWay>();
  for (const { flow } of ends) {
    if (flow.kind === 'unknown') continue;
    const way: UnknownWay =
      flow.kind === 'verdict' && flow.verdict !== 'accept'
        ? { verdict: flow.verdict, ref: flow.ref, ...(flow.with ? { reject: flow.with } : {}) }
        : { verdict: 'accept' };
    const key = way.verdict === 'accept' ? 'accept' : `${way.verdict} ${way.ref.chain} ${way.ref.handle ?? ''}`;
    if (!out.has(key)) out.set(key, way);
  }
  return [...out.values()];
}

function endKey(e: Ended): string {
  if (e.flow.kind === 'verdict' && e.flow.verdict !== 'accept') return `${e.flow.verdict} ${e.flow.with ?? ''}`;
  const s = e.branch.state;
  return `accept ${s.mark} ${s.notrack} ${s.ct} ${JSON.stringify(s.nat?.target ?? null)}`;
}

function resultKey(r: Single): string {
  if (r.verdict === 'unknown') return `unknown ${r.why}`;
  if (r.verdict !== 'accept') return `${r.verdict} ${r.reject ?? ''} ${r.ref.chain} ${r.ref.handle ?? ''}`;
  const s = r.state;
  return `accept ${s.mark} ${s.notrack} ${s.ct} ${JSON.stringify(s.nat?.target ?? null)}`;
}

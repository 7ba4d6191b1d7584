import { useMemo, useState } from 'react';
import type { TraceResult } from '@hoplens/model';

/** The trace with `branch`'s hops as its path (the one drawn and listed); as it is without branches. */
export function withBranch(trace: TraceResult, branch: number): TraceResult {
  const b = trace.branches?.[branch];
  return b ? { ...trace, hops: b.hops } : trace;
}

/** The branch a trace's own hops follow: its first with the trace's verdict (a dropped one, if any). */
export const firstBranch = (trace: TraceResult): number =>
  Math.max(trace.branches?.findIndex((b) => b.verdict === trace.verdict) ?? 0, 0);

/**
 * Which of a trace's branches (one per Service endpoint) is shown: the trace's own until another is
 * chosen, and again for each new trace. `shown` is the trace with the chosen branch's hops.
 */
export function useBranchChoice(trace: TraceResult | undefined) {
  const [chosen, setChosen] = useState<{ readonly of: TraceResult; readonly branch: number }>();
  const branch = trace === undefined ? 0 : chosen?.of === trace ? chosen.branch : firstBranch(trace);
  const shown = useMemo(() => (trace ? withBranch(trace, branch) : undefined), [trace, branch]);
  return { shown, branch, choose: (b: number) => trace && setChosen({ of: trace, branch: b }) };
}

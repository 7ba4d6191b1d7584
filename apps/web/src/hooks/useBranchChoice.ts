import { useMemo } from 'react';
import type { TraceResult } from '@hoplens/model';

/** The trace with `branch`'s hops as its path (the one drawn and listed); as it is without branches. */
export function withBranch(trace: TraceResult, branch: number): TraceResult {
  const b = trace.branches?.[branch];
  return b ? { ...trace, hops: b.hops } : trace;
}

/** The branch a trace's own hops follow: its first with the trace's verdict (a dropped one, if any). */
export const firstBranch = (trace: TraceResult): number =>
  Math.max(trace.branches?.findIndex((b) => b.verdict === trace.verdict) ?? 0, 0);

/** The branch labelled `label` (from a link), or the trace's own where none is or it names none. */
export function branchIndex(trace: TraceResult, label: string | undefined): number {
  const i = label === undefined ? -1 : (trace.branches?.findIndex((b) => b.label === label) ?? -1);
  return i >= 0 ? i : firstBranch(trace);
}

/**
 * Which of a trace's branches (one per Service endpoint) is shown: the one the URL names by its label
 * (so a shared link opens the same endpoint), else the trace's own. `shown` is the trace with the
 * chosen branch's hops; `choose` hands the chosen branch's label to be written to the URL.
 */
export function useBranchChoice(
  trace: TraceResult | undefined,
  label: string | undefined,
  onChoose: (label: string) => void,
) {
  const branch = trace === undefined ? 0 : branchIndex(trace, label);
  const shown = useMemo(() => (trace ? withBranch(trace, branch) : undefined), [trace, branch]);
  return {
    shown,
    branch,
    choose: (b: number) => {
      const chosen = trace?.branches?.[b];
      if (chosen) onChoose(chosen.label);
    },
  };
}

import type { Hop, TraceBranch, Verdict } from '../schema/trace.ts';
import { traceStop } from './traceStop.ts';

/**
 * A trace's verdict over its branches: delivered when every branch is; dropped when any is (some
 * connections fail, whichever endpoint the others reach); else unknown.
 */
export function overallVerdict(branches: readonly TraceBranch[]): Verdict {
  if (branches.length > 0 && branches.every((b) => b.verdict === 'delivered')) return 'delivered';
  return branches.some((b) => b.verdict === 'dropped') ? 'dropped' : 'unknown';
}

/** Where a branch stops, or where hoplens could not tell (see traceStop); undefined when delivered. */
export const branchStop = (branch: TraceBranch): Hop | undefined => traceStop(branch)?.hop;

/** `2 of 3 branches delivered; 10.244.2.7:8080 dropped at node-b/hl-…/eth0 (netfilter)`. */
export function branchSummary(branches: readonly TraceBranch[]): string {
  const ok = branches.filter((b) => b.verdict === 'delivered').length;
  const bad = branches
    .filter((b) => b.verdict !== 'delivered')
    .map((b) => {
      const stop = branchStop(b);
      const where = stop
        ? ` at ${stop.host}/${stop.netns ?? '(root)'}${stop.interface ? `/${stop.interface}` : ''} (${stop.component})`
        : '';
      return `${b.label} ${b.verdict}${where}`;
    });
  return [`${ok} of ${branches.length} branches delivered`, ...bad].join('; ');
}

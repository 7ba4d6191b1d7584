import type { CollectCounts, CollectStatus, SourceState, SourceStatus } from '../schema/collectStatus.ts';

/** One source of a collection run as the server tracks it (times in ms since the epoch). */
export interface SourceRun {
  readonly source: string;
  readonly state: SourceState;
  readonly hosts: number;
  /** When it got a slot and was asked; absent while queued. */
  readonly startedAt?: number;
  /** When it finished, done or failed. */
  readonly endedAt?: number;
  readonly message?: string;
}

/** How many sources each list names at most. */
export interface SummaryLimits {
  readonly slowest: number;
  readonly failures: number;
}

export const DEFAULT_SUMMARY_LIMITS: SummaryLimits = { slowest: 5, failures: 10 };

/**
 * Sums a run's sources up as counts, the slowest few and the first failures: one pass, and what
 * it returns is bounded by `limits` whatever the number of sources (5,000 agents are not 5,000 rows).
 * A source still running counts by its time so far, so a hung agent tops the list while it hangs.
 */
export function summarizeCollection(
  runs: readonly SourceRun[],
  now: number,
  limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS,
): Omit<CollectStatus, 'running' | 'schedule'> {
  const counts: { -readonly [K in keyof CollectCounts]: number } = {
    total: runs.length,
    queued: 0,
    collecting: 0,
    done: 0,
    failed: 0,
  };
  let hosts = 0;
  const slowest: SourceStatus[] = [];
  const failures: SourceStatus[] = [];
  for (const run of runs) {
    counts[run.state]++;
    hosts += run.hosts;
    const status = statusOf(run, now);
    if (run.state === 'failed' && failures.length < limits.failures) failures.push(status);
    if (status.ms !== undefined) keepSlowest(slowest, status, limits.slowest);
  }
  return { counts, hosts, slowest, failures };
}

function statusOf(run: SourceRun, now: number): SourceStatus {
  const ms = run.startedAt === undefined ? undefined : Math.max(0, Math.round((run.endedAt ?? now) - run.startedAt));
  return {
    source: run.source,
    state: run.state,
    hosts: run.hosts,
    ...(ms === undefined ? {} : { ms }),
    ...(run.message === undefined ? {} : { message: run.message }),
  };
}

/** Inserts into a list kept sorted longest first and at most `max` long (max is small: a scan is enough). */
function keepSlowest(list: SourceStatus[], s: SourceStatus, max: number): void {
  if (max <= 0) return;
  const ms = s.ms ?? 0;
  if (list.length === max && ms <= (list[max - 1]!.ms ?? 0)) return;
  let i = list.length;
  while (i > 0 && (list[i - 1]!.ms ?? 0) < ms) i--;
  list.splice(i, 0, s);
  if (list.length > max) list.pop();
}

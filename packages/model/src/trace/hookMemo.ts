import type { HookResult } from '../netfilter/evaluate.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';

/** Evaluations kept per snapshot at most; past it the memo starts over (a server traces for days). */
export const MAX_HOOK_RESULTS = 20_000;

/**
 * Hook evaluations of one snapshot, by namespace, hook, place and packet: a trace to a Service runs
 * once per endpoint, every run meets the same 5,000-rule KUBE-SERVICES with the same packet before
 * its branch differs, and the next trace asks the same again. The evaluation is pure in those (the
 * compiled rules and the namespace's addresses belong to the snapshot), so it is done once.
 */
export class HookMemo {
  private readonly results = new Map<string, HookResult>();

  /** Evaluations held. */
  get size(): number {
    return this.results.size;
  }

  get(key: string, evaluate: () => HookResult): HookResult {
    let r = this.results.get(key);
    if (r === undefined) {
      if (this.results.size >= MAX_HOOK_RESULTS) this.results.clear();
      this.results.set(key, (r = evaluate()));
    }
    return r;
  }
}

const make = (): HookMemo => new HookMemo();

/** The snapshot's memo, shared by every trace over it. */
export const hookMemoOf = (index: SnapshotIndex): HookMemo => index.derive(make);

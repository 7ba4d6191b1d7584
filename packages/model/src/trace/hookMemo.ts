import type { HookResult } from '../netfilter/evaluate.ts';

/**
 * Hook evaluations of one trace, by namespace, hook, place and packet: a trace to a Service runs
 * once per endpoint, and every run meets the same 5,000-rule KUBE-SERVICES with the same packet
 * before its branch differs. The evaluation is pure in those, so it is done once.
 */
export class HookMemo {
  private readonly results = new Map<string, HookResult>();

  get(key: string, evaluate: () => HookResult): HookResult {
    let r = this.results.get(key);
    if (r === undefined) this.results.set(key, (r = evaluate()));
    return r;
  }
}

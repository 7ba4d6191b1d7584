import { describe, expect, it } from 'vitest';
import { serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { hookMemoOf, HookMemo, MAX_HOOK_RESULTS } from './hookMemo.ts';
import { trace } from './trace.ts';

describe('hook evaluations kept per snapshot', () => {
  it('answers a repeated trace to a Service the same, without evaluating any hook again', () => {
    const c = serviceCluster();
    const index = new SnapshotIndex(c.b.snapshot());
    const first = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    const held = hookMemoOf(index).size;
    expect(held).toBeGreaterThan(0);
    const again = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    expect(again).toEqual(first);
    expect(hookMemoOf(index).size).toBe(held);
  });

  it('keeps each snapshot its own evaluations', () => {
    const a = serviceCluster();
    const b = serviceCluster();
    expect(hookMemoOf(new SnapshotIndex(a.b.snapshot()))).not.toBe(hookMemoOf(new SnapshotIndex(b.b.snapshot())));
  });

  it('starts over rather than grow past its bound', () => {
    const memo = new HookMemo();
    const accept = { verdict: 'accept', state: { mark: 0, ct: 'new', notrack: false }, events: [] } as const;
    for (let i = 0; i <= MAX_HOOK_RESULTS; i++) memo.get(String(i), () => accept);
    expect(memo.size).toBe(1);
  });
});

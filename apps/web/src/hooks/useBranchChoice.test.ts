import { describe, expect, it } from 'vitest';
import recorded from '@hoplens/model/fixtures/kube-service-endpoint-dropped.snapshot.json' with { type: 'json' };
import { readSnapshot, SnapshotIndex, trace } from '@hoplens/model';
import { branchIndex, firstBranch, withBranch } from './useBranchChoice.ts';

const traced = () =>
  trace(
    new SnapshotIndex(readSnapshot(JSON.parse(JSON.stringify(recorded)))),
    { host: 'node-a', netns: 'hl-ksvc-na-p2' },
    'default/web',
  );

describe('the branch a Service trace shows', () => {
  it('starts on the dropped endpoint, the one the trace itself follows', () => {
    const t = traced();
    const first = firstBranch(t);
    expect(t.branches?.[first]?.label).toBe('10.244.2.3:8080');
    expect(withBranch(t, first).hops).toEqual(t.hops);
  });

  it("shows a chosen endpoint's own hops, keeping the verdict of the whole Service", () => {
    const t = traced();
    const ok = withBranch(t, 0);
    expect(ok.hops).toBe(t.branches?.[0]?.hops);
    expect(ok.hops.some((h) => h.action === 'dropped')).toBe(false);
    expect(ok.verdict).toBe('dropped');
    const plain = { ...t };
    delete plain.branches;
    expect(withBranch(plain, 1)).toBe(plain);
  });

  it("opens a link's branch by its endpoint, and the trace's own where the link names none of them", () => {
    const t = traced();
    const label = t.branches![0]!.label;
    expect(branchIndex(t, label)).toBe(0);
    expect(branchIndex(t, '10.9.9.9:1')).toBe(firstBranch(t));
    expect(branchIndex(t, undefined)).toBe(firstBranch(t));
  });
});

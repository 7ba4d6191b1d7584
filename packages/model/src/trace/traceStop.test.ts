import { describe, expect, it } from 'vitest';
import type { Hop } from '../schema/trace.ts';
import { nsIn, seedBroken, seedFixed, SEED } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';
import { isDropHop, isUnknownStopHop, traceStop } from './traceStop.ts';

const hop = (action: Hop['action'], verdict: Hop['verdict'], element: string): Hop => ({
  direction: 'request',
  host: 'h',
  netns: null,
  interface: null,
  element,
  component: 'routing',
  action,
  verdict,
  reason: '',
});

describe('traceStop', () => {
  it("finds the seed's drop at the pod VM's vxlan0, and calls it a drop", () => {
    const r = trace(new SnapshotIndex(seedBroken()), SEED.worker, SEED.podIp);
    const stop = traceStop(r)!;
    expect(stop.hop).toBe(r.hops[stop.n - 1]);
    expect(stop.hop).toMatchObject({ interface: 'vxlan0', verdict: 'dropped' });
    expect(isDropHop(stop.hop)).toBe(true);
  });

  it("finds where a walk stops unknown (the pod VM's rp_filter not collected), and never calls it a drop", () => {
    // The recording has the VM's sysctls (and its reply finds no route back: dropped); without them
    // whether ens4's rp_filter passes 10.132.2.46 is not known.
    const snap = seedBroken();
    delete nsIn(snap, SEED.vm).sysctls;
    const r = trace(new SnapshotIndex(snap), SEED.podns, '192.168.200.2');
    expect(r.verdict).toBe('unknown');
    const stop = traceStop(r)!;
    expect(stop.hop).toMatchObject({ interface: 'ens4', action: 'dropped', verdict: 'unknown' });
    expect(isDropHop(stop.hop)).toBe(false);
    expect(isUnknownStopHop(stop.hop)).toBe(true);
  });

  it('has no stop for a delivered trace', () => {
    expect(traceStop(trace(new SnapshotIndex(seedFixed()), SEED.worker, SEED.podIp))).toBeUndefined();
  });

  it("takes the hop that matches the trace's verdict: a flooded copy's unknown before a drop, or a drop before an unknown step", () => {
    const unknownCopy = [hop('forwarded', 'ok', 'a'), hop('dropped', 'unknown', 'b'), hop('dropped', 'dropped', 'c')];
    expect(traceStop({ verdict: 'dropped', hops: unknownCopy })).toMatchObject({ n: 3, hop: { element: 'c' } });
    const outside = [hop('dropped', 'dropped', 'a'), hop('forwarded', 'unknown', 'b')];
    expect(traceStop({ verdict: 'unknown', hops: outside })).toMatchObject({ n: 2, hop: { element: 'b' } });
    // A delivered trace is not stopped by a copy that died on the way.
    expect(traceStop({ verdict: 'delivered', hops: unknownCopy })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { expectUnknownStop } from '../testing/unknownStop.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from '../trace/trace.ts';
import { conntrackNearFull } from './conntrackNearFull.ts';

describe('conntrack-near-full', () => {
  it('warns past 90% of the limit and is critical at it, raising the global limit on the host', () => {
    const t = twoLinkRouter();
    Object.assign(t.node.ns.sysctls!, { conntrackCount: 950, conntrackMax: 1000 });
    const [f] = conntrackNearFull.run(new SnapshotIndex(t.b.snapshot()));
    expect(f).toMatchObject({
      severity: 'warning',
      subjects: [netnsId(t.node.ref)],
      fix: 'sysctl -w net.netfilter.nf_conntrack_max=2000',
    });
    Object.assign(t.node.ns.sysctls!, { conntrackCount: 1000 });
    expect(conntrackNearFull.run(new SnapshotIndex(t.b.snapshot()))[0]).toMatchObject({ severity: 'critical' });
  });

  it('is silent below 90%, and where the counters were not collected', () => {
    const t = twoLinkRouter();
    Object.assign(t.node.ns.sysctls!, { conntrackCount: 899, conntrackMax: 1000 });
    expect(conntrackNearFull.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
  });
});

describe('a full conntrack table on the path', () => {
  it('stops a new connection unknown where it enters the namespace: it would be dropped unless an unassured entry is evicted', () => {
    const t = twoLinkRouter();
    Object.assign(t.node.ns.sysctls!, { conntrackCount: 1000, conntrackMax: 1000 });
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    const stop = expectUnknownStop(result, [
      'the states of its entries were not collected',
      'to evict: it would be tracked; none: it would be dropped (NETFILTER_DROP)',
    ]);
    expect(stop).toMatchObject({ host: 'node', component: 'conntrack', verdict: 'unknown' });
    Object.assign(t.node.ns.sysctls!, { conntrackCount: 999 });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
  });
});

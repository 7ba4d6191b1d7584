import { describe, expect, it } from 'vitest';
import { runRules } from '../rules/runRules.ts';
import { seedBroken, seedFixed, SEED } from '../testing/seedFixtures.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { withFindingFixes } from './hopFixes.ts';
import { trace } from './trace.ts';

const stopOf = (index: SnapshotIndex) =>
  withFindingFixes(trace(index, SEED.worker, SEED.podIp), runRules(index)).hops.find((h) => h.action === 'dropped');

describe('withFindingFixes', () => {
  it("keeps the seed's fix at its drop: the findings on the pod VM's vxlan0 print the same command", () => {
    const stop = stopOf(new SnapshotIndex(seedBroken()));
    expect(stop?.fix).toBe(`ip netns exec ${SEED.podns.netns} ip link set dev vxlan0 address ${SEED.podMac}`);
  });

  it("prints the neighbour fix, not a MAC change on the receiver, where the worker's ARP entry is stale", () => {
    const snap = seedFixed();
    const stale = snap.hosts
      .flatMap((h) => h.namespaces)
      .flatMap((n) => n.neighbors)
      .find((n) => n.ip === SEED.podIp && n.mac !== undefined)!;
    stale.mac = '02:00:00:de:ad:01';
    stale.state = ['STALE'];
    const index = new SnapshotIndex(snap);
    const walked = trace(index, SEED.worker, SEED.podIp).hops.find((h) => h.action === 'dropped');
    expect(walked?.fix).toContain('address 02:00:00:de:ad:01');
    expect(stopOf(index)?.fix).toBe(`ip netns exec ${SEED.worker.netns} ip neigh del ${SEED.podIp} dev ovn-k8s-pod`);
  });

  it('prints no fix at a hop no finding names', () => {
    const index = new SnapshotIndex(seedBroken());
    const result = trace(index, SEED.worker, SEED.podIp);
    expect(withFindingFixes(result, []).hops.every((h) => h.fix === undefined)).toBe(true);
  });
});

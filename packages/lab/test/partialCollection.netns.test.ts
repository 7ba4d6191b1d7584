import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { runRules, SnapshotIndex, trace, type HostMap } from '@hoplens/model';
import { labDown, labUp, ping, planLab, SEED_POD_IP } from '../src/index.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefix = newLabPrefix();

/**
 * A collection that could not read the pod VM's pod namespace (here: a path that does not exist),
 * on the seed lab without its fault, where the kernel delivers the ping. Before, the tracer found no
 * VXLAN socket on the pod VM for the worker's tunnel and said "dropped", and a rule called the
 * tunnel fatal: confident verdicts the kernel contradicts. What was not read is unknown.
 */
describe.skipIf(!canBuildNetns())('a namespace that could not be collected', () => {
  afterAll(() => labDown(prefix));

  it('makes the path through it unknown, where the kernel delivers, never dropped', async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'fixed', prefix });
    expect(await ping(`${prefix}worker`, SEED_POD_IP)).toBe(true);
    const podns = `${prefix}podns`;
    const map: HostMap = {
      hosts: plan.hostMap.hosts.map((h) => ({
        ...h,
        netns: h.netns.map((ns) => (ns === podns ? { name: podns, path: `/run/netns/${prefix}gone` } : ns)),
      })),
    };
    const snapshot = createSnapshot(await collectLocal(map), 'partial collection');
    const vm = snapshot.hosts.find((h) => h.name === 'podvm')!;
    expect(vm.namespaces.map((n) => n.name)).not.toContain(podns);
    expect(vm.errors.map((e) => e.netns)).toContain(podns);

    const index = new SnapshotIndex(snapshot);
    const result = trace(index, { host: 'worker', netns: `${prefix}worker` }, SEED_POD_IP);
    expect(result.verdict).toBe('unknown');
    expect(result.hops.at(-1)).toMatchObject({ host: 'podvm', component: 'vxlan-decap' });
    expect(result.hops.at(-1)!.reason).toContain(`podvm (collected without namespace ${podns})`);

    const findings = runRules(index);
    expect(findings.filter((f) => f.severity === 'fatal' || f.severity === 'critical')).toEqual([]);
    expect(findings.find((f) => f.rule === 'tunnel-remote-unknown')).toMatchObject({ severity: 'warning' });
    expect(findings.find((f) => f.rule === 'collection-incomplete')).toMatchObject({
      severity: 'warning',
      evidence: { host: 'podvm', missing: podns },
    });
    // The kernel, asked again after the collection: the packet is delivered.
    expect(await ping(`${prefix}worker`, SEED_POD_IP)).toBe(true);
  });

  it('claims nothing fatal where the worker’s pod namespace could not be read', async () => {
    const pod = `${prefix}pod`;
    const map: HostMap = {
      hosts: planLab({ scenario: 'seed', variant: 'fixed', prefix }).hostMap.hosts.map((h) => ({
        ...h,
        netns: h.netns.map((ns) => (ns === pod ? { name: pod, path: `/run/netns/${prefix}gone` } : ns)),
      })),
    };
    const snapshot = createSnapshot(await collectLocal(map), 'partial collection');
    expect(snapshot.hosts.find((h) => h.name === 'worker')!.errors.map((e) => e.netns)).toContain(pod);
    const index = new SnapshotIndex(snapshot);
    expect(trace(index, { host: 'worker', netns: `${prefix}worker` }, SEED_POD_IP).verdict).toBe('unknown');
    const findings = runRules(index);
    expect(findings.filter((f) => f.severity === 'fatal' || f.severity === 'critical')).toEqual([]);
    expect(await ping(`${prefix}worker`, SEED_POD_IP)).toBe(true);
  });

  it('makes it unknown too where the pod VM’s own namespace could not be read', async () => {
    // The lab from the test before, still up; its root namespace named by a name that is not there.
    const vmRoot = `${prefix}vm`;
    const map: HostMap = {
      hosts: planLab({ scenario: 'seed', variant: 'fixed', prefix }).hostMap.hosts.map((h) =>
        h.root === vmRoot ? { ...h, root: `${prefix}gone` } : h,
      ),
    };
    const snapshot = createSnapshot(await collectLocal(map), 'partial collection');
    const index = new SnapshotIndex(snapshot);
    const result = trace(index, { host: 'worker', netns: `${prefix}worker` }, SEED_POD_IP);
    expect(result.verdict).toBe('unknown');
    const findings = runRules(index);
    expect(findings.filter((f) => f.severity === 'fatal' || f.severity === 'critical')).toEqual([]);
    expect(findings.find((f) => f.rule === 'collection-incomplete')).toMatchObject({
      severity: 'warning',
      evidence: { host: 'podvm' },
    });
    expect(await ping(`${prefix}worker`, SEED_POD_IP)).toBe(true);
  });
});

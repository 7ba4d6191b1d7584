import { describe, expect, it } from 'vitest';
import { analyze } from '../snapshot/analyze.ts';
import { SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { diffSnapshots } from './diffSnapshots.ts';

describe('diffSnapshots', () => {
  it('shows the fix of the seed: the pod VM MAC changed and the MAC mismatch resolved', () => {
    const broken = analyze(seedBroken());
    const fixed = analyze(seedFixed());
    const diff = diffSnapshots(broken, fixed);
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        change: 'changed',
        what: 'interface',
        where: `podvm/${SEED.podns.netns}/vxlan0`,
        field: 'mac',
        before: SEED.vmMac,
        after: SEED.podMac,
      }),
    );
    expect(diff.findings.resolved.map((f) => f.rule)).toContain('mac-mismatch-across-tunnel');
    expect(diff.findings.added.filter((f) => f.severity === 'fatal' || f.severity === 'critical')).toEqual([]);
    const changed = diff.changes.find((c) => c.field === 'mac');
    expect(fixed.graph.nodes.some((n) => n.id === changed?.element)).toBe(true);
  });

  it('reads the other way round as the fault coming back', () => {
    const diff = diffSnapshots(analyze(seedFixed()), analyze(seedBroken()));
    expect(diff.findings.added.map((f) => f.rule)).toContain('mac-mismatch-across-tunnel');
    expect(diff.findings.resolved.map((f) => f.rule)).not.toContain('mac-mismatch-across-tunnel');
  });

  it('finds nothing between a snapshot and itself', () => {
    const a = analyze(seedBroken());
    const diff = diffSnapshots(a, a);
    expect(diff.changes).toEqual([]);
    expect(diff.findings).toEqual({ resolved: [], added: [], unchanged: a.findings.length });
  });

  it('names interfaces, routes and hosts added and removed', () => {
    const before = seedBroken();
    const after = seedBroken();
    const podns = after.hosts.find((h) => h.name === 'podvm')!.namespaces.find((n) => n.name === SEED.podns.netns)!;
    podns.links = podns.links.filter((l) => l.name !== 'vxlan0');
    podns.routes = podns.routes.slice(1);
    after.hosts = after.hosts.filter((h) => h.name !== 'worker');
    const diff = diffSnapshots(analyze(before), analyze(after));
    expect(diff.changes).toContainEqual(expect.objectContaining({ change: 'removed', what: 'host', where: 'worker' }));
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ change: 'removed', what: 'interface', where: `podvm/${SEED.podns.netns}/vxlan0` }),
    );
    expect(diff.changes.filter((c) => c.what === 'route' && c.change === 'removed')).toHaveLength(1);
  });
});

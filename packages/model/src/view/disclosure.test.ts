import { describe, expect, it } from 'vitest';
import { parseElementId, remoteId } from '../ids.ts';
import { analyze } from '../snapshot/analyze.ts';
import { bridgedOk, linkIn, SEED, seedBroken } from '../testing/seedFixtures.ts';
import type { DisclosedGraph } from '../schema/view.ts';
import { Disclosure, ViewInputError } from './disclosure.ts';

/** Every edge of a view ends at something the view draws. */
function dangling(view: DisclosedGraph): string[] {
  const ids = new Set(view.graph.nodes.map((n) => n.id));
  return view.graph.edges.filter((e) => !ids.has(e.source) || !ids.has(e.target)).map((e) => e.id);
}

describe('Disclosure', () => {
  it('draws a small snapshot whole and ignores what to expand', () => {
    const a = analyze(seedBroken());
    const view = new Disclosure(a.graph, a.findings).view([]);
    expect(view.mode).toBe('full');
    expect(view.graph).toBe(a.graph);
    expect(view.groups.every((g) => g.expanded)).toBe(true);
  });

  it('folds a peer pod VM into its node and shows the group collapsed with its worst finding', () => {
    const a = analyze(seedBroken());
    const d = new Disclosure(a.graph, a.findings, { fullLimit: 0 });
    const view = d.view([]);
    expect(view.mode).toBe('overview');
    expect(view.groups.map((g) => [g.id, g.label, g.hosts])).toEqual([
      ['host:worker', 'worker +1 pod VM', ['host:worker', 'host:podvm']],
    ]);
    expect(view.graph.nodes).toHaveLength(1);
    const box = view.graph.nodes[0]!;
    const interfaces = a.graph.nodes.filter((n) => n.kind === 'interface').length;
    expect(box).toMatchObject({
      kind: 'host',
      hostKind: 'node',
      collapsed: { hosts: 2, tunnels: 1, interfaces, severity: 'fatal' },
    });
    expect(view.graph.edges).toEqual([]);
  });

  it('sums up each group for the problem list: its pods, its findings and the worst of them', () => {
    const a = analyze(seedBroken());
    const [group] = new Disclosure(a.graph, a.findings, { fullLimit: 0 }).view([]).groups;
    const fatal = a.findings.filter((f) => f.severity === 'fatal');
    expect(fatal.length).toBeGreaterThan(0);
    expect(group?.summary).toEqual({
      pods: 1,
      findings: a.findings.length,
      severity: 'fatal',
      worst: { rule: fatal[0]!.rule, message: fatal[0]!.message },
    });
  });

  it('expands a group to every element it holds', () => {
    const a = analyze(seedBroken());
    const view = new Disclosure(a.graph, a.findings, { fullLimit: 0 }).view(['host:worker']);
    expect(view.graph.nodes.map((n) => n.id).sort()).toEqual(a.graph.nodes.map((n) => n.id).sort());
    expect(view.graph.edges).toHaveLength(a.graph.edges.length);
    expect(view.groups[0]!.expanded).toBe(true);
  });

  it('sums the edges between collapsed groups and points an expanded group’s edges at the other box', () => {
    const a = analyze(bridgedOk());
    const d = new Disclosure(a.graph, a.findings, { fullLimit: 0 });
    const collapsed = d.view([]);
    expect(collapsed.groups.map((g) => g.id)).toEqual(['host:node-a', 'host:node-b']);
    expect(dangling(collapsed)).toEqual([]);
    const between = collapsed.graph.edges.filter((e) => e.kind === 'summed');
    expect(between.length).toBeGreaterThan(0);
    const crossing = a.graph.edges.filter((e) => {
      const hostOf = (id: string) => (id.includes('node-a') ? 'a' : 'b');
      return e.kind !== 'contains' && hostOf(e.source) !== hostOf(e.target);
    });
    expect(between.reduce((n, e) => n + e.count, 0)).toBe(crossing.length);
    for (const e of between) expect(parseElementId(e.id)).toEqual({ kind: 'summed', of: e.of });

    const half = d.view(['host:node-a']);
    expect(dangling(half)).toEqual([]);
    expect(half.graph.nodes.some((n) => n.id === 'host:node-b' && n.kind === 'host' && n.collapsed)).toBe(true);
    expect(half.graph.nodes.some((n) => n.id.startsWith('if:node-a/'))).toBe(true);
    expect(half.graph.nodes.some((n) => n.id.startsWith('if:node-b/'))).toBe(false);
    expect(half.graph.edges.some((e) => e.target === 'host:node-b' || e.source === 'host:node-b')).toBe(true);
    expect(dangling(d.view(['host:node-a', 'host:node-b']))).toEqual([]);
  });

  it('draws an unknown tunnel remote with the group whose tunnel points at it', () => {
    const snap = seedBroken();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.0.2.77';
    const a = analyze(snap);
    const d = new Disclosure(a.graph, a.findings, { fullLimit: 0 });
    expect(d.view([]).graph.nodes.map((n) => n.id)).toEqual(['host:worker']);
    const open = d.view(['host:worker']);
    expect(open.graph.nodes.find((n) => n.id === remoteId('192.0.2.77'))).toMatchObject({ kind: 'remote' });
    expect(dangling(open)).toEqual([]);
  });

  it('refuses a group the snapshot does not have', () => {
    const a = analyze(bridgedOk());
    expect(() => new Disclosure(a.graph, a.findings, { fullLimit: 0 }).view(['host:nope'])).toThrow(ViewInputError);
  });
});

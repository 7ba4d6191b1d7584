import { describe, expect, it } from 'vitest';
import { analyze, Disclosure, readSnapshot, type DisclosedGraph } from '@hoplens/model';
import { seedFixed } from '@hoplens/model/testing';
import bridged from '@hoplens/model/fixtures/bridged-ok.snapshot.json' with { type: 'json' };
import { layoutPositions, POD_W, type Position } from './layoutPositions.ts';
import { CELL, viewPositions } from './viewPositions.ts';

interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}
const overlap = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
const boxAround = (ps: readonly Position[], pad: number): Box => ({
  x1: Math.min(...ps.map((p) => p.x)) - pad,
  y1: Math.min(...ps.map((p) => p.y)) - pad,
  x2: Math.max(...ps.map((p) => p.x)) + pad,
  y2: Math.max(...ps.map((p) => p.y)) + pad,
});
/** A collapsed box as the stylesheet draws it (200×90) round its position. */
const collapsedBox = (p: Position): Box => ({ x1: p.x - 100, y1: p.y - 45, x2: p.x + 100, y2: p.y + 45 });

describe('overview positions', () => {
  const a = analyze(readSnapshot(bridged));
  const disclosure = new Disclosure(a.graph, a.findings, { fullLimit: 0 });
  const leader = (v: DisclosedGraph) => v.groups[0]!.id;

  it('moves the neighbours of an expanded group aside: no box is drawn over it', () => {
    const closed = disclosure.view([]);
    const group = leader(closed);
    const open = disclosure.view([group]);
    const at = viewPositions(open);
    const inside = open.graph.nodes.flatMap((n) => (n.kind === 'host' && n.collapsed ? [] : (at.get(n.id) ?? [])));
    expect(inside.length).toBeGreaterThan(3);
    // Host and namespace boxes reach about 60 px past their leaves.
    const expanded = boxAround(inside, 60);
    for (const g of open.groups.filter((x) => !x.expanded))
      expect(overlap(collapsedBox(at.get(g.id)!), expanded), g.id).toBe(false);
  });

  it('puts every group back in its slot when the expanded one closes', () => {
    const closed = disclosure.view([]);
    const before = viewPositions(closed);
    viewPositions(disclosure.view([leader(closed)]));
    const again = viewPositions(disclosure.view([]));
    expect(again).toEqual(before);
    const xs = closed.groups.map((g) => before.get(g.id)!.x);
    expect(new Set(xs).size).toBe(Math.min(closed.groups.length, xs.length));
    expect(Math.min(...xs)).toBe(CELL.w / 2);
  });
});

describe('pods of a node', () => {
  it('never overlap, even ten in one namespace', () => {
    const seed = seedFixed();
    const [pod] = seed.pods;
    const many = {
      ...seed,
      pods: Array.from({ length: 10 }, (_, i) => ({ ...pod!, name: `web-${i}`, ips: [`10.9.0.${i}`] })),
    };
    const { graph } = analyze(readSnapshot(many));
    const at = layoutPositions(graph);
    const pods = graph.nodes.filter((n) => n.kind === 'pod').map((n) => at.get(n.id)!);
    expect(pods).toHaveLength(10);
    for (const [i, p] of pods.entries())
      for (const q of pods.slice(i + 1)) expect(Math.abs(p.x - q.x) >= POD_W || p.y !== q.y).toBe(true);
  });
});

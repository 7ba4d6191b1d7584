import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { analyze, readSnapshot, SnapshotIndex, trace } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { pathElements } from './pathElements.ts';
import { STYLESHEET } from './stylesheet.ts';
import { toElements } from './toElements.ts';

const snap = readSnapshot(broken);
const { graph, findings } = analyze(snap);

describe('toElements, headless', () => {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: STYLESHEET,
    elements: toElements(graph, findings),
  });

  it('marks both ends of the MAC mismatch as fatal and shows each MAC under its name', () => {
    const [eth0, vxlan0] = findings[0]!.subjects;
    for (const id of [eth0!, vxlan0!]) expect(cy.getElementById(id).hasClass('finding-fatal')).toBe(true);
    expect(cy.getElementById(vxlan0!).data('label')).toBe('vxlan0\n7e:e5:f7:e6:f5:1a');
    expect(cy.getElementById(eth0!).data('label')).toBe('eth0\n0a:58:0a:84:02:2e');
  });

  it('keeps the compound nesting and gives every leaf a fixed position', () => {
    const vxlan0 = cy.nodes().filter((n) => String(n.data('label')).startsWith('vxlan0'));
    expect(vxlan0.parent().data('label')).toBe('hl-seed-podns');
    expect(vxlan0.parent().parent().data('label')).toBe('podvm');
    const again = toElements(graph, findings);
    expect(again.filter((e) => e.position)).toEqual(toElements(graph, findings).filter((e) => e.position));
  });
});

describe('pathElements', () => {
  it('puts the hops and the edges between them on the path, ending at the drop', () => {
    const result = trace(new SnapshotIndex(snap), { host: 'worker', netns: 'hl-seed-worker' }, '10.132.2.46');
    const path = pathElements(graph, result, 'pod:worker/hl-seed-pod');
    expect(path.dropAt).toBe(findings[0]!.subjects[1]);
    const kinds = [...path.edges].map((id) => graph.edges.find((e) => e.id === id)?.kind).sort();
    expect(kinds).toEqual(['tc-redirect', 'underlay', 'underlay', 'underlay', 'veth']);
    expect(path.nodes.has('pod:worker/hl-seed-pod')).toBe(true);
  });
});

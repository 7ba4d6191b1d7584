import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { analyze, Disclosure, readSnapshot, remoteId, SnapshotIndex, trace } from '@hoplens/model';
import { BRIDGED, bridgedOk, linkId, linkIn, SEED, seedFixed } from '@hoplens/model/testing';
import bridged from '@hoplens/model/fixtures/bridged-ok.snapshot.json' with { type: 'json' };
import { layoutPositions } from './layoutPositions.ts';
import { viewPositions } from './viewPositions.ts';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { STYLESHEET } from './stylesheet.ts';
import { applyHighlight } from './highlight.ts';
import { mismatchLinkId } from './mismatchLinks.ts';
import { pathElements } from './pathElements.ts';
import { toElements } from './toElements.ts';

const snap = readSnapshot(broken);
const { graph, findings } = analyze(snap);

describe('toElements, headless', () => {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: STYLESHEET,
    elements: toElements(graph, findings, layoutPositions(graph)),
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
    expect(vxlan0.parent().parent().data('label')).toBe('◈ podvm');
    expect(vxlan0.parent().parent()[0]?.hasClass('host-pod-vm')).toBe(true);
    const positionsOf = () =>
      new Map(
        toElements(graph, findings, layoutPositions(graph)).flatMap((e) =>
          e.position ? [[e.data.id, e.position] as const] : [],
        ),
      );
    const positions = positionsOf();
    const leaves = cy.nodes().filter((n) => n.isChildless());
    expect(leaves.length).toBeGreaterThan(5);
    leaves.forEach((leaf) => void expect(positions.get(leaf.id()), leaf.id()).toBeDefined());
    expect(positionsOf()).toEqual(positions);
  });
});

describe('interface state', () => {
  it('greys an interface without carrier like one that is down, and leaves an up one blue', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'cni0').carrier = false;
    linkIn(snap, BRIDGED.a2, 'eth0').adminUp = false;
    const a = analyze(snap);
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: STYLESHEET,
      elements: toElements(a.graph, a.findings, layoutPositions(a.graph)),
    });
    const colour = (id: string): unknown => cy.getElementById(id).style('background-color');
    const up = colour(linkId(snap, BRIDGED.b2, 'eth0'));
    const down = colour(linkId(snap, BRIDGED.a2, 'eth0'));
    expect(down).not.toEqual(up);
    expect(colour(linkId(snap, BRIDGED.nodeA, 'cni0'))).toEqual(down);
  });
});

describe('unknown tunnel remote', () => {
  it('draws the remote no host owns as its own dashed placeholder, the tunnel to it broken with the reason', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.0.2.77';
    const a = analyze(snap);
    const els = toElements(a.graph, a.findings, layoutPositions(a.graph));
    const remote = els.find((e) => e.data.id === remoteId('192.0.2.77'));
    expect(remote).toMatchObject({ classes: 'remote', data: { label: '? unknown 192.0.2.77' } });
    expect(remote?.position).toBeDefined();
    const edge = els.find((e) => e.data.target === remoteId('192.0.2.77'));
    expect(edge?.classes).toBe('vxlan-tunnel broken');
    expect(String(edge?.data.label)).not.toMatch(/^VNI/);
  });

  it('draws it as unknown, not broken, while a host not read whole may own the remote', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.0.2.77';
    snap.hosts.push({ name: 'lost', kind: 'other', collectedAt: '', namespaces: [], errors: [{ message: 'refused' }] });
    const a = analyze(snap);
    const edge = toElements(a.graph, a.findings, layoutPositions(a.graph)).find(
      (e) => e.data.target === remoteId('192.0.2.77'),
    );
    expect(edge?.classes).toBe('vxlan-tunnel untold');
    expect(String(edge?.data.label)).toContain('lost (nothing collected) could not be read whole');
  });
});

describe('overview', () => {
  const a = analyze(readSnapshot(bridged));
  const disclosure = new Disclosure(a.graph, a.findings, { fullLimit: 0 });

  it('draws a collapsed group as one box with its counts', () => {
    const view = disclosure.view([]);
    const els = toElements(view.graph, a.findings, viewPositions(view));
    const box = els.find((e) => e.data.id === 'host:node-a');
    expect(box?.classes).toContain('collapsed');
    expect(String(box?.data.label)).toMatch(/^▣ node-a\n\d+ pods · \d+ ifs/);
    const summed = els.filter((e) => e.classes?.includes('summed'));
    expect(summed.length).toBeGreaterThan(0);
    for (const e of summed) {
      expect(e.data.weight).toBeGreaterThanOrEqual(1);
      expect(e.classes).toMatch(/^(veth|underlay|neighbor|vxlan-tunnel|tc-redirect|bridge-port) summed/);
    }
  });
});

describe('the fault at a glance', () => {
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    style: STYLESHEET,
    elements: toElements(graph, findings, layoutPositions(graph)),
  });
  const [eth0, vxlan0] = findings[0]!.subjects as [string, string];
  const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
  applyHighlight(cy, {
    path: pathElements(graph, result, 'pod:worker/hl-seed-pod'),
    severity: undefined,
    diff: undefined,
    selected: undefined,
  });

  it('links the mismatched pair with both MACs side by side, bright beside the path', () => {
    const link = cy.getElementById(mismatchLinkId(eth0, vxlan0));
    expect(link.data('label')).toBe(`${SEED.podMac} ≠ ${SEED.vmMac}`);
    expect(link.hasClass('dimmed')).toBe(false);
  });

  it('fills only where the packet dies: a finding rings its element, the drop is a filled stop sign', () => {
    const fill = (id: string): unknown => cy.getElementById(id).style('background-color');
    expect(cy.getElementById(eth0).hasClass('finding-fatal')).toBe(true);
    expect(fill(eth0)).not.toEqual(fill(vxlan0));
    expect(cy.getElementById(vxlan0).style('shape')).toBe('octagon');
    expect(cy.getElementById(eth0).style('shape')).not.toBe('octagon');
    expect(String(cy.getElementById(vxlan0).style('label'))).toMatch(/^✖ dropped\n/);
  });

  it('draws each step once, numbered, the one into the drop ending in a bar', () => {
    const steps = cy.edges('.path-step');
    expect(steps.map((e) => String(e.data('label')))).toEqual(['4', '5', '6–8', '9', '10', '10–11 tunnel']);
    expect(steps.filter('.path-drop').map((e) => String(e.data('target')))).toEqual([vxlan0]);
    expect(steps.filter('.path-drop').style('target-arrow-shape')).toBe('tee');
    expect(steps.filter('.path-request').length).toBe(steps.length);
  });
});

import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { analyze, readSnapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { layoutPositions } from './layoutPositions.ts';
import { STYLESHEET, themedStylesheet } from './stylesheet.ts';
import { toElements } from './toElements.ts';

/** The broken seed drawn headless with a stylesheet (the light one unless given). */
function drawSeed(style: cytoscape.StylesheetJson = STYLESHEET): cytoscape.Core {
  const { graph, findings } = analyze(readSnapshot(broken));
  return cytoscape({
    headless: true,
    styleEnabled: true,
    style,
    elements: toElements(graph, findings, layoutPositions(graph)),
  });
}

describe('the ARP label toggle', () => {
  it('hides the IP → MAC label of ARP edges and shows it again', () => {
    const cy = drawSeed();
    const arp = cy.edges('.neighbor');
    expect(arp.length).toBeGreaterThan(0);
    expect(String(arp.first().style('label'))).toMatch(/→/);
    arp.addClass('quiet');
    expect(arp.first().style('label')).toBe('');
    arp.removeClass('quiet');
    expect(String(arp.first().style('label'))).toMatch(/→/);
  });
});

describe('the dark theme', () => {
  it('darkens boxes and lightens text, and keeps the drop and path colours of the legend', () => {
    const draw = (theme: 'light' | 'dark') => drawSeed(themedStylesheet(theme));
    const [light, dark] = [draw('light'), draw('dark')];
    const host = (cy: cytoscape.Core) => String(cy.nodes('.host').first().style('background-color'));
    expect(host(dark)).not.toBe(host(light));
    const drop = (cy: cytoscape.Core) => {
      const n = cy.nodes('.interface').first().addClass('drop');
      return String(n.style('color'));
    };
    expect(drop(dark)).toBe(drop(light));
  });
});

describe('a compared node with a finding', () => {
  it('keeps the finding’s red ring and draws the diff mark as an outer ring around it', () => {
    const cy = drawSeed();
    const ringed = cy.nodes('.finding-fatal').first();
    expect(ringed.length).toBe(1);
    const ring = String(ringed.style('border-color'));
    ringed.addClass('diff-changed');
    expect(String(ringed.style('border-color'))).toBe(ring);
    expect(parseFloat(String(ringed.style('border-width')))).toBeGreaterThan(0);
    expect(String(ringed.style('outline-color'))).not.toBe(ring);
    expect(parseFloat(String(ringed.style('outline-width')))).toBeGreaterThan(0);
    expect(parseFloat(String(ringed.style('outline-offset')))).toBeGreaterThan(0);
  });
});

import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { analyze, readSnapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { layoutPositions } from './layoutPositions.ts';
import { STYLESHEET } from './stylesheet.ts';
import { toElements } from './toElements.ts';

describe('the ARP label toggle', () => {
  it('hides the IP → MAC label of ARP edges and shows it again', () => {
    const { graph, findings } = analyze(readSnapshot(broken));
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: STYLESHEET,
      elements: toElements(graph, findings, layoutPositions(graph)),
    });
    const arp = cy.edges('.neighbor');
    expect(arp.length).toBeGreaterThan(0);
    expect(String(arp.first().style('label'))).toMatch(/→/);
    arp.addClass('quiet');
    expect(arp.first().style('label')).toBe('');
    arp.removeClass('quiet');
    expect(String(arp.first().style('label'))).toMatch(/→/);
  });
});

import cytoscape from 'cytoscape';
import { expect, it } from 'vitest';
import { analyze } from '@hoplens/model';
import { linkId, SEED, seedBroken } from '@hoplens/model/testing';
import { layoutPositions } from './layoutPositions.ts';
import { syncElements } from './syncElements.ts';
import { toElements } from './toElements.ts';

it('puts a moved node back at its computed place on the next sync: moving it does not move the layout', () => {
  const snapshot = seedBroken();
  const { graph, findings } = analyze(snapshot);
  const defs = toElements(graph, findings, layoutPositions(graph));
  const cy = cytoscape({ headless: true });
  syncElements(cy, defs, new Map());
  const eth0 = cy.getElementById(linkId(snapshot, SEED.pod, 'eth0'));
  const placed = { ...eth0.position() };
  eth0.position({ x: placed.x + 90, y: placed.y + 60 });
  syncElements(cy, defs, new Map());
  expect(eth0.position()).toEqual(placed);
});

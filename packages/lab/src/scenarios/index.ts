import type { Scenario } from '../scenario.ts';
import { bridgedNodes } from './bridgedNodes.ts';
import { denseNode } from './denseNode.ts';
import { nodeFilters } from './nodeFilters.ts';
import { peerPodFilters } from './peerPodFilters.ts';
import { seed } from './seed.ts';

/** Every scenario the lab can build, by name. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map(
  [seed, bridgedNodes, denseNode, peerPodFilters, nodeFilters].map((s) => [s.name, s]),
);

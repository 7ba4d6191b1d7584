import type { Scenario } from '../scenario.ts';
import { arpAnswers } from './arpAnswers.ts';
import { asymmetricReturn } from './asymmetricReturn.ts';
import { bridgedNodes } from './bridgedNodes.ts';
import { bridgedTunnel } from './bridgedTunnel.ts';
import { bridgePorts } from './bridgePorts.ts';
import { cniPlugins } from './cniPlugins.ts';
import { denseNode } from './denseNode.ts';
import { ipv6Paths } from './ipv6Paths.ts';
import { kubeService } from './kubeService.ts';
import { macvlanModes } from './macvlanModes.ts';
import { ovnSeed } from './ovnSeed.ts';
import { reversePath } from './reversePath.ts';
import { routeMtu } from './routeMtu.ts';
import { nodeFilters } from './nodeFilters.ts';
import { peerPodFilters } from './peerPodFilters.ts';
import { policyRouting } from './policyRouting.ts';
import { seed } from './seed.ts';
import { serviceListener } from './serviceListener.ts';

import { tunnelConntrack } from './tunnelConntrack.ts';

/** Every scenario the lab can build, by name. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map(
  [
    seed,
    ovnSeed,
    bridgedNodes,
    denseNode,
    reversePath,
    arpAnswers,
    macvlanModes,
    ipv6Paths,
    cniPlugins,
    tunnelConntrack,
    peerPodFilters,
    nodeFilters,
    kubeService,
    serviceListener,
    asymmetricReturn,
    bridgedTunnel,
    bridgePorts,
    routeMtu,
    policyRouting,
  ].map((s) => [s.name, s]),
);

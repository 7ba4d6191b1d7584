import { expect, it } from 'vitest';
import { SEED, seedFixed } from '../testing/seedFixtures.ts';
import { inferPods } from './inferPods.ts';

it('joins the worker pod netns and the pod VM podns that share the pod IP into one peer pod', () => {
  expect(inferPods(seedFixed().hosts)).toEqual([
    {
      name: SEED.pod.netns,
      namespace: 'worker',
      ips: [SEED.podIp],
      netns: [SEED.pod, SEED.podns],
      node: 'worker',
      inferred: true,
    },
  ]);
});

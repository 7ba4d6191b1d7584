import { describe, expect, it } from 'vitest';
import { SEED, seedFixed } from '../testing/seedFixtures.ts';
import { bridgedOk } from '../testing/seedFixtures.ts';
import { joinPods } from './joinPods.ts';

describe('joinPods', () => {
  it('names the peer pod after Kubernetes, keeping both its namespaces, worker first', () => {
    const pods = joinPods(seedFixed().hosts, [
      { name: 'nginx-7d', namespace: 'shop', ips: [SEED.podIp], node: 'worker', hostNetwork: false },
    ]);
    expect(pods).toEqual([
      {
        name: 'nginx-7d',
        namespace: 'shop',
        ips: [SEED.podIp],
        netns: [SEED.pod, SEED.podns],
        node: 'worker',
        inferred: false,
      },
    ]);
  });

  it('leaves namespaces Kubernetes does not claim inferred, and ignores host-network pods', () => {
    const pods = joinPods(bridgedOk().hosts, [
      { name: 'api', namespace: 'default', ips: ['10.244.1.2'], node: 'node-a', hostNetwork: false },
      { name: 'kube-proxy', namespace: 'kube-system', ips: ['192.168.210.1'], node: 'node-a', hostNetwork: true },
      { name: 'gone', namespace: 'default', ips: ['10.244.9.9'], node: 'node-c', hostNetwork: false },
    ]);
    expect(pods.filter((p) => !p.inferred).map((p) => `${p.namespace}/${p.name}@${p.node}`)).toEqual([
      'default/api@node-a',
    ]);
    expect(pods.filter((p) => p.inferred)).toHaveLength(3);
    expect(pods.some((p) => p.name === 'kube-proxy' || p.name === 'gone')).toBe(false);
  });
});

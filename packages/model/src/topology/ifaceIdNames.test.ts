import { describe, expect, it } from 'vitest';
import { OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import { ifaceIdNames, parseIfaceId } from './ifaceIdNames.ts';
import { inferPods } from './inferPods.ts';

describe('pods named by their switch port', () => {
  it('names each pod, the peer pod too, after the iface-id OVN-K set on its port', () => {
    const pods = inferPods(ovnSeed('ok').hosts);
    expect(pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(['default/a', 'default/b', 'default/seed']);
    expect(pods.find((p) => p.name === 'seed')?.netns).toEqual([OVN.pod, OVN.podns]);
  });

  it('takes no name from a port OVN has not bound', () => {
    const names = ifaceIdNames(ovnSeed('iface-id-unknown').hosts[0]!);
    expect(names.has(OVN.podA.netns)).toBe(false);
    expect(names.get(OVN.podB.netns)).toEqual({ namespace: 'default', name: 'b', ifaceId: 'default_b' });
  });

  it('reads only ids shaped like a namespace and a pod', () => {
    expect(parseIfaceId('kube-system_coredns-5d78c9869d-xv2kq')).toMatchObject({
      namespace: 'kube-system',
      name: 'coredns-5d78c9869d-xv2kq',
    });
    for (const id of ['k8s-worker', '_x', 'Default_a', 'a_', 'ns_pod;rm -rf']) expect(parseIfaceId(id)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { kubeApiObjects } from '../testing/kubeApiObjects.ts';
import { kubeProxyTables } from '../testing/kubeProxyRuleset.ts';
import { EMPTY, serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { kubeProxyNotSynced } from './kubeProxyNotSynced.ts';

function findings(api: ReturnType<typeof kubeApiObjects> | undefined) {
  const c = serviceCluster(kubeProxyTables([WEB, EMPTY]));
  const snap = c.b.snapshot();
  if (api) snap.kubernetes = api;
  return { na: c.na, found: kubeProxyNotSynced.run(new SnapshotIndex(snap)) };
}

describe('kube-proxy not synced with the Kubernetes API', () => {
  it('says nothing where the EndpointSlices and the rules agree, or there is no kubeconfig', () => {
    expect(findings(kubeApiObjects([WEB, EMPTY])).found).toEqual([]);
    expect(findings(undefined).found).toEqual([]);
  });

  it("names an endpoint an EndpointSlice lists that the node's rules lack, and one the rules keep that no slice lists", () => {
    const moved = (s: typeof WEB) => (s === WEB ? ['10.244.2.5', '10.244.2.9', '10.244.2.21'] : s.endpoints);
    const { na, found } = findings(kubeApiObjects([WEB, EMPTY], moved));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      rule: 'kube-proxy-not-synced',
      severity: 'warning',
      subjects: [netnsId(na.ref)],
    });
    expect(found[0]!.message).toContain('shop/web:p80: endpoint 10.244.2.21:80 is ready but has no rule');
    expect(found[0]!.message).toContain(
      'shop/web:p80: the rules still DNAT to 10.244.2.13:80, which no EndpointSlice lists',
    );
  });

  it("names a Service the API lists that the node's rules do not program at all", () => {
    const db = { namespace: 'shop', name: 'db', port: 5432, clusterIp: '10.96.0.20', endpoints: ['10.244.2.9'] };
    const { found } = findings(kubeApiObjects([WEB, EMPTY, db]));
    expect(found[0]?.message).toContain('shop/db:p5432 has no rules on this node (1 ready endpoints)');
  });
});

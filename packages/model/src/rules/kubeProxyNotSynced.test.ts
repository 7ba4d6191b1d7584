import { describe, expect, it } from 'vitest';
import { netnsId } from '../ids.ts';
import { kubeApiObjects } from '../testing/kubeApiObjects.ts';
import { NFT_NODE, recordedNftSnapshot } from '../testing/kubeProxyNftRecorded.ts';
import { kubeProxyTables, type KubeService } from '../testing/kubeProxyRuleset.ts';
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

  it('does not say no slice lists an endpoint when some API objects were left out (past the bound, not valid)', () => {
    const moved = (s: typeof WEB) => (s === WEB ? ['10.244.2.5', '10.244.2.9', '10.244.2.21'] : s.endpoints);
    const api = { ...kubeApiObjects([WEB, EMPTY], moved), skipped: 1 };
    const { found } = findings(api);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('shop/web:p80: endpoint 10.244.2.21:80 is ready but has no rule');
    expect(found[0]!.message).not.toContain('which no EndpointSlice lists');
  });

  it("names a Service the API lists that the node's rules do not program at all", () => {
    const db = { namespace: 'shop', name: 'db', port: 5432, clusterIp: '10.96.0.20', endpoints: ['10.244.2.9'] };
    const { found } = findings(kubeApiObjects([WEB, EMPTY, db]));
    expect(found[0]?.message).toContain('shop/db:p5432 has no rules on this node (1 ready endpoints)');
  });
});

describe('kube-proxy not synced, in nftables mode and under Local traffic policies', () => {
  /** The Services of the recorded kube-service lab (nftables mode), as the API would list them. */
  const eps = ['10.244.1.3', '10.244.2.2', '10.244.2.3'];
  const LAB: KubeService[] = [
    { namespace: 'default', name: 'web', port: 80, targetPort: 8080, clusterIp: '10.96.0.10', endpoints: eps },
    {
      namespace: 'default',
      name: 'dns',
      port: 53,
      protocol: 'udp',
      targetPort: 5353,
      clusterIp: '10.96.0.53',
      endpoints: eps,
    },
    {
      namespace: 'default',
      name: 'db',
      port: 5432,
      targetPort: 8080,
      clusterIp: '10.96.0.32',
      endpoints: eps.slice(1),
    },
    { namespace: 'default', name: 'empty', port: 80, clusterIp: '10.96.0.20', endpoints: [] },
    {
      namespace: 'default',
      name: 'self',
      port: 80,
      targetPort: 8080,
      clusterIp: '10.96.0.40',
      endpoints: ['10.244.1.2'],
    },
  ];
  const recorded = (api: ReturnType<typeof kubeApiObjects>) => {
    const snap = recordedNftSnapshot();
    snap.kubernetes = api;
    return kubeProxyNotSynced.run(new SnapshotIndex(snap));
  };

  it("reads nftables mode's Service chains: in sync with the slices, nothing; an endpoint moved, both named", () => {
    expect(recorded(kubeApiObjects(LAB))).toEqual([]);
    const moved = (s: KubeService) => (s.name === 'db' ? ['10.244.2.2', '10.244.2.9'] : s.endpoints);
    const found = recorded(kubeApiObjects(LAB, moved));
    expect(found).toHaveLength(1);
    expect(found[0]!.subjects).toEqual([netnsId(NFT_NODE)]);
    expect(found[0]!.message).toContain('default/db:p5432: endpoint 10.244.2.9:8080 is ready but has no rule');
    expect(found[0]!.message).toContain(
      'default/db:p5432: the rules still DNAT to 10.244.2.3:8080, which no EndpointSlice lists',
    );
    expect(found[0]!.message).not.toContain('default/empty');
  });

  it("does not miss the other nodes' endpoints under internalTrafficPolicy Local, but names a local one no slice lists", () => {
    const local = { ...WEB, internalLocal: true, localEndpoints: [WEB.endpoints[0]!] };
    const c = serviceCluster(kubeProxyTables([local]));
    const run = (api: ReturnType<typeof kubeApiObjects>) => {
      const snap = c.b.snapshot();
      snap.kubernetes = api;
      return kubeProxyNotSynced.run(new SnapshotIndex(snap));
    };
    expect(run(kubeApiObjects([local]))).toEqual([]);
    const gone = run(kubeApiObjects([local], (s) => s.endpoints.slice(1)));
    expect(gone[0]?.message).toContain(`the rules still DNAT to ${WEB.endpoints[0]!}:80, which no EndpointSlice lists`);
    expect(gone[0]?.message).not.toContain('is ready but has no rule');
    // Dropped for want of a local endpoint: programmed, with none of the others'.
    const none = serviceCluster(kubeProxyTables([{ ...local, localEndpoints: [] }])).b.snapshot();
    none.kubernetes = kubeApiObjects([local]);
    expect(kubeProxyNotSynced.run(new SnapshotIndex(none))).toEqual([]);
  });
});

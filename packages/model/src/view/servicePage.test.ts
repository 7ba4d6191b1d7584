import { describe, expect, it } from 'vitest';
import recorded from '../../fixtures/kube-service-endpoint-dropped.snapshot.json' with { type: 'json' };
import { readSnapshot } from '../snapshot/readSnapshot.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { servicePage } from './servicePage.ts';

const index = () => new SnapshotIndex(readSnapshot(JSON.parse(JSON.stringify(recorded))));

describe('servicePage', () => {
  it("lists each Service port kube-proxy's recorded rules program, with its ClusterIP, protocol and port", () => {
    expect(servicePage(index(), {})).toEqual({
      services: [
        { key: 'default/db:p5432', clusterIp: '10.96.0.32', proto: 'tcp', port: 5432 },
        { key: 'default/dns:p53', clusterIp: '10.96.0.53', proto: 'udp', port: 53 },
        { key: 'default/empty:p80', clusterIp: '10.96.0.20', proto: 'tcp', port: 80 },
        { key: 'default/self:p80', clusterIp: '10.96.0.40', proto: 'tcp', port: 80 },
        { key: 'default/web:p80', clusterIp: '10.96.0.10', proto: 'tcp', port: 80 },
      ],
      total: 5,
    });
  });

  it('finds a Service by part of its name or its ClusterIP, and none for an unknown name', () => {
    const idx = index();
    expect(servicePage(idx, { q: 'WEB' }).services.map((s) => s.key)).toEqual(['default/web:p80']);
    expect(servicePage(idx, { q: '10.96.0.53' }).services.map((s) => s.key)).toEqual(['default/dns:p53']);
    expect(servicePage(idx, { q: 'postgres' })).toEqual({ services: [], total: 0 });
    expect(servicePage(idx, { limit: 1 })).toMatchObject({ total: 5, services: [{ key: 'default/db:p5432' }] });
  });
});

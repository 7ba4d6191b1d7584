import { describe, expect, it } from 'vitest';
import { kubeServicePorts } from '../../kube/kubeServices.ts';
import type { JsonValue, NftTable } from '../../schema/firewall.ts';
import { kubeProxyTableOf, NFT_CLIENT, recordedNftSnapshot } from '../../testing/kubeProxyNftRecorded.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { servicePage } from '../../view/servicePage.ts';
import { trace } from '../trace.ts';

const WEB_ENDPOINTS = ['10.244.1.3:8080', '10.244.2.2:8080', '10.244.2.3:8080'];

/**
 * `count` more Services in `table ip kube-proxy`, each a copy of web's chains (its Service chain and
 * its three endpoint chains, as nft printed them) with its own ClusterIP, endpoints and names.
 */
function addServices(t: NftTable, count: number): void {
  const svc = t.chains.find((c) => c.name.includes('default/web/'))!.name;
  const ips = t.sets.find((s) => s.name === 'service-ips')!;
  const webRules = t.rules.filter((r) => r.chain.includes('default/web/'));
  const webChains = t.chains.filter((c) => c.name.includes('default/web/'));
  let handle = 100_000;
  for (let i = 0; i < count; i++) {
    const clusterIp = `10.97.${i >> 8}.${i & 255}`;
    const rename = (text: string): string =>
      WEB_ENDPOINTS.reduce(
        (out, ep, k) =>
          out.replaceAll(ep.replace(/:\d+$/, ''), `10.${246 + (i >> 14)}.${(i >> 6) & 255}.${(i & 63) * 4 + k}`),
        text.replaceAll('default/web/', `bulk/s${i}/`).replaceAll('10.96.0.10', clusterIp),
      );
    const copy = (v: JsonValue): JsonValue => JSON.parse(rename(JSON.stringify(v))) as JsonValue;
    for (const c of webChains) t.chains.push({ ...c, name: rename(c.name), handle: handle++ });
    for (const r of webRules) t.rules.push({ ...r, chain: rename(r.chain), handle: handle++, expr: r.expr.map(copy) });
    ips.elem.push([{ concat: [clusterIp, 'tcp', 80] }, { goto: { target: rename(svc) } }]);
  }
}

describe("kube-proxy's nftables mode, as the lab recorded it (scripts/record-kube-proxy-nft.sh)", () => {
  it('names every Service port from service-ips and no-endpoint-services, the empty one by its comment', () => {
    const ports = kubeServicePorts(new SnapshotIndex(recordedNftSnapshot()));
    expect(ports.map((p) => `${p.key} ${p.clusterIp} ${p.proto}/${p.port}`).sort()).toEqual([
      'default/db:p5432 10.96.0.32 tcp/5432',
      'default/dns:p53 10.96.0.53 udp/53',
      'default/empty:p80 10.96.0.20 tcp/80',
      'default/self:p80 10.96.0.40 tcp/80',
      'default/web:p80 10.96.0.10 tcp/80',
    ]);
  });

  it("lists them on the API's Service page as it lists iptables mode's", () => {
    const page = servicePage(new SnapshotIndex(recordedNftSnapshot()), { q: 'web' });
    expect(page).toEqual({
      services: [{ key: 'default/web:p80', clusterIp: '10.96.0.10', proto: 'tcp', port: 80 }],
      total: 1,
    });
  });

  it('traces web by name through numgen random to each of its three endpoints, each delivered', () => {
    const r = trace(new SnapshotIndex(recordedNftSnapshot()), NFT_CLIENT, 'default/web:p80');
    expect(r).toMatchObject({ to: '10.96.0.10', proto: 'tcp', port: 80, verdict: 'delivered' });
    expect(r.branches?.map((b) => [b.label, b.verdict])).toEqual(WEB_ENDPOINTS.map((l) => [l, 'delivered']));
  });

  it("rejects the Service without endpoints where kube-proxy's reject-chain does, and says so", () => {
    const r = trace(new SnapshotIndex(recordedNftSnapshot()), NFT_CLIENT, 'default/empty:p80');
    expect(r.verdict).toBe('dropped');
    const stop = r.hops.find((h) => h.verdict !== 'ok')!;
    expect(stop.rule).toMatchObject({ backend: 'nftables', chain: 'reject-chain' });
    expect(stop.reason).toContain('reject');
  });

  it('finds web among 100,000 rules and still traces each of its endpoints', () => {
    const snap = recordedNftSnapshot();
    const t = kubeProxyTableOf(snap);
    addServices(t, 20_000);
    expect(t.rules.length).toBeGreaterThanOrEqual(100_000);
    const r = trace(new SnapshotIndex(snap), NFT_CLIENT, 'default/web:p80');
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => b.label)).toEqual(WEB_ENDPOINTS);
    // Compiling 100,000 nft rules takes 5 s on an idle machine, 20 s+ under the shared load.
  }, 180_000);

  it('answers unknown, naming the loop, where an endpoint chain jumps back to its Service chain', () => {
    const snap = recordedNftSnapshot();
    const t = kubeProxyTableOf(snap);
    const svc = t.chains.find((c) => c.name.startsWith('service-') && c.name.includes('default/web/'))!.name;
    const ep = t.chains.find((c) => c.name.startsWith('endpoint-') && c.name.includes('default/web/'))!.name;
    t.rules.unshift({ chain: ep, handle: 99_999, expr: [{ jump: { target: svc } }] });
    const r = trace(new SnapshotIndex(snap), NFT_CLIENT, 'default/web:p80');
    expect(r.verdict).toBe('unknown');
    expect(r.hops.at(-1)?.reason).toContain('the chains loop');
  });
});

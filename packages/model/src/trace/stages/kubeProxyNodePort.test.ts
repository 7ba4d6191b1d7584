import { describe, expect, it } from 'vitest';
import recorded from '../../../fixtures/kube-service-nodeport.snapshot.json' with { type: 'json' };
import type { TraceBranch } from '../../schema/trace.ts';
import { readSnapshot } from '../../snapshot/readSnapshot.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

/** The kube-service lab's `ok` (iptables mode), recorded by scripts/record-kube-service-nodeport.sh. */
const index = (): SnapshotIndex => new SnapshotIndex(readSnapshot(JSON.parse(JSON.stringify(recorded))));
/** node-b's root: outside node-a, where no kube-proxy rule applies to node-a's address. */
const NODE_B = { host: 'node-b', netns: 'hl-knp-nb' } as const;
const ENDPOINTS = ['10.244.1.3:8080', '10.244.2.2:8080', '10.244.2.3:8080'];

const branch = (branches: readonly TraceBranch[] | undefined, label: string): TraceBranch => {
  const b = branches?.find((x) => x.label === label);
  if (!b) throw new Error(`no branch ${label}`);
  return b;
};

describe("a connection to a NodePort or an ExternalIP through kube-proxy's iptables NAT", () => {
  it("traces node-a's address:NodePort from node-b to every endpoint, each delivered and answered", () => {
    const r = trace(index(), NODE_B, '192.168.210.1', { proto: 'tcp', port: 30080 });
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => [b.label, b.verdict])).toEqual(ENDPOINTS.map((ep) => [ep, 'delivered']));
    const dnat = branch(r.branches, ENDPOINTS[1]!).hops.find(
      (h) => h.component === 'nat' && h.reason.startsWith('destination'),
    );
    expect(dnat?.reason).toBe(
      "destination 192.168.210.1:30080 → 10.244.2.2:8080 (DNAT); conntrack rewrites the reply's source back",
    );
  });

  it('masquerades the connection (KUBE-EXT-… marks it): the endpoint answers node-a, not node-b', () => {
    const r = trace(index(), NODE_B, '192.168.210.1', { proto: 'tcp', port: 30080 });
    const masq = (label: string): string | undefined =>
      branch(r.branches, label).hops.find((h) => h.component === 'nat' && h.reason.startsWith('source'))?.reason;
    expect(masq(ENDPOINTS[0]!)).toMatch(/^source 192\.168\.210\.2 → 10\.244\.1\.1 \(MASQUERADE\)/);
    expect(masq(ENDPOINTS[2]!)).toMatch(/^source 192\.168\.210\.2 → 192\.168\.210\.1 \(MASQUERADE\)/);
  });

  it("un-DNATs a bridged endpoint's reply at POSTROUTING, after routing it: node-a's own address is no martian source then", () => {
    const r = trace(index(), NODE_B, '192.168.210.1', { proto: 'tcp', port: 30080 });
    const back = branch(r.branches, ENDPOINTS[0]!).hops.filter((h) => h.direction === 'reply');
    const routed = back.findIndex((h) => h.netns === 'hl-knp-na' && h.component === 'routing');
    const unDnat = back.findIndex((h) => h.reason.startsWith("conntrack rewrites the reply's source"));
    expect(back[unDnat]).toMatchObject({
      interface: 'ens3',
      reason: "conntrack rewrites the reply's source 10.244.1.3:8080 → 192.168.210.1:30080",
    });
    expect(routed).toBeGreaterThan(-1);
    expect(unDnat).toBeGreaterThan(routed);
    expect(back.at(-1)).toMatchObject({ netns: 'hl-knp-nb', component: 'local-delivery', verdict: 'ok' });
  });

  it('traces the ExternalIP routed to node-a the same way, by its `external IP` rule', () => {
    const r = trace(index(), NODE_B, '203.0.113.10', { proto: 'tcp', port: 80 });
    expect(r.branches?.map((b) => [b.label, b.verdict])).toEqual(ENDPOINTS.map((ep) => [ep, 'delivered']));
    const rules = branch(r.branches, ENDPOINTS[0]!).hops.flatMap((h) => (h.rule ? [h.rule.chain] : []));
    expect(rules.some((c) => c.startsWith('KUBE-SEP-'))).toBe(true);
    const reasons = branch(r.branches, ENDPOINTS[0]!)
      .hops.map((h) => h.reason)
      .join('\n');
    expect(reasons).toContain('KUBE-MARK-MASQ');
  });

  it("rejects a NodePort without endpoints where kube-proxy does: in the input hook's KUBE-EXTERNAL-SERVICES", () => {
    const r = trace(index(), NODE_B, '192.168.210.1', { proto: 'tcp', port: 30020 });
    expect(r.verdict).toBe('dropped');
    const stop = r.hops.at(-1)!;
    expect(stop).toMatchObject({ netns: 'hl-knp-na', dropReason: 'NETFILTER_DROP' });
    expect(stop.reason).toContain('rejects it (the kernel answers icmp-port-unreachable)');
    expect(stop.rule).toMatchObject({ chain: 'KUBE-EXTERNAL-SERVICES', comment: 'default/empty:p80 has no endpoints' });
  });

  it('leaves another port of node-a alone: only the NodePort is rewritten', () => {
    const r = trace(index(), NODE_B, '192.168.210.1', { proto: 'tcp', port: 30081 });
    expect(r.branches).toBeUndefined();
    expect(r.hops.some((h) => h.component === 'nat')).toBe(false);
  });
});

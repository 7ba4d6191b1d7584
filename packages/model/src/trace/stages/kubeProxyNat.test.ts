import { describe, expect, it } from 'vitest';
import { EMPTY, serviceCluster, WEB } from '../../testing/serviceCluster.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const toWeb = { proto: 'tcp', port: 80 } as const;

describe("a connection to a Service through kube-proxy's iptables NAT", () => {
  it('traces every endpoint as its own branch, each a third likely, each delivered and answered', () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => [b.label, b.verdict])).toEqual(WEB.endpoints.map((ep) => [`${ep}:80`, 'delivered']));
    for (const b of r.branches ?? []) expect(b.probability).toBeCloseTo(1 / 3, 6);
    expect(r.summary).toBe('3 of 3 branches delivered');
  });

  it('rewrites the destination at PREROUTING of the node and delivers the SYN to the endpoint', () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    const second = r.branches![1]!;
    const dnat = second.hops.find((h) => h.component === 'nat' && h.reason.startsWith('destination'));
    expect(dnat).toMatchObject({ netns: 'na', interface: 'vc', direction: 'request' });
    expect(dnat?.reason).toBe(
      "destination 10.96.0.10:80 → 10.244.2.9:80 (DNAT); conntrack rewrites the reply's source back",
    );
    expect(dnat?.rule?.chain).toMatch(/^KUBE-SEP-/);
    const delivered = second.hops.find((h) => h.direction === 'request' && h.component === 'local-delivery');
    expect(delivered).toMatchObject({ netns: 'ep1' });
  });

  it("un-NATs the SYN-ACK on its way back: the client sees it come from the Service's address", () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    const back = r.branches![0]!.hops.filter((h) => h.direction === 'reply');
    const unnat = back.find((h) => h.component === 'nat');
    expect(unnat).toMatchObject({ netns: 'na' });
    expect(unnat?.reason).toBe("conntrack rewrites the reply's source 10.244.2.5:80 → 10.96.0.10:80");
    expect(back.at(-1)).toMatchObject({ netns: 'client', component: 'local-delivery', verdict: 'ok' });
  });

  it('says which endpoint fails when one of three drops the connection, and counts the others', () => {
    const c = serviceCluster();
    c.endpoints[2]!.ns.firewall = {
      nftables: [],
      iptables: [
        {
          family: 'ipv4',
          backend: 'nft',
          name: 'filter',
          chains: [{ name: 'INPUT', policy: 'ACCEPT', packets: 0, bytes: 0 }],
          rules: [
            { chain: 'INPUT', args: ['-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DROP'], packets: 0, bytes: 0 },
          ],
        },
      ],
      ipsets: [],
      gaps: [],
    };
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    expect(r.verdict).toBe('dropped');
    expect(r.branches?.map((b) => b.verdict)).toEqual(['delivered', 'delivered', 'dropped']);
    expect(r.summary).toBe('2 of 3 branches delivered; 10.244.2.13:80 dropped at nb/ep2/eth0 (netfilter)');
    // The trace's own hops are the failing branch's.
    expect(r.hops.at(-1)).toMatchObject({ netns: 'ep2', verdict: 'dropped', dropReason: 'NETFILTER_DROP' });
  });

  it('rejects a Service without endpoints where kube-proxy does, in filter KUBE-SERVICES', () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, EMPTY.clusterIp, { proto: 'tcp', port: 81 });
    expect(r.verdict).toBe('dropped');
    expect(r.branches).toBeUndefined();
    const stop = r.hops.at(-1)!;
    expect(stop.reason).toContain('rejects it (the kernel answers icmp-port-unreachable)');
    expect(stop.rule).toMatchObject({
      table: 'filter',
      chain: 'KUBE-SERVICES',
      comment: 'shop/empty:p81 has no endpoints',
    });
  });

  it("masquerades a host's own connection (not from the cluster CIDR) and un-SNATs the reply", () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.na.ref, WEB.clusterIp, toWeb);
    expect(r.verdict).toBe('delivered');
    const b = r.branches![0]!;
    const masq = b.hops.find((h) => h.component === 'nat' && h.reason.startsWith('source'));
    expect(masq?.reason).toMatch(/^source 192\.168\.50\.1 → 192\.168\.50\.1 \(MASQUERADE\)/);
    expect(b.hops.filter((h) => h.direction === 'reply').at(-1)).toMatchObject({ netns: 'na', verdict: 'ok' });
  });

  it('leaves a ping to the ClusterIP alone: kube-proxy only rewrites the Service port', () => {
    const c = serviceCluster();
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp);
    expect(r.branches).toBeUndefined();
    expect(r.hops.some((h) => h.component === 'nat')).toBe(false);
  });
});

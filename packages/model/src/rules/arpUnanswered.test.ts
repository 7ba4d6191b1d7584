import { describe, expect, it } from 'vitest';
import { interfaceId } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { calicoNode } from '../testing/calicoNode.ts';
import type { NetBuilder } from '../testing/netBuilder.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { arpUnanswered } from './arpUnanswered.ts';
import { ovsPortMissing } from './ovsPortMissing.ts';
import { deviceId, OVN, ovnSeed } from '../testing/ovnFixtures.ts';
import type { Snapshot } from '../schema/snapshot.ts';

const run = (t: { readonly b: NetBuilder }): Finding[] => arpUnanswered.run(new SnapshotIndex(t.b.snapshot()));

describe('arp-unanswered', () => {
  it('turns proxy_arp on where a pod gateway nobody holds gets no answer', () => {
    const t = calicoNode();
    const [f, ...rest] = run(t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      subjects: [
        interfaceId(t.b.ref(t.node, t.b.dev(t.node, 'cali0'))),
        interfaceId(t.b.ref(t.pod, t.b.dev(t.pod, 'eth0'))),
      ],
      fix: 'ip netns exec node sysctl -w net.ipv4.conf.cali0.proxy_arp=1',
      evidence: { cause: 'proxy-arp' },
    });
  });

  it('puts the gateway on the device asked where arp_ignore=1 hides it', () => {
    const t = calicoNode({ gateway: '10.244.1.1', onLo: true });
    t.b.conf(t.node, 'all', { ipv4: { arpIgnore: 1 } });
    expect(run(t)[0]).toMatchObject({ fix: 'ip netns exec node ip addr add 10.244.1.1/32 dev cali0' });
  });

  it('makes the sender speak from its own address where arp_filter refuses another', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.node.ns.routes.find((r) => r.dst === '10.250.0.1')!.prefsrc = '192.168.50.1';
    t.b.conf(t.gw, 'all', { ipv4: { arpFilter: 1 } });
    expect(run(t)[0]).toMatchObject({ fix: 'ip netns exec node sysctl -w net.ipv4.conf.ens4.arp_announce=2' });
  });

  it('is silent where ARP is answered, and where a neighbour entry spares the question', () => {
    const ok = calicoNode();
    ok.b.conf(ok.node, 'cali0', { ipv4: { proxyArp: 1 } });
    expect(run(ok)).toEqual([]);
    const entry = calicoNode();
    entry.b.neighbor(entry.pod, 'eth0', '169.254.1.1', entry.b.dev(entry.node, 'cali0').mac!);
    expect(run(entry)).toEqual([]);
  });
});

describe('arp-unanswered on an OVN-K node', () => {
  const podB = (s: Snapshot): string => deviceId(s, OVN.podB, 'eth0');
  const vethB = (s: Snapshot): string => deviceId(s, OVN.worker, 'veth-b');

  it('leaves a pod veth missing from its node’s Open vSwitch bridge to ovs-port-missing, which names that cause', () => {
    const s = ovnSeed('port-missing');
    const index = new SnapshotIndex(s);
    expect(arpUnanswered.run(index)).toEqual([]);
    expect(ovsPortMissing.run(index).map((f) => f.subjects)).toEqual([[vethB(s), podB(s)]]);
  });

  it('still reports the same refusal where no switch is meant to carry the pods (no iface-id ports)', () => {
    const s = ovnSeed('port-missing');
    for (const h of s.hosts)
      for (const b of h.ovs?.bridges ?? [])
        for (const p of b.ports) for (const i of p.interfaces) delete i.externalIds['iface-id'];
    // As collected (the lab makes no proxy neighbour entry): the refusal is certain, and reported.
    expect(ovsPortMissing.run(new SnapshotIndex(s))).toEqual([]);
    expect(arpUnanswered.run(new SnapshotIndex(s))).toMatchObject([
      { subjects: [vethB(s), podB(s)], evidence: { cause: 'proxy-arp' } },
    ]);
    // A snapshot taken before proxy neighbour entries were collected: whether one would answer is
    // not known, so the refusal is no certain one and nothing is reported.
    for (const h of s.hosts) for (const ns of h.namespaces) delete ns.proxyNeighbors;
    expect(arpUnanswered.run(new SnapshotIndex(s))).toEqual([]);
    for (const h of s.hosts) for (const ns of h.namespaces) ns.proxyNeighbors = [];
    expect(arpUnanswered.run(new SnapshotIndex(s))).toMatchObject([
      { subjects: [vethB(s), podB(s)], evidence: { cause: 'proxy-arp' } },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const masquerade = { family: 'ip', table: 'nat', chain: 'POSTROUTING', hook: 'postrouting', priority: 100 };
const atOutput = { ...masquerade, chain: 'OUTPUT', hook: 'output' };

/** The two-link router whose node lists NAT chains but not its firewall (a snapshot of that time). */
function natOnly(chains: (typeof masquerade)[]): ReturnType<typeof twoLinkRouter> {
  const t = twoLinkRouter();
  t.node.ns.natChains = chains;
  delete t.node.ns.firewall;
  return t;
}

describe('NAT on the path in a snapshot with NAT chains but without firewall rules', () => {
  it('stops unknown where a new connection meets a NAT chain, naming it', () => {
    const t = natOnly([atOutput]);
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.node.ref, '10.250.0.1');
    const stop = expectUnknownStop(result, ['ip nat OUTPUT']);
    expect(stop).toMatchObject({ host: 'node', component: 'nat', verdict: 'unknown' });
    expect(stop.reason).toBe(
      'NAT: ip nat OUTPUT may rewrite this packet at output, and this snapshot holds no firewall rules to tell how (collected before hoplens read them: collect again)',
    );
  });

  it('stops at the first hook of that namespace whatever NAT chains it lists: its rules are not known', () => {
    for (const chains of [[masquerade], [atOutput], []]) {
      const t = natOnly(chains);
      // The pod's packet, to be forwarded by the node: the pod's ARP for its gateway meets the
      // node's first hook (netdev ingress on vp), so whether the gateway answers is not known.
      const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
      const stop = expectUnknownStop(result, ['firewall of this namespace']);
      expect(stop).toMatchObject({ netns: 'pod', component: 'neighbor', verdict: 'unknown' });
      expect(stop.reason).toContain('(at vp: netdev ingress hook: the firewall of this namespace');
    }
  });

  it('minds the family: an ip6 chain does not touch IPv4', () => {
    const v6 = natOnly([{ ...atOutput, family: 'ip6' }]);
    const own = trace(new SnapshotIndex(v6.b.snapshot()), v6.node.ref, '10.250.0.1');
    // Past the NAT check, at the OUTPUT hook itself: still unknown, for the rules not collected.
    expect(expectUnknownStop(own, ['firewall of this namespace']).component).toBe('netfilter');
    const inet = natOnly([{ ...atOutput, family: 'inet' }]);
    const both = trace(new SnapshotIndex(inet.b.snapshot()), inet.node.ref, '10.250.0.1');
    expect(expectUnknownStop(both, ['inet nat OUTPUT']).component).toBe('nat');
  });
});

describe('a DNAT in OUTPUT to an address of the namespace itself', () => {
  it('is routed to lo and taken there (ip_route_me_harder), its reply un-NATed: delivered', () => {
    const t = twoLinkRouter();
    const chains = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].map((name) => ({
      name,
      policy: 'ACCEPT',
      packets: 0,
      bytes: 0,
    }));
    const rule = { chain: 'OUTPUT', args: ['-d', '10.250.0.1/32', '-j', 'DNAT', '--to-destination', '192.168.50.1'] };
    t.node.ns.firewall = {
      nftables: [],
      iptables: [{ family: 'ipv4', backend: 'nft', name: 'nat', chains, rules: [{ ...rule, packets: 0, bytes: 0 }] }],
      ipsets: [],
      gaps: [],
    };
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.node.ref, '10.250.0.1');
    expect(result.verdict).toBe('delivered');
    const taken = result.hops.find((h) => h.direction === 'request' && h.component === 'local-delivery')!;
    expect(taken).toMatchObject({ netns: 'node', verdict: 'ok' });
    expect(taken.reason).toContain('the OUTPUT hook rewrote 10.250.0.1 to 192.168.50.1');
    // Nothing left the namespace: the gateway never saw the ping.
    expect(result.hops.some((h) => h.netns === 'gw')).toBe(false);
  });
});

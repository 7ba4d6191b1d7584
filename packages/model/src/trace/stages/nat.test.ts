import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const masquerade = { family: 'ip', table: 'nat', chain: 'POSTROUTING', hook: 'postrouting', priority: 100 };

describe('NAT on the path in a snapshot without firewall rules', () => {
  it('stops unknown where a new connection meets a NAT chain, naming it', () => {
    const t = twoLinkRouter();
    t.node.ns.natChains = [masquerade];
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    const stop = expectUnknownStop(result, ['ip nat POSTROUTING']);
    expect(stop).toMatchObject({ host: 'node', interface: 'ens3', component: 'nat', verdict: 'unknown' });
    expect(stop.reason).toBe(
      'NAT: ip nat POSTROUTING may rewrite this packet at postrouting, and this snapshot holds no firewall rules to tell how (collected before hoplens read them: collect again)',
    );
  });

  it('passes a hook without NAT chains, and replies, which only follow their connection', () => {
    const t = twoLinkRouter();
    // NAT only at OUTPUT of the node: the pod's forwarded packets never meet it, nor the node's replies.
    t.node.ns.natChains = [{ ...masquerade, chain: 'OUTPUT', hook: 'output' }];
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.244.1.1').verdict).toBe('delivered');
    // The node's own ping does.
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.node.ref, '10.250.0.1').verdict).toBe('unknown');
  });

  it('minds the family: an ip6 chain does not touch IPv4', () => {
    const t = twoLinkRouter();
    t.node.ns.natChains = [{ ...masquerade, family: 'ip6' }];
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
    t.node.ns.natChains = [{ ...masquerade, family: 'inet' }];
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('unknown');
  });
});

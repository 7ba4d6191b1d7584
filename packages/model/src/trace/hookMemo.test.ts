import { describe, expect, it } from 'vitest';
import type { NftTable } from '../schema/firewall.ts';
import { linkIn, nsIn, SEED, seedBroken } from '../testing/seedFixtures.ts';
import { serviceCluster, WEB } from '../testing/serviceCluster.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { hookMemoOf, HookMemo, MAX_HOOK_RESULTS } from './hookMemo.ts';
import { icmpEcho } from './packet.ts';
import { trace } from './trace.ts';
import { Walk } from './walk.ts';

/** The seed's worker with a netdev egress chain on eth0 that drops frames from one source MAC. */
function dropsFromMac(mac: string): SnapshotIndex {
  const snap = seedBroken();
  const table: NftTable = {
    family: 'netdev',
    name: 'macfilter',
    handle: 1,
    chains: [{ name: 'out', handle: 1, type: 'filter', hook: 'egress', prio: 0, policy: 'accept', devices: ['eth0'] }],
    sets: [],
    rules: [
      {
        chain: 'out',
        handle: 2,
        expr: [
          { match: { op: '==', left: { payload: { protocol: 'ether', field: 'saddr' } }, right: mac } },
          { drop: null },
        ],
      },
    ],
  };
  nsIn(snap, SEED.pod).firewall = { nftables: [table], iptables: [], ipsets: [], gaps: [] };
  return new SnapshotIndex(snap);
}

describe('hook evaluations kept per snapshot', () => {
  it('answers a repeated trace to a Service the same, without evaluating any hook again', () => {
    const c = serviceCluster();
    const index = new SnapshotIndex(c.b.snapshot());
    const first = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    const held = hookMemoOf(index).size;
    expect(held).toBeGreaterThan(0);
    const again = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
    expect(again).toEqual(first);
    expect(hookMemoOf(index).size).toBe(held);
  });

  it('tells apart two frames that carry the same packet from different source MACs', () => {
    const blocked = '02:00:00:00:00:bb';
    const index = dropsFromMac(blocked);
    const eth0 = index.linkByName(SEED.pod, 'eth0')!;
    const send = (srcMac: string) =>
      new Walk(index, 'request', true).transmit(eth0, {
        srcMac,
        dstMac: linkIn(index.snapshot, SEED.worker, 'ovn-k8s-pod').mac!,
        packet: icmpEcho({ src: SEED.podIp, dst: '10.132.2.1', type: 'echo-request' }),
      });
    expect(send('02:00:00:00:00:aa').verdict).not.toBe('dropped');
    expect(send(blocked).verdict).toBe('dropped');
  });

  it('keeps each snapshot its own evaluations', () => {
    const a = serviceCluster();
    const b = serviceCluster();
    expect(hookMemoOf(new SnapshotIndex(a.b.snapshot()))).not.toBe(hookMemoOf(new SnapshotIndex(b.b.snapshot())));
  });

  it('starts over rather than grow past its bound', () => {
    const memo = new HookMemo();
    const accept = { verdict: 'accept', state: { mark: 0, ct: 'new', notrack: false }, events: [] } as const;
    for (let i = 0; i <= MAX_HOOK_RESULTS; i++) memo.get(String(i), () => accept);
    expect(memo.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Route } from '../schema/inventory.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkIn, nsId, nsIn, seedFixed } from '../testing/seedFixtures.ts';
import { routeMissing } from './routeMissing.ts';

const run = (snap: ReturnType<typeof bridgedOk>) => routeMissing.run(new SnapshotIndex(snap));

describe('route-missing', () => {
  it('flags a pod with no route to a pod on another node', () => {
    const snap = bridgedOk();
    const a2 = nsIn(snap, BRIDGED.a2);
    a2.routes = a2.routes.filter((r) => r.dst !== 'default');
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [nsId(BRIDGED.a2)] });
    expect(f!.message).toMatch(/pod \S+\/hl-brdg-na-p2 has no route to 10\.244\.2\.\d/);
    // The node's bridge holds the one address of the pod's subnet across its veth, and forwards.
    expect(f!.fix).toBe('ip netns exec hl-brdg-na-p2 ip route add default via 10.244.1.1 dev eth0');
  });

  it('flags a node whose policy rules stop pod traffic, and follows the rule that routes it', () => {
    const snap = bridgedOk();
    const node = nsIn(snap, BRIDGED.nodeA);
    const rules = node.rules!;
    rules.push({ family: 'inet', priority: 100, src: '10.244.1.0/24', invert: false, action: 'unreachable' });
    const [f] = run(snap);
    expect(f).toMatchObject({ subjects: [nsId(BRIDGED.nodeA)] });
    expect(f!.message).toContain('policy rule 100 says unreachable');
    expect(f!.fix).toBe('ip netns exec hl-brdg-na ip -4 rule del priority 100');

    // The same traffic routed by its own table instead: nothing to say.
    rules.pop();
    const toB = node.routes.find((r) => r.dst === '10.244.2.0/24')!;
    toB.table = '100';
    rules.push({ family: 'inet', priority: 100, src: '10.244.1.0/24', invert: false, action: 'lookup', table: '100' });
    expect(run(snap)).toEqual([]);
  });

  it('says nothing where a rule it cannot evaluate decides the lookup: unknown is no evidence of a missing route', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.nodeA).rules!.push({
      family: 'inet',
      priority: 50,
      invert: false,
      action: 'unreachable',
      unevaluated: ['suppress_ifgroup'],
    });
    expect(run(snap)).toEqual([]);
  });

  it('leaves out a node whose pods reach the other node’s pods on-link, as over a bridged tunnel', () => {
    const snap = bridgedOk();
    const node = nsIn(snap, BRIDGED.nodeA);
    node.routes = node.routes.filter((r) => r.dst !== '10.244.2.0/24');
    expect(run(snap).map((f) => f.subjects)).toEqual([[nsId(BRIDGED.nodeA)]]);
    // Every node-a pod sends straight to node-b's subnet: node-a's routing never sees that traffic.
    for (const pod of [BRIDGED.a2, BRIDGED.a3]) {
      const eth0 = linkIn(snap, pod, 'eth0');
      const onLink = ({ gateway: _via, ...route }: Route): Route => ({
        ...route,
        dst: '10.244.2.0/24',
        dev: eth0.name,
      });
      nsIn(snap, pod).routes.push(onLink(nsIn(snap, pod).routes.find((r) => r.dst === 'default')!));
    }
    expect(run(snap)).toEqual([]);
  });

  it('names a pod whose device went down with its routes, and fixes both: up, then the route back', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.a2, 'eth0').adminUp = false;
    nsIn(snap, BRIDGED.a2).routes = [];
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f!.message).toContain('eth0 is down, and its routes went with it');
    expect(f!.fix).toBe(
      [
        'ip netns exec hl-brdg-na-p2 ip link set dev eth0 up',
        'ip netns exec hl-brdg-na-p2 ip route add default via 10.244.1.1 dev eth0',
      ].join('\n'),
    );
  });

  it('prints no route to add where the topology does not name one gateway', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.a2).routes = nsIn(snap, BRIDGED.a2).routes.filter((r) => r.dst !== 'default');
    nsIn(snap, BRIDGED.nodeA).ipForward = false;
    const [f] = run(snap);
    expect(f?.rule).toBe('route-missing');
    expect(f?.fix).toBeUndefined();
  });

  it('is silent on the fault-free labs', () => {
    expect(run(bridgedOk())).toEqual([]);
    expect(run(seedFixed())).toEqual([]);
  });
});

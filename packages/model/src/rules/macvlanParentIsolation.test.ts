import { describe, expect, it } from 'vitest';
import { interfaceId } from '../ids.ts';
import { macvlanNode } from '../testing/macvlanNode.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { macvlanParentIsolation, SHIM } from './macvlanParentIsolation.ts';

describe('macvlan-parent-isolation', () => {
  it('flags children whose gateway is their lower device, with the shim that fixes it', () => {
    const t = macvlanNode({ parentIp: '10.10.0.1' });
    const [f, ...rest] = macvlanParentIsolation.run(new SnapshotIndex(t.b.snapshot()));
    expect(rest).toEqual([]);
    const id = (ns: (typeof t.pods)[number], dev: string) => interfaceId(t.b.ref(ns, t.b.dev(ns, dev)));
    expect(f!.subjects).toEqual([id(t.node, 'ens3'), id(t.pods[0]!, 'eth0'), id(t.pods[1]!, 'eth0')]);
    expect(f!.fix).toBe(
      [
        `ip netns exec node ip link add ${SHIM} link ens3 type macvlan mode bridge`,
        `ip netns exec node ip addr add 10.10.0.1/32 dev ${SHIM}`,
        `ip netns exec node ip link set ${SHIM} up`,
        `ip netns exec node ip route replace 10.10.0.0/24 dev ${SHIM} src 10.10.0.1`,
      ].join('\n'),
    );
  });

  it('is silent once a bridge-mode shim holds the gateway and carries the children subnet', () => {
    const t = macvlanNode({ parentIp: '10.10.0.1' });
    const ens3 = t.b.dev(t.node, 'ens3');
    t.b.stacked(t.node, SHIM, { at: t.node, link: ens3 }, { kind: 'macvlan', mode: 'bridge' });
    t.b.addr(t.node, SHIM, '10.10.0.1/32');
    t.node.ns.routes = t.node.ns.routes.filter((r) => r.dst !== '10.10.0.0/24');
    t.b.route(t.node, '10.10.0.0/24', { dev: SHIM, prefsrc: '10.10.0.1', scope: 'link' });
    expect(macvlanParentIsolation.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
  });

  it('is silent where the lower device has nothing to do with its children', () => {
    expect(macvlanParentIsolation.run(new SnapshotIndex(macvlanNode().b.snapshot()))).toEqual([]);
  });
});

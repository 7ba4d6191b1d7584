import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkIn, SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { trace, TraceInputError } from './trace.ts';

describe('trace on the recorded seed lab', () => {
  it('drops the ping at the pod VM interface whose MAC differs from the worker eth0 MAC', () => {
    const result = trace(new SnapshotIndex(seedBroken()), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    const last = result.hops.at(-1)!;
    expect(last).toMatchObject({
      host: 'podvm',
      netns: SEED.podns.netns,
      interface: 'vxlan0',
      component: 'l2-receive',
      action: 'dropped',
    });
    expect(last.reason).toContain(SEED.podMac);
    expect(last.reason).toContain(SEED.vmMac);
    expect(last.fix).toContain(`ip netns exec ${SEED.podns.netns} ip link set dev vxlan0 address ${SEED.podMac}`);
    expect(result.hops.every((h) => h.direction === 'request')).toBe(true);
  });

  it('walks routing, neighbor, veth, tc, encap, underlay and decap in the kernel order', () => {
    const result = trace(new SnapshotIndex(seedBroken()), SEED.worker, SEED.podIp);
    expect(result.hops.map((h) => h.component)).toEqual([
      'routing',
      'neighbor',
      'veth',
      'tc',
      'vxlan-encap',
      'routing',
      'neighbor',
      'underlay',
      'l2-receive',
      'vxlan-decap',
      'l2-receive',
    ]);
    // The vxlan1 socket stayed in the worker root although the device sits in the pod netns.
    expect(result.hops[4]!.reason).toContain(`socket in worker/${SEED.worker.netns}`);
  });

  it('delivers the ping and its reply when the pod VM MAC matches', () => {
    const result = trace(new SnapshotIndex(seedFixed()), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('delivered');
    const reply = result.hops.filter((h) => h.direction === 'reply');
    expect(reply.at(-1)).toMatchObject({
      host: 'worker',
      netns: SEED.worker.netns,
      component: 'local-delivery',
      action: 'delivered',
    });
    // The reply passes vxlan1's ingress redirect, so vxlan1's own MAC never matters.
    expect(reply.some((h) => h.component === 'tc' && h.interface === 'vxlan1')).toBe(true);
  });

  it('drops at decapsulation when the two tunnel ends disagree on the VNI', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 555001;
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)).toMatchObject({ component: 'vxlan-decap' });
    expect(result.hops.at(-1)!.reason).toContain('VNI 555000 matches no device');
  });

  it('drops at a device that is administratively down', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').adminUp = false;
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)!.reason).toContain('vxlan0 is administratively down');
  });

  it('drops with "no route" when nothing matches the destination', () => {
    const result = trace(new SnapshotIndex(seedFixed()), SEED.worker, '172.31.9.9');
    expect(result).toMatchObject({
      verdict: 'dropped',
      hops: [{ component: 'routing', reason: 'no route to 172.31.9.9' }],
    });
  });

  it('refuses a source namespace or destination the snapshot does not have', () => {
    const index = new SnapshotIndex(seedFixed());
    expect(() => trace(index, { host: 'worker', netns: 'nope' }, SEED.podIp)).toThrow(TraceInputError);
    expect(() => trace(index, SEED.worker, 'not-an-ip')).toThrow('not an IP address');
  });
});

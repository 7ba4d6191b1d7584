import { describe, expect, it } from 'vitest';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

const stopOf = (r: ReturnType<typeof trace>) => r.hops.find((h) => h.verdict !== 'ok');

describe('the source check of the input routing decision', () => {
  it('drops a packet that arrives by one link while the route back leaves by another, under strict rp_filter', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 1 } });
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(result.verdict).toBe('dropped');
    expect(stopOf(result)).toMatchObject({
      host: 'gw',
      interface: 'ens4',
      component: 'routing',
      dropReason: 'IP_RPFILTER',
    });
    expect(stopOf(result)!.reason).toContain('10.244.1.0/24 via 192.168.50.1 dev ens3');
    expect(stopOf(result)!.reason).toContain('strict');
  });

  it('takes the larger of conf.all and the device, and reads any value above 2 as loose', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.b.conf(t.gw, 'ens4', { ipv4: { rpFilter: 1 } });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('dropped');
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 5 } });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
  });

  it('lets loose mode pass any source with a route back, and drops one without', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 2 } });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
    t.gw.ns.routes = t.gw.ns.routes.filter((r) => r.dst !== '10.244.1.0/24');
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(stopOf(result)).toMatchObject({ dropReason: 'IP_RPFILTER' });
    expect(stopOf(result)!.reason).toContain('no route back to 10.244.1.2');
  });

  it('says unknown where rp_filter was not collected and strict filtering would drop the packet', () => {
    const t = twoLinkRouter({ asymmetric: true });
    delete t.gw.ns.sysctls;
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    const reason = expectUnknownStop(result, ['rp_filter of ens4 not collected (all=?, ens4=?)']).reason;
    // Each value's outcome as a condition: nothing reads as the kernel having dropped it.
    expect(reason).toContain('rp_filter=0 (off): it would pass');
    expect(reason).toContain(
      'rp_filter=1 (strict): it would be dropped (IP_RPFILTER): the route back to 10.244.1.2 is',
    );
    expect(reason).not.toMatch(/drops it|, dropped/);
    expect(stopOf(result)!.dropReason).toBeUndefined();
    // A symmetric path passes whatever rp_filter is (the echo setting alone collected, which a
    // ping's answer depends on).
    const sym = twoLinkRouter();
    sym.gw.ns.sysctls = { all: {}, devices: [], icmpEchoIgnoreAll: 0 };
    expect(trace(new SnapshotIndex(sym.b.snapshot()), sym.pod.ref, '10.250.0.1').verdict).toBe('delivered');
  });

  it('drops a source that is one of the receiving namespace own addresses unless accept_local is on', () => {
    const t = twoLinkRouter();
    t.b.addr(t.node, 'ens3', '10.244.1.2/32');
    t.b.neighbor(t.pod, 'eth0', '10.244.1.1', t.b.dev(t.node, 'vp').mac!);
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(stopOf(result)).toMatchObject({ host: 'node', interface: 'vp', dropReason: 'IP_LOCAL_SOURCE' });
    t.b.conf(t.node, 'vp', { ipv4: { acceptLocal: 1 } });
    // Accepted, but the reply to 10.244.1.2 is local to the node: the pod never sees it.
    const accepted = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(accepted.hops.some((h) => h.host === 'gw' && h.component === 'local-delivery')).toBe(true);
    expect(accepted.verdict).toBe('dropped');
    expect(stopOf(accepted)).toMatchObject({
      host: 'node',
      netns: t.node.ref.netns,
      direction: 'reply',
      component: 'local-delivery',
      dropReason: 'NO_SOCKET',
    });
  });

  it('drops by rp_filter on a device without an IPv4 address whose reverse route leaves elsewhere, even when loose', () => {
    const t = twoLinkRouter({ asymmetric: true });
    t.gw.ns.addresses = t.gw.ns.addresses.filter((a) => a.address !== '192.168.60.2');
    t.gw.ns.routes = t.gw.ns.routes.filter((r) => r.dev !== 'ens4');
    t.b.neighbor(t.node, 'ens4', '192.168.60.2', t.b.dev(t.gw, 'ens4').mac!);
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 2 } });
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(stopOf(result)).toMatchObject({ interface: 'ens4', dropReason: 'IP_RPFILTER' });
    expect(stopOf(result)!.reason).toContain('which has no IPv4 address');
  });
});

import { describe, expect, it } from 'vitest';
import { v6Router } from '../../testing/v6Router.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

describe('forwarding', () => {
  it('reads IPv4 forwarding off the device the packet came in on', () => {
    const t = twoLinkRouter();
    t.b.conf(t.node, 'vp', { ipv4: { forwarding: 0 } });
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({
      host: 'node',
      interface: 'vp',
      dropReason: 'IP_INADDRERRORS',
      reason: '10.250.0.1 is not local here and forwarding is off on vp, where it came in',
    });
  });

  it('forwards IPv6 by conf.all.forwarding, not by a device own forwarding', () => {
    const t = v6Router();
    t.b.conf(t.r, 'ra', { ipv6: { forwarding: 1 } });
    t.b.conf(t.r, 'rc', { ipv6: { forwarding: 1 } });
    const off = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2');
    expect(off.hops.find((h) => h.verdict !== 'ok')).toMatchObject({ interface: 'ra', dropReason: 'IP_INADDRERRORS' });
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2').verdict).toBe('delivered');
  });

  it('forwards IPv6 arriving at a device with force_forwarding, and only there', () => {
    const t = v6Router();
    t.b.conf(t.r, 'ra', { ipv6: { forceForwarding: 1 } });
    const half = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2');
    // The request goes through; the reply comes in by rc, which does not forward.
    expect(half.hops.find((h) => h.verdict !== 'ok')).toMatchObject({ direction: 'reply', interface: 'rc' });
    t.b.conf(t.r, 'rc', { ipv6: { forceForwarding: 1 } });
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2').verdict).toBe('delivered');
  });

  it('drops IPv6 arriving at a device with IPv6 disabled', () => {
    const t = v6Router();
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    t.b.conf(t.r, 'ra', { ipv6: { disableIpv6: 1 } });
    t.r.ns.addresses = t.r.ns.addresses.filter((x) => x.address !== 'fd00:a::1');
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.a.ref, 'fd00:c::2');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({ interface: 'ra', dropReason: 'IPV6DISABLED' });
  });
});

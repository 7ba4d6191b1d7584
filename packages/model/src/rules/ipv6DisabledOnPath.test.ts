import { describe, expect, it } from 'vitest';
import { interfaceId } from '../ids.ts';
import { v6Router } from '../testing/v6Router.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { ipv6DisabledOnPath } from './ipv6DisabledOnPath.ts';
import { forwardingDisabled } from './forwardingDisabled.ts';

describe('ipv6-disabled-on-path', () => {
  it('flags a device with IPv6 disabled that a pod routes IPv6 to, and puts its gateway back', () => {
    const t = v6Router();
    t.b.conf(t.r, 'ra', { ipv6: { disableIpv6: 1 } });
    t.r.ns.addresses = t.r.ns.addresses.filter((a) => a.address !== 'fd00:a::1');
    const [f, ...rest] = ipv6DisabledOnPath.run(new SnapshotIndex(t.b.snapshot()));
    expect(rest).toEqual([]);
    expect(f!.subjects).toEqual([
      interfaceId(t.b.ref(t.r, t.b.dev(t.r, 'ra'))),
      interfaceId(t.b.ref(t.a, t.b.dev(t.a, 'eth0'))),
    ]);
    expect(f!.fix).toBe(
      'ip netns exec r sysctl -w net.ipv6.conf.ra.disable_ipv6=0\nip netns exec r ip -6 addr add fd00:a::1/64 dev ra nodad',
    );
  });

  it('is silent where nobody sends IPv6 to the disabled device', () => {
    const t = v6Router();
    t.a.ns.routes = t.a.ns.routes.filter((r) => r.family !== 'inet6');
    t.b.conf(t.r, 'ra', { ipv6: { disableIpv6: 1 } });
    expect(ipv6DisabledOnPath.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
  });
});

describe('forwarding-disabled for IPv6', () => {
  it('asks for conf.all.forwarding where only the devices forward', () => {
    const t = v6Router();
    t.b.conf(t.r, 'ra', { ipv6: { forwarding: 1 } });
    const [f] = forwardingDisabled.run(new SnapshotIndex(t.b.snapshot()));
    expect(f).toMatchObject({ fix: 'ip netns exec r sysctl -w net.ipv6.conf.all.forwarding=1' });
    expect(f!.message).toContain('IPv6 gateway');
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    expect(forwardingDisabled.run(new SnapshotIndex(t.b.snapshot()))).toEqual([]);
  });
});

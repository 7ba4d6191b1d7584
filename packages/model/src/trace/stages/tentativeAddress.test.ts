import { describe, expect, it } from 'vitest';
import type { Address } from '../../schema/inventory.ts';
import type { BuiltNetns, NetBuilder } from '../../testing/netBuilder.ts';
import { v6Router } from '../../testing/v6Router.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { selectSource6 } from '../selectSource.ts';
import { trace } from '../trace.ts';

/** The lab's `ipv6` scenario, forwarding on, with c's fd00:c::2 in the given state. */
function withState(flags: string[]) {
  const t = v6Router();
  t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
  markAddress(t.c, 'fd00:c::2', flags);
  return t;
}

/** Gives an address IFA_F_* states; one the kernel does not count as its own loses its local route, as there. */
function markAddress(at: BuiltNetns, ip: string, flags: string[]): void {
  const a = at.ns.addresses.find((x) => x.address === ip)!;
  a.flags = flags;
  if (flags.includes('dadfailed') || (flags.includes('tentative') && !flags.includes('optimistic')))
    at.ns.routes = at.ns.routes.filter((r) => !(r.table === 'local' && r.dst === ip));
}

const ping = (t: { b: NetBuilder }, from: string, to: string) => {
  const index = new SnapshotIndex(t.b.snapshot());
  return trace(index, index.namespaces.find((n) => n.ref.netns === from)!.ref, to);
};

describe('an IPv6 address in duplicate address detection', () => {
  it('is not yet the namespace’s own: a ping the node carries to it dies there, saying why', () => {
    const r = ping(withState(['tentative']), 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    const reasons = r.hops.map((h) => h.reason);
    expect(reasons).toContain(
      'fd00:c::2 is on eth0 but tentative: duplicate address detection has not finished: it is not yet an address of this namespace, and the packet is not for it',
    );
    expect(r.hops.at(-1)).toMatchObject({ netns: 'c', dropReason: 'IP_INADDRERRORS' });
  });

  it('is not one after DAD failed either', () => {
    const r = ping(withState(['dadfailed', 'tentative']), 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.map((h) => h.reason).join('\n')).toContain('dadfailed: another host holds it');
  });

  it('answers no neighbour solicitation: the node that asks gets no answer', () => {
    const t = withState(['tentative']);
    t.r.ns.neighbors = t.r.ns.neighbors.filter((n) => n.ip !== 'fd00:c::2');
    const r = ping(t, 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)).toMatchObject({ netns: 'r', component: 'neighbor' });
  });

  it('is usable while optimistic (optimistic_dad), and once DAD is over', () => {
    expect(ping(withState(['optimistic', 'tentative']), 'a', 'fd00:c::2').verdict).toBe('delivered');
    expect(ping(withState([]), 'a', 'fd00:c::2').verdict).toBe('delivered');
  });
});

describe('the IPv6 source of a namespace’s own packet (ipv6_dev_get_saddr)', () => {
  /** c's eth0 with its global address, a link-local one, and `extra` addresses. */
  function source(extra: Omit<Address, 'ifindex' | 'family' | 'prefixlen'>[], cFlags: string[] = []) {
    const t = v6Router();
    const eth0 = t.b.dev(t.c, 'eth0');
    t.b.addr(t.c, 'eth0', 'fe80::c/64', { scope: 'link' });
    for (const e of extra) t.c.ns.addresses.push({ ifindex: eth0.ifindex, family: 'inet6', prefixlen: 64, ...e });
    markAddress(t.c, 'fd00:c::2', cFlags);
    const index = new SnapshotIndex(t.b.snapshot());
    const c = index.namespaces.find((n) => n.ref.netns === 'c')!;
    return selectSource6(c, c.linksByName.get('eth0')!, 'fd00:a::2');
  }

  it('takes the global address for a global destination', () => {
    expect(source([])).toBe('fd00:c::2');
  });

  it('never takes a tentative or DAD-failed address: a pod with no other speaks from its link-local one', () => {
    expect(source([], ['tentative'])).toBe('fe80::c');
    expect(source([], ['dadfailed', 'tentative'])).toBe('fe80::c');
  });

  it('avoids a deprecated address (preferred_lft 0) where another of the same scope is there', () => {
    expect(source([{ address: 'fd00:c::3', scope: 'global' }], ['deprecated'])).toBe('fd00:c::3');
  });

  it('prefers the address sharing the longest prefix with the destination', () => {
    expect(source([{ address: 'fd00:a::77', scope: 'global' }])).toBe('fd00:a::77');
  });
});

describe('an IPv6 packet whose source is link-local, or that has none', () => {
  /** The lab's `ipv6` scenario, forwarding on, a's global address gone and a link-local one in `flags`. */
  function linkLocalOnly(flags: string[]) {
    const t = v6Router();
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    t.a.ns.addresses = t.a.ns.addresses.filter((x) => x.address !== 'fd00:a::2');
    t.b.addr(t.a, 'eth0', 'fe80::a/64', { scope: 'link' });
    markAddress(t.a, 'fe80::a', flags);
    return t;
  }

  it('is not forwarded off its link: the router answers beyond scope and drops it', () => {
    const r = ping(linkLocalOnly([]), 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.at(-1)).toMatchObject({ netns: 'r', interface: 'ra', dropReason: 'IP_INADDRERRORS' });
    expect(r.hops.at(-1)!.reason).toContain('the source fe80::a is link-local');
  });

  it('is never sent where no address can source it (the only one still tentative): EADDRNOTAVAIL', () => {
    const r = ping(linkLocalOnly(['tentative']), 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    expect(r.hops).toHaveLength(1);
    expect(r.hops[0]).toMatchObject({ netns: 'a', component: 'routing', dropReason: 'EADDRNOTAVAIL' });
  });
});

describe('IPv6 through a device with ARP off (NOARP)', () => {
  it('asks no neighbour discovery either: the frame leaves for the device’s own MAC, which the router drops', () => {
    const t = v6Router();
    t.b.conf(t.r, 'all', { ipv6: { forwarding: 1 } });
    // `arp off` flushed a's entries, the permanent one for its gateway too.
    t.a.ns.neighbors = [];
    expect(ping(t, 'a', 'fd00:c::2').verdict).toBe('delivered');
    t.b.dev(t.a, 'eth0').noarp = true;
    const r = ping(t, 'a', 'fd00:c::2');
    expect(r.verdict).toBe('dropped');
    expect(r.hops.find((h) => h.component === 'neighbor')!.reason).toContain('no ARP, no neighbour discovery');
    expect(r.hops.at(-1)).toMatchObject({ netns: 'r', interface: 'ra', dropReason: 'OTHERHOST' });
  });
});

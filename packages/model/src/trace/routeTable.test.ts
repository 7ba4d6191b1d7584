import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../net/defaultRules.ts';
import type { Link, NetnsInventory, PolicyRule, Route } from '../schema/inventory.ts';
import { RouteTable } from './routeTable.ts';

/** A namespace with these routes and rules (the kernel's own unless given; `null`: not collected). */
const ns = (routes: Route[], rules: PolicyRule[] | null = [...DEFAULT_RULES]): NetnsInventory => ({
  name: 'x',
  root: false,
  links: [],
  addresses: [],
  routes,
  neighbors: [],
  tcFilters: [],
  raw: [],
  ...(rules ? { rules } : {}),
});
const r = (dst: string, extra: Partial<Route> = {}): Route => ({
  table: 'main',
  type: 'unicast',
  dst,
  dev: 'eth0',
  ...extra,
});

describe('RouteTable', () => {
  const routes = [
    r('default', { gateway: '10.0.0.1' }),
    r('10.0.0.0/8', { dev: 'a' }),
    r('10.1.0.0/16', { dev: 'b' }),
    r('10.1.2.0/24', { dev: 'c', metric: 100 }),
    r('10.1.2.0/24', { dev: 'd', metric: 10 }),
    r('10.1.2.3', { table: 'local', type: 'local', dev: 'lo' }),
    r('fd00::/64', { dev: 'v6', family: 'inet6' }),
    r('default', { gateway: 'fd00::1', dev: 'v6gw', metric: 1024, family: 'inet6' }),
  ];
  const table = new RouteTable(ns(routes));

  it.each([
    ['10.1.2.3', 'lo'],
    ['10.1.2.9', 'd'],
    ['10.1.9.9', 'b'],
    ['10.9.9.9', 'a'],
    ['192.0.2.1', 'eth0'],
    ['fd00::5', 'v6'],
    ['2001:db8::1', 'v6gw'],
  ])('routes %s via %s', (dst, dev) => {
    const m = table.lookup(dst);
    expect(m?.kind === 'route' && m.route.dev).toBe(dev);
  });

  it('finds nothing without a matching route', () => {
    expect(new RouteTable(ns([r('10.0.0.0/8')])).lookup('192.0.2.1')).toBeUndefined();
  });

  it("reads rules that only look like the kernel's own as they are", () => {
    const own = [r('192.0.2.0/24', { table: '100', dev: 'own' }), ...routes];
    // The defaults in another order are the defaults.
    expect(new RouteTable(ns(own, [...DEFAULT_RULES].reverse())).lookup('192.0.2.1')).toMatchObject({
      route: { dev: 'eth0' },
    });
    // main's rule pointed at table 100, a selector on one of them, or one rule more: not the defaults.
    const swapped = DEFAULT_RULES.map((x) => (x.table === 'main' && x.family === 'inet' ? { ...x, table: '100' } : x));
    expect(new RouteTable(ns(own, swapped)).lookup('192.0.2.1')).toMatchObject({ route: { dev: 'own' } });
    const selected = DEFAULT_RULES.map((x) =>
      x.priority === 0 && x.family === 'inet' ? { ...x, table: '100', src: '10.0.0.0/8' } : x,
    );
    expect(new RouteTable(ns(own, selected)).lookup('192.0.2.1', { src: '10.1.1.1' })).toMatchObject({
      route: { dev: 'own' },
    });
    const more = [
      ...DEFAULT_RULES,
      { family: 'inet' as const, priority: 100, invert: false, action: 'lookup' as const, table: '100' },
    ];
    expect(new RouteTable(ns(own, more)).lookup('192.0.2.1')).toMatchObject({ route: { dev: 'own' } });
  });

  it('cannot tell any lookup where the policy rules were not collected, never taking the defaults', () => {
    const untold = new RouteTable(ns(routes, null));
    for (const dst of ['10.1.2.3', '10.9.9.9', 'fd00::5', '192.0.2.1']) {
      const m = untold.lookup(dst);
      expect(m?.kind).toBe('unknown');
      expect(m?.kind === 'unknown' && m.why).toMatch(/policy rules \(ip rule\) were not collected/);
    }
  });
});

describe('RouteTable with policy rules', () => {
  const rule = (priority: number, extra: Partial<PolicyRule>): PolicyRule => ({
    family: 'inet',
    priority,
    invert: false,
    action: 'lookup',
    ...extra,
  });
  const defaults = [rule(0, { table: 'local' }), rule(32766, { table: 'main' }), rule(32767, { table: 'default' })];
  const devOf = (t: RouteTable, dst: string, flow = {}): string | undefined => {
    const m = t.lookup(dst, flow);
    return m?.kind === 'route' ? m.route.dev : m?.kind === 'rule' ? m.rule.action : m?.kind;
  };

  it('sends pod-sourced traffic to its own table, and the rest to main', () => {
    const t = new RouteTable(
      ns(
        [r('default', { dev: 'main0' }), r('10.244.2.0/24', { dev: 'pods', table: '100' })],
        [...defaults, rule(100, { src: '10.244.1.0/24', table: '100' })],
      ),
    );
    expect(devOf(t, '10.244.2.7', { src: '10.244.1.5', iif: 'cni0' })).toBe('pods');
    expect(devOf(t, '10.244.2.7', { src: '192.0.2.1' })).toBe('main0');
    // A locally generated packet has no source yet: a `from` prefix does not match it.
    expect(devOf(t, '10.244.2.7')).toBe('main0');
    // Table 100 has no route to 8.8.8.8: the lookup falls through to main.
    expect(devOf(t, '8.8.8.8', { src: '10.244.1.5' })).toBe('main0');
  });

  it('ends the lookup at a blackhole or unreachable rule, and honours iif, not and fwmark', () => {
    const t = new RouteTable(
      ns(
        [r('default', { dev: 'main0' }), r('10.7.0.0/16', { dev: 'seven', table: '300' })],
        [
          ...defaults,
          rule(10, { dst: '10.9.0.0/16', iif: 'eth0', action: 'blackhole' }),
          rule(11, { src: '10.1.0.0/16', action: 'unreachable' }),
          rule(12, { fwmark: '0x1/0xff', action: 'prohibit' }),
          rule(13, { fwmark: '0x1/0xff', invert: true, table: '300' }),
        ],
      ),
    );
    expect(devOf(t, '10.9.1.1', { iif: 'eth0' })).toBe('blackhole');
    expect(devOf(t, '10.9.1.1', { iif: 'eth1' })).toBe('main0');
    expect(devOf(t, '10.9.1.1')).toBe('main0');
    expect(devOf(t, '192.0.2.1', { src: '10.1.2.3' })).toBe('unreachable');
    // Unmarked packets: "fwmark 0x1" does not match them, "not fwmark 0x1" does.
    expect(devOf(t, '10.7.0.1')).toBe('seven');
    expect(devOf(t, '10.8.0.1')).toBe('main0');
  });

  it('skips to the goto target, steps over throw routes and suppresses short prefixes', () => {
    const t = new RouteTable(
      ns(
        [
          r('default', { dev: 'main0' }),
          r('default', { dev: 'vpn', table: '200' }),
          r('10.5.0.0/16', { table: '200', type: 'throw' }),
          r('10.6.0.0/16', { dev: 'six' }),
        ],
        [
          ...defaults,
          rule(5, { src: '10.2.0.0/16', action: 'goto', goto: 32766 }),
          rule(6, { table: 'main', suppressPrefixlen: 0 }),
          rule(7, { table: '200' }),
        ],
      ),
    );
    // main's default is suppressed by rule 6, so table 200's default wins…
    expect(devOf(t, '192.0.2.1')).toBe('vpn');
    // …but a specific route in main is not.
    expect(devOf(t, '10.6.0.1')).toBe('six');
    // A throw route in 200 hands on to rule 32766 (main).
    expect(devOf(t, '10.5.0.1')).toBe('main0');
    // goto 32766 skips rules 6 and 7.
    expect(devOf(t, '192.0.2.1', { src: '10.2.0.9' })).toBe('main0');
  });
});

/** A rule that blackholes unless told otherwise, and the kernel's lookup of main after it. */
const rule = (priority: number, extra: Partial<PolicyRule>): PolicyRule => ({
  family: 'inet',
  priority,
  invert: false,
  action: 'blackhole',
  ...extra,
});
const main = rule(32766, { action: 'lookup', table: 'main' });

describe('policy rules with L4 and uid selectors', () => {
  const table = (...rules: PolicyRule[]) =>
    new RouteTable(ns([r('default', { gateway: '10.0.0.1' })], [...rules, main]));
  const icmp = { proto: 1 };
  const tcp = (dport: number, sport?: number) => ({ proto: 6, dport, sport });

  it('meets an ipproto rule only with packets of that protocol, and never a lookup without L4', () => {
    const t = table(rule(90, { ipproto: 6 }));
    expect(t.lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: tcp(80) })?.kind).toBe('rule');
    expect(t.lookup('10.9.9.9')?.kind).toBe('route');
  });

  it('compares TCP and UDP ports with port ranges, and cannot tell for ICMP or a hashed port', () => {
    const t = table(rule(90, { dport: { start: 80, end: 80 } }), rule(91, { sport: { start: 1000, end: 2000 } }));
    expect(t.lookupFlow('10.9.9.9', { l4: tcp(80) })?.kind).toBe('rule');
    expect(t.lookupFlow('10.9.9.9', { l4: tcp(443, 3000) })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: tcp(443, 1500) })?.kind).toBe('rule');
    expect(t.lookupFlow('10.9.9.9', { l4: tcp(443) })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('hash'),
    });
    expect(t.lookupFlow('10.9.9.9', { l4: icmp })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('protocol 1'),
    });
  });

  it("cannot tell a uid range for a namespace's own packet; a forwarded one has uid 0", () => {
    const t = table(rule(90, { uidRange: { start: 1000, end: 2000 } }));
    expect(t.lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('unknown');
    expect(t.lookupFlow('10.9.9.9', { l4: icmp, iif: 'eth1' })?.kind).toBe('route');
    expect(
      table(rule(90, { uidRange: { start: 0, end: 0 } })).lookupFlow('10.9.9.9', { l4: icmp, iif: 'eth1' })?.kind,
    ).toBe('rule');
  });
});

describe('policy rules with tos, tun_id, l3mdev and selectors hoplens does not read', () => {
  const link = (name: string, ifindex: number, kind: string, masterIfindex?: number): Link => ({
    ifindex,
    name,
    kind,
    mac: null,
    mtu: 1500,
    adminUp: true,
    carrier: true,
    operstate: 'UP',
    promiscuous: false,
    ...(masterIfindex === undefined ? {} : { masterIfindex }),
  });
  const table = (...rules: PolicyRule[]) =>
    new RouteTable({
      ...ns([r('default', { gateway: '10.0.0.1' })], [...rules, main]),
      links: [link('eth0', 2, 'device'), link('vx0', 3, 'vxlan'), link('red', 4, 'vrf'), link('eth1', 5, 'device', 4)],
    });
  const icmp = { proto: 1 };

  it('never selects the traced packets (TOS 0) by a tos rule, nor by `not` of one the other way', () => {
    expect(table(rule(90, { tos: 0x10 })).lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('route');
    expect(table(rule(90, { tos: 0x10, invert: true })).lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('rule');
  });

  it('selects by tun_id only packets from a tunnel, and cannot tell for those (metadata mode not collected)', () => {
    const t = table(rule(90, { tunId: '5' }));
    expect(t.lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: icmp, iif: 'eth0' })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: icmp, iif: 'vx0' })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('tun_id 5'),
    });
  });

  it('selects by l3mdev only packets of a device in a VRF, and cannot tell their table', () => {
    const t = table(rule(90, { l3mdev: true, action: 'lookup' }));
    expect(t.lookupFlow('10.9.9.9', { l4: icmp })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: icmp, iif: 'eth0' })?.kind).toBe('route');
    expect(t.lookupFlow('10.9.9.9', { l4: icmp, iif: 'eth1' })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('VRF'),
    });
  });

  it("answers unknown for any lookup of a VRF's packets, naming the VRF, even without an l3mdev rule: never main", () => {
    const t = table();
    expect(t.lookup('10.9.9.9', { iif: 'eth1' })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('eth1 is enslaved to VRF red'),
    });
    expect(t.lookup('10.9.9.9', { iif: 'red' })).toMatchObject({
      kind: 'unknown',
      why: expect.stringContaining('red is a VRF'),
    });
    // The source check looks up from the device the packet came in on, as if it came in by another.
    expect(t.lookup('10.9.9.9', { iif: 'eth0', l3mdev: 'eth1' })?.kind).toBe('unknown');
    expect(t.lookup('10.9.9.9', { iif: 'eth0' })?.kind).toBe('route');
  });

  it('answers unknown to a lookup without L4 too (an ARP request, the source check), never "no route"', () => {
    expect(table(rule(90, { tunId: '5' })).lookup('10.9.9.9', { iif: 'vx0' })).toMatchObject({
      kind: 'unknown',
      rule: { priority: 90 },
    });
  });

  it('answers unknown, naming them, for selectors it does not read, instead of matching every packet', () => {
    expect(
      table(rule(90, { unevaluated: ['suppress_ifgroup'], action: 'lookup', table: 'main' })).lookupFlow('10.9.9.9', {
        l4: icmp,
      }),
    ).toMatchObject({ kind: 'unknown', why: expect.stringContaining('suppress_ifgroup') });
    // A rule before it decides first.
    expect(
      table(rule(80, {}), rule(90, { unevaluated: ['attribute 25'] })).lookupFlow('10.9.9.9', { l4: icmp })?.kind,
    ).toBe('rule');
  });
});

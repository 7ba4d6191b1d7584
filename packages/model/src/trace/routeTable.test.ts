import { describe, expect, it } from 'vitest';
import type { NetnsInventory, Route } from '../schema/inventory.ts';
import { RouteTable } from './routeTable.ts';

const ns = (routes: Route[]): NetnsInventory => ({
  name: 'x',
  root: false,
  links: [],
  addresses: [],
  routes,
  neighbors: [],
  tcFilters: [],
  raw: [],
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
    expect(table.lookup(dst)?.route.dev).toBe(dev);
  });

  it('finds nothing without a matching route', () => {
    expect(new RouteTable(ns([r('10.0.0.0/8')])).lookup('192.0.2.1')).toBeUndefined();
  });
});

import { parseIp, parsePrefix } from '../net/ip.ts';
import type { NetnsInventory, Route } from '../schema/inventory.ts';

/** Tables in the order of the kernel's default policy rules (local 0, main 32766, default 32767). */
const TABLE_ORDER = ['local', 'main', 'default'] as const;

export interface RouteMatch {
  readonly route: Route;
  readonly length: number;
}

/**
 * Longest-prefix match in O(prefix length) instead of O(routes): routes are grouped by
 * (table, family, length, masked destination), and a lookup tries each length from the longest.
 * A router namespace with thousands of routes answers as fast as a pod's.
 */
export class RouteTable {
  private readonly buckets = new Map<string, Route[]>();
  private readonly lengths = new Map<string, number[]>();

  constructor(ns: NetnsInventory) {
    for (const route of ns.routes) {
      if (route.type === 'broadcast' || route.type === 'multicast') continue;
      const family = route.dst === 'default' ? familyOfRoute(route) : parseIp(route.dst.split('/')[0] ?? '')?.family;
      if (!family) continue;
      const prefix = parsePrefix(route.dst, family);
      if (!prefix) continue;
      const bits = family === 4 ? 32 : 128;
      const key = `${route.table}|${family}|${prefix.length}|${prefix.value >> BigInt(bits - prefix.length)}`;
      const list = this.buckets.get(key) ?? [];
      list.push(route);
      this.buckets.set(key, list);
      const lk = `${route.table}|${family}`;
      const lens = this.lengths.get(lk) ?? [];
      if (!lens.includes(prefix.length)) lens.push(prefix.length);
      this.lengths.set(lk, lens);
    }
    for (const lens of this.lengths.values()) lens.sort((a, b) => b - a);
  }

  lookup(dst: string): RouteMatch | undefined {
    const ip = parseIp(dst);
    if (!ip) return undefined;
    const bits = ip.family === 4 ? 32 : 128;
    for (const table of TABLE_ORDER) {
      for (const length of this.lengths.get(`${table}|${ip.family}`) ?? []) {
        const routes = this.buckets.get(`${table}|${ip.family}|${length}|${ip.value >> BigInt(bits - length)}`);
        if (!routes) continue;
        const route = routes.reduce((a, b) => ((b.metric ?? 0) < (a.metric ?? 0) ? b : a));
        return { route, length };
      }
    }
    return undefined;
  }
}

/** A route's family: recorded by the collector; for older snapshots, read off its addresses. */
function familyOfRoute(route: Route): 4 | 6 {
  if (route.family) return route.family === 'inet6' ? 6 : 4;
  return parseIp(route.gateway ?? route.prefsrc ?? '')?.family ?? 4;
}

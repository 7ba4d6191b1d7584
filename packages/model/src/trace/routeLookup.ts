import { parseIp, parsePrefix, prefixContains } from '../net/ip.ts';
import type { NetnsInventory, Route } from '../schema/inventory.ts';

export interface RouteMatch {
  readonly route: Route;
  readonly length: number;
}

/** Tables in the order of the kernel's default policy rules (local 0, main 32766, default 32767). */
const TABLE_ORDER = ['local', 'main', 'default'] as const;

/** Longest-prefix match over the default policy tables; the lowest metric breaks ties. */
export function lookupRoute(ns: NetnsInventory, dst: string): RouteMatch | undefined {
  const ip = parseIp(dst);
  if (!ip) return undefined;
  for (const table of TABLE_ORDER) {
    let best: RouteMatch | undefined;
    for (const route of ns.routes) {
      if (route.table !== table || route.type === 'broadcast' || route.type === 'multicast') continue;
      const prefix = parsePrefix(route.dst, ip.family);
      if (!prefix || !prefixContains(prefix, ip)) continue;
      const better =
        !best ||
        prefix.length > best.length ||
        (prefix.length === best.length && (route.metric ?? 0) < (best.route.metric ?? 0));
      if (better) best = { route, length: prefix.length };
    }
    if (best) return best;
  }
  return undefined;
}
